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

/** Messages for a field: its own target and anything below it (`serviceDetails.x` covers `serviceDetails.x.enabled`). */
export function messagesFor(errors: FieldErrors, target: string): string | undefined {
  const found: string[] = [];
  for (const [key, messages] of errors) {
    if (key === target || key.startsWith(`${target}.`) || key.startsWith(`${target}[`)) found.push(...messages);
  }
  return found.length > 0 ? found.join(' ') : undefined;
}
