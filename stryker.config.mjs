// Mutation testing (docs/mutation.md): `npm run test:mutation`, not part of `npm test` or CI.
// One target: `npm run test:mutation -- --mutate 'shared/domain/**/*.ts'`.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  jest: { projectType: 'custom', configFile: 'jest.mutation.config.js', enableFindRelatedTests: false },
  coverageAnalysis: 'perTest',
  mutate: [
    'shared/contract/**/*.ts',
    'shared/domain/**/*.ts',
    'shared/lookup/decide.ts',
    'shared/flowthrough/reconcile/**/*.ts',
  ],
  // Two cores shared with other work: one test process at a time.
  concurrency: 1,
  // Integration suites start Azurite and a host in beforeAll; leave room for that.
  timeoutMS: 60000,
  timeoutFactor: 2,
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  ignorePatterns: ['dist', '.data', 'coverage', 'reports', 'test/e2e/screenshots', 'app.zip'],
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  // Per-folder scores are what matter (scripts/mutationScores.mjs); the run itself never fails on them.
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
