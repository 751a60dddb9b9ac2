/**
 * Named steps of the multi-write protocols (docs/storage.md "Writing numbers", the reconcile loop in
 * shared/flowthrough/reconcile/): production code announces each step through `step()` just before
 * doing it. The hook defaults to a no-op; tests install one (test/support/faults.ts) that throws at
 * a chosen step to prove atomicity, compensation and crash recovery. This is the only way tests
 * reach into these paths, so production code carries no test branches.
 */
export type StepName =
  | 'numbers.transaction'
  | 'index.claim'
  | 'index.settle'
  | 'account.counts'
  // Flow-through: right after each step of a reconcile (where a worker could die).
  | 'reconcile.loaded'
  | 'reconcile.ordersFollowed'
  | 'reconcile.intentRecorded'
  | 'reconcile.orderSubmitted'
  | 'reconcile.numbersWritten'
  | 'reconcile.dnsPublished'
  | 'reconcile.accountWritten';

/** Sees every step before it happens; throwing makes the step fail as a storage error would. */
export type StepHook = (step: StepName) => void;

const noHook: StepHook = () => {};
let hook: StepHook = noHook;

/** Installs the hook (undefined restores the no-op). */
export function setStepHook(next: StepHook | undefined): void {
  hook = next ?? noHook;
}

export function step(name: StepName): void {
  hook(name);
}
