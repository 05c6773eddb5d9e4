/**
 * Start-up with a 10,000-file queue (`RELOAD_COUNT` for another size): the journal opened and the
 * engine's queue rebuilt from it, as after a restart. Target: under 1 s. Baseline, in the same
 * run: the bare `SELECT *` of the rows. The files the engine holds after the open: the line's
 * front (`holdQueued`, 2,000) whatever the queue's length, the rest on the journal's shelf.
 * Then the same items cancelled at once (one bulk action): the journal work it costs.
 * Target: well under 1 s at 10,000 (it was about 20 s when the journal wrote row by row).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from '../../electron/core/api/client';
import { journalPath } from '../../electron/core/store/data-folder';
import { Database } from '../../electron/core/store/database';
import { Journal } from '../../electron/core/upload/journal';
import { UploadEngine } from '../../electron/core/upload/engine';
import { DEFAULT_SETTINGS } from '../../electron/shared/settings';
import { saveResults } from './support/results';

const COUNT = Number(process.env.RELOAD_COUNT ?? 10_000);
const RUNS = 5;

function median(values: number[]): { median: number; min: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, min: sorted[0]!, max: sorted.at(-1)! };
}

const work = await mkdtemp(join(tmpdir(), 'tl-bench-reload-'));
try {
  const path = journalPath(work);
  const journal = await Journal.open(path);
  await journal.addItems(
    Array.from({ length: COUNT }, (_, i) => ({
      id: crypto.randomUUID(),
      batchId: 'batch',
      path: `/media/Day ${Math.floor(i / 1000)}/clip_${i}.mov`,
      relativePath: `Day ${Math.floor(i / 1000)}/clip_${i}.mov`,
      size: 50_000_000 + i,
      mtimeMs: 1,
      kind: 'video' as const,
      mime: 'video/quicktime',
      strategy: 'multipart' as const,
      userMetadata: { project: 'Apollo', take: i },
      status: 'queued' as const,
    })),
    Date.now(),
  );
  await journal.close();

  const reload: number[] = [];
  const baseline: number[] = [];
  let held = 0;
  for (let run = 0; run < RUNS; run += 1) {
    let started = performance.now();
    const reopened = await Journal.open(path);
    const engine = await UploadEngine.open({
      journal: reopened,
      client: new ApiClient({ baseUrl: 'http://127.0.0.1:9', apiKey: () => null }),
      settings: () => DEFAULT_SETTINGS,
    });
    held = engine.heldCount;
    if (engine.countIn(['queued']) !== COUNT) throw new Error('the queue did not come back whole');
    reload.push(performance.now() - started);
    // Every row listed, the shelved ones read from the journal (outside the timing).
    if ((await engine.items()).length !== COUNT) throw new Error('the queue did not list whole');
    await engine.close();
    await reopened.close();

    started = performance.now();
    const db = await Database.open(path);
    await db.all('SELECT * FROM items ORDER BY position');
    baseline.push(performance.now() - started);
    await db.close();
  }
  // Cancel everything at once, as "select all, cancel" does.
  const opened = await Journal.open(path);
  const bulk = await UploadEngine.open({
    journal: opened,
    client: new ApiClient({ baseUrl: 'http://127.0.0.1:9', apiKey: () => null }),
    settings: () => DEFAULT_SETTINGS,
  });
  const cancelStarted = performance.now();
  await bulk.cancel('all');
  const cancelMs = performance.now() - cancelStarted;
  if (!(await bulk.items()).every((item) => item.status.kind === 'cancelled'))
    throw new Error('not every item was cancelled');
  await bulk.close();
  await opened.close();

  const r = median(reload);
  const b = median(baseline);
  console.log(`queue reload, ${COUNT.toLocaleString()} items, median of ${RUNS} runs`);
  console.log(
    `  journal + engine queue  ${r.median.toFixed(0).padStart(5)} ms  (min ${r.min.toFixed(0)}, max ${r.max.toFixed(0)})`,
  );
  console.log(
    `  baseline: bare SELECT   ${b.median.toFixed(0).padStart(5)} ms  (${(r.median / b.median).toFixed(1)}x)`,
  );
  console.log('  target: under 1000 ms');
  console.log(
    `  files held after the open  ${held.toLocaleString()} of ${COUNT.toLocaleString()} (target: 2,000 at most)`,
  );
  console.log(
    `  cancel all ${COUNT.toLocaleString()} at once  ${cancelMs.toFixed(0).padStart(5)} ms  (target: under 1000 ms)`,
  );
  await saveResults('queue-reload', { items: COUNT, reloadMs: r, baselineMs: b, held, cancelAllMs: cancelMs });
  if (COUNT <= 10_000 && (r.median >= 1000 || cancelMs >= 1000)) process.exitCode = 1;
  if (held > 2_000) process.exitCode = 1;
} finally {
  await rm(work, { recursive: true, force: true });
}
