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
    // Unit suites over in-memory ports (Operator Connect, DNS) and, for the two files that read and
    // write the tables, one in-memory Azurite per suite. The flow-through integration suites cover
    // the same code through HTTP, but a host per mutant would make the run take hours.
    tests: [
      'test/unit/flowthroughDesired.test.ts',
      'test/unit/flowthroughDesired.mutation.test.ts',
      'test/unit/reconcileOrders.mutation.test.ts',
      'test/unit/reconcileProfiles.mutation.test.ts',
      'test/unit/reconcileDns.mutation.test.ts',
      'test/unit/reconcileOperatorConnect.mutation.test.ts',
      'test/unit/reconcileAccount.mutation.test.ts',
    ],
  },
  contract: {
    mutate: ['shared/contract/**/*.ts'],
    // One unit suite per module (the HTTP-level suites conventions, pipelineOrder, edge,
    // namedBehaviour, accounts and numbers assert the same rules through the host, too slow per mutant).
    // filter.test.ts's fast-check properties are left out: they made a mutant cost seconds.
    tests: [
      'test/unit/filter.mutation.test.ts',
      'test/unit/conditional.mutation.test.ts',
      'test/unit/pipeline.mutation.test.ts',
      'test/unit/repeatability.mutation.test.ts',
      'test/unit/apiVersion.mutation.test.ts',
      'test/unit/body.mutation.test.ts',
      'test/unit/paging.mutation.test.ts',
      'test/unit/contractErrors.mutation.test.ts',
      'test/unit/resources.mutation.test.ts',
    ],
  },
};
