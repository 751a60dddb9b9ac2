/**
 * `npm run sip:lab`: the gateway's SIP edge on this machine, next to `npm start`. Runs Kamailio with
 * sip/kamailio.cfg on loopback (UDP, the default trunk ports of docs/sip-layer.md), routing by the
 * local host's lookup with a development token (role Lookup.Query, minted as `npm run token` does),
 * prints what listens where and how to place a test call with SIPp, and stops Kamailio on Ctrl+C.
 * Settings: PORT (the local host's, 7071), DR_BASE_DOMAIN (the same as the host's),
 * SIP_LAB_PORT_OFFSET (added to every SIP port, default 0), SIP_LAB_LOG_LEVEL (1-3).
 */
import path from 'node:path';
import { loadConfig } from '../shared/config';
import { createDevIssuer, devIssuerDefaults } from './devIssuer';
import { findAppRoot, readRoutePrefix } from './host/routes';
import { DEFAULT_TRUNK_PORTS, startKamailio, TRUNK_PORT_NAMES, type TrunkPorts } from './sip/kamailio';
import { findSipTools } from './sip/tools';
import { stopOnSignals } from './stopOnSignals';

const TOKEN_LIFETIME_SECONDS = 12 * 3600;

function offsetPorts(offsetText: string | undefined): TrunkPorts {
  const offset = offsetText === undefined || offsetText === '' ? 0 : Number(offsetText);
  if (!Number.isInteger(offset) || offset < 0 || offset > 50_000) throw new Error(`SIP_LAB_PORT_OFFSET=${offsetText} must be a whole number from 0 to 50000`);
  return Object.fromEntries(TRUNK_PORT_NAMES.map((name) => [name, DEFAULT_TRUNK_PORTS[name] + offset])) as unknown as TrunkPorts;
}

/** One GET to the lookup with the token: tells whether `npm start` is up before any call fails with 503. */
async function probeLookup(url: string, token: string): Promise<string> {
  try {
    const res = await fetch(`${url}?direction=fromOperator&from=%2B441632960001&to=%2B441632960002&trunk=operator-fixed`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(2_000),
    });
    return res.status === 200 ? 'answers' : `answered HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`;
  } catch (err) {
    return `not reachable (${(err as Error).message}); start it with npm start, calls get 503 meanwhile`;
  }
}

async function main(): Promise<void> {
  const tools = findSipTools();
  const defaults = devIssuerDefaults(process.env);
  const issuer = createDevIssuer({ issuer: defaults.issuer, audience: defaults.audience, env: process.env, keyFile: defaults.keyFile });
  const token = await issuer.issueToken({ roles: ['Lookup.Query'], expiresInSeconds: TOKEN_LIFETIME_SECONDS });
  const hostPort = process.env.PORT?.trim() || '7071';
  const routePrefix = readRoutePrefix(); // host.json, as npm start serves it
  const lookupUrl = `http://127.0.0.1:${hostPort}${routePrefix ? `/${routePrefix}` : ''}/lookup/v1/route`;
  const ports = offsetPorts(process.env.SIP_LAB_PORT_OFFSET);
  // The host's own reading of DR_BASE_DOMAIN (default and checks); storage settings do not matter here.
  const drBaseDomain = loadConfig({ DR_BASE_DOMAIN: process.env.DR_BASE_DOMAIN, TABLES_CONNECTION_STRING: 'UseDevelopmentStorage=true' }).drBaseDomain;
  const logLevel = process.env.SIP_LAB_LOG_LEVEL ? Number(process.env.SIP_LAB_LOG_LEVEL) : 2;

  const kamailio = await startKamailio({ ports, lookupUrl, lookupToken: token, drBaseDomain, logLevel });
  let printed = 0;
  const tail = setInterval(() => {
    const log = kamailio.log();
    if (log.length > printed) process.stdout.write(log.slice(printed));
    printed = log.length;
  }, 200);
  printed = kamailio.log().length; // the start-up banner is summarised below instead

  const root = findAppRoot();
  const scenario = (name: string) => path.relative(process.cwd(), path.join(root, 'sip', 'scenarios', name)) || name;
  const row = (label: string, value: string) => `  ${label.padEnd(34)} ${value}`;
  console.log(
    [
      '',
      `SIP lab: Kamailio ${tools.kamailio} (pid ${kamailio.pid}), configuration sip/kamailio.cfg, UDP on 127.0.0.1`,
      row('lookup', `${lookupUrl}  ${await probeLookup(lookupUrl, token)}`),
      row('Direct Routing base domain', drBaseDomain),
      '  Calls arrive on',
      row('    operator network, fixed trunk', `udp 127.0.0.1:${ports.fromOperatorFixed}  (lookup trunk operator-fixed)`),
      row('    operator network, mobile trunk', `udp 127.0.0.1:${ports.fromOperatorMobile}  (lookup trunk operator-mobile)`),
      row('    Teams Direct Routing', `udp 127.0.0.1:${ports.fromDirectRouting}  (Request-URI host <subdomain>.1r1.${drBaseDomain})`),
      row('    Operator Connect', `udp 127.0.0.1:${ports.fromOperatorConnect}`),
      row('    Teams Phone Mobile', `udp 127.0.0.1:${ports.fromTeamsPhoneMobile}`),
      row('    Zoom', `udp 127.0.0.1:${ports.fromZoom}`),
      '  Calls leave to (run a SIPp answering side there)',
      row('    operator network', `udp 127.0.0.1:${ports.toOperator}`),
      row('    Teams Direct Routing', `udp 127.0.0.1:${ports.toDirectRouting}`),
      row('    Operator Connect', `udp 127.0.0.1:${ports.toOperatorConnect}`),
      row('    Teams Phone Mobile', `udp 127.0.0.1:${ports.toTeamsPhoneMobile}`),
      row('    Zoom', `udp 127.0.0.1:${ports.toZoom}`),
      row('    Call Protection (copies)', `udp 127.0.0.1:${ports.toCallProtection}`),
      '',
      'A test call from the operator network to an unprovisioned number (the fixed trunk defaults to Operator Connect):',
      `  sipp -sf ${scenario('uas.xml')} -i 127.0.0.1 -p ${ports.toOperatorConnect} -trace_msg        # Operator Connect side, another terminal`,
      `  sipp 127.0.0.1:${ports.fromOperatorFixed} -sf ${scenario('uac.xml')} -i 127.0.0.1 -m 1 \\`,
      `       -key called +441632960002 -key calling +441632960001 -key ruri_host 127.0.0.1 -trace_msg`,
      'The answering side writes what it received (custom header, Contact) to uas_<pid>_messages.log.',
      'Provision numbers first (docs/api.md) to see the other routes; docs/sip-layer.md has the rules.',
      '',
      'Ctrl+C to stop.',
      '',
    ].join('\n'),
  );

  stopOnSignals(() => {
    clearInterval(tail);
    return kamailio.stop();
  }, 'stopping Kamailio...');
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error('SIP lab failed to start:', err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
