/**
 * Fault injection for tests over the production step hook (shared/store/steps.ts): arms the next
 * `times` passes through a step to fail, to prove atomicity, compensation and crash recovery.
 */
import { setStepHook, type StepName } from '../../shared/store/steps';

export type FaultPoint = StepName;

const armed = new Map<FaultPoint, number>();

export class InjectedFault extends Error {
  readonly statusCode = 500;
  constructor(point: FaultPoint) {
    super(`injected fault at ${point}`);
  }
}

function failIfArmed(point: FaultPoint): void {
  const left = armed.get(point);
  if (left === undefined) return;
  if (left <= 1) armed.delete(point);
  else armed.set(point, left - 1);
  throw new InjectedFault(point);
}

export function armFault(point: FaultPoint, times = 1): void {
  armed.set(point, (armed.get(point) ?? 0) + times);
  setStepHook(failIfArmed);
}

export function clearFaults(): void {
  armed.clear();
  setStepHook(undefined);
}
