import { randomBytes } from 'node:crypto';
import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApiClient } from '../../electron/core/api/client';
import { journalPath } from '../../electron/core/store/data-folder';
import { openPreflight } from '../../electron/core/media/preflight';
import { identify } from '../../electron/core/media/sniff';
import { scanPaths } from '../../electron/core/media/scan';
import { Journal } from '../../electron/core/upload/journal';
import type { FileToAdd } from '../../electron/core/media/intake';
import { UploadEngine, type EngineSettings } from '../../electron/core/upload/engine';
import { connect } from '../../electron/core/api/gate';
import type { Check } from '../../electron/core/upload/checks';
import type { CopiesSetup } from '../../electron/core/upload/copies';
import type { RunningEmulator } from '../emulator/server';
import { fixture } from './emulator';
import { tempDir } from './temp-dir';

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
  options: {
    apiKey?: () => string;
    retryAttempts?: number;
    urlMarginMs?: number;
    reportBatchSize?: number;
    /** Check each file first, as the app and CLI do (duplicate detection on). */
    preflight?: boolean;
    /** The engine's clock (the schedule reads it). */
    now?: () => number;
    /** How long Clear finished can be undone. */
    undoMs?: number;
    /** How long a file that changed while it was checked waits before the next check. */
    settleMs?: number;
    /** The check itself, where a test gives its own (lowered limits, upload copies on). */
    check?: Check;
    /** Where upload copies are made, and with what. */
    copies?: CopiesSetup;
    /** Finished files kept in memory, how often the rest are let go, and how many wait for a check. */
    holdFinished?: number;
    /** Waiting files kept in memory (the line's front); the rest wait in the journal. */
    holdQueued?: number;
    letGoMs?: number;
    checkAhead?: number;
  } = {},
): Promise<{ engine: UploadEngine; journal: Journal; client: ApiClient; close(): Promise<void> }> {
  const journal = await Journal.open(journalPath(dataDir));
  const preflight = options.preflight ? openPreflight(() => true) : null;
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
    ...(options.reportBatchSize !== undefined && { reportBatchSize: options.reportBatchSize }),
    pollIntervalMs: 50,
    pollMaxMs: 200,
    indexPollMs: 50,
    indexPollMaxMs: 200,
    eventIntervalMs: 50,
    fileCheckMs: 100,
    ...(preflight && { check: preflight.check }),
    ...(options.check && { check: options.check }),
    ...(options.copies && { copies: options.copies }),
    ...(options.now && { now: options.now }),
    ...(options.undoMs !== undefined && { undoMs: options.undoMs }),
    ...(options.settleMs !== undefined && { settleMs: options.settleMs }),
    ...(options.holdFinished !== undefined && { holdFinished: options.holdFinished }),
    ...(options.holdQueued !== undefined && { holdQueued: options.holdQueued }),
    ...(options.letGoMs !== undefined && { letGoMs: options.letGoMs }),
    ...(options.checkAhead !== undefined && { checkAhead: options.checkAhead }),
  });
  return {
    engine,
    journal,
    client,
    async close() {
      await engine.close();
      preflight?.close();
      await journal.close();
    },
  };
}

/** Scans and identifies paths the way the app and CLI do. */
export async function filesUnder(...paths: string[]): Promise<FileToAdd[]> {
  const found: FileToAdd[] = [];
  for await (const file of scanPaths(paths)) found.push(await identify(file));
  return found;
}

/**
 * A real, playable 5-second MP4 (the fixture) padded to `size` bytes with a trailing `free` box of
 * random-looking bytes: it passes the preflight like any video, and random content (not zeros)
 * means a chunk sent to the wrong offset would change the hash and no two such files match.
 * Below the fixture's size the file is only MP4-shaped random bytes: use an engine without a check
 * and an emulator with media checks off. `base` is the fixture padded (a short video stays short).
 */
export async function randomFile(dir: string, name: string, size: number, base = 'video-h264.mp4'): Promise<string> {
  const video = await readFile(fixture(base));
  // A box over 4 GiB states its size in 64 bits (size field 1, then the real size).
  const header = size - video.length > 0xffffffff ? 16 : 8;
  const path = join(dir, name);
  const handle = await open(path, 'w');
  if (size < video.length + header) {
    // Smaller than the fixture: only MP4-shaped, for engines without a check (transport tests).
    const bytes = randomBytes(size);
    Buffer.from('\x00\x00\x00\x18ftypisom', 'latin1').copy(bytes);
    await handle.write(bytes);
    await handle.close();
    return path;
  }
  const box = Buffer.alloc(header);
  const boxSize = size - video.length;
  if (header === 16) {
    box.writeUInt32BE(1, 0);
    box.write('free', 4, 'latin1');
    box.writeBigUInt64BE(BigInt(boxSize), 8);
  } else {
    box.writeUInt32BE(boxSize, 0);
    box.write('free', 4, 'latin1');
  }
  await handle.write(Buffer.concat([video, box]));
  const block = randomBytes(1024 * 1024);
  for (let written = video.length + header, n = 0; written < size; n += 1) {
    block.writeUInt32BE(n, 0);
    const length = Math.min(block.length, size - written);
    await handle.write(block, 0, length);
    written += length;
  }
  await handle.close();
  return path;
}

/** A random-content "video" of `size` bytes in a fresh folder, as the engine takes a file to add. */
export async function videoToAdd(size: number, name = 'clip.mp4') {
  const path = await randomFile(await tempDir(), name, size);
  return {
    path,
    relativePath: name,
    size,
    mtimeMs: (await stat(path)).mtimeMs,
    kind: 'video' as const,
    mime: 'video/mp4',
  };
}
