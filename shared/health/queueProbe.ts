/**
 * Is the flow-through queue reachable? In Azure: a peek at the queue's dead-letter sub-queue over
 * the same settings the trigger and the sender use (ServiceBusConnection__*; Listen right; the
 * dead-letter sub-queue needs no session). Locally the queue lives in the process.
 */
import { ManagedIdentityCredential } from '@azure/identity';
import { ServiceBusClient } from '@azure/service-bus';
import { FLOWTHROUGH_QUEUE, kickTransport } from '../flowthrough/kicks';
import { cachedProbe, type ProbeResult } from './cachedProbe';

export type QueueHealth = ProbeResult | { readonly status: 'in-process' } | { readonly status: 'not-configured' };

/** A Service Bus round trip opens an AMQP link: reuse its result longer than the storage probe's. */
const QUEUE_PROBE_TTL_MS = 5_000;
const QUEUE_PROBE_TIMEOUT_MS = 5_000;

let client: ServiceBusClient | undefined;
let probe: (() => Promise<ProbeResult>) | undefined;

function serviceBusClient(env: NodeJS.ProcessEnv): ServiceBusClient | undefined {
  const namespace = env.ServiceBusConnection__fullyQualifiedNamespace;
  const connectionString = env.ServiceBusConnection;
  if (!namespace && !connectionString) return undefined;
  const clientId = env.ServiceBusConnection__clientId || env.AZURE_CLIENT_ID;
  client ??= connectionString ? new ServiceBusClient(connectionString) : new ServiceBusClient(namespace as string, new ManagedIdentityCredential(clientId ? { clientId } : {}));
  return client;
}

async function peekDeadLetters(sb: ServiceBusClient, signal: AbortSignal): Promise<void> {
  const receiver = sb.createReceiver(FLOWTHROUGH_QUEUE, { subQueueType: 'deadLetter', receiveMode: 'peekLock' });
  try {
    await receiver.peekMessages(1, { abortSignal: signal });
  } finally {
    await receiver.close();
  }
}

export function queueHealth(env: NodeJS.ProcessEnv = process.env): Promise<QueueHealth> {
  const sb = serviceBusClient(env);
  if (sb === undefined) return Promise.resolve(kickTransport() !== undefined ? { status: 'in-process' } : { status: 'not-configured' });
  probe ??= cachedProbe((signal) => peekDeadLetters(sb, signal), { ttlMs: QUEUE_PROBE_TTL_MS, timeoutMs: QUEUE_PROBE_TIMEOUT_MS });
  return probe();
}
