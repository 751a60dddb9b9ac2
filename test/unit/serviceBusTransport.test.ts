/**
 * The Azure side of the kick contract, against a stand-in for the Service Bus client (no broker can
 * run here: docs/flowthrough.md, "Testing the Service Bus transport"): session id = account, delayed kicks are scheduled messages, dead
 * letters are read from the dead-letter sub-queue, parsed, completed and reported.
 */
import type { ServiceBusClient, ServiceBusMessage } from '@azure/service-bus';
import { serviceBusTransport, serviceBusTransportFromEnv } from '../../shared/flowthrough/serviceBusTransport';
import type { Kick } from '../../shared/flowthrough/kicks';

interface Recorded {
  sent: ServiceBusMessage[];
  scheduled: { message: ServiceBusMessage; at: Date }[];
  receiverOptions: unknown[];
  completed: unknown[];
  closed: number;
}

function fakeClient(deadLetters: { body: unknown; deadLetterReason?: string; deadLetterErrorDescription?: string }[]): { client: ServiceBusClient; rec: Recorded; queues: string[] } {
  const rec: Recorded = { sent: [], scheduled: [], receiverOptions: [], completed: [], closed: 0 };
  const queues: string[] = [];
  const client = {
    createSender(queue: string) {
      queues.push(queue);
      return {
        sendMessages: async (m: ServiceBusMessage) => void rec.sent.push(m),
        scheduleMessages: async (m: ServiceBusMessage, at: Date) => void rec.scheduled.push({ message: m, at }),
      };
    },
    createReceiver(queue: string, options: unknown) {
      queues.push(queue);
      rec.receiverOptions.push(options);
      return {
        receiveMessages: async (max: number) => deadLetters.splice(0, max),
        completeMessage: async (m: unknown) => void rec.completed.push(m),
        close: async () => void rec.closed++,
      };
    },
  } as unknown as ServiceBusClient;
  return { client, rec, queues };
}

const kick: Kick = { kind: 'account', accountName: 'contoso', reason: 'write', sentAt: '2026-11-26T10:00:00.000Z' };

test('an immediate kick is sent to the flowthrough queue with the account as its session', async () => {
  const { client, rec, queues } = fakeClient([]);
  await serviceBusTransport(client).send(kick, 0);
  expect(queues).toEqual(['flowthrough']);
  expect(rec.sent).toEqual([{ body: kick, sessionId: 'contoso', contentType: 'application/json', subject: 'write' }]);
  expect(rec.scheduled).toEqual([]);
});

test('a delayed kick is a scheduled message, never a sleep', async () => {
  const { client, rec } = fakeClient([]);
  const before = Date.now();
  await serviceBusTransport(client).send({ ...kick, reason: 'followUp' }, 5_000);
  expect(rec.sent).toEqual([]);
  expect(rec.scheduled).toHaveLength(1);
  expect(rec.scheduled[0]?.message.sessionId).toBe('contoso');
  const at = rec.scheduled[0]?.at.getTime() ?? 0;
  expect(at).toBeGreaterThanOrEqual(before + 5_000);
  expect(at).toBeLessThan(before + 6_000);
});

test('an RFI kick uses its own session so it never waits behind an account', async () => {
  const { client, rec } = fakeClient([]);
  await serviceBusTransport(client).send({ kind: 'rfi', tenantId: 't-1', reason: 'write', sentAt: kick.sentAt }, 0);
  expect(rec.sent[0]?.sessionId).toBe('rfi:t-1');
});

test('dead letters are read from the dead-letter sub-queue, parsed, completed and reported', async () => {
  const letters = [
    { body: kick, deadLetterReason: 'MaxDeliveryCountExceeded', deadLetterErrorDescription: 'boom' },
    { body: 'not json at all', deadLetterReason: 'Poison' },
  ];
  const { client, rec } = fakeClient(letters);
  const taken = await serviceBusTransport(client).takeDeadLetters(10);
  expect(rec.receiverOptions).toEqual([{ subQueueType: 'deadLetter', receiveMode: 'peekLock' }]);
  expect(taken).toEqual([
    { kick, reason: 'MaxDeliveryCountExceeded', description: 'boom' },
    { kick: undefined, reason: 'Poison', description: '' },
  ]);
  expect(rec.completed).toHaveLength(2);
  expect(rec.closed).toBe(1);
});

test('without Service Bus settings there is no transport (the local host installs its own)', () => {
  expect(serviceBusTransportFromEnv({})).toBeUndefined();
});
