import { randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApiClient } from '../../electron/core/api/client';
import { journalPath } from '../../electron/core/app-paths';
import { identify } from '../../electron/core/media/sniff';
import { scanPaths } from '../../electron/core/media/scan';
import { Journal } from '../../electron/core/store/journal';
import { UploadEngine, type EngineSettings, type FileToAdd } from '../../electron/core/upload/engine';
import { connect } from '../../electron/core/upload/gate';
import type { RunningEmulator } from '../emulator/server';

export const TEST_SETTINGS: EngineSettings = {
  filesInFlight: 3,
  chunksInFlight: 4,
  bandwidthLimit: 0,
  multipartThreshold: 100 * 1024,
  enableHls: false,
  enableThumbnail: false,
};

/** An engine with a real journal file in `dataDir`, talking to the emulator over HTTP. */
export async function openEngine(
  emulator: RunningEmulator,
  dataDir: string,
  settings: Partial<EngineSettings> = {},
  options: { apiKey?: () => string; retryAttempts?: number; urlMarginMs?: number } = {},
): Promise<{ engine: UploadEngine; journal: Journal; client: ApiClient }> {
  const journal = await Journal.open(journalPath(dataDir));
  const { client, gate } = connect({
    baseUrl: emulator.baseUrl,
    apiKey: options.apiKey ?? (() => emulator.apiKey),
    probeMinMs: 50,
    probeMaxMs: 500,
    rampMs: 500,
  });
  const engine = await UploadEngine.open({
    journal,
    client,
    gate,
    settings: () => ({ ...TEST_SETTINGS, ...settings }),
    retry: { attempts: options.retryAttempts ?? 3, baseDelayMs: 20, maxDelayMs: 100 },
    urlMarginMs: options.urlMarginMs,
    pollIntervalMs: 50,
    pollMaxMs: 200,
    eventIntervalMs: 50,
    fileCheckMs: 100,
  });
  return { engine, journal, client };
}

/** Scans and identifies paths the way the app and CLI do. */
export async function filesUnder(...paths: string[]): Promise<FileToAdd[]> {
  const found: FileToAdd[] = [];
  for await (const file of scanPaths(paths)) found.push(await identify(file));
  return found;
}

/**
 * A file of `size` random-looking bytes, written in 1 MiB blocks, that starts like an MP4 so it is
 * identified as a video. Random content (not zeros) so a chunk sent to the wrong offset would
 * change the hash. Use an emulator with media checks off: it is not a playable video.
 */
export async function randomFile(dir: string, name: string, size: number): Promise<string> {
  const path = join(dir, name);
  const handle = await open(path, 'w');
  const block = randomBytes(1024 * 1024);
  for (let written = 0; written < size; written += block.length) {
    if (written === 0) Buffer.from('\x00\x00\x00\x18ftypisom', 'latin1').copy(block);
    else block.writeUInt32BE(written / block.length, 0);
    await handle.write(block, 0, Math.min(block.length, size - written));
  }
  await handle.close();
  return path;
}
