/**
 * Jest for mutation testing (stryker.config.mjs): the same transform and fake Functions core as
 * jest.config.js, restricted to the suites of the target being mutated (MUTATION_TESTS,
 * comma-separated paths or globs from scripts/mutationTargets.mjs).
 */
const base = require('./jest.config.js');

const suites = (process.env.MUTATION_TESTS ?? '').split(',').filter(Boolean);
if (suites.length === 0) throw new Error('MUTATION_TESTS is empty: run through stryker.config.mjs');

module.exports = {
  ...base,
  testMatch: suites.map((glob) => `<rootDir>/${glob}`),
  setupFilesAfterEnv: ['<rootDir>/test/mutation/fastCheck.setup.ts'],
};
