import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { api, control, fixture, sha256File } from '../../helpers/emulator';
import { openEngine, randomFile } from '../../helpers/engine';
import { tempDir } from '../../helpers/temp-dir';
import { until } from '../../helpers/until';
import { closeAfter } from '../../helpers/cleanup';

const KiB = 1024;

/**
 * A real full disk: the journal lives on a 2 MiB tmpfs that the test fills to the last byte, so
 * SQLite itself answers SQLITE_FULL. Mounting needs root (as CI runs); elsewhere these are skipped.
 */
const disk = join(tmpdir(), `tl-full-disk-${process.pid}`);
const mounted = (() => {
  try {
    mkdirSync(disk, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', disk], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
afterAll(() => {
  if (mounted) execFileSync('umount', [disk]);
});

/** Writes zeros until the disk refuses even one more byte (ENOSPC); returns the filler's path. */
function fillDisk(): string {
  const path = join(disk, 'filler');
  const fd = openSync(path, 'w');
  try {
    for (const size of [16 * KiB, 512, 1]) {
      const block = Buffer.alloc(size);
      try {
        for (;;) writeSync(fd, block);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      }
    }
  } finally {
    closeSync(fd);
  }
  return path;
}

async function assetsNamed(emulator: RunningEmulator, name: string): Promise<number> {
  const { body } = await api(emulator, `/assets?filename=${encodeURIComponent(name)}`);
  return (body.data ?? []).length;
}

describe.runIf(mounted)('a full disk under the upload queue', () => {
  it('holds the queue with "Your disk is full", fails nothing, and goes on once there is room', async () => {
    const emulator = closeAfter(
      await startEmulator({
        processingDelayMs: 20,
        mediaChecks: false,
        chunkSize: 32 * KiB,
        faults: { chunks: { bandwidthBytesPerSecond: 256 * KiB } },
      }),
    );
    const dataDir = await mkdtemp(join(disk, 'data-'));
    const { engine, journal } = closeAfter(await openEngine(emulator, dataDir));
    try {
      const seen = new Set<string>();
      engine.on('change', (change) => change.items.forEach((item) => seen.add(item.status.kind)));
      engine.start();
      const path = await randomFile(await tempDir(), 'big.mp4', 1024 * KiB);
      const size = (await stat(path)).size;
      const {
        ids: [id],
      } = await engine.add([
        { path, relativePath: 'big.mp4', size, mtimeMs: (await stat(path)).mtimeMs, kind: 'video', mime: 'video/mp4' },
      ]);
      // Half-way through, the disk fills: the next chunk receipt cannot be kept.
      await until(async () => ((await engine.item(id!))?.bytesSent ?? 0) > 128 * KiB);
      const filler = fillDisk();
      await until(() => engine.gate.state.kind === 'storage');
      const state = engine.gate.state;
      expect(state.kind === 'storage' && state.full).toBe(true);
      expect(state.kind === 'storage' && state.message).toMatch(/^Your disk is full\. Free some space/);
      await new Promise((done) => setTimeout(done, 1000));
      expect((await engine.item(id!))?.status.kind).not.toBe('failed');
      expect(engine.gate.state.kind).toBe('storage');

      await rm(filler);
      await engine.whenIdle();
      expect((await engine.item(id!))?.status.kind, JSON.stringify((await engine.item(id!))?.status)).toBe('ready');
      expect(seen.has('failed')).toBe(false);
      expect(engine.illegalMoves()).toEqual([]);
      expect(await assetsNamed(emulator, 'big.mp4')).toBe(1);
      const { assetId } = (await engine.item(id!))?.status as { assetId: string };
      expect((await control(emulator, `/assets/${assetId}`)).sha256).toBe(await sha256File(path));
    } finally {
      await engine.close();
      await journal.close();
      await emulator.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('a file checked while the disk is full is never refused or failed for it', async () => {
    const emulator = closeAfter(await startEmulator({ processingDelayMs: 20 }));
    const dataDir = await mkdtemp(join(disk, 'data-'));
    const { engine, journal } = closeAfter(await openEngine(emulator, dataDir, {}, { preflight: true }));
    try {
      const path = fixture('video-h264.mp4');
      const {
        ids: [id],
      } = await engine.add([
        {
          path,
          relativePath: 'video-h264.mp4',
          size: (await stat(path)).size,
          mtimeMs: (await stat(path)).mtimeMs,
          kind: 'video',
          mime: 'video/mp4',
        },
      ]);
      const filler = fillDisk();
      engine.start();
      await until(() => engine.gate.state.kind === 'storage');
      // Where it waits depends on which write found the disk full; never refused or failed.
      expect(['checking', 'queued']).toContain((await engine.item(id!))?.status.kind);
      await rm(filler);
      await engine.whenIdle();
      expect((await engine.item(id!))?.status.kind).toBe('ready');
      expect(await assetsNamed(emulator, 'video-h264.mp4')).toBe(1);
    } finally {
      await engine.close();
      await journal.close();
      await emulator.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
