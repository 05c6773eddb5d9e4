/**
 * What following 100 videos into an index costs in API calls: the app's way (one list of the
 * index's finished jobs per round, the by-asset check only where a request may have arrived)
 * against the SDKs' way (each job asked about on its own every round), both over the same 100
 * uploaded videos, the same emulator and the same growing waits, in the same run. Target: the app
 * makes at most a third of the calls; each video gets exactly one index job either way.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../emulator/server';
import { api, control, createIndex } from '../helpers/emulator';
import { filesUnder, openEngine, randomFile } from '../helpers/engine';
import { saveResults } from './support/results';

const FILES = 100;
/** The engine's schedule in tests (`openEngine`): 50 ms growing by half to 200 ms. */
const INTERVAL_MS = 50;
const MAX_MS = 200;
const TARGET_RATIO = 1 / 3;

const INDEX_ROUTES = [
  'POST /indexes/{id}/indexed-assets',
  'GET /indexes/{id}/indexed-assets',
  'GET /indexes/{id}/indexed-assets/{id}',
  'GET /assets/{id}/indexed-assets',
];

async function indexCalls(emulator: RunningEmulator): Promise<number> {
  const { requests } = await control(emulator, '/stats');
  return INDEX_ROUTES.reduce((sum, route) => sum + ((requests as Record<string, number>)[route] ?? 0), 0);
}

/** The SDKs' way: request each, then ask about each job alone every round until all are done. */
async function oneByOne(emulator: RunningEmulator, indexId: string, assets: readonly string[]): Promise<void> {
  const post = { method: 'POST', headers: { 'content-type': 'application/json' } };
  let waiting = await Promise.all(
    assets.map(async (asset) => {
      const { body } = await api(emulator, `/indexes/${indexId}/indexed-assets`, {
        ...post,
        body: JSON.stringify({ asset_id: asset }),
      });
      return body._id as string;
    }),
  );
  let wait = INTERVAL_MS;
  while (waiting.length > 0) {
    await new Promise((done) => setTimeout(done, wait));
    const statuses = await Promise.all(
      waiting.map(async (job) => (await api(emulator, `/indexes/${indexId}/indexed-assets/${job}`)).body.status),
    );
    waiting = waiting.filter((_, i) => statuses[i] !== 'ready' && statuses[i] !== 'failed');
    wait = Math.min(MAX_MS, Math.round(wait * 1.5));
  }
}

const work = await mkdtemp(join(tmpdir(), 'tl-bench-index-calls-'));
const emulator = await startEmulator({ processingDelayMs: 20, indexingDelayMs: 1500 });
try {
  const folder = join(work, 'Shoot');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(folder);
  for (let i = 0; i < FILES; i += 1) await randomFile(folder, `take_${i}.mp4`, 150 * 1024);
  const ours = await createIndex(emulator, 'The app');
  const opened = await openEngine(emulator, join(work, 'data'), {}, { preflight: true });
  const engine = opened.engine;
  engine.start();
  const before = await indexCalls(emulator);
  const started = performance.now();
  await engine.add(await filesUnder(folder), { index: { id: ours, name: 'The app' } });
  await engine.whenIdle();
  const appMs = performance.now() - started;
  const appCalls = (await indexCalls(emulator)) - before;
  const searchable = (await engine.items()).filter((item) => item.index?.state === 'searchable');
  const assets = (await engine.items()).flatMap((item) => (item.status.kind === 'ready' ? [item.status.assetId] : []));
  await opened.close();

  const theirs = await createIndex(emulator, 'One by one');
  const baselineBefore = await indexCalls(emulator);
  const baselineStarted = performance.now();
  await oneByOne(emulator, theirs, assets);
  const baselineMs = performance.now() - baselineStarted;
  const baselineCalls = (await indexCalls(emulator)) - baselineBefore;

  const jobs = (await api(emulator, `/indexes/${ours}/indexed-assets?page_limit=50&page=1`)).body.page_info
    .total_results;
  const ratio = appCalls / baselineCalls;
  console.log(
    `${FILES} videos into an index: ${appCalls} index calls (${((appCalls / FILES) * 100).toFixed(0)} per 100 files), ` +
      `against ${baselineCalls} asking about each job alone: ${ratio.toFixed(2)}x (target <= ${TARGET_RATIO.toFixed(2)}x). ` +
      `${searchable.length} searchable, ${jobs} jobs made; uploaded and indexed in ${Math.round(appMs)} ms (indexing alone, one by one: ${Math.round(baselineMs)} ms).`,
  );
  await saveResults('index-calls', {
    files: FILES,
    appCalls,
    baselineCalls,
    ratio: Number(ratio.toFixed(3)),
    jobs,
    searchable: searchable.length,
    appMs: Math.round(appMs),
    baselineMs: Math.round(baselineMs),
  });
  if (ratio > TARGET_RATIO || jobs !== FILES || searchable.length !== FILES) process.exitCode = 1;
} finally {
  await emulator.close();
  await rm(work, { recursive: true, force: true });
}
