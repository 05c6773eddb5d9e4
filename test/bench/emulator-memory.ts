/**
 * Does the emulator's memory stay flat while it receives a large multipart upload? Starts the
 * emulator in its own process, streams a 16 MiB file and then a 1 GiB file through the multipart
 * routes, and reports the emulator's peak RSS (VmHWM) after each: the baseline and the large run
 * are measured in the same run, so the difference means something on a noisy machine.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startEmulatorProcess } from './support/emulator-process';

const MiB = 1024 * 1024;
const SIZES = [16 * MiB, 1024 * MiB];
const KEY = 'tlk_emulator_sandbox_key';

async function peakRss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

async function call(baseUrl: string, path: string, body: unknown): Promise<any> {
  const response = await request(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return response.body.json();
}

/** Streams `path` through a multipart session, 4 chunks in flight, and returns when it completes. */
async function uploadMultipart(baseUrl: string, path: string, size: number): Promise<void> {
  const session = await call(baseUrl, '/assets/multipart-uploads', {
    filename: 'bench.bin',
    type: 'video',
    total_size: size,
  });
  const completed: { chunk_index: number; proof: string; proof_type: 'etag'; chunk_size: number }[] = [];
  let next = 1;
  async function worker(): Promise<void> {
    while (next <= session.total_chunks) {
      const index = next++;
      const {
        upload_urls: [target],
      } = await call(baseUrl, `/assets/multipart-uploads/${session.upload_id}/presigned-urls`, {
        start: index,
        count: 1,
      });
      const start = (index - 1) * session.chunk_size;
      const end = Math.min(size, start + session.chunk_size);
      const response = await request(target.url, {
        method: 'PUT',
        body: createReadStream(path, { start, end: end - 1 }),
        headers: { 'content-length': String(end - start) },
      });
      await response.body.dump();
      completed.push({
        chunk_index: index,
        proof: String(response.headers.etag).replaceAll('"', ''),
        proof_type: 'etag',
        chunk_size: end - start,
      });
    }
  }
  await Promise.all(Array.from({ length: 4 }, worker));
  for (let i = 0; i < completed.length; i += 50) {
    await call(baseUrl, `/assets/multipart-uploads/${session.upload_id}`, {
      completed_chunks: completed.slice(i, i + 50),
    });
  }
}

const work = await mkdtemp(join(tmpdir(), 'tl-bench-emulator-'));
try {
  const rows: { size: number; peakRss: number; seconds: number }[] = [];
  for (const size of SIZES) {
    const file = join(work, `source-${size}.bin`);
    const handle = await open(file, 'w');
    await handle.truncate(size);
    await handle.close();
    const { child, baseUrl } = await startEmulatorProcess([
      '--data-dir',
      join(work, `data-${size}`),
      '--no-media-checks',
    ]);
    const started = performance.now();
    await uploadMultipart(baseUrl, file, size);
    const seconds = (performance.now() - started) / 1000;
    rows.push({ size, peakRss: await peakRss(child.pid!), seconds });
    child.kill('SIGTERM');
    await rm(file);
  }
  const [small, large] = rows as [(typeof rows)[0], (typeof rows)[0]];
  console.log('emulator peak RSS while receiving a multipart upload');
  for (const row of rows) {
    console.log(
      `  ${String(row.size / MiB).padStart(5)} MiB  peak RSS ${(row.peakRss / MiB).toFixed(1).padStart(6)} MiB  ` +
        `${(row.size / MiB / row.seconds).toFixed(0)} MiB/s`,
    );
  }
  const growth = (large.peakRss - small.peakRss) / MiB;
  console.log(
    `  growth for 64x the data: ${growth.toFixed(1)} MiB (ratio ${(large.peakRss / small.peakRss).toFixed(2)}x)`,
  );
  if (growth > 64) {
    console.error('  FAIL: emulator memory grew with the size of the upload');
    process.exitCode = 1;
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
