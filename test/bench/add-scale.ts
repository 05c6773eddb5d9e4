/**
 * `npm run bench -- add-scale`: adding files to a queue that already holds many, in the batches the
 * window adds a scan in (200), without sending anything. Prints, per queue size, the time to add
 * 2,000 more files and, as the baseline in the same run, the time to add 2,000 to an empty queue:
 * an add should cost its own files, not the whole queue's (the ratio stays near 1).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from '../../electron/core/api/client';
import { journalPath } from '../../electron/core/store/data-folder';
import type { FileToAdd } from '../../electron/core/media/intake';
import { UploadEngine } from '../../electron/core/upload/engine';
import { Journal } from '../../electron/core/upload/journal';
import { DEFAULT_SETTINGS } from '../../electron/shared/settings';

const BATCH = 200;
const MEASURED = 2_000;

function files(from: number, count: number): FileToAdd[] {
  return Array.from({ length: count }, (_, n) => ({
    path: `/archive/${Math.floor((from + n) / 500)}/still ${from + n}.jpg`,
    relativePath: `${Math.floor((from + n) / 500)}/still ${from + n}.jpg`,
    size: 1000,
    mtimeMs: 0,
    kind: 'image' as const,
    mime: 'image/jpeg',
  }));
}

/** Seconds to add `MEASURED` files in batches to a queue already holding `held`. */
async function addTo(held: number): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'tl-add-scale-'));
  const journal = await Journal.open(journalPath(dir));
  // Never started: nothing is sent, only the adds are timed.
  const engine = await UploadEngine.open({
    journal,
    client: new ApiClient({ baseUrl: 'http://127.0.0.1:9/v1.3', apiKey: () => 'unused' }),
    settings: () => DEFAULT_SETTINGS,
  });
  for (let at = 0; at < held; at += 10_000) await engine.add(files(at, Math.min(10_000, held - at)));
  const started = performance.now();
  for (let at = 0; at < MEASURED; at += BATCH) await engine.add(files(held + at, BATCH));
  const seconds = (performance.now() - started) / 1000;
  await engine.close();
  await journal.close();
  await rm(dir, { recursive: true, force: true });
  return seconds;
}

const baseline = await addTo(0);
console.log(`add ${MEASURED} files to an empty queue: ${baseline.toFixed(2)} s (baseline)`);
for (const held of [20_000, 100_000]) {
  const seconds = await addTo(held);
  console.log(
    `add ${MEASURED} files to a queue of ${held.toLocaleString('en-US')}: ${seconds.toFixed(2)} s, ${(seconds / baseline).toFixed(2)}x the baseline`,
  );
}
