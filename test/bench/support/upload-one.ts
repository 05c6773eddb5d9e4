/**
 * Uploads one file through the engine's multipart path and prints, as JSON, how long it took until
 * TwelveLabs had every byte (the asset is processing), and the process's peak RSS. Run in its own process by the benchmarks, so the figure is the engine's.
 * Usage: upload-one.ts BASE_URL FILE DATA_DIR [CHUNKS_IN_FLIGHT] [REPORT_BATCH_SIZE]
 */
import { stat } from 'node:fs/promises';
import { ApiClient } from '../../../electron/core/api/client';
import { journalPath } from '../../../electron/core/app-paths';
import { Journal } from '../../../electron/core/store/journal';
import { UploadEngine } from '../../../electron/core/upload/engine';

const [baseUrl = '', file = '', dataDir = '', chunks = '6', reportBatch] = process.argv.slice(2);
const journal = await Journal.open(journalPath(dataDir));
const engine = await UploadEngine.open({
  journal,
  client: new ApiClient({ baseUrl, apiKey: () => 'tlk_emulator_sandbox_key' }),
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
const info = await stat(file);
const started = performance.now();
let seconds = 0;
engine.on('change', (change) => {
  if (!seconds && change.items.some((item) => item.status.kind === 'processing' || item.status.kind === 'ready')) {
    seconds = (performance.now() - started) / 1000;
  }
});
engine.start();
const [id] = await engine.add([
  { path: file, relativePath: 'bench.mp4', size: info.size, mtimeMs: info.mtimeMs, kind: 'video', mime: 'video/mp4' },
]);
await engine.whenIdle();
const status = engine.item(id!)?.status.kind;
await engine.close();
await journal.close();
process.stdout.write(
  `${JSON.stringify({ status, seconds, size: info.size, peakRss: process.resourceUsage().maxRSS * 1024 })}\n`,
);
