/**
 * The engine as the app runs it (every file checked: typed, probed, hashed) uploading a folder.
 * Prints, as JSON: `seconds` until every file has been sent (processing or ready), as the SDK and
 * curl loops are timed; `transferSeconds` from the first create request to the last one answered
 * (the time the link was in use); `cpuSeconds` of the process meanwhile; `perFileMs`, the mean time a file spent in each state; files,
 * uploaded, eventLoopP99Ms and peakRss.
 * Usage: upload-many.ts BASE_URL FOLDER DATA_DIR [FILES_IN_FLIGHT]
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ApiClient } from '../../../electron/core/api/client';
import { journalPath } from '../../../electron/core/store/data-folder';
import { intake } from '../../../electron/core/media/intake';
import { openPreflight } from '../../../electron/core/media/preflight';
import { Journal } from '../../../electron/core/upload/journal';
import type { FileToAdd } from '../../../electron/core/media/intake';
import type { UploadsChanged } from '../../../electron/shared/uploads';
import { UploadEngine } from '../../../electron/core/upload/engine';
import { DEFAULT_SETTINGS } from '../../../electron/shared/settings';

const [baseUrl = '', folder = '', dataDir = '', filesInFlight] = process.argv.slice(2);
const journal = await Journal.open(journalPath(dataDir));
const preflight = openPreflight(() => true);
const client = new ApiClient({ baseUrl, apiKey: () => 'tlk_emulator_sandbox_key' });
let firstCreate = 0;
let lastCreated = 0;
const create = client.createAssetDirect.bind(client);
client.createAssetDirect = async (...args) => {
  firstCreate ||= performance.now();
  const asset = await create(...args);
  lastCreated = performance.now();
  return asset;
};
const engine = await UploadEngine.open({
  journal,
  client,
  settings: () => ({
    ...DEFAULT_SETTINGS,
    filesInFlight: filesInFlight ? Number(filesInFlight) : DEFAULT_SETTINGS.filesInFlight,
    enableHls: false,
    enableThumbnail: false,
  }),
  check: preflight.check,
  pollIntervalMs: 100,
  // Change events often enough to time the end within 20 ms, not the window's 4 a second.
  eventIntervalMs: 20,
});
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
const started = performance.now();
const cpuBefore = process.cpuUsage();
engine.start();
const files: FileToAdd[] = [];
for await (const file of intake([folder], { template: [] })) files.push(file);
const ids = new Set((await engine.add(files)).ids);
// Where each file's time goes: the time between its state changes, summed per state.
const entered = new Map<string, { kind: string; at: number }>();
const spent: Record<string, number> = {};
engine.on('change', (change) => {
  const now = performance.now();
  for (const item of change.items) {
    const before = entered.get(item.id);
    if (before?.kind === item.status.kind) continue;
    if (before) spent[before.kind] = (spent[before.kind] ?? 0) + now - before.at;
    entered.set(item.id, { kind: item.status.kind, at: now });
  }
});
const sent = (kind: string) => kind === 'processing' || kind === 'ready';
// Done once every file has been sent or has an outcome. Counted from the changes themselves: a
// scan of the whole queue on every change would cost the engine's process more than the uploads.
const over = (kind: string) => sent(kind) || ['failed', 'rejected', 'duplicate'].includes(kind);
const listed = await engine.items();
await new Promise<void>((resolve) => {
  const finished = new Set(listed.flatMap((item) => (over(item.status.kind) ? [item.id] : [])));
  const onChange = (change: UploadsChanged) => {
    for (const item of change.items) if (ids.has(item.id) && over(item.status.kind)) finished.add(item.id);
    if (finished.size >= ids.size) {
      engine.off('change', onChange);
      resolve();
    }
  };
  engine.on('change', onChange);
});
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
delay.disable();
const uploaded = (await engine.items()).filter((item) => sent(item.status.kind)).length;
await engine.close();
preflight.close();
await journal.close();
process.stdout.write(
  `${JSON.stringify({
    seconds,
    transferSeconds: (lastCreated - firstCreate) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    perFileMs: Object.fromEntries(Object.entries(spent).map(([kind, ms]) => [kind, Math.round(ms / ids.size)])),
    files: ids.size,
    uploaded,
    eventLoopP99Ms: delay.percentile(99) / 1e6,
    peakRss: process.resourceUsage().maxRSS * 1024,
  })}\n`,
);
