/** The lookup's cache of verified bearer tokens, over a counting fake validator. */
import { AuthError, type BearerValidator, type Principal } from '../../shared/auth/bearer';
import { createTokenGate } from '../../shared/lookup/verifiedTokens';

const NOW = 1_800_000_000_000;

/** A compact JWS-looking token whose payload carries `exp`, as the gate reads it after verification. */
function tokenWith(exp: number, name: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'ES256', kid: 'k' })}.${part({ exp, sub: name })}.c2ln`;
}

function fakeValidator(principals: Map<string, Principal>) {
  const calls = { authenticate: 0 };
  const validator: BearerValidator = {
    async authenticate(header) {
      calls.authenticate++;
      const principal = header === null || header === undefined ? undefined : principals.get(header);
      if (principal === undefined) throw new AuthError(401, 'Unauthorized', 'bad token', 'bad_signature', {});
      return principal;
    },
    authorize(principal) {
      if (!principal.roles.includes('Lookup.Query')) throw new AuthError(403, 'Forbidden', 'no role', 'forbidden', {});
    },
    async check() {
      throw new Error('not used');
    },
  };
  return { validator, calls };
}

describe('token gate', () => {
  const lookupToken = `Bearer ${tokenWith(NOW / 1000 + 3600, 'sbc')}`;
  const adminToken = `Bearer ${tokenWith(NOW / 1000 + 3600, 'bss')}`;
  const principals = new Map<string, Principal>([
    [lookupToken, { subject: 'sbc', roles: ['Lookup.Query'] }],
    [adminToken, { subject: 'bss', roles: ['ProvisioningAPI.Admin'] }],
  ]);

  it('verifies a token once, then lets it through synchronously', async () => {
    const { validator, calls } = fakeValidator(principals);
    const gate = createTokenGate(validator, 'Lookup_Route', { now: () => NOW });
    await gate.check(lookupToken);
    expect(gate.check(lookupToken)).toBeUndefined();
    expect(gate.check(lookupToken)).toBeUndefined();
    expect(calls.authenticate).toBe(1);
  });

  it('keeps refusing a valid token without the role (403) without verifying it again', async () => {
    const { validator, calls } = fakeValidator(principals);
    const gate = createTokenGate(validator, 'Lookup_Route', { now: () => NOW });
    await expect(gate.check(adminToken)).rejects.toMatchObject({ status: 403 });
    expect(() => gate.check(adminToken)).toThrow(expect.objectContaining({ status: 403 }));
    expect(calls.authenticate).toBe(1);
  });

  it('never caches a rejected or missing token', async () => {
    const { validator, calls } = fakeValidator(principals);
    const gate = createTokenGate(validator, 'Lookup_Route', { now: () => NOW });
    await expect(gate.check('Bearer forged')).rejects.toMatchObject({ status: 401 });
    await expect(gate.check('Bearer forged')).rejects.toMatchObject({ status: 401 });
    await expect(gate.check(null)).rejects.toMatchObject({ status: 401 });
    expect(calls.authenticate).toBe(3);
    expect(gate.size).toBe(0);
  });

  it('verifies again after the token expires, or after the maximum age', async () => {
    const clock = { now: NOW };
    const shortLived = `Bearer ${tokenWith(NOW / 1000 + 60, 'short')}`;
    const { validator, calls } = fakeValidator(new Map([...principals, [shortLived, { subject: 'short', roles: ['Lookup.Query'] }]]));
    const gate = createTokenGate(validator, 'Lookup_Route', { now: () => clock.now, maxAgeMs: 300_000 });
    await gate.check(shortLived);
    await gate.check(lookupToken);
    clock.now += 61_000;
    expect(gate.check(lookupToken)).toBeUndefined();
    await gate.check(shortLived);
    expect(calls.authenticate).toBe(3);
    clock.now += 300_000; // past the 5 min cap of the hour-long token
    await gate.check(lookupToken);
    expect(calls.authenticate).toBe(4);
  });

  it('holds at most maxEntries tokens, dropping the oldest', async () => {
    const many = Array.from({ length: 5 }, (_, i) => `Bearer ${tokenWith(NOW / 1000 + 3600, `c${i}`)}`);
    const { validator, calls } = fakeValidator(new Map(many.map((t, i) => [t, { subject: `c${i}`, roles: ['Lookup.Query'] }])));
    const gate = createTokenGate(validator, 'Lookup_Route', { now: () => NOW, maxEntries: 3 });
    for (const t of many) await gate.check(t);
    expect(gate.size).toBe(3);
    expect(gate.check(many[4] as string)).toBeUndefined();
    await gate.check(many[0] as string);
    expect(calls.authenticate).toBe(6);
  });
});
