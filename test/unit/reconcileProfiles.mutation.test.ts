/**
 * shared/flowthrough/reconcile/profiles.ts at unit level: the configured calling profile per service,
 * otherwise the one discovered from Operator Connect (listed once per process, listed again after a
 * failure), and the configuration error when none fits. Written for StrykerJS (docs/mutation.md).
 */
import { OcError, type OcCallingProfile, type OperatorConnect } from '../../shared/flowthrough/oc/port';
import { callingProfileFor, resetCallingProfilesForTests } from '../../shared/flowthrough/reconcile/profiles';
import { flowSettings, operatorConnectWith } from '../support/flowStubs';

const settings = flowSettings;

const profile = (id: string, mobile: boolean): OcCallingProfile => ({ id, name: id, offerTypes: mobile ? ['Mobile'] : ['OperatorConnect'], mobile });


/** Operator Connect whose listCallingProfiles answers each call from `answers` in turn (a thrown error rejects). */
function fakeOc(...answers: (OcCallingProfile[] | Error)[]): { oc: OperatorConnect; lists: () => number } {
  let calls = 0;
  const oc = operatorConnectWith('callingProfileFor', {
    listCallingProfiles: () => {
      const answer = answers[Math.min(calls, answers.length - 1)];
      calls += 1;
      return answer instanceof Error || answer === undefined ? Promise.reject(answer ?? new Error('no answer')) : Promise.resolve(answer);
    },
  });
  return { oc, lists: () => calls };
}

beforeEach(() => resetCallingProfilesForTests());

describe('a configured calling profile', () => {
  it('is used per service without asking Operator Connect', async () => {
    const { oc, lists } = fakeOc([profile('discovered-oc', false), profile('discovered-mobile', true)]);
    const both = settings({ callingProfileId: 'configured-oc', mobileCallingProfileId: 'configured-mobile' });
    expect(await callingProfileFor(oc, 'teamsOperatorConnect', both)).toBe('configured-oc');
    expect(await callingProfileFor(oc, 'teamsPhoneMobile', both)).toBe('configured-mobile');
    expect(lists()).toBe(0);
  });

  it("of one service does not stand in for the other's: that one is discovered", async () => {
    const { oc, lists } = fakeOc([profile('discovered-oc', false), profile('discovered-mobile', true)]);
    expect(await callingProfileFor(oc, 'teamsPhoneMobile', settings({ callingProfileId: 'configured-oc' }))).toBe('discovered-mobile');
    resetCallingProfilesForTests();
    expect(await callingProfileFor(oc, 'teamsOperatorConnect', settings({ mobileCallingProfileId: 'configured-mobile' }))).toBe('discovered-oc');
    expect(lists()).toBe(2);
  });
});

describe('a discovered calling profile', () => {
  it.each([
    ['mobile listed first', [profile('m', true), profile('o', false)]],
    ['operator profile listed first', [profile('o', false), profile('m', true)]],
  ])('is the first profile of the right kind (%s)', async (_, profiles) => {
    const { oc } = fakeOc(profiles);
    expect(await callingProfileFor(oc, 'teamsOperatorConnect', settings())).toBe('o');
    expect(await callingProfileFor(oc, 'teamsPhoneMobile', settings())).toBe('m');
  });

  it('is listed once per process, also by calls in parallel', async () => {
    const { oc, lists } = fakeOc([profile('o', false), profile('m', true)]);
    const answers = await Promise.all([callingProfileFor(oc, 'teamsOperatorConnect', settings()), callingProfileFor(oc, 'teamsPhoneMobile', settings())]);
    expect(answers).toEqual(['o', 'm']);
    expect(await callingProfileFor(oc, 'teamsOperatorConnect', settings())).toBe('o');
    expect(lists()).toBe(1);
  });

  it('is listed again after a failed listing, whose error reaches the caller unchanged', async () => {
    const failure = new OcError('transient', 503, 'ServiceUnavailable', 'Try later.', [], 1000);
    const { oc, lists } = fakeOc(failure, [profile('o', false)]);
    await expect(callingProfileFor(oc, 'teamsOperatorConnect', settings())).rejects.toBe(failure);
    expect(await callingProfileFor(oc, 'teamsOperatorConnect', settings())).toBe('o');
    expect(lists()).toBe(2);
  });
});

describe('no calling profile of the right kind', () => {
  it.each([
    ['teamsOperatorConnect', 'only a mobile one', [profile('m', true)], 'No Operator Connect calling profile exists; set OC_CALLING_PROFILE_ID.'],
    ['teamsPhoneMobile', 'only an Operator Connect one', [profile('o', false)], 'No Teams Phone Mobile calling profile exists; set OC_MOBILE_CALLING_PROFILE_ID.'],
    ['teamsPhoneMobile', 'none at all', [], 'No Teams Phone Mobile calling profile exists; set OC_MOBILE_CALLING_PROFILE_ID.'],
  ] as const)('for %s (%s listed) is a configuration error', async (service, _, profiles, message) => {
    const { oc } = fakeOc([...profiles]);
    const err: unknown = await callingProfileFor(oc, service, settings()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(OcError);
    const oe = err as OcError;
    expect({ kind: oe.kind, status: oe.status, code: oe.code, message: oe.message, details: oe.details }).toStrictEqual({
      kind: 'configuration',
      status: undefined,
      code: 'CallingProfileNotFound',
      message,
      details: [],
    });
  });
});
