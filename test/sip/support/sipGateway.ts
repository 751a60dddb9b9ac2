/**
 * The whole SIP path for a test file: the local host (API + lookup, test/support/localHost.ts), a
 * relay in front of the lookup, Kamailio with sip/kamailio.cfg on free loopback ports, and one SIPp
 * peer per trunk (the operator network, the four services, Call Protection) recording what it
 * receives. Start it once per file (beforeAll), stop it in afterAll.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startKamailio, trunkPortsFrom, TRUNK_PORT_NAMES, type RunningKamailio, type TrunkPorts } from '../../../dev/sip/kamailio';
import { freeUdpPorts } from '../../../dev/sip/ports';
import { placeCall, startPeer, type CallResult, type SippPeer } from '../../../dev/sip/sipp';
import type { SipMessage } from '../../../dev/sip/sipTrace';
import { findSipTools } from '../../../dev/sip/tools';
import { createApiClient, type ApiClient } from '../../support/apiClient';
import { startLocalHost, type LocalHost } from '../../support/localHost';
import { startLookupRelay, type LookupRelay } from './lookupRelay';

export const BASE_DOMAIN = 'sbc.example.net';
/** The SIP layer's trunk defaults, as `npm start` sets them. */
export const TRUNK_DEFAULTS = 'operator-fixed=teamsOperatorConnect,operator-mobile=teamsPhoneMobile';

/** Where a call can arrive at the gateway. */
export type Ingress = 'operatorFixed' | 'operatorMobile' | 'directRouting' | 'operatorConnect' | 'teamsPhoneMobile' | 'zoom';
/** Who receives calls from the gateway. */
export type PeerName = 'operator' | 'directRouting' | 'operatorConnect' | 'teamsPhoneMobile' | 'zoom' | 'callProtection';

const INGRESS_PORT: Readonly<Record<Ingress, keyof TrunkPorts>> = {
  operatorFixed: 'fromOperatorFixed',
  operatorMobile: 'fromOperatorMobile',
  directRouting: 'fromDirectRouting',
  operatorConnect: 'fromOperatorConnect',
  teamsPhoneMobile: 'fromTeamsPhoneMobile',
  zoom: 'fromZoom',
};
const PEER_PORT: Readonly<Record<PeerName, keyof TrunkPorts>> = {
  operator: 'toOperator',
  directRouting: 'toDirectRouting',
  operatorConnect: 'toOperatorConnect',
  teamsPhoneMobile: 'toTeamsPhoneMobile',
  zoom: 'toZoom',
  callProtection: 'toCallProtection',
};
export const PEER_NAMES = Object.keys(PEER_PORT) as PeerName[];

export interface PlacedCall extends CallResult {
  /** What a peer received (and sent) for this call, read now. */
  at(peer: PeerName): SipMessage[];
  /** The INVITE a peer received for this call, if any. */
  inviteAt(peer: PeerName): SipMessage | undefined;
  /** The peers that received this call's INVITE. */
  reached(): PeerName[];
}

export interface CallOptions {
  /** Host of the Request-URI: for calls from Direct Routing, the customer's subdomain host (drHost). */
  readonly requestUriHost?: string;
  /** The callee ends the call (uac-awaits-bye.xml) instead of the caller. */
  readonly calleeHangsUp?: boolean;
}

export interface SipGateway {
  readonly host: LocalHost;
  readonly api: ApiClient;
  readonly kamailio: RunningKamailio;
  readonly ports: TrunkPorts;
  readonly relay: LookupRelay;
  readonly peers: Readonly<Record<PeerName, SippPeer>>;
  /** Places one call arriving on `ingress` and collects what every peer got for it. */
  call(ingress: Ingress, called: string, calling: string, options?: CallOptions): Promise<PlacedCall>;
  /**
   * Places calls until `done` holds for one (a call every 250 ms) or the deadline passes; returns
   * the last call. For changes that reach calls after the lookup's freshness bound plus the TTL.
   */
  callUntil(done: (call: PlacedCall) => boolean, ingress: Ingress, called: string, calling: string, options?: CallOptions & { deadlineMs?: number }): Promise<PlacedCall>;
  stop(): Promise<void>;
}

/** A Direct Routing customer's SBC host as Teams addresses it. */
export const drHost = (label: string, region = 1) => `${label}.1r${region}.${BASE_DOMAIN}`;

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startSipGateway(env: Record<string, string> = {}, kamailioOptions: { lookupTimeoutSeconds?: number } = {}): Promise<SipGateway> {
  findSipTools(); // fail first, with the packages to install, if anything is missing
  const host = await startLocalHost({ DR_BASE_DOMAIN: BASE_DOMAIN, LOOKUP_TRUNK_DEFAULTS: TRUNK_DEFAULTS, LOOKUP_TTL_SECONDS: '1', ...env });
  const stops: Array<() => Promise<void>> = [() => host.stop()];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    const api = createApiClient(host.baseUrl, { headers: await host.adminHeaders() });
    const lookupUrl = new URL(host.baseUrl);
    const relay = await startLookupRelay({ host: lookupUrl.hostname, port: Number(lookupUrl.port) });
    stops.push(() => relay.close());
    const ports = trunkPortsFrom(await freeUdpPorts(TRUNK_PORT_NAMES.length));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sip-gateway-'));
    stops.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    const peerList = await Promise.all(
      PEER_NAMES.map((name) => startPeer({ name, scenario: name === 'callProtection' ? 'uas-copy' : 'uas', port: ports[PEER_PORT[name]], dir })),
    );
    for (const peer of peerList) stops.push(() => peer.stop());
    const peers = Object.fromEntries(peerList.map((p) => [p.name, p])) as Record<PeerName, SippPeer>;
    const kamailio = await startKamailio({
      ports,
      lookupUrl: `http://127.0.0.1:${relay.port}${lookupUrl.pathname.replace(/\/$/, '')}/lookup/v1/route`,
      lookupToken: await host.token(['Lookup.Query']),
      drBaseDomain: BASE_DOMAIN,
      lookupTimeoutSeconds: kamailioOptions.lookupTimeoutSeconds ?? 1,
      retryAfterSeconds: 5,
      children: 2,
      ...(process.env.SIP_TEST_LOG_LEVEL ? { logLevel: Number(process.env.SIP_TEST_LOG_LEVEL) } : {}),
    });
    stops.push(() => kamailio.stop());

    const call = async (ingress: Ingress, called: string, calling: string, options: CallOptions = {}): Promise<PlacedCall> => {
      const result = await placeCall({
        gatewayPort: ports[INGRESS_PORT[ingress]],
        called,
        calling,
        ...(options.requestUriHost !== undefined ? { requestUriHost: options.requestUriHost } : {}),
        scenario: options.calleeHangsUp === true ? 'uac-awaits-bye' : 'uac',
        timeoutSeconds: 10,
      });
      if (result.final === undefined) {
        throw new Error(`call ${calling} → ${called} via ${ingress} got no final response (SIPp exit ${result.exitCode}): ${result.stderr}\n--- Kamailio ---\n${kamailio.log().slice(-3000)}`);
      }
      // The peers wrote what they received before the caller could finish (the callee answers the
      // BYE after logging it); read live, so a test can also wait for a copy sent on the side.
      const at = (peer: PeerName) => peers[peer].callMessages(result.callId);
      return {
        ...result,
        at,
        inviteAt: (peer) => at(peer).find((m) => m.direction === 'received' && m.method === 'INVITE'),
        reached: () => PEER_NAMES.filter((peer) => at(peer).some((m) => m.direction === 'received' && m.method === 'INVITE')),
      };
    };

    return {
      host,
      api,
      kamailio,
      ports,
      relay,
      peers,
      call,
      async callUntil(done, ingress, called, calling, options = {}) {
        const deadline = Date.now() + (options.deadlineMs ?? 10_000);
        for (;;) {
          const placed = await call(ingress, called, calling, options);
          if (done(placed) || Date.now() > deadline) return placed;
          await delay(250);
        }
      },
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
