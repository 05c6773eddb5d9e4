/**
 * Uploads one file through the engine's multipart path and prints, as JSON:
 * - `seconds`: until TwelveLabs had every byte (the asset is processing);
 * - `transferSeconds`: from the first chunk sent to the last one confirmed (the part curl is
 *   timed on alone);
 * - `cpuSeconds`: the CPU time the process spent meanwhile (user + system, every thread);
 * - `peakRss`.
 * A small file goes first, so the figures are those of a running app (code loaded and warm), not
 * of a process starting. Run in its own process by the benchmarks, so the figures are the engine's.
 * Usage: upload-one.ts BASE_URL FILE DATA_DIR [CHUNKS_IN_FLIGHT] [REPORT_BATCH_SIZE]
 */
import { stat } from 'node:fs/promises';
import { ApiClient } from '../../../electron/core/api/client';
import { journalPath } from '../../../electron/core/store/data-folder';
import { Journal } from '../../../electron/core/upload/journal';
import { UploadEngine } from '../../../electron/core/upload/engine';
import { randomFile } from '../../helpers/engine';
import type { UploadsChanged } from '../../../electron/shared/uploads';

const [baseUrl = '', file = '', dataDir = '', chunks = '6', reportBatch] = process.argv.slice(2);
const journal = await Journal.open(journalPath(dataDir));
const client = new ApiClient({ baseUrl, apiKey: () => 'tlk_emulator_sandbox_key' });
let firstPut = 0;
let lastEtag = 0;
const put = client.putChunk.bind(client);
client.putChunk = async (...args) => {
  firstPut ||= performance.now();
  const etag = await put(...args);
  lastEtag = performance.now();
  return etag;
};
const engine = await UploadEngine.open({
  journal,
  client,
  settings: () => ({
    filesInFlight: 1,
    chunksInFlight: Number(chunks),
    bandwidthLimit: 0,
    multipartThreshold: 5 * 1024 * 1024,
    enableHls: false,
    enableThumbnail: false,
  }),
  pollIntervalMs: 100,
  ...(reportBatch && { reportBatchSize: Number(reportBatch) }),
  // Change events often enough to time the end to the millisecond, not the window's 4 a second.
  eventIntervalMs: 5,
});
engine.start();

/** Uploads `path` and resolves once TwelveLabs has every byte. */
async function upload(path: string): Promise<string> {
  const info = await stat(path);
  const {
    ids: [id],
  } = await engine.add([
    { path, relativePath: 'bench.mp4', size: info.size, mtimeMs: info.mtimeMs, kind: 'video', mime: 'video/mp4' },
  ]);
  await new Promise<void>((resolve) => {
    const sent = (change: UploadsChanged) => {
      const kind = change.items.find((item) => item.id === id)?.status.kind;
      if (kind === 'processing' || kind === 'ready' || kind === 'failed') {
        engine.off('change', sent);
        resolve();
      }
    };
    engine.on('change', sent);
  });
  return id!;
}

await upload(await randomFile(dataDir, 'warm-up.mp4', 12 * 1024 * 1024));
firstPut = 0;
const size = (await stat(file)).size;
const started = performance.now();
const cpuBefore = process.cpuUsage();
const id = await upload(file);
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
await engine.whenIdle();
const status = (await engine.item(id))?.status.kind;
await engine.close();
await journal.close();
process.stdout.write(
  `${JSON.stringify({
    status,
    seconds,
    transferSeconds: (lastEtag - firstPut) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    size,
    peakRss: process.resourceUsage().maxRSS * 1024,
  })}\n`,
);
