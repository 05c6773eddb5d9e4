import { open, readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Database } from '../../electron/core/store/database';
import { openTestApp } from '../helpers/app';
import { runCli } from '../helpers/cli';
import { fixture, useEmulator } from '../helpers/emulator';
import { randomFile } from '../helpers/engine';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';
import { closeAfter } from '../helpers/cleanup';

/** The three files start-up reads, and the ways a crash, a sync tool or a bad sector leave them. */
const FILES = ['settings.json', 'uploads.sqlite', 'library.sqlite'] as const;
const DAMAGE = {
  'header overwritten': async (path: string) => {
    const handle = await open(path, 'r+');
    await handle.write(Buffer.from('garbage!'.repeat(8)), 0, 64, 0);
    await handle.close();
  },
  truncated: async (path: string) => truncate(path, Math.max(1, Math.floor((await stat(path)).size / 3))),
  empty: async (path: string) => truncate(path, 0),
  'not what it should be': async (path: string) =>
    writeFile(path, path.endsWith('.json') ? '{"filesInFlight": 3, "unterminated' : 'this is not a database'),
} as const;

describe('damaged files never stop the app or the CLI, and nothing is deleted', () => {
  const emulator = useEmulator({ processingDelayMs: 20 });

  /** A data folder the app has used: settings saved, one file uploaded, the Library read. */
  async function usedFolder(): Promise<string> {
    const dir = await tempDir();
    const app = closeAfter(await openTestApp(dir, { emulator: emulator.current }));
    await app.secrets.set(emulator.current.apiKey);
    await app.settings.update({ filesInFlight: 3 });
    await app.contract.addPaths([fixture('image.jpg')]);
    await until(async () => (await app.engine.items())[0]?.status.kind === 'ready');
    await app.library.refresh();
    await app.close();
    return dir;
  }

  const asides = async (dir: string, name: string) =>
    (await readdir(dir)).filter((entry) => entry.startsWith(`${name}.damaged-`) && !/-(wal|shm)$/.test(entry));

  for (const file of FILES) {
    for (const [how, damage] of Object.entries(DAMAGE)) {
      it(`${file}, ${how}: the app opens, keeps the old file aside, says so, and uploads`, async () => {
        const dir = await usedFolder();
        const before = await readFile(join(dir, file));
        await damage(join(dir, file));
        const damaged = await readFile(join(dir, file));
        const app = closeAfter(await openTestApp(dir, { emulator: emulator.current }));
        await app.secrets.set(emulator.current.apiKey);
        const kept = await asides(dir, file);
        if (kept.length > 0) {
          // Set aside byte for byte, and said in words that name where it is.
          expect(await readFile(join(dir, kept[0]!))).toEqual(damaged);
          expect(app.notices.join(' ')).toContain(kept[0]!);
        } else {
          // Read as it was (SQLite takes an empty file as a new database): nothing to mend.
          expect(app.notices).toEqual([]);
        }
        expect(before.length).toBeGreaterThan(0);
        // New content (a real video with random padding), so it is nobody's duplicate.
        await app.contract.addPaths([await randomFile(await tempDir(), 'after.mp4', 300_000)]);
        await until(async () =>
          (await app.engine.items()).some((item) => item.name === 'after.mp4' && item.status.kind === 'ready'),
        );
      });
    }
  }

  it('a damaged queue gives back what can still be read', async () => {
    const dir = await usedFolder();
    // Damage one page the queue's items do not live on: the file opens, fails SQLite's quick
    // check, and the items can still be read.
    const path = join(dir, 'uploads.sqlite');
    const db = closeAfter(await Database.open(path));
    const { page_size: pageSize } = (await db.get<{ page_size: number }>('PRAGMA page_size'))!;
    const { rootpage } = (await db.get<{ rootpage: number }>(
      "SELECT rootpage FROM sqlite_master WHERE name = 'uploaded_by_asset'",
    ))!;
    await db.close();
    const handle = await open(path, 'r+');
    await handle.write(Buffer.alloc(pageSize, 0xff), 0, pageSize, (rootpage - 1) * pageSize);
    await handle.close();
    const app = closeAfter(await openTestApp(dir, { emulator: emulator.current }));
    expect(app.notices).toEqual([
      expect.stringMatching(
        /^The upload queue could not be read, so a new one was started with the 1 file that could be recovered/,
      ),
    ]);
    expect((await app.engine.items()).map((item) => [item.name, item.status.kind])).toEqual([['image.jpg', 'ready']]);
  });

  it.each([
    [
      'settings.json',
      /Your settings could not be read, so the defaults are used\. The old settings are kept as .*settings\.json\.damaged-/,
    ],
    [
      'uploads.sqlite',
      /The upload queue could not be read, so a new one was started.*The old queue is kept as .*uploads\.sqlite\.damaged-/,
    ],
    ['library.sqlite', /The local copy of your library could not be read.*library\.sqlite\.damaged-/],
  ] as const)('the CLI says the same of a damaged %s in plain words and carries on', async (file, words) => {
    const dir = await usedFolder();
    await DAMAGE['header overwritten'](join(dir, file));
    const result = await runCli(emulator.current, dir, [
      'upload',
      await randomFile(await tempDir(), 'cli.mp4', 300_000),
    ]);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(words);
    expect(await asides(dir, file)).toHaveLength(1);
  });
});
