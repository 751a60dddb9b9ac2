/**
 * SIPp user agents with the project's scenarios (sip/scenarios/*.xml): long-running UAS peers that
 * record what they receive, and one-call UACs. Every instance writes its message trace, which is
 * what callers assert on (sipTrace.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findAppRoot } from '../host/routes';
import { waitUntilUdpBound } from './ports';
import { readSipTrace, type SipMessage } from './sipTrace';
import { findSipTools } from './tools';

export type ScenarioName = 'uac' | 'uac-awaits-bye' | 'uac-load' | 'uas' | 'uas-copy';

export function scenarioPath(name: ScenarioName): string {
  return path.join(findAppRoot(), 'sip', 'scenarios', `${name}.xml`);
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

export interface SippPeer {
  readonly name: string;
  readonly port: number;
  readonly pid: number;
  /** Everything this peer sent and received so far (empty when started without a trace). */
  messages(): SipMessage[];
  /** The messages of one call. */
  callMessages(callId: string): SipMessage[];
  stop(): Promise<void>;
}

export interface PeerOptions {
  /** A label for errors and file names (`operator`, `teamsDirectRouting`, ...). */
  readonly name: string;
  readonly scenario: 'uas' | 'uas-copy';
  readonly port: number;
  readonly address?: string;
  /** Directory for the trace (default: a fresh temp directory). */
  readonly dir?: string;
  /** Write the message trace (default true; a benchmark turns it off). */
  readonly trace?: boolean;
}

/** A trunk peer answering every INVITE (scenario uas or uas-copy) until stopped. */
export async function startPeer(options: PeerOptions): Promise<SippPeer> {
  const tools = findSipTools();
  const address = options.address ?? '127.0.0.1';
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sipp-'));
  const trace = path.join(dir, `${options.name}-${options.port}.msg`);
  const child = spawn(
    tools.sipp,
    ['-sf', scenarioPath(options.scenario), '-i', address, '-p', String(options.port), '-nostdin', '-nd', '-aa', ...(options.trace === false ? [] : ['-trace_msg', '-message_file', trace])],
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (!exited(child)) {
      child.kill('SIGTERM');
      const done = await Promise.race([exit.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 3_000).unref())]);
      if (!done) {
        child.kill('SIGKILL');
        await exit;
      }
    }
  };
  try {
    await waitUntilUdpBound(options.port, address, 10_000, () => !exited(child));
  } catch (err) {
    await stop();
    throw new Error(`SIPp peer ${options.name}: ${(err as Error).message}\n${stderr}`);
  }
  return {
    name: options.name,
    port: options.port,
    pid: child.pid as number,
    messages: () => readSipTrace(trace),
    callMessages: (callId) => readSipTrace(trace).filter((m) => m.callId === callId),
    stop,
  };
}

export interface CallOptions {
  /** Kamailio's address and the port of the trunk the call arrives on. */
  readonly gatewayAddress?: string;
  readonly gatewayPort: number;
  /** User part of the Request-URI and To. */
  readonly called: string;
  /** User part of From. */
  readonly calling: string;
  /** Host of the Request-URI and To (Direct Routing: the customer's subdomain host); default the gateway address. */
  readonly requestUriHost?: string;
  /** `uac` (default): the caller hangs up; `uac-awaits-bye`: the callee does. */
  readonly scenario?: 'uac' | 'uac-awaits-bye';
  /** SIPp's -timeout: the whole call; default 10 s. */
  readonly timeoutSeconds?: number;
}

export interface CallResult {
  /** SIPp's exit code: 0 when the call ran through the scenario (answered, or rejected and ACKed). */
  readonly exitCode: number | null;
  readonly callId: string;
  /** Everything the calling side sent and received. */
  readonly messages: SipMessage[];
  /** The final response to the INVITE the caller received (the first one), if any. */
  readonly final?: SipMessage;
  /** Every final response to the INVITE the caller received (retransmissions included). */
  readonly finals: SipMessage[];
  readonly stderr: string;
}

/** Places one call with the uac scenario and resolves when SIPp exits (bounded by its -timeout). */
export async function placeCall(options: CallOptions): Promise<CallResult> {
  const tools = findSipTools();
  const address = options.gatewayAddress ?? '127.0.0.1';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sipp-uac-'));
  const trace = path.join(dir, 'uac.msg');
  const timeout = options.timeoutSeconds ?? 10;
  const args = [
    `${address}:${options.gatewayPort}`,
    '-sf', scenarioPath(options.scenario ?? 'uac'),
    '-i', address,
    '-m', '1',
    '-nostdin',
    '-nd',
    '-key', 'called', options.called,
    '-key', 'calling', options.calling,
    '-key', 'ruri_host', options.requestUriHost ?? address,
    '-trace_msg', '-message_file', trace,
    '-timeout', `${timeout}s`, '-timeout_error',
  ];
  const child = spawn(tools.sipp, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const messages = readSipTrace(trace);
  fs.rmSync(dir, { recursive: true, force: true });
  const invite = messages.find((m) => m.direction === 'sent' && m.method === 'INVITE');
  const finals = messages.filter((m) => m.direction === 'received' && m.status !== undefined && m.status >= 200 && m.cseqMethod === 'INVITE');
  return { exitCode, callId: invite?.callId ?? '', messages, ...(finals[0] !== undefined ? { final: finals[0] } : {}), finals, stderr };
}
