/**
 * The local host's stand-in for the Service Bus queue: the semantics the worker relies on in Azure.
 * One message at a time per session, in order; sessions in parallel; a throwing handler gets the
 * message again (before anything behind it) until maxDeliveryCount, then it is dead-lettered;
 * scheduled messages wait for their time.
 */
import { registerFunction } from '../../dev/host/fakeCore';
import { InProcessQueue, serviceBusFunctionFor } from '../../dev/host/queue';
import type { Kick } from '../../shared/flowthrough/kicks';

type Handler = (kick: Kick, meta: Record<string, unknown>) => Promise<void>;
let handler: Handler = async () => undefined;
registerFunction(
  { name: 'queueTestWorker', bindings: { trigger: { type: 'serviceBusTrigger', direction: 'in', queueName: 'q-test', isSessionsEnabled: true } } },
  (input: unknown, context: unknown) => handler(input as Kick, (context as { triggerMetadata: Record<string, unknown> }).triggerMetadata),
);

const kick = (accountName: string, reason: Kick['reason'] = 'write'): Kick => ({ kind: 'account', accountName, reason, sentAt: new Date().toISOString() });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('the registered Service Bus trigger of a queue is found by queue name', () => {
  expect(serviceBusFunctionFor('q-test')).toBe('queueTestWorker');
  expect(serviceBusFunctionFor('other')).toBeUndefined();
});

test('one session is handled one message at a time, in order; other sessions run alongside', async () => {
  const queue = new InProcessQueue('queueTestWorker');
  const log: string[] = [];
  let running = 0;
  let maxRunningA = 0;
  handler = async (k) => {
    if (k.kind !== 'account') return;
    if (k.accountName === 'a') maxRunningA = Math.max(maxRunningA, ++running);
    log.push(`${k.accountName}:${k.reason}:start`);
    await sleep(20);
    log.push(`${k.accountName}:${k.reason}:end`);
    if (k.accountName === 'a') running--;
  };
  await queue.send(kick('a', 'write'), 0);
  await queue.send(kick('a', 'sweep'), 0);
  await queue.send(kick('b', 'write'), 0);
  await queue.whenIdle();
  expect(maxRunningA).toBe(1);
  expect(log.filter((l) => l.startsWith('a:'))).toEqual(['a:write:start', 'a:write:end', 'a:sweep:start', 'a:sweep:end']);
  // b started before a's second message: sessions are independent.
  expect(log.indexOf('b:write:start')).toBeLessThan(log.indexOf('a:sweep:start'));
  queue.stop();
});

test('a throwing handler gets the message again, with a growing deliveryCount, before the next one', async () => {
  const queue = new InProcessQueue('queueTestWorker', { redeliveryDelayMs: 1 });
  const seen: string[] = [];
  let failures = 2;
  handler = async (k, meta) => {
    seen.push(`${k.reason}#${String(meta.deliveryCount)}`);
    if (k.reason === 'write' && failures-- > 0) throw new Error('crash');
  };
  await queue.send(kick('c', 'write'), 0);
  await queue.send(kick('c', 'sweep'), 0);
  await queue.whenIdle();
  expect(seen).toEqual(['write#1', 'write#2', 'write#3', 'sweep#1']);
  expect(await queue.takeDeadLetters(10)).toEqual([]);
  queue.stop();
});

test('after maxDeliveryCount the message is dead-lettered with the reason, and taken once', async () => {
  const queue = new InProcessQueue('queueTestWorker', { maxDeliveryCount: 3, redeliveryDelayMs: 1 });
  let attempts = 0;
  handler = async () => {
    attempts++;
    throw new Error('always');
  };
  const k = kick('d');
  await queue.send(k, 0);
  await queue.whenIdle();
  expect(attempts).toBe(3);
  expect(await queue.takeDeadLetters(10)).toEqual([{ kick: k, reason: 'MaxDeliveryCountExceeded', description: 'always' }]);
  expect(await queue.takeDeadLetters(10)).toEqual([]);
  queue.stop();
});

test('a scheduled message is delivered after its delay, not before', async () => {
  const queue = new InProcessQueue('queueTestWorker');
  const at: number[] = [];
  handler = async () => void at.push(Date.now());
  const sent = Date.now();
  await queue.send(kick('e', 'followUp'), 150);
  expect(queue.depth).toBe(1);
  await sleep(50);
  expect(at).toEqual([]);
  await sleep(250);
  expect(at).toHaveLength(1);
  expect((at[0] as number) - sent).toBeGreaterThanOrEqual(140);
  queue.stop();
});

test('a stopped queue refuses sends and drops what was scheduled', async () => {
  const queue = new InProcessQueue('queueTestWorker');
  let delivered = 0;
  handler = async () => void delivered++;
  await queue.send(kick('f'), 50);
  queue.stop();
  await expect(queue.send(kick('f'), 0)).rejects.toThrow(/stopped/);
  await sleep(100);
  expect(delivered).toBe(0);
});
