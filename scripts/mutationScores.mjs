// Mutation score per folder (and per file with --files) from the JSON reports in reports/mutation/:
// `node scripts/mutationScores.mjs [--files]`. A mutant (file, place, mutator, replacement) measured
// by several reports counts once, with its status from the newest report: a whole-target run, then a
// narrowed rerun of one file after new tests, give that file's newer figures. A report's results for
// a file count only while the file's text is the one that report measured.
// Score = (killed + timeout) / (killed + timeout + survived + no coverage), Stryker's own definition;
// compile errors and ignored mutants do not count.
import fs from 'node:fs';
import path from 'node:path';
import console from 'node:console';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const DIR = 'reports/mutation';

function newestStatusByMutant(dir) {
  const reports = fs.existsSync(dir)
    ? fs.readdirSync(dir).filter((f) => f.endsWith('.json') && !f.includes('incremental')).map((f) => path.join(dir, f))
    : [];
  reports.sort((a, b) => fs.statSync(a).mtimeMs - fs.statSync(b).mtimeMs);
  const statuses = new Map();
  for (const report of reports) {
    const { files } = JSON.parse(fs.readFileSync(report, 'utf8'));
    for (const [file, { mutants, source }] of Object.entries(files)) {
      // Measured on other code than the file holds now: its places and results no longer apply.
      if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== source) continue;
      for (const { mutatorName, replacement, location, status } of mutants) {
        const { start, end } = location;
        statuses.set(`${file}\0${start.line}:${start.column}-${end.line}:${end.column}\0${mutatorName}\0${replacement ?? ''}`, { file, status });
      }
    }
  }
  return [...statuses.values()];
}

export function scores(dir = DIR, by = (file) => path.dirname(file)) {
  const rows = new Map();
  for (const { file, status } of newestStatusByMutant(dir)) {
    const row = rows.get(by(file)) ?? { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, other: 0 };
    row[status in row ? status : 'other'] += 1;
    rows.set(by(file), row);
  }
  return [...rows.entries()].sort(([a], [b]) => a.localeCompare(b));
}

export function printScores(dir = DIR, perFile = false) {
  const rows = scores(dir, perFile ? (file) => file : undefined);
  if (rows.length === 0) return console.log(`No mutation reports in ${dir}.`);
  console.log(`\n${(perFile ? 'file' : 'folder').padEnd(45)}   score   killed timeout survived noCoverage`);
  for (const [name, r] of rows) {
    const detected = r.Killed + r.Timeout;
    const valid = detected + r.Survived + r.NoCoverage;
    const score = valid === 0 ? 'n/a' : `${((100 * detected) / valid).toFixed(1)} %`;
    console.log(`${name.padEnd(45)} ${score.padStart(7)} ${String(r.Killed).padStart(8)} ${String(r.Timeout).padStart(7)} ${String(r.Survived).padStart(8)} ${String(r.NoCoverage).padStart(10)}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) printScores(DIR, process.argv.includes('--files'));
