/**
 * shared/lookup/decide.ts beyond lookupDecision.test.ts, against a mutant StrykerJS left alive
 * (docs/mutation.md): a Direct Routing call without a subdomain never asks the view for one. The
 * view records every subdomain it does not hold as a miss to load from storage (view.ts
 * subdomainFact), so asking for `undefined` would cost a pointless read on the call path.
 */
import { decide } from '../../shared/lookup/decide';
import type { RoutingFacts, RoutingSettings } from '../../shared/lookup/types';

const SETTINGS: RoutingSettings = {
  headerName: 'X-MS-Operator-Content',
  customHeaderEnabled: true,
  services: { teamsDirectRouting: true, teamsOperatorConnect: true, teamsPhoneMobile: true, zoomPhoneCloudPeering: true, azureOperatorCallProtection: true },
  trunkDefaults: new Map(),
  zoomVerificationNumbers: new Set(),
  baseDomain: 'gw.example.com',
  mobilePrefixes: [],
  ttlSeconds: 30,
};

test('a Direct Routing call without a subdomain is refused without asking the view for one', () => {
  const asked: unknown[] = [];
  const facts: RoutingFacts = {
    number: () => undefined,
    account: () => undefined,
    accountBySubdomain: (label) => {
      asked.push(label);
      return undefined;
    },
  };
  const answer = decide({ direction: 'toOperator', origin: 'teamsDirectRouting', from: '+14255550100', to: '+4930123456' }, facts, SETTINGS);
  expect([answer.action, answer.action === 'reject' ? answer.reason : undefined]).toEqual(['reject', 'UnknownSubdomain']);
  expect(asked).toHaveLength(0);
});
