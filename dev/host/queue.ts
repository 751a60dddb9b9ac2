/**
 * The local stand-in for the Service Bus queue behind the flow-through worker: same message
 * contract, same registered handler. Sessions (one handler at a time per session, FIFO), scheduled
 * messages, redelivery of a message whose handler threw, dead-lettering after maxDeliveryCount —
 * the semantics the worker relies on in Azure (docs/flowthrough.md).
 */
import { randomUUID } from 'node:crypto';
import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import type { DeadLetter, Kick, KickProperties, KickTransport } from '../../shared/flowthrough/kicks';
import { FLOWTHROUGH_QUEUE, sessionOf, setKickTransport } from '../../shared/flowthrough/kicks';
import { registry } from './fakeCore';
import { invokeFunction, triggerOf } from './invoke';

interface Message {
  readonly messageId: string;
  readonly body: Kick;
  readonly sessionId: string;
  readonly enqueuedTimeUtc: string;
  /** The sender's application properties (trace context), handed to the trigger as Service Bus does. */
  readonly applicationProperties: KickProperties;
  deliveryCount: number;
}

export interface InProcessQueueOptions {
  /** Service Bus default: 10. */
  readonly maxDeliveryCount?: number;
  /** Pause before a failed message is offered again (Service Bus: when its lock is abandoned). */
  readonly redeliveryDelayMs?: number;
  /** host.json extensions.serviceBus.maxConcurrentSessions (default 8). */
  readonly maxConcurrentSessions?: number;
  readonly log?: (line: string) => void;
}

export class InProcessQueue implements KickTransport {
  private readonly sessions = new Map<string, Message[]>();
  private readonly active = new Set<string>();
  private readonly scheduled = new Set<NodeJS.Timeout>();
  private readonly deadLetters: (DeadLetter & { message: Message })[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  private stopped = false;
  private readonly maxDeliveryCount: number;
  private readonly redeliveryDelayMs: number;
  private readonly maxConcurrentSessions: number;
  /** Messages handled (any outcome), for tests and banners. */
  handled = 0;

  constructor(
    private readonly functionName: string,
    private readonly options: InProcessQueueOptions = {},
  ) {
    this.maxDeliveryCount = options.maxDeliveryCount ?? 10;
    this.redeliveryDelayMs = options.redeliveryDelayMs ?? 100;
    this.maxConcurrentSessions = options.maxConcurrentSessions ?? 8;
  }

  async send(kick: Kick, delayMs: number, properties: KickProperties = {}): Promise<void> {
    if (this.stopped) throw new Error('the in-process queue is stopped');
    const message: Message = { messageId: randomUUID(), body: kick, sessionId: sessionOf(kick), enqueuedTimeUtc: new Date().toISOString(), applicationProperties: { ...properties }, deliveryCount: 0 };
    if (delayMs <= 0) return this.enqueue(message);
    const timer = setTimeout(() => {
      this.scheduled.delete(timer);
      this.enqueue(message);
    }, delayMs);
    timer.unref();
    this.scheduled.add(timer);
  }

  async takeDeadLetters(max: number): Promise<DeadLetter[]> {
    return this.deadLetters.splice(0, max).map(({ kick, reason, description }) => ({ kick, reason, description }));
  }

  /** Messages waiting, in flight or scheduled. */
  get depth(): number {
    let n = this.scheduled.size + this.active.size;
    for (const q of this.sessions.values()) n += q.length;
    return n;
  }

  /** Resolves once nothing is waiting or running (scheduled messages not counted). */
  whenIdle(): Promise<void> {
    if (this.active.size === 0 && this.sessions.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.scheduled) clearTimeout(t);
    this.scheduled.clear();
    this.sessions.clear();
  }

  private enqueue(message: Message, front = false): void {
    if (this.stopped) return;
    const queue = this.sessions.get(message.sessionId) ?? [];
    if (front) queue.unshift(message);
    else queue.push(message);
    this.sessions.set(message.sessionId, queue);
    this.pump();
  }

  private pump(): void {
    if (this.stopped) return;
    for (const [sessionId, queue] of this.sessions) {
      if (this.active.size >= this.maxConcurrentSessions) return;
      if (this.active.has(sessionId) || queue.length === 0) continue;
      const message = queue.shift() as Message;
      if (queue.length === 0) this.sessions.delete(sessionId);
      this.active.add(sessionId);
      // Delivered outside the sender's trace context, as from a broker: the worker continues the
      // trace only from the message's application properties.
      void context.with(ROOT_CONTEXT, () => this.deliver(message)).finally(() => {
        this.active.delete(sessionId);
        this.handled++;
        this.pump();
        if (this.active.size === 0 && this.sessions.size === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
    }
  }

  private async deliver(message: Message): Promise<void> {
    message.deliveryCount++;
    try {
      await invokeFunction(this.functionName, message.body, {
        messageId: message.messageId,
        deliveryCount: message.deliveryCount,
        sessionId: message.sessionId,
        enqueuedTimeUtc: message.enqueuedTimeUtc,
        applicationProperties: message.applicationProperties,
      });
    } catch (err) {
      const description = err instanceof Error ? err.message : String(err);
      if (message.deliveryCount >= this.maxDeliveryCount) {
        this.deadLetters.push({ kick: message.body, reason: 'MaxDeliveryCountExceeded', description, message });
        this.options.log?.(JSON.stringify({ event: 'queue.deadLettered', session: message.sessionId, deliveryCount: message.deliveryCount, error: description }));
        return;
      }
      if (this.stopped) return;
      // The session stays locked to this message: it is retried before anything behind it.
      await new Promise((r) => setTimeout(r, this.redeliveryDelayMs));
      const queue = this.sessions.get(message.sessionId) ?? [];
      queue.unshift(message);
      this.sessions.set(message.sessionId, queue);
    }
  }
}

/** The registered Service Bus trigger of a queue (the local host serves the one the worker registers). */
export function serviceBusFunctionFor(queueName: string): string | undefined {
  for (const registration of registry.values()) {
    const trigger = triggerOf(registration);
    if (trigger.type === 'serviceBusTrigger' && trigger.queueName === queueName) return registration.name;
  }
  return undefined;
}

/**
 * Puts an in-process queue in front of the registered flow-through worker and makes it the app's
 * kick transport (in place of Service Bus). Throws when no worker is registered.
 */
export function installFlowthroughQueue(options: InProcessQueueOptions = {}): InProcessQueue {
  const worker = serviceBusFunctionFor(FLOWTHROUGH_QUEUE);
  if (worker === undefined) throw new Error(`no Service Bus trigger is registered for the queue "${FLOWTHROUGH_QUEUE}"`);
  const queue = new InProcessQueue(worker, options);
  setKickTransport(queue);
  return queue;
}
