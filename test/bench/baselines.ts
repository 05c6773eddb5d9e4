/**
 * The engine against what people would otherwise use, in the same run, over loopback to the
 * emulator (in its own process, media checks off so the server is not the bottleneck):
 *
 * - one 1 GiB video: the engine's multipart path, against curl PUTting the same chunks to the same
 *   presigned URLs with the same parallelism and then reporting them (the practical limit;
 *   session, URLs and the split are not timed), and the official SDK's multipart helper. Timed
 *   until the server holds the whole file, and for the transfer alone (the chunks' arrival as the
 *   emulator saw it, the same measure for all three); CPU seconds per GiB of the engine's process
 *   and of curl's. Targets: >= 0.9x curl, CPU <= 1.5x curl's, >= 2x the SDK.
 * - a modelled link (one 50 MiB/s uplink shared by every request, 40 ms per answer): a 512 MiB
 *   video and a folder of 50 files of 10 MiB, as the share of the link used. Target: >= 0.95.
 * - 500 small files (images and short clips): the engine as the app runs it (each file typed,
 *   probed and hashed first), against a sequential loop of the SDK's `assets.create` and a curl
 *   loop, at 40 ms per answer. Target: >= 4x the SDK. The engine's event-loop delay p99
 *   meanwhile: target < 50 ms.
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
import { startBenchEmulator } from './support/emulator-process';
import { saveResults } from './support/results';
import { randomFile } from '../helpers/engine';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const LARGE = Number(process.env.BENCH_LARGE_MIB ?? 1024) * MiB;
const SMALL_FILES = Number(process.env.BENCH_SMALL_FILES ?? 500);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CHUNKS_IN_FLIGHT = 6;
/**
 * Small files are timed against a 40 ms round trip: over loopback with no latency a sequential
 * loop has nothing to wait for, which no workstation talking to a cloud API sees.
 */
const SMALL_LATENCY_MS = 40;
/** The modelled link: a 50 MiB/s uplink shared by every request, 40 ms for every answer. */
const LINK_RATE = 50 * MiB;
const LINK_LATENCY_MS = 40;
const LINK_LARGE = Number(process.env.BENCH_LINK_MIB ?? 512) * MiB;
/** Mid-size files, each under the resumable threshold, so each goes in one request. */
const MID_FILES = 50;
const MID_SIZE = 10 * MiB;
const KEY = 'tlk_emulator_sandbox_key';
const FIXTURES = join(import.meta.dirname, '../fixtures/media');

/**
 * One timed run of the large file: until the server holds the whole file, the transfer alone
 * (the chunks' arrival, as the server saw it), and the CPU seconds the uploader's process used.
 */
interface Timed {
  seconds: number;
  transferSeconds: number;
  cpuSeconds: number;
}

interface Stat {
  median: number;
  min: number;
  max: number;
}

const fmt = (s: Stat, digits = 1) => `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}-${s.max.toFixed(digits)})`;
const ratio = (a: Stat, b: Stat) => `${(a.median / b.median).toFixed(2)}x`;

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
    const how = run.error?.message ?? (run.signal ? `killed by ${run.signal}` : `exit ${run.status}`);
    throw new Error(`${args[0]} failed (${how}): ${run.stderr.slice(-2000)}`);
  }
}

/**
 * A fresh emulator per measurement, so stored uploads never pile up on disk between runs.
 * `latencyMs` is added to every answer, as a round trip to a real service would be; with
 * `linkBytesPerSecond` every request body shares one uplink of that speed.
 */
async function withEmulator<T>(
  work: string,
  run: (baseUrl: string) => Promise<T>,
  network: { latencyMs?: number; linkBytesPerSecond?: number } = {},
): Promise<T> {
  const dir = await mkdtemp(join(work, 'emulator-'));
  const emulator = await startBenchEmulator(dir, [
    '--latency',
    String(network.latencyMs ?? 0),
    ...(network.linkBytesPerSecond ? ['--link', String(network.linkBytesPerSecond)] : []),
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
async function curlLarge(baseUrl: string, file: string, work: string): Promise<Omit<Timed, 'transferSeconds'>> {
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
    config.push(`url = "${url}"`, `upload-file = "${part}"`, 'output = "/dev/null"');
  }
  // write-out is one setting for the whole run (the last one given wins), so each answer is told
  // apart by its address.
  config.push('write-out = "%{url} %header{etag}\\n"');
  const indexOf = new Map(urls.map((entry) => [entry.url, entry.chunk_index]));
  await source.close();
  await writeFile(join(work, 'curl.config'), `${config.join('\n')}\n`);
  settle();
  const started = performance.now();
  const run = timedCurl([
    '-sS',
    '-f',
    '-Z',
    '--parallel-max',
    String(CHUNKS_IN_FLIGHT),
    '-K',
    join(work, 'curl.config'),
  ]);
  const chunks = run.stdout
    .trim()
    .split('\n')
    .map((line) => line.split(' '))
    .map(([url, etag]) => {
      const index = indexOf.get(url!)!;
      return {
        chunk_index: index,
        proof: etag!.replaceAll('"', ''),
        proof_type: 'etag',
        chunk_size: Math.min(session.chunk_size, LARGE - (index - 1) * session.chunk_size),
      };
    })
    .sort((a, b) => a.chunk_index - b.chunk_index);
  let completed = false;
  for (let i = 0; i < chunks.length; i += 50) {
    const answer = await api(baseUrl, `/assets/multipart-uploads/${session.upload_id}`, {
      completed_chunks: chunks.slice(i, i + 50),
    });
    if (!answer.processed_chunks) throw new Error(`curl's chunks were refused: ${JSON.stringify(answer)}`);
    completed ||= Boolean(answer.url);
  }
  // Timed to the same point as the engine: the server holds the whole file.
  if (!completed) throw new Error("curl's upload did not complete");
  const seconds = (performance.now() - started) / 1000;
  await rm(parts, { recursive: true, force: true });
  return { seconds, cpuSeconds: run.cpuSeconds };
}

/**
 * curl run by a shell that then prints, with `times`, the CPU its children used (user and system):
 * curl's CPU time, to set beside the engine's.
 */
function timedCurl(args: string[]): { stdout: string; cpuSeconds: number } {
  const run = spawnSync('bash', ['-c', 'curl "$@"; status=$?; times >&2; exit $status', 'bash', ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * MiB,
  });
  if (run.status !== 0) throw new Error(`curl failed: ${run.stderr}`);
  const children = run.stderr.trim().split('\n').at(-1) ?? '';
  const cpuSeconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce(
    (sum, [, minutes, seconds]) => sum + Number(minutes) * 60 + Number(seconds),
    0,
  );
  return { stdout: run.stdout, cpuSeconds };
}

/**
 * How long the largest upload's chunks took to arrive, as the emulator saw them (first chunk
 * begun to last chunk stored): the same measure for the engine, curl and the SDK.
 */
async function serverTransferSeconds(baseUrl: string): Promise<number> {
  const response = await request(`${new URL(baseUrl).origin}/__emulator/stats`, { reset: true });
  const stats = (await response.body.json()) as {
    chunk_times: Record<string, { first_at: number; last_at: number; bytes: number }>;
  };
  const largest = Object.values(stats.chunk_times).sort((a, b) => b.bytes - a.bytes)[0];
  if (!largest) throw new Error('The emulator received no chunks.');
  return (largest.last_at - largest.first_at) / 1000;
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
  const engineLarge: Timed[] = [];
  const curl: Timed[] = [];
  const sdkLarge: Omit<Timed, 'cpuSeconds'>[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    engineLarge.push(
      await withEmulator(work, async (baseUrl) => {
        const data = join(work, `engine-${run}`);
        const result = runJson(['test/bench/support/upload-one.ts', baseUrl, large, data, String(CHUNKS_IN_FLIGHT)]);
        await rm(data, { recursive: true, force: true });
        return {
          seconds: result.seconds!,
          transferSeconds: await serverTransferSeconds(baseUrl),
          cpuSeconds: result.cpuSeconds!,
        };
      }),
    );
    curl.push(
      await withEmulator(work, async (baseUrl) => ({
        ...(await curlLarge(baseUrl, large, work)),
        transferSeconds: await serverTransferSeconds(baseUrl),
      })),
    );
    sdkLarge.push(
      await withEmulator(work, async (baseUrl) => ({
        seconds: runJson(['test/bench/support/sdk-upload.ts', baseUrl, 'large', large]).seconds!,
        transferSeconds: await serverTransferSeconds(baseUrl),
      })),
    );
  }
  const largeRate = {
    engine: stat(engineLarge.map((run) => LARGE / MiB / run.seconds)),
    curl: stat(curl.map((run) => LARGE / MiB / run.seconds)),
    sdk: stat(sdkLarge.map((run) => LARGE / MiB / run.seconds)),
  };
  const transferRate = {
    engine: stat(engineLarge.map((run) => LARGE / MiB / run.transferSeconds)),
    curl: stat(curl.map((run) => LARGE / MiB / run.transferSeconds)),
    sdk: stat(sdkLarge.map((run) => LARGE / MiB / run.transferSeconds)),
  };
  const cpuPerGiB = {
    engine: stat(engineLarge.map((run) => run.cpuSeconds / (LARGE / GiB))),
    curl: stat(curl.map((run) => run.cpuSeconds / (LARGE / GiB))),
  };
  console.log(`engine against curl and the official SDK, median (min-max) of ${RUNS} runs`);
  console.log(
    `  ${LARGE / MiB} MiB video, MiB/s until the server holds it: engine ${fmt(largeRate.engine)}, curl ${fmt(largeRate.curl)}, ` +
      `SDK ${fmt(largeRate.sdk)}: ${ratio(largeRate.engine, largeRate.curl)} curl, ${ratio(largeRate.engine, largeRate.sdk)} the SDK`,
  );
  console.log(
    `  the transfer alone (first chunk to last, as the server saw them), MiB/s: engine ${fmt(transferRate.engine)}, ` +
      `curl ${fmt(transferRate.curl)}, SDK ${fmt(transferRate.sdk)}: ${ratio(transferRate.engine, transferRate.curl)} curl, ` +
      `${ratio(transferRate.engine, transferRate.sdk)} the SDK`,
  );
  console.log(
    `  CPU seconds per GiB (user + system, every thread): engine ${fmt(cpuPerGiB.engine, 2)}, curl ${fmt(cpuPerGiB.curl, 2)}: ` +
      `${ratio(cpuPerGiB.engine, cpuPerGiB.curl)} curl's`,
  );
  await rm(large);

  // A modelled link: one uplink of LINK_RATE shared by every request, LINK_LATENCY_MS per answer.
  const linkNetwork = { latencyMs: LINK_LATENCY_MS, linkBytesPerSecond: LINK_RATE };
  const linkLarge = await randomFile(work, 'link-large.mp4', LINK_LARGE);
  const linkRun = (script: string, source: string) =>
    withEmulator(
      work,
      async (baseUrl) => {
        const data = await mkdtemp(join(work, 'link-'));
        const result = runJson([`test/bench/support/${script}`, baseUrl, source, data]);
        await rm(data, { recursive: true, force: true });
        return result;
      },
      linkNetwork,
    );
  const linkLargeRun = await linkRun('upload-one.ts', linkLarge);
  await rm(linkLarge);
  const midFolder = join(work, 'mid');
  await mkdir(midFolder);
  for (let i = 0; i < MID_FILES; i += 1)
    await randomFile(midFolder, `${String(i).padStart(2, '0')}-clip.mp4`, MID_SIZE);
  const linkFolderRun = await linkRun('upload-many.ts', midFolder);
  await rm(midFolder, { recursive: true, force: true });
  // The share of the link used while sending (first request to last answer): the server's own
  // work after the last byte (assembling a large file, say) is not the link's.
  const linkShare = {
    large: LINK_LARGE / linkLargeRun.transferSeconds! / LINK_RATE,
    folder: (MID_FILES * MID_SIZE) / linkFolderRun.transferSeconds! / LINK_RATE,
  };
  console.log(
    `  modelled link (${LINK_RATE / MiB} MiB/s shared, ${LINK_LATENCY_MS} ms per answer), share of the link used while sending: ` +
      `${LINK_LARGE / MiB} MiB video ${linkShare.large.toFixed(2)}, ${MID_FILES} files of ${MID_SIZE / MiB} MiB ${linkShare.folder.toFixed(2)} ` +
      `(until the server held everything: ${linkLargeRun.seconds!.toFixed(1)} s and ${linkFolderRun.seconds!.toFixed(1)} s, ` +
      `against ${(LINK_LARGE / LINK_RATE).toFixed(1)} s and ${((MID_FILES * MID_SIZE) / LINK_RATE).toFixed(1)} s on the link alone)`,
  );

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
  const smallNetwork = { latencyMs: SMALL_LATENCY_MS };
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
      smallNetwork,
    );
  let perFileMs: Record<string, number> = {};
  for (let run = 0; run < RUNS; run += 1) {
    const result = await engineRun();
    engineMany.push(result.seconds!);
    loopDelay.push(result.eventLoopP99Ms!);
    perFileMs = result.perFileMs as unknown as Record<string, number>;
    sdkMany.push(
      await withEmulator(
        work,
        async (baseUrl) => runJson(['test/bench/support/sdk-upload.ts', baseUrl, 'many', folder]).seconds!,
        smallNetwork,
      ),
    );
    curlLoop.push(await withEmulator(work, async (baseUrl) => curlMany(baseUrl, folder, names), smallNetwork));
  }
  const filesps = (seconds: number[]) => stat(seconds.map((s) => SMALL_FILES / s));
  const smallRate = { engine: filesps(engineMany), curl: filesps(curlLoop), sdk: filesps(sdkMany) };
  const delay = stat(loopDelay);
  console.log(
    `  ${SMALL_FILES} small files at ${SMALL_LATENCY_MS} ms, files/s: engine ${fmt(smallRate.engine)}, curl loop ${fmt(smallRate.curl)}, ` +
      `SDK loop ${fmt(smallRate.sdk)}: ${ratio(smallRate.engine, smallRate.sdk)} the SDK, ${ratio(smallRate.engine, smallRate.curl)} curl`,
  );
  console.log(`  engine event-loop delay p99 while checking and uploading: ${fmt(delay)} ms`);
  console.log(
    `  where a small file's time goes (last run, mean ms in each state; all 500 are added at once): ` +
      `checking ${perFileMs.checking}, waiting ${perFileMs.queued}, sending ${perFileMs.uploading} (of which ${SMALL_LATENCY_MS} is the round trip)`,
  );
  const filesSweep: Record<string, number> = {};
  for (const files of [1, 3, 6, 8]) filesSweep[files] = SMALL_FILES / (await engineRun(files)).seconds!;
  console.log(
    `  files in flight, small files (1 run each, files/s): ${Object.entries(filesSweep)
      .map(([files, rate]) => `${files}: ${rate.toFixed(1)}`)
      .join(', ')}`,
  );

  const targets = [
    ['large file >= 0.9x curl, the transfer', transferRate.engine.median / transferRate.curl.median >= 0.9],
    ['large file >= 0.9x curl, until the server holds it', largeRate.engine.median / largeRate.curl.median >= 0.9],
    ["large file's CPU per GiB <= 1.5x curl's", cpuPerGiB.engine.median / cpuPerGiB.curl.median <= 1.5],
    ['large file >= 2x the SDK, the transfer', transferRate.engine.median / transferRate.sdk.median >= 2],
    ['large file >= 2x the SDK, until the server holds it', largeRate.engine.median / largeRate.sdk.median >= 2],
    ['small files >= 4x the SDK', smallRate.engine.median / smallRate.sdk.median >= 4],
    ['modelled link >= 0.95 used, large file', linkShare.large >= 0.95],
    ['modelled link >= 0.95 used, folder', linkShare.folder >= 0.95],
    ['event-loop delay p99 < 50 ms', delay.median < 50],
  ] as const;
  for (const [name, met] of targets) {
    console.log(`  ${met ? 'met   ' : 'MISSED'} ${name}`);
    if (!met) missed += 1;
  }
  Object.assign(results, {
    large: { rate: largeRate, transferRate, cpuPerGiB },
    link: { bytesPerSecond: LINK_RATE, latencyMs: LINK_LATENCY_MS, share: linkShare },
    small: { rate: smallRate, perFileMs },
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
