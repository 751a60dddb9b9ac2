/**
 * Real calls through Kamailio running sip/kamailio.cfg, routed by the lookup of the local host:
 * SIPp callers on each ingress trunk, SIPp peers on every egress trunk, data provisioned through the
 * Provisioning API. Assertions read what each side actually received (SIPp message traces).
 */
import dgram from 'node:dgram';
import { header, type SipMessage } from '../../dev/sip/sipTrace';
import { deleteNumber, directRouting, enabled, putAccount, putNumber, TENANT } from './support/provisioning';
import { BASE_DOMAIN, drHost, startSipGateway, type PlacedCall, type SipGateway } from './support/sipGateway';

const HEADER = 'X-MS-Operator-Content';
const FAR_END = '+33123456789';

const DR_NUMBER = '+14255550101';
const DR_OTHER_ACCOUNT = '+14255550102';
const OC_NUMBER = '+14255550201';
const OC_NO_VALUE = '+14255550202';
const ZOOM_NUMBER = '+14255550301';
const TPM_NUMBER = '+14255550401';
const CP_ONLY = '+14255550501';
const OC_WITH_CP = '+14255550601';
const CHANGING = '+14255550701';
const DELETED = '+14255550801';
const UNPROVISIONED = '+14255559901';

let gw: SipGateway;

beforeAll(async () => {
  gw = await startSipGateway();
  const api = gw.api;
  await putAccount(api, 'sip-dr', { teamsDirectRouting: directRouting('sipdr', true) });
  await putAccount(api, 'sip-dr-open', { teamsDirectRouting: directRouting('sipopen', false) });
  await putAccount(api, 'sip-oc', {
    teamsTenantId: TENANT,
    teamsOperatorConnect: enabled,
    zoomPhoneCloudPeering: enabled,
    azureOperatorCallProtection: { enabled: true },
  });
  await putAccount(api, 'sip-tpm', { teamsTenantId: TENANT, teamsPhoneMobile: enabled });
  await putAccount(api, 'sip-cp', { azureOperatorCallProtection: { enabled: true } });
  await putNumber(api, 'sip-dr', DR_NUMBER, ['teamsDirectRouting'], 'dr-0101');
  await putNumber(api, 'sip-dr-open', DR_OTHER_ACCOUNT, ['teamsDirectRouting']);
  await putNumber(api, 'sip-oc', OC_NUMBER, ['teamsOperatorConnect'], 'oc-0201');
  await putNumber(api, 'sip-oc', OC_NO_VALUE, ['teamsOperatorConnect']);
  await putNumber(api, 'sip-oc', ZOOM_NUMBER, ['zoomPhoneCloudPeering'], 'zoom-0301');
  await putNumber(api, 'sip-tpm', TPM_NUMBER, ['teamsPhoneMobile']);
  await putNumber(api, 'sip-cp', CP_ONLY, ['azureOperatorCallProtection']);
  await putNumber(api, 'sip-oc', OC_WITH_CP, ['teamsOperatorConnect', 'azureOperatorCallProtection'], 'occp-0601');
  await putNumber(api, 'sip-oc', CHANGING, ['teamsOperatorConnect'], 'before');
  await putNumber(api, 'sip-oc', DELETED, ['zoomPhoneCloudPeering'], 'zoom-0801');
}, 60_000);

afterAll(async () => {
  if (process.env.SIP_TEST_LOG_LEVEL) console.log(gw?.kamailio.log());
  await gw?.stop();
});

/** The one peer a routed call reached (the Call Protection copy aside). */
function destinationOf(call: PlacedCall): string {
  const reached = call.reached().filter((p) => p !== 'callProtection');
  expect(reached).toHaveLength(1);
  return reached[0] as string;
}

function expectAnswered(call: PlacedCall): void {
  expect(call.final?.status).toBe(200);
  expect(call.exitCode).toBe(0);
}

describe('custom SIP header on real INVITEs', () => {
  it('from the operator network, the called Direct Routing number’s value arrives at Teams Direct Routing', async () => {
    const call = await gw.call('operatorFixed', DR_NUMBER, FAR_END);
    expectAnswered(call);
    expect(destinationOf(call)).toBe('directRouting');
    expect(header(call.inviteAt('directRouting') as SipMessage, HEADER)).toBe('dr-0101');
  });

  it('from the operator network, the called Operator Connect number’s value arrives at Operator Connect', async () => {
    const call = await gw.call('operatorFixed', OC_NUMBER, FAR_END);
    expectAnswered(call);
    expect(destinationOf(call)).toBe('operatorConnect');
    expect(header(call.inviteAt('operatorConnect') as SipMessage, HEADER)).toBe('oc-0201');
  });

  it('from the operator network, the called Zoom number’s value arrives at Zoom', async () => {
    const call = await gw.call('operatorMobile', ZOOM_NUMBER, FAR_END);
    expectAnswered(call);
    expect(destinationOf(call)).toBe('zoom');
    expect(header(call.inviteAt('zoom') as SipMessage, HEADER)).toBe('zoom-0301');
  });

  it('towards the operator network, the calling number’s value arrives at the operator', async () => {
    const fromOc = await gw.call('operatorConnect', FAR_END, OC_NUMBER);
    expectAnswered(fromOc);
    expect(destinationOf(fromOc)).toBe('operator');
    expect(header(fromOc.inviteAt('operator') as SipMessage, HEADER)).toBe('oc-0201');

    const fromZoom = await gw.call('zoom', FAR_END, ZOOM_NUMBER);
    expectAnswered(fromZoom);
    expect(header(fromZoom.inviteAt('operator') as SipMessage, HEADER)).toBe('zoom-0301');

    const fromDr = await gw.call('directRouting', FAR_END, DR_NUMBER, { requestUriHost: drHost('sipdr') });
    expectAnswered(fromDr);
    expect(header(fromDr.inviteAt('operator') as SipMessage, HEADER)).toBe('dr-0101');
  });

  it('adds no header for Teams Phone Mobile, Call Protection only, unprovisioned numbers or numbers without a value', async () => {
    const cases: Array<[label: string, placed: Promise<PlacedCall>]> = [
      ['Teams Phone Mobile, called', gw.call('operatorFixed', TPM_NUMBER, FAR_END)],
      ['Teams Phone Mobile, calling', gw.call('teamsPhoneMobile', FAR_END, TPM_NUMBER)],
      ['Call Protection only', gw.call('operatorFixed', CP_ONLY, FAR_END)],
      ['unprovisioned', gw.call('operatorFixed', UNPROVISIONED, FAR_END)],
      ['no value', gw.call('operatorFixed', OC_NO_VALUE, FAR_END)],
    ];
    for (const [label, placed] of cases) {
      const call = await placed;
      expect([label, call.final?.status]).toEqual([label, 200]);
      const reached = call.reached();
      expect([label, reached.length > 0]).toEqual([label, true]);
      for (const peer of reached) expect([label, peer, header(call.inviteAt(peer) as SipMessage, HEADER)]).toEqual([label, peer, undefined]);
    }
  });
});

describe('Teams Direct Routing', () => {
  it('the Teams side sees the customer’s subdomain host in the Contact header', async () => {
    const call = await gw.call('operatorFixed', DR_NUMBER, FAR_END);
    expectAnswered(call);
    const contact = header(call.inviteAt('directRouting') as SipMessage, 'Contact') ?? '';
    expect(contact).toMatch(new RegExp(`^<sip:[^@>]+@sipdr\\.1r1\\.${BASE_DOMAIN.replace(/\./g, '\\.')}[:;>]`));
    // The caller's own Contact is what the operator side keeps seeing.
    expect(header(call.messages.find((m) => m.method === 'INVITE') as SipMessage, 'Contact')).not.toContain(BASE_DOMAIN);
  });

  it('a BYE from the Teams side reaches the caller’s own Contact, through the proxy', async () => {
    const call = await gw.call('operatorFixed', DR_NUMBER, FAR_END, { calleeHangsUp: true });
    expectAnswered(call);
    const bye = call.messages.find((m) => m.direction === 'received' && m.method === 'BYE');
    expect(bye).toBeDefined();
    // Teams addressed the subdomain host it was given; the caller gets its own Contact back.
    const callerContact = /<([^>]+)>/.exec(header(call.messages.find((m) => m.method === 'INVITE') as SipMessage, 'Contact') ?? '')?.[1];
    expect(bye?.startLine).toBe(`BYE ${callerContact} SIP/2.0`);
    expect(header(bye as SipMessage, 'Via')).toMatch(new RegExp(`^SIP/2\\.0/UDP 127\\.0\\.0\\.1:${gw.ports.fromOperatorFixed};branch=`));
    const sentByTeams = call.at('directRouting').find((m) => m.direction === 'sent' && m.method === 'BYE');
    expect(sentByTeams?.startLine).toContain(`@sipdr.1r1.${BASE_DOMAIN}`);
    expect(call.at('directRouting').some((m) => m.direction === 'received' && m.status === 200 && m.cseqMethod === 'BYE')).toBe(true);
  });

  it('screening on: the Teams side gets 403 for an unprovisioned or a foreign caller, with the reason', async () => {
    for (const caller of [UNPROVISIONED, DR_OTHER_ACCOUNT]) {
      const call = await gw.call('directRouting', FAR_END, caller, { requestUriHost: drHost('sipdr') });
      expect(call.final?.status).toBe(403);
      expect(header(call.final as SipMessage, 'Reason')).toBe('SIP;cause=403;text="CallerIdScreeningFailed"');
      expect(call.reached()).toEqual([]);
    }
  });

  it('screening off: a caller the customer did not provision is routed to the operator', async () => {
    const call = await gw.call('directRouting', FAR_END, UNPROVISIONED, { requestUriHost: drHost('sipopen', 2) });
    expectAnswered(call);
    expect(destinationOf(call)).toBe('operator');
    expect(header(call.inviteAt('operator') as SipMessage, HEADER)).toBeUndefined();
  });

  it('a subdomain no account owns is refused with 404', async () => {
    const call = await gw.call('directRouting', FAR_END, DR_NUMBER, { requestUriHost: drHost('nosuchsub') });
    expect(call.final?.status).toBe(404);
    expect(header(call.final as SipMessage, 'Reason')).toBe('SIP;cause=404;text="UnknownSubdomain"');
    expect(call.reached()).toEqual([]);
  });
});

describe('defaults and Call Protection', () => {
  it('an unprovisioned number on the fixed trunk reaches Operator Connect', async () => {
    const call = await gw.call('operatorFixed', UNPROVISIONED, FAR_END);
    expectAnswered(call);
    expect(destinationOf(call)).toBe('operatorConnect');
  });

  it('an unprovisioned number on the mobile trunk reaches Teams Phone Mobile', async () => {
    const call = await gw.call('operatorMobile', UNPROVISIONED, FAR_END);
    expectAnswered(call);
    expect(destinationOf(call)).toBe('teamsPhoneMobile');
  });

  it('a Call Protection number’s call is also offered to Call Protection, and the caller is answered by the real destination', async () => {
    const call = await gw.call('operatorFixed', OC_WITH_CP, FAR_END);
    expectAnswered(call);
    expect(destinationOf(call)).toBe('operatorConnect');
    // Call Protection got the INVITE and answered it at once with 200 ...
    const deadline = Date.now() + 2_000;
    while (call.inviteAt('callProtection') === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const copy = call.inviteAt('callProtection');
    expect(copy).toBeDefined();
    expect(call.at('callProtection').some((m) => m.direction === 'sent' && m.status === 200)).toBe(true);
    // ... but every final answer the caller saw came from Operator Connect.
    expect(call.finals.length).toBeGreaterThan(0);
    for (const final of call.finals) expect(header(final, 'X-Answered-By')).toBe(String(gw.ports.toOperatorConnect));
    // ACK and BYE went to the destination only.
    expect(call.at('callProtection').filter((m) => m.method === 'ACK' || m.method === 'BYE')).toEqual([]);
  });

  it('a call that is not Call Protection is not copied', async () => {
    const call = await gw.call('operatorFixed', OC_NUMBER, FAR_END);
    expectAnswered(call);
    expect(call.inviteAt('callProtection')).toBeUndefined();
  });
});

describe('changes through the API reach the next calls (lookup freshness + TTL)', () => {
  const valueAtOc = (call: PlacedCall) => (call.inviteAt('operatorConnect') === undefined ? undefined : header(call.inviteAt('operatorConnect') as SipMessage, HEADER));

  it('a new header value', async () => {
    expect(valueAtOc(await gw.call('operatorFixed', CHANGING, FAR_END))).toBe('before');
    await putNumber(gw.api, 'sip-oc', CHANGING, ['teamsOperatorConnect'], 'after');
    const call = await gw.callUntil((c) => valueAtOc(c) === 'after', 'operatorFixed', CHANGING, FAR_END);
    expect(valueAtOc(call)).toBe('after');
  });

  it('a new service', async () => {
    await putNumber(gw.api, 'sip-oc', CHANGING, ['zoomPhoneCloudPeering'], 'moved');
    const call = await gw.callUntil((c) => c.reached().includes('zoom'), 'operatorFixed', CHANGING, FAR_END);
    expect(destinationOf(call)).toBe('zoom');
    expect(header(call.inviteAt('zoom') as SipMessage, HEADER)).toBe('moved');
  });

  it('a deleted number falls back to the trunk default, without a header', async () => {
    expect(destinationOf(await gw.call('operatorFixed', DELETED, FAR_END))).toBe('zoom');
    await deleteNumber(gw.api, 'sip-oc', DELETED);
    const call = await gw.callUntil((c) => c.reached().includes('operatorConnect'), 'operatorFixed', DELETED, FAR_END);
    expect(destinationOf(call)).toBe('operatorConnect');
    expect(valueAtOc(call)).toBeUndefined();
  });
});

describe('in-dialog requests', () => {
  it('ACK and BYE reach the callee through the proxy, without a new lookup', async () => {
    const before = gw.relay.lookups();
    const call = await gw.call('operatorConnect', FAR_END, OC_NUMBER);
    expectAnswered(call);
    const atOperator = call.at('operator').filter((m) => m.direction === 'received');
    expect(atOperator.map((m) => m.method)).toEqual(['INVITE', 'ACK', 'BYE']);
    // Each came through Kamailio: its Via is on top, sent from the socket of the operator trunk.
    for (const message of atOperator) expect(header(message, 'Via')).toMatch(new RegExp(`^SIP/2\\.0/UDP 127\\.0\\.0\\.1:${gw.ports.fromOperatorFixed};branch=`));
    expect(call.messages.filter((m) => m.direction === 'received' && m.cseqMethod === 'BYE').map((m) => m.status)).toContain(200);
    // One lookup at most (the INVITE's, unless the answer was still reused), none for ACK and BYE.
    expect(gw.relay.lookups() - before).toBeLessThanOrEqual(1);
  });
});

describe('trunk keep-alive', () => {
  it('answers OPTIONS with 200 on every trunk port, without a lookup', async () => {
    const before = gw.relay.lookups();
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    try {
      const ports = [gw.ports.fromOperatorFixed, gw.ports.fromOperatorMobile, gw.ports.fromDirectRouting, gw.ports.fromOperatorConnect, gw.ports.fromTeamsPhoneMobile, gw.ports.fromZoom];
      for (const port of ports) {
        const local = socket.address().port;
        const branch = `z9hG4bK-options-${port}`;
        const request = [
          `OPTIONS sip:127.0.0.1:${port} SIP/2.0`,
          `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=${branch}`,
          `From: <sip:probe@127.0.0.1:${local}>;tag=probe${port}`,
          `To: <sip:127.0.0.1:${port}>`,
          `Call-ID: options-${port}@127.0.0.1`,
          'CSeq: 1 OPTIONS',
          'Max-Forwards: 70',
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n');
        const reply = new Promise<string>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no answer to OPTIONS on port ${port}`)), 3_000);
          socket.once('message', (msg) => {
            clearTimeout(timer);
            resolve(msg.toString('utf8'));
          });
        });
        socket.send(request, port, '127.0.0.1');
        expect((await reply).split('\r\n')[0]).toBe('SIP/2.0 200 OK');
      }
    } finally {
      socket.close();
    }
    expect(gw.relay.lookups()).toBe(before);
  });
});

describe('lookup failure', () => {
  afterEach(async () => {
    await gw.relay.start();
  });

  it('the lookup unreachable: callers get 503 with Retry-After; restored: calls flow again', async () => {
    await gw.relay.stop();
    const failed = await gw.call('operatorFixed', '+14255559801', FAR_END);
    expect(failed.final?.status).toBe(503);
    expect(header(failed.final as SipMessage, 'Retry-After')).toBe('5');
    expect(failed.reached()).toEqual([]);

    await gw.relay.start();
    const call = await gw.callUntil((c) => c.final?.status === 200, 'operatorFixed', '+14255559801', FAR_END);
    expectAnswered(call);
    expect(destinationOf(call)).toBe('operatorConnect');
  });

  it('the lookup hanging: callers get 503 with Retry-After once the configured timeout passes', async () => {
    await gw.relay.hang();
    const failed = await gw.call('operatorFixed', '+14255559802', FAR_END);
    expect(failed.final?.status).toBe(503);
    expect(header(failed.final as SipMessage, 'Retry-After')).toBe('5');
    expect(header(failed.final as SipMessage, 'Reason')).toBe('SIP;cause=503;text="LookupUnavailable"');
  });
});
