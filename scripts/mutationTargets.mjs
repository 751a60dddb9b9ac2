// The four mutation targets (docs/mutation.md) and the suites that exercise each one. A suite is
// listed under a target only if it reaches that code: a mutant's run loads every suite listed.
export const mutationTargets = {
  decide: {
    mutate: ['shared/lookup/decide.ts'],
    tests: ['test/unit/lookupDecision.test.ts', 'test/unit/lookupDecision.mutation.test.ts'],
    // Thousands of table cases reach every mutant: a per-test name filter that long (a regular
    // expression of every test name, matched against every test name) costs more than the run.
    coverageAnalysis: 'all',
  },
  domain: {
    mutate: ['shared/domain/**/*.ts'],
    // Pure rules: their unit suite (the same rules through HTTP are in accounts/numbers.test.ts, whose
    // hosts would make each mutant's run minutes long: the jest runner never bails).
    tests: ['test/unit/domainRules.mutation.test.ts'],
  },
  reconcile: {
    mutate: ['shared/flowthrough/reconcile/**/*.ts'],
    tests: [
      'test/unit/flowthroughDesired.test.ts',
      'test/unit/flowthroughDesired.mutation.test.ts',
      'test/integration/flowthroughOperatorConnect.test.ts',
      'test/integration/flowthroughUploadOrders.test.ts',
      'test/integration/flowthroughDns.test.ts',
    ],
  },
  contract: {
    mutate: ['shared/contract/**/*.ts'],
    tests: [
      'test/unit/filter.test.ts',
      'test/unit/conditional.mutation.test.ts',
      'test/integration/conventions.test.ts',
      'test/integration/pipelineOrder.test.ts',
      'test/integration/edge.test.ts',
      'test/integration/namedBehaviour.test.ts',
      'test/integration/accounts.test.ts',
      'test/integration/numbers.test.ts',
    ],
  },
};
