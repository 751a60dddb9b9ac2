// `npm run test:mutation [-- <target>... | --mutate <glob>]`: StrykerJS once per target of
// scripts/mutationTargets.mjs (all four by default), each with its own suites, incremental file and
// report in reports/mutation/; then the score per folder (scripts/mutationScores.mjs).
// `--mutate <glob>` picks the target that holds the glob and narrows the run to it.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import console from 'node:console';
import process from 'node:process';
import { mutationTargets } from './mutationTargets.mjs';
import { printScores } from './mutationScores.mjs';

const args = process.argv.slice(2);
const named = args.filter((arg) => arg in mutationTargets);
const strykerArgs = args.filter((arg) => !(arg in mutationTargets));
const mutateAt = strykerArgs.indexOf('--mutate');
const glob = mutateAt >= 0 ? strykerArgs[mutateAt + 1] : undefined;

const stem = (pattern) => pattern.split('*')[0];
const holds = (target) => glob === undefined || target.mutate.some((m) => stem(glob).startsWith(stem(m)) || stem(m).startsWith(stem(glob)));
const chosen = (named.length > 0 ? named : Object.keys(mutationTargets)).filter((name) => holds(mutationTargets[name]));
if (chosen.length === 0) {
  console.error(`No mutation target holds ${glob}; targets: ${Object.keys(mutationTargets).join(', ')}`);
  process.exit(2);
}

// A narrowed run gets its own report and incremental file (stryker.config.mjs): `contract` and
// `contract.shared-contract-filter.ts` never overwrite each other.
// A long list of files or line ranges would make too long a file name: it is shortened with a hash.
const slug = (text) => {
  const plain = text.replace(/[^A-Za-z0-9._-]+/g, '-');
  return plain.length <= 80 ? plain : `${plain.slice(0, 60)}-${createHash('sha256').update(text).digest('hex').slice(0, 12)}`;
};
const runName = (name) => process.env.MUTATION_RUN || (glob === undefined ? name : `${name}.${slug(glob)}`);

let failed = false;
for (const name of chosen) {
  console.log(`\n== mutation target ${name} (reports/mutation/${runName(name)}.json) ==`);
  const run = spawnSync('npx', ['stryker', 'run', ...strykerArgs], { stdio: 'inherit', env: { ...process.env, MUTATION_TARGET: name, MUTATION_RUN: runName(name) } });
  failed ||= run.status !== 0;
}
printScores();
process.exit(failed ? 1 : 0);
