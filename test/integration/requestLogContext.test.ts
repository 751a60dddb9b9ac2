/**
 * Every log line of a Provisioning API request names the invocation, the operation, the caller's
 * x-ms-client-request-id and the account the path names (docs/logging.md), so an operator can find
 * one write's lines by any of them. Seen through the real local host: the lines a refused request
 * logs (auth.rejected) as they reach the console.
 */
import { startLocalHost, type LocalHost } from '../support/localHost';
import { API_VERSION } from '../support/apiClient';

let host: LocalHost;

beforeAll(async () => {
  host = await startLocalHost();
});

afterAll(async () => {
  await host.stop();
});

/** The JSON lines logged at warn level while `fn` runs. */
async function warnLines(fn: () => Promise<void>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const spy = jest.spyOn(console, 'warn').mockImplementation((line: unknown) => {
    lines.push(String(line));
  });
  try {
    await fn();
  } finally {
    spy.mockRestore();
  }
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function put(path: string, clientRequestId: string, headers: Record<string, string> = {}): Promise<number> {
  const res = await fetch(`${host.baseUrl}${path}?api-version=${API_VERSION}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', 'x-ms-client-request-id': clientRequestId, ...headers },
    body: '{}',
  });
  await res.text();
  return res.status;
}

describe('log lines of a provisioning request', () => {
  it('carry the invocation id, operation, client request id and account of an account write', async () => {
    const lines = await warnLines(async () => {
      expect(await put('/accounts/log-context', 'req-account-1')).toBe(401);
    });
    const rejected = lines.filter((line) => line.event === 'auth.rejected');
    expect(rejected).toEqual([
      expect.objectContaining({
        operation: 'Accounts_CreateOrReplace',
        operationId: 'Accounts_CreateOrReplace',
        clientRequestId: 'req-account-1',
        accountName: 'log-context',
        invocationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      }),
    ]);
  });

  it('name the account of a number write, and each request its own invocation', async () => {
    const reader = { authorization: `Bearer ${await host.token(['Read'])}` };
    const lines = await warnLines(async () => {
      expect(await put('/accounts/log-context/numbers/+14255550100', 'req-number-1', reader)).toBe(403);
      expect(await put('/accounts/log-context/numbers/+14255550101', 'req-number-2', reader)).toBe(403);
    });
    const rejected = lines.filter((line) => line.event === 'auth.rejected');
    expect(rejected).toEqual([
      expect.objectContaining({ operation: 'Accounts_CreateOrReplaceNumber', clientRequestId: 'req-number-1', accountName: 'log-context', status: 403 }),
      expect.objectContaining({ operation: 'Accounts_CreateOrReplaceNumber', clientRequestId: 'req-number-2', accountName: 'log-context', status: 403 }),
    ]);
    expect(rejected[0]?.invocationId).not.toEqual(rejected[1]?.invocationId);
  });

});
