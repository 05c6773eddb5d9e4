/**
 * The Library's local copy at 10,000 assets: writing a full read into SQLite, loading the whole
 * list the screen shows, and searching names and metadata values. Target: a search under 100 ms.
 * The baseline, measured in the same run, is one indexed lookup by content hash.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LibraryCache } from '../../electron/core/library/library-cache';
import { DEFAULT_LIBRARY_QUERY, type LibraryAsset } from '../../electron/shared/library';
import { saveResults } from './support/results';

const COUNT = 10_000;
const RUNS = 7;

function asset(i: number): LibraryAsset {
  const kind = (['video', 'audio', 'image'] as const)[i % 3]!;
  return {
    id: `asset${String(i).padStart(8, '0')}`,
    filename: `${kind}_${i}.${kind === 'video' ? 'mp4' : kind === 'audio' ? 'wav' : 'jpg'}`,
    kind,
    status: i % 50 === 0 ? 'failed' : 'ready',
    size: 1_000_000 + i,
    durationSeconds: kind === 'image' ? null : 60 + (i % 600),
    width: 1920,
    height: 1080,
    createdAt: Date.UTC(2026, 0, 1) + i * 60_000,
    thumbnailUrl: `https://example.com/${i}.jpg`,
    hlsUrl: null,
    error: i % 50 === 0 ? 'The video is too short.' : null,
    metadata: { project: ['Apollo', 'Gemini', 'Mercury', 'Artemis'][i % 4]!, take: i, content_sha256: `hash${i}` },
  };
}

async function timed(work: () => Promise<unknown>): Promise<{ median: number; min: number; max: number }> {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(RUNS / 2)]!, min: times[0]!, max: times[RUNS - 1]! };
}

const work = await mkdtemp(join(tmpdir(), 'tl-bench-library-'));
try {
  const cache = await LibraryCache.open(join(work, 'library.sqlite'));
  const assets = Array.from({ length: COUNT }, (_, i) => asset(i));
  const write = await timed(() => cache.replaceAll(assets, Date.now()));
  const load = await timed(() => cache.query(DEFAULT_LIBRARY_QUERY));
  const byName = await timed(() => cache.query({ ...DEFAULT_LIBRARY_QUERY, search: 'video_99' }));
  const byMetadata = await timed(() => cache.query({ ...DEFAULT_LIBRARY_QUERY, search: 'artemis' }));
  const baseline = await timed(() => cache.findByHash('hash5000'));
  const hits = (await cache.query({ ...DEFAULT_LIBRARY_QUERY, search: 'artemis' })).length;
  await cache.close();

  const row = (label: string, t: { median: number; min: number; max: number }) =>
    console.log(
      `  ${label.padEnd(34)} ${t.median.toFixed(1).padStart(8)} ms  (min ${t.min.toFixed(1)}, max ${t.max.toFixed(1)}, ${(t.median / baseline.median).toFixed(0)}x baseline)`,
    );
  console.log(`library cache, ${COUNT.toLocaleString()} assets, median of ${RUNS} runs`);
  row('write a full read', write);
  row('load the whole list', load);
  row('search names ("video_99")', byName);
  row(`search metadata ("artemis", ${hits} hits)`, byMetadata);
  row('baseline: lookup by content hash', baseline);
  await saveResults('library-scale', { assets: COUNT, write, load, byName, byMetadata, baseline });
  if (hits !== COUNT / 4 || Math.max(byName.median, byMetadata.median) >= 100) {
    console.error('  FAIL: a search took 100 ms or more, or found the wrong assets');
    process.exitCode = 1;
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
