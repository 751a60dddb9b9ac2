/**
 * A deployment with its own header name (`LOOKUP_HEADER_NAME=custom_header`, ACG's own example) and
 * a long answer TTL: the header Kamailio adds is the one the lookup names, and a busy number costs
 * one lookup per TTL (Kamailio's answer table), counted at the relay in front of the lookup.
 */
import { header, type SipMessage } from '../../dev/sip/sipTrace';
import { enabled, putAccount, putNumber, TENANT } from './support/provisioning';
import { startSipGateway, type SipGateway } from './support/sipGateway';

const FAR_END = '+33123456789';
const OC_NUMBER = '+14255551201';
const ZOOM_NUMBER = '+14255551301';

let gw: SipGateway;

beforeAll(async () => {
  gw = await startSipGateway({ LOOKUP_HEADER_NAME: 'custom_header', LOOKUP_TTL_SECONDS: '60' });
  await putAccount(gw.api, 'reuse-oc', { teamsTenantId: TENANT, teamsOperatorConnect: enabled, zoomPhoneCloudPeering: enabled });
  await putNumber(gw.api, 'reuse-oc', OC_NUMBER, ['teamsOperatorConnect'], 'oc-1201');
  await putNumber(gw.api, 'reuse-oc', ZOOM_NUMBER, ['zoomPhoneCloudPeering'], 'zoom-1301');
}, 60_000);

afterAll(async () => {
  await gw?.stop();
});

it('uses the configured header name, in both directions', async () => {
  const toTeams = await gw.call('operatorFixed', OC_NUMBER, FAR_END);
  expect(toTeams.final?.status).toBe(200);
  const invite = toTeams.inviteAt('operatorConnect') as SipMessage;
  expect(header(invite, 'custom_header')).toBe('oc-1201');
  expect(header(invite, 'X-MS-Operator-Content')).toBeUndefined();

  const toOperator = await gw.call('zoom', FAR_END, ZOOM_NUMBER);
  expect(toOperator.final?.status).toBe(200);
  expect(header(toOperator.inviteAt('operator') as SipMessage, 'custom_header')).toBe('zoom-1301');
});

it('reuses an answer for its ttlSeconds: repeated calls for one number cost one lookup', async () => {
  const before = gw.relay.lookups();
  for (let i = 0; i < 4; i++) {
    const call = await gw.call('operatorMobile', ZOOM_NUMBER, FAR_END);
    expect(call.final?.status).toBe(200);
    expect(header(call.inviteAt('zoom') as SipMessage, 'custom_header')).toBe('zoom-1301');
  }
  expect(gw.relay.lookups() - before).toBe(1);

  // Another question (same number, other trunk) is another answer.
  const other = await gw.call('operatorFixed', ZOOM_NUMBER, FAR_END);
  expect(other.final?.status).toBe(200);
  expect(gw.relay.lookups() - before).toBe(2);
});

it('does not reuse failures beyond the one-second hold: the lookup back, the next call is routed', async () => {
  await gw.relay.stop();
  const failed = await gw.call('operatorFixed', '+14255551999', FAR_END);
  expect(failed.final?.status).toBe(503);
  await gw.relay.start();
  const call = await gw.callUntil((c) => c.final?.status === 200, 'operatorFixed', '+14255551999', FAR_END, { deadlineMs: 5_000 });
  expect(call.final?.status).toBe(200);
  expect(call.reached()).toEqual(['operatorConnect']);
});
