// Adds up the JSON reports of vitest and Playwright into the one closing line CI reads:
// "N passed, N failed, N skipped". Exits non-zero if a report is missing or anything failed.
import { existsSync, readFileSync } from 'node:fs';

const [vitestFile, playwrightFile] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
let missing = false;

if (vitestFile && existsSync(vitestFile)) {
  const report = JSON.parse(readFileSync(vitestFile, 'utf8'));
  passed += report.numPassedTests;
  // A file that fails to load has no failed test of its own; count it so the line cannot say 0 failed.
  failed += report.numFailedTests || (report.numFailedTestSuites ?? 0);
  skipped += report.numPendingTests + report.numTodoTests;
} else {
  console.error(`No vitest report at ${vitestFile}`);
  missing = true;
}

if (playwrightFile && existsSync(playwrightFile)) {
  const { stats } = JSON.parse(readFileSync(playwrightFile, 'utf8'));
  passed += stats.expected + stats.flaky;
  failed += stats.unexpected;
  skipped += stats.skipped;
} else {
  console.error(`No Playwright report at ${playwrightFile}`);
  missing = true;
}

console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(missing || failed > 0 || passed === 0 ? 1 : 0);
