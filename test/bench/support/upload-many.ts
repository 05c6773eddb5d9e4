/**
 * The engine as the app runs it (every file checked: typed, probed, hashed) uploading a folder.
 * Prints {seconds, files, uploaded, eventLoopP99Ms, peakRss} as JSON; `seconds` runs until every
 * file has been sent (processing or ready), as the SDK and curl loops are timed.
 * Usage: upload-many.ts BASE_URL FOLDER DATA_DIR [FILES_IN_FLIGHT]
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ApiClient } from '../../../electron/core/api/client';
import { journalPath } from '../../../electron/core/app-paths';
import { intake } from '../../../electron/core/media/intake';
import { openPreflight } from '../../../electron/core/media/preflight';
import { Journal } from '../../../electron/core/store/journal';
import { UploadEngine, type FileToAdd } from '../../../electron/core/upload/engine';
import { DEFAULT_SETTINGS } from '../../../electron/shared/settings';

const [baseUrl = '', folder = '', dataDir = '', filesInFlight] = process.argv.slice(2);
const journal = await Journal.open(journalPath(dataDir));
const preflight = openPreflight(() => true);
const engine = await UploadEngine.open({
  journal,
  client: new ApiClient({ baseUrl, apiKey: () => 'tlk_emulator_sandbox_key' }),
  settings: () => ({
    ...DEFAULT_SETTINGS,
    filesInFlight: filesInFlight ? Number(filesInFlight) : DEFAULT_SETTINGS.filesInFlight,
    enableHls: false,
    enableThumbnail: false,
  }),
  check: preflight.check,
  pollIntervalMs: 100,
  // Change events often enough to time the end to the millisecond, not the window's 4 a second.
  eventIntervalMs: 5,
});
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
const started = performance.now();
engine.start();
const files: FileToAdd[] = [];
for await (const file of intake([folder], { template: [] })) files.push(file);
const ids = new Set(await engine.add(files));
const sent = (kind: string) => kind === 'processing' || kind === 'ready';
await new Promise<void>((resolve) => {
  const check = () => {
    const items = engine.items().filter((item) => ids.has(item.id));
    if (
      items.every((item) => sent(item.status.kind) || ['failed', 'rejected', 'duplicate'].includes(item.status.kind))
    ) {
      engine.off('change', check);
      resolve();
    }
  };
  engine.on('change', check);
  check();
});
const seconds = (performance.now() - started) / 1000;
delay.disable();
const uploaded = engine.items().filter((item) => sent(item.status.kind)).length;
await engine.close();
preflight.close();
await journal.close();
process.stdout.write(
  `${JSON.stringify({
    seconds,
    files: ids.size,
    uploaded,
    eventLoopP99Ms: delay.percentile(99) / 1e6,
    peakRss: process.resourceUsage().maxRSS * 1024,
  })}\n`,
);
