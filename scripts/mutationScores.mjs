// Mutation score per folder from the JSON reports in reports/mutation/ (one per target):
// `node scripts/mutationScores.mjs`. Score = (killed + timeout) / (killed + timeout + survived + no coverage),
// Stryker's own definition; compile errors and ignored mutants do not count.
import fs from 'node:fs';
import path from 'node:path';
import console from 'node:console';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const DIR = 'reports/mutation';

export function scoresByFolder(dir = DIR) {
  const folders = new Map();
  const reports = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json') && !f.includes('incremental')) : [];
  for (const report of reports) {
    const { files } = JSON.parse(fs.readFileSync(path.join(dir, report), 'utf8'));
    for (const [file, { mutants }] of Object.entries(files)) {
      const folder = path.dirname(file);
      const row = folders.get(folder) ?? { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, other: 0 };
      for (const { status } of mutants) row[status in row ? status : 'other'] += 1;
      folders.set(folder, row);
    }
  }
  return [...folders.entries()].sort(([a], [b]) => a.localeCompare(b));
}

export function printScores(dir = DIR) {
  const rows = scoresByFolder(dir);
  if (rows.length === 0) return console.log(`No mutation reports in ${dir}.`);
  console.log('\nfolder                              score   killed timeout survived noCoverage');
  for (const [folder, r] of rows) {
    const detected = r.Killed + r.Timeout;
    const valid = detected + r.Survived + r.NoCoverage;
    const score = valid === 0 ? 'n/a' : `${((100 * detected) / valid).toFixed(1)} %`;
    console.log(`${folder.padEnd(35)} ${score.padStart(7)} ${String(r.Killed).padStart(8)} ${String(r.Timeout).padStart(7)} ${String(r.Survived).padStart(8)} ${String(r.NoCoverage).padStart(10)}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) printScores();
