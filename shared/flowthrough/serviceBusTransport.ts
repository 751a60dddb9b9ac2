/**
 * Kicks over Azure Service Bus (cloud): session id = account, delayed kicks as scheduled messages,
 * dead letters read from the queue's dead-letter sub-queue (not session-bound). Authenticates with
 * the managed identity from the same app settings the trigger binding uses
 * (`ServiceBusConnection__fullyQualifiedNamespace`, `ServiceBusConnection__clientId`).
 */
import { ManagedIdentityCredential } from '@azure/identity';
import { ServiceBusClient, type ServiceBusMessage } from '@azure/service-bus';
import { FLOWTHROUGH_QUEUE, sessionOf, type DeadLetter, type Kick, type KickProperties, type KickTransport } from './kicks';
import { parseKick } from './kicks';

export function serviceBusTransportFromEnv(env: NodeJS.ProcessEnv = process.env): KickTransport | undefined {
  const namespace = env.ServiceBusConnection__fullyQualifiedNamespace;
  const connectionString = env.ServiceBusConnection;
  if (!namespace && !connectionString) return undefined;
  const clientId = env.ServiceBusConnection__clientId || env.AZURE_CLIENT_ID;
  const client = connectionString
    ? new ServiceBusClient(connectionString)
    : new ServiceBusClient(namespace as string, new ManagedIdentityCredential(clientId ? { clientId } : {}));
  return serviceBusTransport(client);
}

export function serviceBusTransport(client: ServiceBusClient, queueName = FLOWTHROUGH_QUEUE): KickTransport {
  const sender = client.createSender(queueName);
  return {
    async send(kick: Kick, delayMs: number, properties?: KickProperties): Promise<void> {
      const message: ServiceBusMessage = { body: kick, sessionId: sessionOf(kick), contentType: 'application/json', subject: kick.reason };
      // The trace context the worker continues from (triggerMetadata.applicationProperties there).
      if (properties !== undefined && Object.keys(properties).length > 0) message.applicationProperties = { ...properties };
      if (delayMs > 0) await sender.scheduleMessages(message, new Date(Date.now() + delayMs));
      else await sender.sendMessages(message);
    },
    async takeDeadLetters(max: number): Promise<DeadLetter[]> {
      const receiver = client.createReceiver(queueName, { subQueueType: 'deadLetter', receiveMode: 'peekLock' });
      try {
        const messages = await receiver.receiveMessages(max, { maxWaitTimeInMs: 2_000 });
        const out: DeadLetter[] = [];
        for (const m of messages) {
          let kick: Kick | undefined;
          try {
            kick = parseKick(m.body);
          } catch {
            kick = undefined;
          }
          out.push({ kick, reason: m.deadLetterReason ?? 'unknown', description: m.deadLetterErrorDescription ?? '' });
          // Taken as read. Should the sweeper crash before marking the resources, they stay pending
          // and its stuck-resource pass re-kicks and eventually fails them: nothing is silently lost.
          await receiver.completeMessage(m);
        }
        return out;
      } finally {
        await receiver.close();
      }
    },
  };
}
