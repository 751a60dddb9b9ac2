/**
 * Jest for mutation testing (stryker.config.mjs): the same transform and fake Functions core as
 * jest.config.js, restricted to the suites that exercise the mutated folders, so each mutant's
 * run starts only hosts that can kill it. MUTATION_TESTS (comma-separated globs) narrows it further.
 */
const base = require('./jest.config.js');

const suites = [
  // shared/lookup/decide.ts (pure)
  'test/unit/lookupDecision.test.ts',
  // shared/contract/filter.ts (pure) and the contract pipeline through the HTTP edge
  'test/unit/filter.test.ts',
  'test/integration/conventions.test.ts',
  'test/integration/pipelineOrder.test.ts',
  'test/integration/edge.test.ts',
  // shared/domain through the Provisioning API
  'test/integration/accounts.test.ts',
  'test/integration/numbers.test.ts',
  'test/integration/namedBehaviour.test.ts',
  // shared/flowthrough/reconcile
  'test/unit/flowthroughDesired.test.ts',
  'test/integration/flowthroughOperatorConnect.test.ts',
  'test/integration/flowthroughUploadOrders.test.ts',
  'test/integration/flowthroughDns.test.ts',
  // tests written against survivors
  'test/unit/*.mutation.test.ts',
  'test/integration/*Killed*.test.ts',
];

const selected = process.env.MUTATION_TESTS ? process.env.MUTATION_TESTS.split(',') : suites;

module.exports = {
  ...base,
  testMatch: selected.map((glob) => `<rootDir>/${glob}`),
};
