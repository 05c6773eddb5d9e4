/**
 * Scan and preflight at scale: 10,000 files in nested folders (real media copies, some refused,
 * some junk), scanned, typed, probed, judged and hashed the way the app does before uploading.
 * Prints files per second for the scan and the preflight, and the process's peak RSS. The
 * preflight runs twice in the same run: with MediaInfo and hashing on the event loop (as before),
 * and in worker threads (as the app runs it), with the event loop's delay for each. Target: the
 * threads >= 1.6x the event loop. The other baseline is hashing every file once: the least any
 * content check must read.
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { hashFile } from '../../electron/core/media/hash';
import { intake } from '../../electron/core/media/intake';
import { openPreflight, preflightAll } from '../../electron/core/media/preflight';
import type { FileToAdd } from '../../electron/core/media/intake';
import { saveResults } from './support/results';

const FILES = Number(process.env.BENCH_FILES ?? 10_000);
const FIXTURES = join(import.meta.dirname, '../fixtures/media');
// Mostly media that passes, with the kinds of files that are refused mixed in.
const MIX = [
  'image.png',
  'image.jpg',
  'audio.mp3',
  'video-vp9.webm',
  'audio.flac',
  'image.png',
  'image.jpg',
  'audio.mp3',
  'too-short.mp4',
  'notes-renamed.mp4',
];
const MiB = 1024 * 1024;

/** Every file checked, four at a time as the engine does, timed, with the event loop's delay meanwhile. */
async function timedPreflight(files: readonly FileToAdd[], threads?: number) {
  const preflight = openPreflight(() => true, threads === undefined ? {} : { threads });
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const started = performance.now();
  const results = await preflightAll(files, (file) => preflight.check(file), 4);
  const seconds = (performance.now() - started) / 1000;
  delay.disable();
  preflight.close();
  return { results, seconds, p99Ms: delay.percentile(99) / 1e6 };
}

const work = await mkdtemp(join(tmpdir(), 'tl-bench-preflight-'));
try {
  const root = join(work, 'Archive');
  for (let i = 0; i < FILES; i += 1) {
    const folder = join(root, `Day ${Math.floor(i / 1000)}`, `Card ${Math.floor(i / 100) % 10}`);
    if (i % 100 === 0) {
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, '.DS_Store'), 'junk');
    }
    const source = MIX[i % MIX.length]!;
    await copyFile(join(FIXTURES, source), join(folder, `${String(i).padStart(5, '0')}-${source}`));
  }

  let started = performance.now();
  const files: FileToAdd[] = [];
  let skipped = 0;
  for await (const file of intake([root], { template: [], onSkip: () => (skipped += 1) })) files.push(file);
  const scanSeconds = (performance.now() - started) / 1000;

  started = performance.now();
  for (const file of files) await hashFile(file.path);
  const hashSeconds = (performance.now() - started) / 1000;

  // Before: MediaInfo on the event loop. Now: in worker threads, one per core.
  const inThread = await timedPreflight(files, 0);
  const threaded = await timedPreflight(files);
  const { results } = threaded;
  const refused = results.filter((result) => !result.ok).length;
  const peak = process.resourceUsage().maxRSS * 1024;
  console.log(`scan and preflight of ${files.length.toLocaleString()} files (${skipped} junk files skipped)`);
  console.log(`  scan + type sniff      ${(files.length / scanSeconds).toFixed(0).padStart(7)} files/s`);
  console.log(
    `  preflight, on the event loop ${(files.length / inThread.seconds).toFixed(0).padStart(7)} files/s, event-loop delay p99 ${inThread.p99Ms.toFixed(0)} ms`,
  );
  console.log(
    `  preflight, worker threads    ${(files.length / threaded.seconds).toFixed(0).padStart(7)} files/s, event-loop delay p99 ${threaded.p99Ms.toFixed(0)} ms: ${(inThread.seconds / threaded.seconds).toFixed(2)}x (target >= 1.6x)`,
  );
  console.log(`  baseline: hash only    ${(files.length / hashSeconds).toFixed(0).padStart(7)} files/s`);
  console.log(`  preflight / baseline   ${(hashSeconds / threaded.seconds).toFixed(2)}x`);
  console.log(`  refused ${refused}, passed ${results.length - refused}`);
  console.log(`  peak RSS               ${(peak / MiB).toFixed(0).padStart(7)} MiB`);
  await saveResults('preflight-scale', {
    files: files.length,
    scanFilesPerSecond: files.length / scanSeconds,
    preflightFilesPerSecond: files.length / threaded.seconds,
    preflightInThreadFilesPerSecond: files.length / inThread.seconds,
    eventLoopP99Ms: { inThread: inThread.p99Ms, threaded: threaded.p99Ms },
    hashOnlyFilesPerSecond: files.length / hashSeconds,
    refused,
    peakRss: peak,
  });
  // A clip too short for search uploads with a warning; only the text file named .mp4 is refused.
  const expectedRefused = files.filter((file) => /notes-renamed/.test(file.path)).length;
  if (files.length !== FILES || refused !== expectedRefused) {
    console.error(`  FAIL: expected ${FILES} files with ${expectedRefused} refused`);
    process.exitCode = 1;
  }
  if (inThread.seconds / threaded.seconds < 1.6) {
    console.error('  MISSED: worker threads >= 1.6x the event loop');
    process.exitCode = 1;
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
