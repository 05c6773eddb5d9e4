// Runs the scan in a child process and prints what it found, as JSON. The scan test starts it
// without the root-only right to read any folder, so an unreadable folder is really unreadable.
import { nameAliases } from '../../electron/core/media/name-alias';
import { scanPaths, type FoundFile, type SkippedPath } from '../../electron/core/media/scan';

const found: FoundFile[] = [];
const skipped: SkippedPath[] = [];
// SCAN_ALIASES names a folder for links to files whose names are not UTF-8; without it they are skipped.
const aliases = process.env.SCAN_ALIASES;
const options = {
  onSkip: (skip: SkippedPath) => skipped.push(skip),
  alias: aliases ? nameAliases(aliases) : undefined,
};
for await (const file of scanPaths(process.argv.slice(2), options)) found.push(file);
process.stdout.write(JSON.stringify({ found, skipped }));
