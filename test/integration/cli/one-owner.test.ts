import { copyFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { journalPath } from '../../../electron/core/store/data-folder';
import { Database } from '../../../electron/core/store/database';
import { openTestApp } from '../../helpers/app';
import { jsonLines, runCli, startCli } from '../../helpers/cli';
import type { FaultConfig } from '../../emulator/faults';
import { control, fixture, useEmulator } from '../../helpers/emulator';
import { randomFile } from '../../helpers/engine';
import { tempDir } from '../../helpers/temp-dir';
import { until } from '../../helpers/until';
import { closeAfter } from '../../helpers/cleanup';

const KiB = 1024;

/**
 * Each chunk body is read at 512 KB/s; a test that needs a file still uploading while other
 * processes start holds its reports (`held`) until they have, rather than race the machine.
 */
describe('one process owns the queue of a data folder', () => {
  const slow: FaultConfig = { chunks: { bandwidthBytesPerSecond: 512 * KiB } };
  const emulator = useEmulator({ chunkSize: 256 * KiB, mediaChecks: false, faults: slow });
  const SIZE = 24 * 256 * KiB;
  const held = () =>
    emulator.current.setFaults({ ...slow, multipart: { hold: 'POST /assets/multipart-uploads/{id}' } });
  const released = () => emulator.current.setFaults(slow);

  async function dataDir(): Promise<string> {
    const dir = await tempDir();
    await writeFile(join(dir, 'settings.json'), JSON.stringify({ multipartThreshold: 5 * 1024 * KiB }));
    return dir;
  }

  const exited = (child: ReturnType<typeof startCli>) =>
    child.exitCode !== null
      ? Promise.resolve(child.exitCode)
      : new Promise<number | null>((done) => child.once('exit', (code) => done(code)));

  it('a second CLI hands its resume and upload to the first: no false failure, no second asset or scheduler', async () => {
    const dir = await dataDir();
    const before = await control(emulator.current, '/stats');
    held();
    const first = startCli(emulator.current, dir, ['upload', await randomFile(await tempDir(), 'long.mov', SIZE)]);
    await until(async () => (await control(emulator.current, '/stats')).chunk_puts - before.chunk_puts >= 2);

    // The nightly job starts while the first is still uploading: it resumes nothing twice.
    const resume = startCli(emulator.current, dir, ['resume']);
    await until(() => /TwelveLabs Uploader \(process \d+\) owns the queue/.test(resume.output()), 60_000);
    // And a new file added from a third process joins the same queue.
    const second = startCli(emulator.current, dir, ['upload', await randomFile(await tempDir(), 'more.mov', SIZE)]);
    await until(() => second.output().includes('this work joins it there'), 60_000);
    released();
    expect(await exited(resume), resume.output()).toBe(0);
    expect(await exited(second), second.output()).toBe(0);
    expect(second.output()).toContain('1 of 1 files uploaded');
    expect(await exited(first)).toBe(0);

    const after = await control(emulator.current, '/stats');
    expect(
      after.requests['POST /assets/multipart-uploads'] - (before.requests['POST /assets/multipart-uploads'] ?? 0),
    ).toBe(2);
    expect(after.assets - before.assets).toBe(2);
    // Every chunk once: no second scheduler sent the same parts.
    expect(after.chunk_puts - before.chunk_puts).toBe(48);
  });

  it('a file whose drive goes away ends upload the same way whether it runs the queue or hands it over', async () => {
    const run = async (handedOver: boolean) => {
      const dir = await dataDir();
      // Another process owning the queue: a watch of an empty folder, which runs until stopped.
      const owner = handedOver ? startCli(emulator.current, dir, ['watch', await tempDir()]) : null;
      if (owner) await until(() => owner.output().includes('Watching'), 60_000);
      const drive = await tempDir();
      const file = await randomFile(drive, 'card.mov', SIZE);
      const before = (await control(emulator.current, '/stats')).chunk_puts;
      const cli = startCli(emulator.current, dir, ['upload', file]);
      await until(async () => (await control(emulator.current, '/stats')).chunk_puts >= before + 2, 60_000);
      // The card reader is unplugged mid-file.
      await rename(drive, `${drive}-away`);
      const code = await Promise.race([
        exited(cli),
        new Promise<string>((done) => setTimeout(() => done('still waiting'), 30_000)),
      ]);
      cli.kill('SIGKILL');
      owner?.kill('SIGTERM');
      if (owner) await exited(owner);
      const summary = cli.output().trim().split('\n').at(-1);
      return { code, summary };
    };
    const local = await run(false);
    const handed = await run(true);
    expect(local.code).toBe(1);
    expect(handed).toEqual(local);
  });

  it('a resume right after the owner is SIGKILLed takes the queue over, in a loop, never crashing', async () => {
    const dir = await dataDir();
    const before = await control(emulator.current, '/stats');
    const file = await randomFile(await tempDir(), 'nightly.mov', SIZE);
    let owner = startCli(emulator.current, dir, ['upload', file]);
    for (let round = 0; round < 3; round += 1) {
      // The owner is killed mid-file, leaving its lock and its queue.sock behind.
      await until(async () => (await control(emulator.current, '/stats')).chunk_puts > before.chunk_puts + 2 * round);
      owner.kill('SIGKILL');
      await exited(owner);
      // The nightly job starts at once: it meets the dead owner's socket and takes over.
      owner = startCli(emulator.current, dir, ['resume']);
    }
    expect(await exited(owner), owner.output()).toBe(0);
    expect(owner.output()).not.toMatch(/ECONNREFUSED|Unexpected problem/);
    expect(owner.output()).toContain('1 of 1 files uploaded');
    const after = await control(emulator.current, '/stats');
    expect(after.assets - before.assets).toBe(1);
  });

  it('status reads the queue without changing it while another process uploads', async () => {
    const dir = await dataDir();
    held();
    const first = startCli(emulator.current, dir, ['upload', await randomFile(await tempDir(), 'watch.mov', SIZE)]);
    const states = async () => {
      const db = closeAfter(await Database.open(journalPath(dir)));
      const rows = await db.all<{ state: string }>('SELECT state FROM items');
      await db.close();
      return rows.map((row) => row.state);
    };
    await until(async () => (await states().catch(() => []))[0] === 'uploading');
    const status = await runCli(emulator.current, dir, ['--json', 'status']);
    expect(status.code).toBe(0);
    expect(jsonLines(status.output)[0].status.kind).toBe('uploading');
    expect(await states()).toEqual(['uploading']);
    released();
    expect(await exited(first)).toBe(0);
  });

  it('a CLI upload while the app runs is handed to the app, with the same output and exit code', async () => {
    const dir = await dataDir();
    const app = closeAfter(await openTestApp(dir, { emulator: emulator.current }));
    await app.secrets.set(emulator.current.apiKey);
    const result = await runCli(emulator.current, dir, ['upload', fixture('image.jpg')]);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('owns the queue; this work joins it there.');
    expect(result.output).toContain('1 of 1 files uploaded');
    expect((await app.engine.items()).map((item) => item.name)).toEqual(['image.jpg']);
  });
});

describe('the CLI and the app share one Library copy and one memory of uploads', () => {
  const emulator = useEmulator();

  it('a CLI upload finds an asset the Library copy knows, and a CLI delete makes the app forget it', async () => {
    const dir = await tempDir();
    const file = join(await tempDir(), 'interview.mp4');
    await copyFile(fixture('video-h264.mp4'), file);

    // Uploaded elsewhere (another data folder), then seen by this folder's Library copy.
    const elsewhere = await runCli(emulator.current, await tempDir(), ['--json', 'upload', file]);
    const assetId = jsonLines(elsewhere.output).find((line) => line.status?.kind === 'ready').status.assetId;
    const app = closeAfter(await openTestApp(dir, { emulator: emulator.current }));
    await app.secrets.set(emulator.current.apiKey);
    await app.library.refresh();
    await app.close();

    const again = await runCli(emulator.current, dir, ['--json', 'upload', file]);
    const item = jsonLines(again.output).find((line) => line.event === 'item' && line.status.kind === 'duplicate');
    expect(item?.status).toMatchObject({ assetId });
    // The file is in the library: running the same upload again is not a failure.
    expect(again.code, again.output).toBe(0);

    // Deleted from the CLI: the app no longer calls it "Already in your library".
    const deleted = await runCli(emulator.current, dir, ['assets', 'delete', assetId]);
    expect(deleted.code, deleted.output).toBe(0);
    const reopened = closeAfter(await openTestApp(dir, { emulator: emulator.current }));
    await reopened.secrets.set(emulator.current.apiKey);
    await reopened.engine.clearFinished();
    await reopened.contract.addPaths([file]);
    await until(async () => ['ready', 'duplicate'].includes((await reopened.engine.items())[0]?.status.kind ?? ''));
    expect((await reopened.engine.items())[0]?.status.kind).toBe('ready');
  });
});

describe('work handed to the owner carries its account', () => {
  const accountA = useEmulator();
  const accountB = useEmulator({ apiKeys: ['tlk_account_b'] });

  it('is refused, in words and with exit 2, when it is for another account, address or check', async () => {
    const dir = await tempDir();
    const app = closeAfter(await openTestApp(dir, { emulator: accountA.current }));
    await app.secrets.set(accountA.current.apiKey);
    const before = { a: await control(accountA.current, '/stats'), b: await control(accountB.current, '/stats') };
    const file = fixture('image.jpg');

    // A script for client B (its own address and key) while the app is signed in to client A.
    const otherAddress = await runCli(accountB.current, dir, ['upload', file]);
    expect(otherAddress.code, otherAddress.output).toBe(2);
    expect(otherAddress.output).toContain(
      `The process that owns the queue uploads to ${accountA.current.origin}, not ${accountB.current.origin}.`,
    );
    // The same address with another account's key.
    const otherKey = await runCli({ ...accountA.current, apiKey: 'tlk_someone_else' }, dir, ['upload', file]);
    expect(otherKey.code, otherKey.output).toBe(2);
    expect(otherKey.output).toContain('uploads with another API key than TWELVE_LABS_API_KEY here');
    // The same account, checked for another purpose than the app's.
    const otherUse = await runCli(accountA.current, dir, ['upload', '--for', 'analysis', file]);
    expect(otherUse.code, otherUse.output).toBe(2);
    expect(otherUse.output).toContain('checks files for search, not for analysis (--for)');
    const watch = await runCli(accountB.current, dir, ['watch', await tempDir()]);
    expect(watch.code, watch.output).toBe(2);
    expect(watch.output).toContain(`uploads to ${accountA.current.origin}`);

    expect(await app.engine.items()).toEqual([]);
    expect((await control(accountA.current, '/stats')).assets).toBe(before.a.assets);
    expect((await control(accountB.current, '/stats')).assets).toBe(before.b.assets);

    // Its own account and check: handed over and uploaded there, once.
    const same = await runCli(accountA.current, dir, ['upload', '--for', 'search', file]);
    expect(same.code, same.output).toBe(0);
    expect(same.output).toContain('owns the queue; this work joins it there.');
    expect((await control(accountA.current, '/stats')).assets).toBe(before.a.assets + 1);
  }, 120_000);
});
