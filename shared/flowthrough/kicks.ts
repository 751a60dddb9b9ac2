/**
 * The flow-through message contract. A kick only says "look at this account (or RFI) again"; the
 * desired state lives in the tables, so a lost or duplicated kick is harmless (level-triggered).
 * Service Bus session = the account name, so one account is reconciled by one worker at a time.
 */
import { SpanKind } from '@opentelemetry/api';
import { errorText, logEvent } from '../log/logger';
import { SPAN_KICK_SEND } from '../telemetry/names';
import { inSpan, injectTraceContext } from '../telemetry/tracing';
export type KickReason = 'write' | 'followUp' | 'retry' | 'sweep' | 'consentChanged';

export type Kick =
  | { readonly kind: 'account'; readonly accountName: string; readonly reason: KickReason; readonly sentAt: string }
  | { readonly kind: 'rfi'; readonly tenantId: string; readonly reason: KickReason; readonly sentAt: string };

export const FLOWTHROUGH_QUEUE = 'flowthrough';

export function sessionOf(kick: Kick): string {
  return kick.kind === 'account' ? kick.accountName : `rfi:${kick.tenantId}`;
}

/** Parses a received message body; anything else is a poison message (dead-lettered by the queue). */
export function parseKick(body: unknown): Kick {
  const value = typeof body === 'string' ? (JSON.parse(body) as unknown) : Buffer.isBuffer(body) ? (JSON.parse(body.toString('utf8')) as unknown) : body;
  if (typeof value !== 'object' || value === null) throw new Error('flow-through message is not an object');
  const v = value as Record<string, unknown>;
  const reason = (typeof v.reason === 'string' ? v.reason : 'write') as KickReason;
  const sentAt = typeof v.sentAt === 'string' ? v.sentAt : new Date(0).toISOString();
  if (v.kind === 'rfi' && typeof v.tenantId === 'string' && v.tenantId !== '') return { kind: 'rfi', tenantId: v.tenantId, reason, sentAt };
  if ((v.kind === 'account' || v.kind === undefined) && typeof v.accountName === 'string' && v.accountName !== '') {
    return { kind: 'account', accountName: v.accountName, reason, sentAt };
  }
  throw new Error('flow-through message has neither an accountName nor an RFI tenantId');
}

export interface DeadLetter {
  readonly kick: Kick | undefined;
  readonly reason: string;
  readonly description: string;
}

/**
 * Application properties of a kick message: the sender's W3C trace context (`traceparent`, and
 * `Diagnostic-Id` with the same value, the name Azure SDKs read), so the worker's run continues the
 * trace of the write that kicked it (docs/observability.md).
 */
export type KickProperties = Readonly<Record<string, string>>;

/** Service Bus in Azure, an in-process queue in the local host; both keep this contract. */
export interface KickTransport {
  /** `properties` travel as the message's application properties (the trigger's `triggerMetadata.applicationProperties`). */
  send(kick: Kick, delayMs: number, properties?: KickProperties): Promise<void>;
  /** Takes (removes) up to `max` dead-lettered kicks. */
  takeDeadLetters(max: number): Promise<DeadLetter[]>;
}

let transport: KickTransport | undefined;

export function setKickTransport(next: KickTransport | undefined): void {
  transport = next;
}

export function kickTransport(): KickTransport | undefined {
  return transport;
}

/**
 * Sends a kick. Never throws: the write it follows has already been committed, and the sweeper
 * re-kicks anything left pending, so a failed send costs latency, not correctness.
 */
export async function kickAccount(accountName: string, reason: KickReason, delayMs = 0): Promise<void> {
  await sendKick({ kind: 'account', accountName, reason, sentAt: dueAt(delayMs) }, delayMs);
}

export async function kickRfi(tenantId: string, reason: KickReason, delayMs = 0): Promise<void> {
  await sendKick({ kind: 'rfi', tenantId, reason, sentAt: dueAt(delayMs) }, delayMs);
}

/** A scheduled kick stands for "look again at this time": a run started after it covers it. */
function dueAt(delayMs: number): string {
  return new Date(Date.now() + Math.max(0, delayMs)).toISOString();
}

async function sendKick(kick: Kick, delayMs: number): Promise<void> {
  const sender = transport;
  if (sender === undefined) return;
  try {
    await inSpan(SPAN_KICK_SEND, { kind: SpanKind.PRODUCER, attributes: { kind: kick.kind, reason: kick.reason, session: sessionOf(kick), delayMs } }, () => {
      const properties = injectTraceContext();
      if (properties.traceparent !== undefined) properties['Diagnostic-Id'] = properties.traceparent;
      return sender.send(kick, delayMs, properties);
    });
  } catch (err) {
    logEvent('warn', 'flowthrough.kick.failed', { session: sessionOf(kick), error: errorText(err) });
  }
}
