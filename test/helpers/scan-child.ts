// Runs the scan in a child process and prints what it found, as JSON. The scan test starts it
// without the root-only right to read any folder, so an unreadable folder is really unreadable.
import { scanPaths, type FoundFile, type SkippedPath } from '../../electron/core/media/scan';

const found: FoundFile[] = [];
const skipped: SkippedPath[] = [];
for await (const file of scanPaths(process.argv.slice(2), (skip) => skipped.push(skip))) found.push(file);
process.stdout.write(JSON.stringify({ found, skipped }));
