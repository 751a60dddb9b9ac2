/** Problems keyed by their JSON-path target, so each form field shows the messages aimed at it. */
import type { ErrorDetail } from '../api/problem';

export type FieldErrors = ReadonlyMap<string, string[]>;

export function byTarget(details: readonly ErrorDetail[], fallbackTarget = 'body'): FieldErrors {
  const map = new Map<string, string[]>();
  for (const detail of details) {
    const target = detail.target ?? fallbackTarget;
    map.set(target, [...(map.get(target) ?? []), detail.message]);
  }
  return map;
}

/**
 * The shared validator prefixes schema messages with their target (`name must …`); next to the field
 * that is noise. Sentences that merely start with the path, e.g. "customerRelationship.comment (the
 * reason) is required", keep it.
 */
function withoutTarget(target: string, message: string): string {
  return message.startsWith(`${target} `) && !message.startsWith(`${target} (`) ? message.slice(target.length + 1) : message;
}

/** Messages for a field: its own target and anything below it (`configuration` covers `configuration.customSipHeader`). */
export function messagesFor(errors: FieldErrors, target: string): string | undefined {
  const found: string[] = [];
  for (const [key, messages] of errors) {
    if (key === target || key.startsWith(`${target}.`) || key.startsWith(`${target}[`)) found.push(...messages.map((m) => withoutTarget(key, m)));
  }
  return found.length > 0 ? found.join(' ') : undefined;
}

/** Messages aimed at exactly one of these targets (a switch shows its own problems, not its children's). */
export function messagesAt(errors: FieldErrors, ...targets: string[]): string | undefined {
  const found = targets.flatMap((t) => (errors.get(t) ?? []).map((m) => withoutTarget(t, m)));
  return found.length > 0 ? found.join(' ') : undefined;
}
