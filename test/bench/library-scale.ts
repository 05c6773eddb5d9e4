/**
 * The Library's local copy at 100,000 assets, as the screen uses it: opening (the first page and
 * how many there are), searching words and fields, filtering, selecting everything a search
 * matches, and a refresh that finds 100 assets changed and 100 gone among the 100,000. Targets:
 * open and search under 100 ms; memory flat over repeated queries. The baseline, measured in the
 * same run, is one indexed lookup by content hash.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LibraryCache } from '../../electron/core/library/library-cache';
import {
  DEFAULT_LIBRARY_QUERY,
  LIBRARY_PAGE,
  type LibraryAsset,
  type LibraryQuery,
} from '../../electron/shared/library';
import { saveResults } from './support/results';

const COUNT = Number(process.env.BENCH_ASSETS ?? 100_000);
const RUNS = 7;
const PROJECTS = ['Apollo', 'Gemini', 'Mercury', 'Artemis'];

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
    metadata: { project: PROJECTS[i % 4]!, take: i, rating: i % 6, content_sha256: `hash${i}` },
    indexes: [],
  };
}

type Timing = { median: number; min: number; max: number };

async function timed(work: () => Promise<unknown>, runs = RUNS): Promise<Timing> {
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(runs / 2)]!, min: times[0]!, max: times[runs - 1]! };
}

const work = await mkdtemp(join(tmpdir(), 'tl-bench-library-'));
try {
  const cache = await LibraryCache.open(join(work, 'library.sqlite'));
  // Newest first, as TwelveLabs lists them.
  const assets = Array.from({ length: COUNT }, (_, i) => asset(COUNT - 1 - i));
  const firstRead = await timed(() => cache.replaceAll(assets, Date.now()), 1);
  /** What the screen asks for a query: its first page and how many match in all. */
  const screen = (query: Partial<LibraryQuery>) => async () => {
    const full = { ...DEFAULT_LIBRARY_QUERY, ...query };
    const [page, matched] = await Promise.all([
      cache.query(full, { offset: 0, limit: LIBRARY_PAGE }),
      cache.countMatching(full),
    ]);
    return { shown: page.length, matched };
  };
  const figures: Record<string, Timing> = {};
  const hits: Record<string, number> = {};
  const cases: [string, Partial<LibraryQuery>][] = [
    ['open (first page + count)', {}],
    ['search a name ("video_99")', { search: 'video_99' }],
    ['search a word in metadata ("artemis")', { search: 'artemis' }],
    ['field search (project:artemis rating>3)', { search: 'project:artemis rating>3' }],
    ['leave out (-project:apollo)', { search: '-project:apollo' }],
    ['filter (audio, failed)', { kind: 'audio', status: 'failed' }],
    ['sorted by name', { sort: 'name' }],
  ];
  const heapBefore = (globalThis.gc?.(), process.memoryUsage().heapUsed);
  for (const [label, query] of cases) {
    figures[label] = await timed(screen(query));
    hits[label] = (await screen(query)()).matched;
  }
  figures['select all a search matches (ids)'] = await timed(() =>
    cache.ids({ ...DEFAULT_LIBRARY_QUERY, search: 'artemis' }),
  );
  // The same queries again, many times: memory must not grow with them.
  for (let round = 0; round < 5; round += 1) for (const [, query] of cases) await screen(query)();
  const heapAfter = (globalThis.gc?.(), process.memoryUsage().heapUsed);
  // A refresh that finds a few changes: 100 assets edited elsewhere, 100 deleted.
  const edited = assets
    .slice(100)
    .map((a, i) => (i % 999 === 0 ? { ...a, metadata: { ...a.metadata, rating: 9 } } : a));
  let refreshed = { changed: 0, removed: 0 };
  figures['refresh: 100 changed, 100 gone'] = await timed(async () => {
    const changes = await cache.replaceAll(edited, Date.now() + 3_600_000);
    refreshed = { changed: changes.changed.length, removed: changes.removed.length };
  }, 1);
  figures['refresh again: nothing changed'] = await timed(() => cache.replaceAll(edited, Date.now() + 3_600_000), 3);
  const baseline = await timed(() => cache.findByHash('hash5000'));
  await cache.close();

  const row = (label: string, t: Timing, note = '') =>
    console.log(
      `  ${label.padEnd(42)} ${t.median.toFixed(1).padStart(8)} ms  (min ${t.min.toFixed(1)}, max ${t.max.toFixed(1)}, ${(t.median / baseline.median).toFixed(0)}x baseline)${note}`,
    );
  console.log(`library copy, ${COUNT.toLocaleString()} assets, median of ${RUNS} runs, a page is ${LIBRARY_PAGE}`);
  row('first full read written', firstRead);
  for (const [label, t] of Object.entries(figures))
    row(label, t, hits[label] === undefined ? '' : `  ${hits[label]!.toLocaleString()} match`);
  row('baseline: lookup by content hash', baseline);
  const growth = (heapAfter - heapBefore) / 2 ** 20;
  console.log(`  heap over ${cases.length * 6} more queries: ${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MiB`);
  console.log(`  refresh wrote ${refreshed.changed} changed, removed ${refreshed.removed}`);
  await saveResults('library-scale', {
    assets: COUNT,
    firstRead,
    ...figures,
    baseline,
    heapGrowthMiB: growth,
    refreshed,
  });

  const searches = cases.map(([label]) => figures[label]!.median);
  const wrong =
    hits['search a word in metadata ("artemis")'] !== COUNT / 4 ||
    refreshed.changed !== Math.ceil((COUNT - 100) / 999) ||
    refreshed.removed !== 100;
  if (wrong || Math.max(...searches) >= 100 || growth > 20) {
    console.error('  FAIL: opening or a search took 100 ms or more, memory grew, or an answer was wrong');
    process.exitCode = 1;
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
