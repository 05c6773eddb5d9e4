/**
 * 10,000 files appearing in a watched tree (100 folders of 100), written as fast as the disk
 * takes them: the time until every one is in the queue, peak memory, and the event loop's delay
 * (p99; target under 50 ms) while it happens. Baseline, in the same run: one folder scan of the
 * finished tree (what "Add folder" does). Files count as complete after 500 ms unchanged.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ApiClient } from '../../electron/core/api/client';
import { journalPath } from '../../electron/core/store/data-folder';
import { scanPaths } from '../../electron/core/media/scan';
import { Journal } from '../../electron/core/upload/journal';
import { UploadEngine } from '../../electron/core/upload/engine';
import { WatchService } from '../../electron/core/watch/watch-service';
import { DEFAULT_SETTINGS } from '../../electron/shared/settings';
import { saveResults } from './support/results';

const FOLDERS = 100;
const PER_FOLDER = 100;
const COUNT = FOLDERS * PER_FOLDER;
const SETTLE_MS = 500;
const LOOP_P99_TARGET_MS = 50;

const work = await mkdtemp(join(tmpdir(), 'tl-bench-watch-'));
try {
  const root = join(work, 'Ingest');
  await mkdir(root);
  const journal = await Journal.open(journalPath(join(work, 'data')));
  // Not started: nothing is sent, so only watching and queueing are measured.
  const engine = await UploadEngine.open({
    journal,
    client: new ApiClient({ baseUrl: 'http://127.0.0.1:9', apiKey: () => null }),
    settings: () => DEFAULT_SETTINGS,
  });
  const service = new WatchService({ engine, journal, settleMs: SETTLE_MS });
  await service.set([{ id: root, path: root, paused: false, subfolders: true, polling: 'off', metadataTemplate: [] }]);
  await service.caughtUp();

  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const startRss = process.memoryUsage().rss;
  let peakRss = startRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  const started = performance.now();
  const body = Buffer.alloc(2048, 7);
  for (let folder = 0; folder < FOLDERS; folder += 1) {
    const dir = join(root, `Card ${folder}`);
    await mkdir(dir);
    await Promise.all(
      Array.from({ length: PER_FOLDER }, (_, i) => writeFile(join(dir, `C${String(i).padStart(4, '0')}.mp4`), body)),
    );
  }
  const written = performance.now() - started;
  while ((await engine.items()).length < COUNT) await new Promise((done) => setTimeout(done, 50));
  const queued = performance.now() - started;
  clearInterval(sampler);
  loop.disable();
  await service.flushed();
  const unique = new Set((await engine.items()).map((item) => item.path)).size;

  const scanStarted = performance.now();
  let scanned = 0;
  for await (const _ of scanPaths([root])) scanned += 1;
  const scanMs = performance.now() - scanStarted;

  const p99 = loop.percentile(99) / 1e6;
  const figures = {
    files: COUNT,
    writtenMs: Math.round(written),
    allQueuedMs: Math.round(queued),
    settleMs: SETTLE_MS,
    scanBaselineMs: Math.round(scanMs),
    queuedAfterWritesMs: Math.round(queued - written),
    eventLoopP99Ms: Math.round(p99 * 10) / 10,
    startRssMb: Math.round(startRss / 1e6),
    peakRssMb: Math.round(peakRss / 1e6),
    uniqueQueued: unique,
  };
  console.log(
    `${COUNT.toLocaleString()} files written in ${figures.writtenMs} ms; all in the queue ${figures.allQueuedMs} ms after the first ` +
      `(${figures.queuedAfterWritesMs} ms after the last write, of which ${SETTLE_MS} ms is the settle time); ` +
      `a scan of the finished tree takes ${figures.scanBaselineMs} ms (${(figures.queuedAfterWritesMs / Math.max(1, scanMs)).toFixed(1)}x). ` +
      `Event loop p99 ${figures.eventLoopP99Ms} ms (target < ${LOOP_P99_TARGET_MS}); RSS ${figures.startRssMb} MB before, ${figures.peakRssMb} MB at peak; ${unique.toLocaleString()} queued once each.`,
  );
  await saveResults('watch-scale', figures);
  await service.close();
  await engine.close();
  await journal.close();
  if (unique !== COUNT || scanned !== COUNT) throw new Error('not every file was queued exactly once');
  if (p99 >= LOOP_P99_TARGET_MS) process.exitCode = 1;
} finally {
  await rm(work, { recursive: true, force: true });
}
