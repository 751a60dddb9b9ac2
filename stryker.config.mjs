// Mutation testing (docs/mutation.md). `npm run test:mutation` runs scripts/mutation.mjs, which runs
// Stryker once per target of scripts/mutationTargets.mjs (MUTATION_TARGET=<name>), each with only
// the suites that exercise it.
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { mutationTargets } from './scripts/mutationTargets.mjs';

const name = process.env.MUTATION_TARGET ?? '';
const target = mutationTargets[name];
if (!target) throw new Error(`MUTATION_TARGET=${name}: expected one of ${Object.keys(mutationTargets).join(', ')}`);
// The jest runner loads jest.mutation.config.js in a child process: it reads the suites from here.
// A MUTATION_TESTS already set (comma-separated paths) replaces the target's list, e.g. to measure a
// pure file against its unit suite alone.
process.env.MUTATION_TESTS ||= target.tests.join(',');
// Tests run in a sandbox copy under .stryker-tmp/: give them the swagger where test/support/swagger.ts
// finds it from the repository itself (<repo>/../shared/reference/...), unless set already.
// One run's files (incremental file, reports, sandbox) are named after MUTATION_RUN, which
// scripts/mutation.mjs sets to the target plus the --mutate glob: runs over different files of one
// target can then go side by side without overwriting each other's results.
const run = process.env.MUTATION_RUN || name;
const repo = path.dirname(fileURLToPath(import.meta.url));
process.env.PROVISIONING_SWAGGER ??= path.resolve(repo, '../shared/reference/voiceservices-provisioning-2024-02-29-preview/swagger.json');

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  jest: { projectType: 'custom', configFile: 'jest.mutation.config.js', enableFindRelatedTests: false },
  // perTest runs a mutant against the tests that reach it only; 'all' where one suite covers the target
  // with thousands of table cases (a name filter that long costs more than running them all).
  coverageAnalysis: target.coverageAnalysis ?? 'perTest',
  mutate: target.mutate,
  // Two cores shared with other work: one test process at a time.
  concurrency: 1,
  // Integration suites start Azurite and a host in beforeAll; leave room for that.
  timeoutMS: 60000,
  timeoutFactor: 2,
  // Reruns test only the mutants whose code or covering tests changed.
  incremental: true,
  incrementalFile: `reports/mutation/${run}.incremental.json`,
  ignorePatterns: ['.stryker-tmp', 'dist', '.data', 'coverage', 'reports', 'test/e2e/screenshots', 'app.zip'],
  reporters: ['clear-text', 'progress-append-only', 'json', 'html'],
  jsonReporter: { fileName: `reports/mutation/${run}.json` },
  htmlReporter: { fileName: `reports/mutation/${run}.html` },
  // Per-folder scores are what matter (scripts/mutationScores.mjs); the run itself never fails on them.
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: `.stryker-tmp/${run}`,
  cleanTempDir: 'always',
};
