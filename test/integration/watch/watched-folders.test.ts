import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFile, copyFile, mkdir, readFile, rename, stat, symlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { watchedFolderWords } from '../../../electron/shared/watch';
import { WatchService, type WatchedFolder } from '../../../electron/core/watch/watch-service';
import { FolderWatcher, type WatchFolder } from '../../../electron/core/watch/folder-watcher';
import { nameAliases } from '../../../electron/core/media/name-alias';
import { openTestApp } from '../../helpers/app';
import { jsonLines, runCli, startCli } from '../../helpers/cli';
import { control, fixture, sha256File, useEmulator } from '../../helpers/emulator';
import { openEngine } from '../../helpers/engine';
import { tempDir } from '../../helpers/temp-dir';
import { until } from '../../helpers/until';
import { closeAfter } from '../../helpers/cleanup';
import { distinctPhotos } from '../../helpers/photos';

const SETTLE_MS = 400;

function folder(path: string, id = 'f1'): WatchedFolder {
  return { id, path, paused: false, subfolders: true, polling: 'off', metadataTemplate: [] };
}

async function watching(
  emulator: Parameters<typeof openEngine>[0],
  dataDir: string,
  options: {
    start?: boolean;
    settings?: Parameters<typeof openEngine>[2];
    engine?: Parameters<typeof openEngine>[3];
  } = {},
) {
  const { engine, journal } = closeAfter(
    await openEngine(emulator, dataDir, options.settings, { preflight: true, ...options.engine }),
  );
  if (options.start !== false) engine.start();
  const alias = nameAliases(join(dataDir, 'names'));
  const service = new WatchService({ engine, journal, settleMs: SETTLE_MS, pollMs: 200, alias });
  return {
    engine,
    journal,
    service,
    async close() {
      await service.close();
      await engine.close();
      await journal.close();
    },
  };
}

describe('watched folders', () => {
  const emulator = useEmulator({ processingDelayMs: 20 });

  it('queues files copied in, once each, with the folder’s metadata, and says where it stands', async () => {
    const root = join(await tempDir(), 'Drop');
    await mkdir(root);
    const app = await watching(emulator.current, await tempDir());
    await app.service.set([
      { ...folder(root), metadataTemplate: [{ key: 'source', value: '{folder}', type: 'text' }] },
    ]);
    await app.service.caughtUp();
    expect(app.service.views()).toMatchObject([{ name: 'Drop', state: 'watching', waiting: 0 }]);
    await mkdir(join(root, 'Card 1'));
    await copyFile(fixture('video-h264.mp4'), join(root, 'Card 1', 'A001.mp4'));
    await copyFile(fixture('image.jpg'), join(root, 'still.jpg'));
    await writeFile(join(root, 'clip.mov.part'), 'partial');
    await writeFile(join(root, '~$notes.docx'), 'lock');
    await until(async () => (await app.engine.items()).length === 2);
    await app.engine.whenIdle();
    const items = await app.engine.items();
    expect(items.map((item) => [item.relativePath, item.status.kind]).sort()).toEqual([
      ['Drop/Card 1/A001.mp4', 'ready'],
      ['Drop/still.jpg', 'ready'],
    ]);
    const clip = items.find((item) => item.name === 'A001.mp4')!;
    if (clip.status.kind !== 'ready') throw new Error('not ready');
    expect((await control(emulator.current, `/assets/${clip.status.assetId}`)).user_metadata).toMatchObject({
      source: 'Card 1',
    });
    // The engine's change feed (at most four times a second) brings the finished upload.
    await until(() => app.service.views()[0]?.lastUploadAt !== null);
    expect(app.service.views()[0]).toMatchObject({ state: 'watching', waiting: 0 });
  });

  it('passes over pipes, device links, links out of it and loops, and the app keeps answering', async () => {
    const base = await tempDir();
    const root = join(base, 'Drop');
    await mkdir(root);
    await mkdir(join(base, 'Private'));
    await writeFile(join(base, 'Private', 'passport.jpg'), await readFile(fixture('image.jpg')));
    const app = await watching(emulator.current, await tempDir());
    await app.service.set([folder(root)]);
    await app.service.caughtUp();
    const before = (await control(emulator.current, '/stats')).assets;
    // Four FIFOs: opened for reading, each would hold one of libuv's four threads until a writer
    // came, and every file read, hash and SQLite call in the process would stop behind them.
    execFileSync(
      'mkfifo',
      ['a', 'b', 'c', 'd'].map((name) => join(root, `capture-${name}.mov`)),
    );
    await symlink('/dev/zero', join(root, 'zeros.mp4'));
    await symlink(join(base, 'Private', 'passport.jpg'), join(root, 'passport.jpg'));
    // A link back to the folder itself is not walked into: its files are watched under their own
    // names, once.
    await symlink(root, join(root, 'loop'));
    await symlink(join(base, 'gone.mp4'), join(root, 'dangling.mp4'));
    await symlink('self.mp4', join(root, 'self.mp4'));
    await until(() => app.service.views()[0]?.skipped === 8);
    expect(watchedFolderWords(app.service.views()[0]!)).toContain('8 skipped (not files, or links out of it)');

    await copyFile(fixture('video-h264.mp4'), join(root, 'A001.mp4'));
    await until(async () => (await app.engine.items()).length === 1);
    await app.engine.whenIdle();
    expect((await app.engine.items()).map((item) => [item.relativePath, item.status.kind])).toEqual([
      ['Drop/A001.mp4', 'ready'],
    ]);
    expect((await control(emulator.current, '/stats')).assets).toBe(before + 1);
  });

  it('uploads a file whose name is not valid UTF-8, named readably, its bytes in the metadata', async () => {
    const root = join(await tempDir(), 'Archive');
    await mkdir(root);
    const app = await watching(emulator.current, await tempDir());
    await app.service.set([folder(root)]);
    await app.service.caughtUp();
    // "legacy-été.png" as an old Windows share wrote it: Latin-1, not UTF-8.
    const name = Buffer.concat([
      Buffer.from('legacy-'),
      Buffer.from([0xe9]),
      Buffer.from('t'),
      Buffer.from([0xe9, 0x2e]),
      Buffer.from('png'),
    ]);
    await writeFile(Buffer.concat([Buffer.from(`${root}/`), name]), await readFile(fixture('image.png')));
    await until(async () => (await app.engine.items()).length === 1);
    await app.engine.whenIdle();
    const [item] = await app.engine.items();
    expect(item).toMatchObject({ relativePath: 'Archive/legacy-été.png', status: { kind: 'ready' } });
    const asset = await control(emulator.current, `/assets/${(item!.status as { assetId: string }).assetId}`);
    expect(asset.user_metadata).toMatchObject({ original_name_bytes: 'legacy-%E9t%E9.png' });
    expect(app.service.views()[0]?.skipped).toBe(0);
  });

  it('reads the folder on a timer when the system will watch no more folders, and says so', async () => {
    const root = join(await tempDir(), 'Ingest');
    await mkdir(join(root, 'Card 1'), { recursive: true });
    // inotify's limit (fs.inotify.max_user_watches) is the whole machine's: the refusal is made here.
    const refused: WatchFolder = () => {
      throw Object.assign(new Error('ENOSPC: System limit for number of file watchers reached'), { code: 'ENOSPC' });
    };
    const watcher = new FolderWatcher({
      root,
      subfolders: true,
      polling: 'off',
      settleMs: 200,
      pollMs: 200,
      watch: refused,
    });
    const found: string[] = [];
    watcher.on('file', (file) => found.push(file.relativePath));
    await watcher.start();
    await until(() => watcher.state.kind === 'watching');
    expect(watcher.state).toEqual({ kind: 'watching', polling: 'limit' });
    await writeFile(join(root, 'Card 1', 'A001.mp4'), 'x');
    await until(() => found.length === 1);
    expect(found).toEqual(['Ingest/Card 1/A001.mp4']);
    await watcher.close();
    const words = watchedFolderWords({
      id: root,
      path: root,
      name: 'Ingest',
      state: 'watching',
      polling: 'limit',
      waiting: 0,
      settling: 0,
      skipped: 0,
      lastUploadAt: null,
    });
    expect(words).toBe(
      'Watching (checked every few seconds: this computer watches as many folders as it allows; ask IT to raise the limit, or watch fewer folders)',
    );
  });

  it('waits for a file still being written, and sends it whole, once', async () => {
    const root = join(await tempDir(), 'Renders');
    await mkdir(root);
    const app = await watching(emulator.current, await tempDir());
    await app.service.set([folder(root)]);
    await app.service.caughtUp();
    const video = await import('node:fs/promises').then((fs) => fs.readFile(fixture('video-h264.mp4')));
    const path = join(root, 'export.mp4');
    // Written in eight pieces, 200 ms apart: the writer pauses less than the settle time.
    const step = Math.ceil(video.length / 8);
    for (let offset = 0; offset < video.length; offset += step) {
      await appendFile(path, video.subarray(offset, offset + step));
      await new Promise((done) => setTimeout(done, 200));
      expect(await app.engine.items()).toHaveLength(0);
    }
    await until(async () => (await app.engine.items()).length === 1);
    await app.engine.whenIdle();
    const [item] = await app.engine.items();
    if (item?.status.kind !== 'ready') throw new Error(JSON.stringify(item?.status));
    expect(item.size).toBe(video.length);
    expect((await control(emulator.current, `/assets/${item.status.assetId}`)).sha256).toBe(await sha256File(path));
  });

  it('catches up after a restart: only what arrived or changed meanwhile, and never a rename twice', async () => {
    const root = join(await tempDir(), 'Archive');
    await mkdir(join(root, 'Day 1'), { recursive: true });
    await copyFile(fixture('audio.mp3'), join(root, 'Day 1', 'interview.mp3'));
    const dataDir = await tempDir();
    const first = await watching(emulator.current, dataDir);
    await first.service.set([folder(root)]);
    await until(async () => (await first.engine.items()).length === 1);
    await first.engine.whenIdle();
    const before = (await control(emulator.current, '/stats')).assets;
    await first.close();

    // While the app is closed: a new file arrives, and the uploaded one is moved within the tree.
    await copyFile(fixture('audio.wav'), join(root, 'Day 1', 'room-tone.wav'));
    await mkdir(join(root, 'Day 2'));
    await rename(join(root, 'Day 1', 'interview.mp3'), join(root, 'Day 2', 'interview-final.mp3'));

    const second = await watching(emulator.current, dataDir);
    try {
      await second.service.set([folder(root)]);
      await second.service.caughtUp();
      await until(async () => (await second.engine.items()).length === 3);
      await second.engine.whenIdle();
      const states = Object.fromEntries(
        (await second.engine.items()).map((item) => [item.relativePath, item.status.kind]),
      );
      expect(states).toEqual({
        'Archive/Day 1/interview.mp3': 'ready',
        'Archive/Day 1/room-tone.wav': 'ready',
        // The same content under a new name: recognised, not sent.
        'Archive/Day 2/interview-final.mp3': 'duplicate',
      });
      expect((await control(emulator.current, '/stats')).assets).toBe(before + 1);

      // Unchanged files stay quiet through another restart.
      await second.service.set([]);
      await second.service.set([folder(root)]);
      await second.service.caughtUp();
      await new Promise((done) => setTimeout(done, SETTLE_MS * 3));
      expect(await second.engine.items()).toHaveLength(3);
    } finally {
      await second.close();
    }
  });

  it('queues a burst of 1,000 files copied at once, each exactly once', async () => {
    const root = join(await tempDir(), 'Card');
    await mkdir(root);
    // Not started: the queue fills, nothing is sent, so only the watching is measured here.
    const app = await watching(emulator.current, await tempDir(), { start: false });
    await app.service.set([folder(root)]);
    await app.service.caughtUp();
    await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        writeFile(join(root, `C${String(i).padStart(4, '0')}.mp4`), randomBytes(64)),
      ),
    );
    await until(async () => (await app.engine.items()).length >= 1000, 30_000);
    await new Promise((done) => setTimeout(done, SETTLE_MS * 3));
    await app.service.flushed();
    const paths = (await app.engine.items()).map((item) => item.path);
    expect(paths).toHaveLength(1000);
    expect(new Set(paths).size).toBe(1000);
    // The folder's waiting files are counted from its own, never from a copy of the whole queue.
    const whole = vi.spyOn(app.engine, 'items');
    expect(app.service.views()[0]).toMatchObject({ waiting: 1000 });
    expect(whole).not.toHaveBeenCalled();
  });

  it('counts a folder’s files waiting their turn in the journal alone as waiting', async () => {
    const root = await distinctPhotos('Stills', 12, (at) => `S${at}.jpg`);
    // Outside the upload window: every file is checked and waits, memory holding the line's first 3.
    const noon = new Date(2026, 11, 2, 12, 0).getTime();
    const app = await watching(emulator.current, await tempDir(), {
      settings: { schedule: { window: { from: '19:00', to: '07:00' }, bandwidth: [] } },
      engine: { now: () => noon, holdQueued: 3, letGoMs: 10 },
    });
    await app.service.set([folder(root)]);
    await until(() => app.engine.countIn(['queued']) === 12 && app.engine.shelved() === 9);
    expect(app.engine.shelved(root)).toBe(9);
    expect(app.service.views()[0]).toMatchObject({ waiting: 12 });
  });

  it('says when the folder is gone, and picks up where it was when it is back', async () => {
    const parent = await tempDir();
    const root = join(parent, 'Shuttle drive');
    await mkdir(root);
    const app = await watching(emulator.current, await tempDir());
    await app.service.set([folder(root)]);
    await app.service.caughtUp();
    // The drive is unplugged: the folder is gone.
    await rename(root, join(parent, 'elsewhere'));
    await until(() => app.service.views()[0]?.state === 'missing');
    await copyFile(fixture('image.png'), join(parent, 'elsewhere', 'frame.png'));
    // Plugged back in, with a file added on another computer meanwhile.
    await rename(join(parent, 'elsewhere'), root);
    await until(() => app.service.views()[0]?.state === 'watching');
    await until(async () => (await app.engine.items()).length === 1);
    await app.engine.whenIdle();
    expect((await app.engine.items())[0]).toMatchObject({
      relativePath: 'Shuttle drive/frame.png',
      status: { kind: 'ready' },
    });
    expect((await stat(join(root, 'frame.png'))).isFile()).toBe(true);
  });
});

describe('twelvelabs-uploader watch', () => {
  const emulator = useEmulator({ processingDelayMs: 20 });

  it.each([
    ['SIGTERM', 0],
    ['SIGINT', 130],
  ] as const)('uploads what arrives until %s, then stops cleanly (exit %i)', async (signal, exitCode) => {
    const root = join(await tempDir(), 'Inbox');
    await mkdir(root);
    const pipe = join(root, 'capture.mov');
    execFileSync('mkfifo', [pipe]);
    const dataDir = await tempDir();
    const cli = startCli(emulator.current, dataDir, [
      '--json',
      'watch',
      root,
      '--settle',
      '0.4',
      '-m',
      'project=Apollo',
    ]);
    await until(() => cli.output().includes('"state":"watching"'));
    await copyFile(fixture('video-h264.mp4'), join(root, 'A001.mp4'));
    await until(() => jsonLines(cli.output()).some((line) => line.event === 'item' && line.status.kind === 'ready'));
    cli.kill(signal);
    const code = await new Promise<number | null>((resolve) => cli.once('exit', resolve));
    expect(code).toBe(exitCode);
    const lines = jsonLines(cli.output());
    expect(lines.filter((line) => line.event === 'folder').map((line) => [line.path, line.state])).toEqual([
      [root, 'starting'],
      [root, 'watching'],
    ]);
    expect(lines.at(-1)).toEqual({ event: 'stopped' });
    // What it passed over is named, as `upload` names it.
    expect(lines).toContainEqual({ event: 'skipped', path: pipe, reason: 'not-a-file' });
    const ready = lines.find((line) => line.event === 'item' && line.status.kind === 'ready');
    expect((await control(emulator.current, `/assets/${ready.status.assetId}`)).user_metadata).toMatchObject({
      project: 'Apollo',
    });
    // Journalled cleanly: a status run afterwards sees the file as uploaded.
    const status = await runCli(emulator.current, dataDir, ['--json', 'status']);
    expect(status.code).toBe(0);
    expect(status.output).toContain('A001.mp4');
  });
});

describe('twelvelabs-uploader watch with the app running', () => {
  const emulator = useEmulator({ processingDelayMs: 20 });

  it('hands the folders to the app, reports their files, and the app lets go when it stops', async () => {
    const root = join(await tempDir(), 'Hot folder');
    await mkdir(root);
    const dataDir = await tempDir();
    const app = closeAfter(await openTestApp(dataDir, { emulator: emulator.current }));
    await app.secrets.set(emulator.current.apiKey);
    const cli = startCli(emulator.current, dataDir, ['--json', 'watch', root]);
    await until(() => cli.output().includes('"state":"watching"'));
    await until(() => app.watch.views().some((view) => view.path === root && view.state === 'watching'));
    await copyFile(fixture('image.png'), join(root, 'frame.png'));
    await until(() => jsonLines(cli.output()).some((line) => line.event === 'item' && line.status.kind === 'ready'));
    expect(await app.engine.items()).toMatchObject([
      { name: 'frame.png', watchFolder: root, status: { kind: 'ready' } },
    ]);
    cli.kill('SIGTERM');
    expect(await new Promise((resolve) => cli.once('exit', resolve))).toBe(0);
    await until(() => app.watch.views().length === 0);
  });
});

describe('a watched folder in the app', () => {
  const emulator = useEmulator({ processingDelayMs: 20 });

  it('checks its files against what the folder is for, and other files against the setting', async () => {
    const root = join(await tempDir(), 'Analysis inbox');
    await mkdir(root);
    const elsewhere = join(await tempDir(), 'teaser.mp4');
    await copyFile(fixture('too-short.mp4'), elsewhere);
    const app = closeAfter(
      await openTestApp(await tempDir(), { emulator: emulator.current, pick: { folder: [root] } }),
    );
    await app.secrets.set(emulator.current.apiKey);
    expect(app.settings.update({ skipUnusable: true })).toMatchObject({ ok: true });
    expect(await app.contract.handlers['watch:add']()).toMatchObject({ ok: true, value: [{ path: root }] });
    expect(await app.contract.handlers['watch:update'](root, { filesAreFor: 'analysis' })).toMatchObject({ ok: true });
    // Only main's dialog adds folders; one nobody added cannot be changed.
    expect(await app.contract.handlers['watch:update']('/etc', { paused: true })).toMatchObject({
      ok: false,
      code: 'not_watched',
    });
    await copyFile(fixture('too-short.mp4'), join(root, 'pickup.mp4'));
    await app.contract.handlers['uploads:add-dropped']([elsewhere]);
    await until(async () => (await app.engine.items()).filter((item) => item.status.kind === 'rejected').length === 2);
    const items = await app.engine.items();
    const message = (name: string) => {
      const status = items.find((item) => item.name === name)?.status;
      return status?.kind === 'rejected' ? status.message : '';
    };
    expect(message('pickup.mp4')).toContain("can't be used for analysis: this video is 2 seconds long; the shortest");
    expect(message('teaser.mp4')).toContain("can't be used for search: this video is 2 seconds long; the shortest");
    expect(await app.contract.handlers['watch:remove'](root)).toEqual({ ok: true, value: [] });
  });

  it('refuses a whole disk, the home folder and the system’s folders, whichever way they come', async () => {
    for (const [folder, words] of [
      ['/', 'is a whole disk'],
      [homedir(), 'is your home folder'],
      ['/usr/share', 'belongs to the system'],
    ] as const) {
      const app = closeAfter(
        await openTestApp(await tempDir(), { emulator: emulator.current, pick: { folder: [folder] } }),
      );
      expect(await app.contract.handlers['watch:add']()).toMatchObject({
        ok: false,
        code: 'folder_not_watchable',
        message: expect.stringContaining(words),
      });
      expect(app.settings.get().watchedFolders).toEqual([]);
    }
  });
});
