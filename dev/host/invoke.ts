/**
 * Invoke any captured registration the way the host would: handler(input, context).
 * Used by the HTTP server, the timer loop and the in-process queue.
 */
import { randomUUID } from 'node:crypto';
import { EffectiveFunctionOptions, InvocationContext, type LogLevel } from '@azure/functions';
import { BindingInfo, Registration, registry } from './fakeCore';

export function getRegistration(name: string): Registration {
  const registration = registry.get(name);
  if (!registration) throw new Error(`No function named "${name}" is registered.`);
  return registration;
}

/** The trigger binding (direction `in`, type `...Trigger`), keyed name included. */
export function triggerOf(registration: Registration): BindingInfo & { name: string } {
  for (const [name, binding] of Object.entries(registration.bindings)) {
    if (binding.direction === 'in' && /trigger$/i.test(binding.type)) return { ...binding, name };
  }
  throw new Error(`Function "${registration.name}" has no trigger binding.`);
}

const optionsCache = new WeakMap<Registration, EffectiveFunctionOptions>();

/** What `context.options` holds in the host (the library's fromRpcBindings); fixed per registration. */
function effectiveOptions(registration: Registration): EffectiveFunctionOptions {
  let options = optionsCache.get(registration);
  if (options === undefined) {
    options = buildOptions(registration);
    optionsCache.set(registration, options);
  }
  return options;
}

function buildOptions(registration: Registration): EffectiveFunctionOptions {
  const options: EffectiveFunctionOptions = { trigger: triggerOf(registration), extraInputs: [], extraOutputs: [] };
  for (const [name, binding] of Object.entries(registration.bindings)) {
    if (/trigger$/i.test(binding.type)) continue;
    if (name === '$return') options.return = { ...binding, name };
    else if (binding.direction === 'in') options.extraInputs.push({ ...binding, name });
    else options.extraOutputs.push({ ...binding, name });
  }
  return options;
}

/**
 * Runs the handler with `input` as its trigger argument and a fresh InvocationContext (console
 * logging). `triggerMetadata` is what the handler reads from `context.triggerMetadata`, e.g.
 * `{ deliveryCount, messageId, sessionId }` for Service Bus. Resolves with the handler's result.
 */
export async function invokeFunction(
  name: string,
  input: unknown,
  triggerMetadata?: Record<string, unknown>,
): Promise<unknown> {
  const registration = getRegistration(name);
  const context = new InvocationContext({
    functionName: name,
    invocationId: randomUUID(),
    options: effectiveOptions(registration),
    logHandler,
    ...(triggerMetadata ? { triggerMetadata } : {}),
  });
  return await registration.handler(input, context);
}

/** Like the host's default level (Information): trace and debug lines only with LOCAL_HOST_VERBOSE=1. */
function logHandler(level: LogLevel, ...args: unknown[]): void {
  if ((level === 'trace' || level === 'debug') && process.env.LOCAL_HOST_VERBOSE !== '1') return;
  const write = level === 'error' || level === 'critical' ? console.error : level === 'warning' ? console.warn : console.info;
  write(...args);
}

export interface RegistrationSummary {
  name: string;
  triggerType: string;
  /** httpTrigger: the route as registered (function name when none) and its methods. */
  route?: string;
  methods?: string[];
  /** timerTrigger */
  schedule?: string;
  /** serviceBusTrigger */
  queueName?: string;
  topicName?: string;
}

const optionalString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export function listRegistrations(): RegistrationSummary[] {
  return [...registry.values()].map((registration) => {
    const trigger = triggerOf(registration);
    const summary: RegistrationSummary = { name: registration.name, triggerType: trigger.type };
    if (trigger.type === 'httpTrigger') {
      summary.route = optionalString(trigger.route) ?? registration.name;
      summary.methods = Array.isArray(trigger.methods) ? trigger.methods.map((m) => String(m).toUpperCase()) : [];
    }
    const schedule = optionalString(trigger.schedule);
    const queueName = optionalString(trigger.queueName);
    const topicName = optionalString(trigger.topicName);
    if (schedule !== undefined) summary.schedule = schedule;
    if (queueName !== undefined) summary.queueName = queueName;
    if (topicName !== undefined) summary.topicName = topicName;
    return summary;
  });
}
