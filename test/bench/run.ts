/**
 * `npm run bench`: runs every benchmark in this folder, one after another, each in its own process
 * so one benchmark's memory does not colour the next. Exits non-zero if any of them misses a target
 * it checks. Name benchmarks on the command line to run only those.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const here = import.meta.dirname;
const wanted = process.argv.slice(2);
const all = readdirSync(here)
  .filter((name) => name.endsWith('.ts') && name !== 'run.ts')
  .sort();
// A whole name picks that one ("scale"); a part of one picks every benchmark it is in ("memory").
const picked = (word: string) =>
  all.includes(`${word}.ts`) ? [`${word}.ts`] : all.filter((name) => name.includes(word));
const benches = wanted.length === 0 ? all : [...new Set(wanted.flatMap(picked))].sort();

let failed = 0;
for (const name of benches) {
  console.log(`\n== ${name}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(here, name)], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
console.log(`\n${benches.length - failed} benchmarks met their targets, ${failed} did not`);
process.exit(failed > 0 ? 1 : 0);
