/**
 * The engine against what people would otherwise use, in the same run, over loopback to the
 * emulator (in its own process, media checks off so the server is not the bottleneck):
 *
 * - one 1 GiB video: the engine's multipart path, against curl PUTting the same chunks to the same
 *   presigned URLs with the same parallelism (the practical limit; session, URLs and the split are
 *   not timed), and the official SDK's multipart helper. Targets: >= 0.85x curl, >= 1.5x the SDK.
 * - 500 small files (images and short clips): the engine as the app runs it (each file typed,
 *   probed and hashed first), against a sequential loop of the SDK's `assets.create` and a curl
 *   loop. Target: >= 3x the SDK. The engine's event-loop delay p99 meanwhile: target < 50 ms.
 * - sweeps of chunks in flight, chunks per report (a quarter-size file) and files in flight (the
 *   small files), which is where those defaults come from.
 *
 * Every figure is the median of several runs with min and max; results also go to
 * test-results/bench/baselines.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startEmulatorProcess } from './support/emulator-process';
import { saveResults } from './support/results';
import { randomFile } from '../helpers/engine';

const MiB = 1024 * 1024;
const LARGE = Number(process.env.BENCH_LARGE_MIB ?? 1024) * MiB;
const SMALL_FILES = Number(process.env.BENCH_SMALL_FILES ?? 500);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CHUNKS_IN_FLIGHT = 6;
/**
 * Small files are timed against a 40 ms round trip: over loopback with no latency a sequential
 * loop has nothing to wait for, which no workstation talking to a cloud API sees.
 */
const SMALL_LATENCY_MS = 40;
const KEY = 'tlk_emulator_sandbox_key';
const FIXTURES = join(import.meta.dirname, '../fixtures/media');

interface Stat {
  median: number;
  min: number;
  max: number;
}

function stat(values: number[]): Stat {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, min: sorted[0]!, max: sorted.at(-1)! };
}

/**
 * Writes dirty pages to disk before a timed run: a gigabyte written just before (the test file,
 * curl's chunk files, the last run's upload) would otherwise be flushed in the middle of it.
 */
function settle(): void {
  spawnSync('sync');
}

function runJson(args: string[]): Record<string, number> {
  settle();
  const run = spawnSync(process.execPath, ['--import', 'tsx', ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * MiB,
    // A stuck run fails the benchmark instead of holding it past its time.
    timeout: 5 * 60_000,
  });
  const last = run.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last);
  } catch {
    throw new Error(`${args[0]} failed: ${run.stderr.slice(-2000)}`);
  }
}

/**
 * A fresh emulator per measurement, so stored uploads never pile up on disk between runs.
 * `latencyMs` is added to every API answer, as a round trip to a real service would be.
 */
async function withEmulator<T>(work: string, run: (baseUrl: string) => Promise<T>, latencyMs = 0): Promise<T> {
  const dir = await mkdtemp(join(work, 'emulator-'));
  const emulator = await startEmulatorProcess([
    '--data-dir',
    dir,
    '--no-media-checks',
    '--processing-delay',
    '10',
    '--latency',
    String(latencyMs),
  ]);
  try {
    return await run(emulator.baseUrl);
  } finally {
    emulator.stop();
    await new Promise((done) => emulator.child.once('exit', done));
    await rm(dir, { recursive: true, force: true });
  }
}

async function api(baseUrl: string, path: string, body: unknown): Promise<any> {
  // A connection per call: one kept from before the long curl run would have been closed by then.
  const response = await request(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    reset: true,
  });
  return response.body.json();
}

/**
 * curl PUTting every chunk to its presigned URL, CHUNKS_IN_FLIGHT at a time, then the ETags
 * reported (as the engine must) so TwelveLabs has the whole file: timed from the first PUT to the
 * last report, like the engine.
 */
async function curlLarge(baseUrl: string, file: string, work: string): Promise<number> {
  const session = await api(baseUrl, '/assets/multipart-uploads', {
    filename: 'curl.mp4',
    type: 'video',
    total_size: LARGE,
  });
  const urls: { chunk_index: number; url: string }[] = [...session.upload_urls];
  while (urls.length < session.total_chunks) {
    const more = await api(baseUrl, `/assets/multipart-uploads/${session.upload_id}/presigned-urls`, {
      start: urls.length + 1,
      count: Math.min(50, session.total_chunks - urls.length),
    });
    urls.push(...more.upload_urls);
  }
  const parts = join(work, 'parts');
  await mkdir(parts, { recursive: true });
  const source = await open(file, 'r');
  const config: string[] = [];
  for (const { chunk_index: index, url } of urls) {
    const length = Math.min(session.chunk_size, LARGE - (index - 1) * session.chunk_size);
    const { buffer } = await source.read(Buffer.alloc(length), 0, length, (index - 1) * session.chunk_size);
    const part = join(parts, String(index));
    await writeFile(part, buffer);
    config.push(
      `url = "${url}"`,
      `upload-file = "${part}"`,
      'output = "/dev/null"',
      `write-out = "${index} %header{etag}\\n"`,
    );
  }
  await source.close();
  await writeFile(join(work, 'curl.config'), `${config.join('\n')}\n`);
  settle();
  const started = performance.now();
  const run = spawnSync('curl', [
    '-sS',
    '-f',
    '-Z',
    '--parallel-max',
    String(CHUNKS_IN_FLIGHT),
    '-K',
    join(work, 'curl.config'),
  ]);
  if (run.status !== 0) throw new Error(`curl failed: ${run.stderr}`);
  const chunks = run.stdout
    .toString()
    .trim()
    .split('\n')
    .map((line) => line.split(' '))
    .map(([index, etag]) => ({
      chunk_index: Number(index),
      proof: etag!.replaceAll('"', ''),
      proof_type: 'etag',
      chunk_size: Math.min(session.chunk_size, LARGE - (Number(index) - 1) * session.chunk_size),
    }))
    .sort((a, b) => a.chunk_index - b.chunk_index);
  for (let i = 0; i < chunks.length; i += 50) {
    await api(baseUrl, `/assets/multipart-uploads/${session.upload_id}`, { completed_chunks: chunks.slice(i, i + 50) });
  }
  const seconds = (performance.now() - started) / 1000;
  await rm(parts, { recursive: true, force: true });
  return seconds;
}

/** A shell loop of `curl -F file=@...`, one request per file, as a script would do it. */
function curlMany(baseUrl: string, folder: string, names: readonly string[]): number {
  settle();
  const started = performance.now();
  for (const name of names) {
    const run = spawnSync('curl', [
      '-sS',
      '-f',
      '-o',
      '/dev/null',
      '-H',
      `x-api-key: ${KEY}`,
      '-F',
      'method=direct',
      '-F',
      `file=@${join(folder, name)}`,
      `${baseUrl}/assets`,
    ]);
    if (run.status !== 0) throw new Error(`curl failed on ${name}: ${run.stderr}`);
  }
  return (performance.now() - started) / 1000;
}

const work = await mkdtemp(join(tmpdir(), 'tl-bench-baselines-'));
const results: Record<string, unknown> = { runs: RUNS };
let missed = 0;
try {
  // The large file: a real video padded with random bytes (random so nothing compresses or dedupes).
  const large = await randomFile(work, 'large.mp4', LARGE);
  const engineLarge: number[] = [];
  const curl: number[] = [];
  const sdkLarge: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    engineLarge.push(
      await withEmulator(work, async (baseUrl) => {
        const result = runJson([
          'test/bench/support/upload-one.ts',
          baseUrl,
          large,
          join(work, `engine-${run}`),
          String(CHUNKS_IN_FLIGHT),
        ]);
        await rm(join(work, `engine-${run}`), { recursive: true, force: true });
        return result.seconds!;
      }),
    );
    curl.push(await withEmulator(work, (baseUrl) => curlLarge(baseUrl, large, work)));
    sdkLarge.push(
      await withEmulator(
        work,
        async (baseUrl) => runJson(['test/bench/support/sdk-upload.ts', baseUrl, 'large', large]).seconds!,
      ),
    );
  }
  await rm(large);
  // The sweeps: one run each on a quarter of the size, to stay within the time the bench has.
  const sample = await randomFile(work, 'sample.mp4', LARGE / 4);
  const sampleRate = (chunks: number, batch?: number) =>
    withEmulator(work, async (baseUrl) => {
      const data = await mkdtemp(join(work, 'sweep-'));
      const args = ['test/bench/support/upload-one.ts', baseUrl, sample, data, String(chunks)];
      const result = runJson(batch === undefined ? args : [...args, String(batch)]);
      await rm(data, { recursive: true, force: true });
      return LARGE / 4 / MiB / result.seconds!;
    });
  const sweep: Record<string, number> = {};
  for (const chunks of [2, 4, 6, 8]) sweep[chunks] = await sampleRate(chunks);
  const batches: Record<string, number> = {};
  for (const batch of [1, 8, 32]) batches[batch] = await sampleRate(CHUNKS_IN_FLIGHT, batch);
  await rm(sample);

  // Many small files: stills, recordings and short clips that pass every check.
  const folder = join(work, 'small');
  await mkdir(folder);
  const mix = ['image.jpg', 'audio.mp3', 'video-vp9.webm', 'image.jpg', 'video-h264.mp4'];
  const names: string[] = [];
  for (let i = 0; i < SMALL_FILES; i += 1) {
    const source = mix[i % mix.length]!;
    const name = `${String(i).padStart(4, '0')}-${source}`;
    // Each copy gets different bytes at the end (which players ignore), so none is a duplicate.
    await writeFile(join(folder, name), Buffer.concat([await readFile(join(FIXTURES, source)), Buffer.from(`#${i}`)]));
    names.push(name);
  }
  const engineMany: number[] = [];
  const loopDelay: number[] = [];
  const sdkMany: number[] = [];
  const curlLoop: number[] = [];
  const engineRun = (filesInFlight?: number) =>
    withEmulator(
      work,
      async (baseUrl) => {
        const data = await mkdtemp(join(work, 'many-'));
        const outcome = runJson([
          'test/bench/support/upload-many.ts',
          baseUrl,
          folder,
          data,
          ...(filesInFlight ? [String(filesInFlight)] : []),
        ]);
        await rm(data, { recursive: true, force: true });
        return outcome;
      },
      SMALL_LATENCY_MS,
    );
  for (let run = 0; run < RUNS; run += 1) {
    const result = await engineRun();
    engineMany.push(result.seconds!);
    loopDelay.push(result.eventLoopP99Ms!);
    sdkMany.push(
      await withEmulator(
        work,
        async (baseUrl) => runJson(['test/bench/support/sdk-upload.ts', baseUrl, 'many', folder]).seconds!,
        SMALL_LATENCY_MS,
      ),
    );
    curlLoop.push(await withEmulator(work, async (baseUrl) => curlMany(baseUrl, folder, names), SMALL_LATENCY_MS));
  }
  const filesSweep: Record<string, number> = {};
  for (const files of [1, 3, 6, 8]) filesSweep[files] = SMALL_FILES / (await engineRun(files)).seconds!;

  const mibps = (seconds: number[]) => stat(seconds.map((s) => LARGE / MiB / s));
  const filesps = (seconds: number[]) => stat(seconds.map((s) => SMALL_FILES / s));
  const table = {
    [`${LARGE / MiB} MiB video, MiB/s`]: { engine: mibps(engineLarge), curl: mibps(curl), sdk: mibps(sdkLarge) },
    [`${SMALL_FILES} small files, files/s, ${SMALL_LATENCY_MS} ms RTT`]: {
      engine: filesps(engineMany),
      curl: filesps(curlLoop),
      sdk: filesps(sdkMany),
    },
  };
  const fmt = (s: Stat) => `${s.median.toFixed(1)} (${s.min.toFixed(1)}-${s.max.toFixed(1)})`;
  console.log(`engine against curl and the official SDK, median (min-max) of ${RUNS} runs`);
  console.log(`  ${''.padEnd(28)} ${'engine'.padEnd(20)} ${'curl'.padEnd(20)} ${'SDK'.padEnd(20)} vs curl  vs SDK`);
  for (const [label, row] of Object.entries(table)) {
    const vsCurl = row.engine.median / row.curl.median;
    const vsSdk = row.engine.median / row.sdk.median;
    console.log(
      `  ${label.padEnd(28)} ${fmt(row.engine).padEnd(20)} ${fmt(row.curl).padEnd(20)} ${fmt(row.sdk).padEnd(20)} ${vsCurl.toFixed(2).padStart(6)}x ${vsSdk.toFixed(2).padStart(6)}x`,
    );
  }
  const delay = stat(loopDelay);
  console.log(`  engine event-loop delay p99 while checking and uploading: ${fmt(delay)} ms (target: under 50 ms)`);
  console.log(
    `  chunks in flight (${LARGE / 4 / MiB} MiB, 1 run each, MiB/s): ${Object.entries(sweep)
      .map(([chunks, rate]) => `${chunks}: ${rate.toFixed(0)}`)
      .join(', ')}`,
  );
  console.log(
    `  chunks per report (${LARGE / 4 / MiB} MiB, 1 run each, MiB/s): ${Object.entries(batches)
      .map(([batch, rate]) => `${batch}: ${rate.toFixed(0)}`)
      .join(', ')}`,
  );
  console.log(
    `  files in flight, small files (1 run each, files/s): ${Object.entries(filesSweep)
      .map(([files, rate]) => `${files}: ${rate.toFixed(1)}`)
      .join(', ')}`,
  );

  const large1 = table[`${LARGE / MiB} MiB video, MiB/s`]!;
  const small1 = table[`${SMALL_FILES} small files, files/s, ${SMALL_LATENCY_MS} ms RTT`]!;
  const targets = [
    ['large file >= 0.85x curl', large1.engine.median / large1.curl.median >= 0.85],
    ['large file >= 1.5x the SDK', large1.engine.median / large1.sdk.median >= 1.5],
    ['small files >= 3x the SDK', small1.engine.median / small1.sdk.median >= 3],
    ['event-loop delay p99 < 50 ms', delay.median < 50],
  ] as const;
  for (const [name, met] of targets) {
    console.log(`  ${met ? 'met   ' : 'MISSED'} ${name}`);
    if (!met) missed += 1;
  }
  Object.assign(results, {
    table,
    eventLoopP99Ms: delay,
    chunksInFlightSweep: sweep,
    reportBatchSweep: batches,
    filesInFlightSweep: filesSweep,
    targets: Object.fromEntries(targets),
  });
  await saveResults('baselines', results);
  if (missed > 0) process.exitCode = 1;
} finally {
  await rm(work, { recursive: true, force: true });
}
