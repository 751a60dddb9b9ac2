/**
 * Fault injection for tests: lets a test make the next storage step of a given kind fail, to prove
 * atomicity and compensation. Inert unless a test arms it; costs one map lookup per step.
 */
export type FaultPoint =
  | 'numbers.transaction'
  | 'index.claim'
  | 'index.settle'
  | 'account.counts'
  // Flow-through: the worker "dies" right after each step of a reconcile (crash-point tests).
  | 'reconcile.loaded'
  | 'reconcile.ordersFollowed'
  | 'reconcile.intentRecorded'
  | 'reconcile.orderSubmitted'
  | 'reconcile.numbersWritten'
  | 'reconcile.dnsPublished'
  | 'reconcile.accountWritten';

const armed = new Map<FaultPoint, number>();

export function armFault(point: FaultPoint, times = 1): void {
  armed.set(point, (armed.get(point) ?? 0) + times);
}

export function clearFaults(): void {
  armed.clear();
}

export class InjectedFault extends Error {
  readonly statusCode = 500;
  constructor(point: FaultPoint) {
    super(`injected fault at ${point}`);
  }
}

export function maybeFail(point: FaultPoint): void {
  const left = armed.get(point);
  if (left === undefined) return;
  if (left <= 1) armed.delete(point);
  else armed.set(point, left - 1);
  throw new InjectedFault(point);
}
