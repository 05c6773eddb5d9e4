import { copyFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { encodeKey } from '../../../electron/core/secrets/bound-key';
import { Journal } from '../../../electron/core/upload/journal';
import { MemorySecretStore } from '../../../electron/core/secrets/secret-store';
import { DEFAULT_LIBRARY_QUERY } from '../../../electron/shared/library';
import { FIRST_PAGE } from '../../../electron/shared/queue-pages';
import { DEFAULT_API_BASE_URL } from '../../../electron/shared/settings';
import { openTestApp } from '../../helpers/app';
import { control, fixture, useEmulator } from '../../helpers/emulator';
import { tempDir } from '../../helpers/temp-dir';
import { until } from '../../helpers/until';
import { distinctPhotos } from '../../helpers/photos';
import { closeAfter } from '../../helpers/cleanup';

describe('the core behind the IPC contract', () => {
  const emulator = useEmulator({ apiKeys: ['tlk_good_key'] });

  it('reports whether a key is set and where it is kept, never the key itself', async () => {
    const app = closeAfter(await openTestApp(await tempDir()));
    expect(await app.contract.handlers['session:state']()).toEqual({
      ok: true,
      value: {
        hasApiKey: false,
        keyStorage: 'session-only',
        keychainAvailable: false,
        apiBaseUrl: DEFAULT_API_BASE_URL,
        connection: { kind: 'unknown' },
        locale: { language: 'en', region: 'en-US' },
        systemLanguage: 'en',
      },
    });
    await app.secrets.set('tlk_secret_value');
    const state = await app.contract.handlers['session:state']();
    expect(state).toMatchObject({ ok: true, value: { hasApiKey: true } });
    expect(JSON.stringify(state)).not.toContain('tlk_secret_value');
  });

  it('checks a key with TwelveLabs before storing it, and says why it was refused', async () => {
    const app = closeAfter(await openTestApp(await tempDir(), { emulator: emulator.current }));
    const changed = vi.fn();
    app.contract.events.on('session:changed', changed);
    expect(await app.contract.handlers['secrets:set-api-key']('tlk_typo')).toEqual({
      ok: false,
      code: 'api_key_invalid',
      message: 'TwelveLabs did not accept this key. Check that you copied all of it.',
    });
    expect(await app.secrets.get()).toBeNull();

    const accepted = await app.contract.handlers['secrets:set-api-key']('tlk_good_key');
    expect(accepted).toMatchObject({ ok: true, value: { hasApiKey: true, connection: { kind: 'online' } } });
    expect(JSON.stringify(accepted)).not.toContain('tlk_good_key');
    expect(await app.secrets.get()).toBe('tlk_good_key');
    expect(changed).toHaveBeenCalledWith(expect.objectContaining({ hasApiKey: true }));

    expect(await app.contract.handlers['secrets:clear-api-key']()).toMatchObject({
      ok: true,
      value: { hasApiKey: false },
    });
    expect(await app.secrets.get()).toBeNull();
  });

  it('says Online once a request gets through at start, not before', async () => {
    // A key the app stored earlier for this address (keys are kept with the origin they belong to).
    const secrets = new MemorySecretStore();
    await secrets.set(encodeKey({ key: 'tlk_good_key', origin: new URL(emulator.current.baseUrl).origin }));
    const app = closeAfter(await openTestApp(await tempDir(), { emulator: emulator.current, secrets }));
    await vi.waitFor(async () => {
      expect(await app.contract.handlers['session:state']()).toMatchObject({
        ok: true,
        value: { connection: { kind: 'online' } },
      });
    });
  });

  it('says what stands in the way when TwelveLabs cannot be reached to check a key, not "offline"', async () => {
    const dataDir = await tempDir();
    const app = closeAfter(await openTestApp(dataDir));
    await app.contract.handlers['settings:change-api-address']('http://127.0.0.1:9/v1.3');
    expect(await app.contract.handlers['secrets:set-api-key']('tlk_any')).toMatchObject({
      ok: false,
      code: 'network_blocked',
      message: expect.stringContaining('Could not check the key: 127.0.0.1:9 refused the connection.'),
    });
  });

  it('queues what the person picked or dropped, reporting the scan apart from the queue', async () => {
    const folder = join(await tempDir(), 'Day 2');
    await mkdir(join(folder, 'A-cam'), { recursive: true });
    await copyFile(fixture('image.jpg'), join(folder, 'A-cam', 'still.jpg'));
    await copyFile(fixture('audio.mp3'), join(folder, 'interview.mp3'));
    await writeFile(join(folder, 'Thumbs.db'), 'x');
    const secrets = new MemorySecretStore();
    const app = closeAfter(
      await openTestApp(await tempDir(), {
        pick: { folder: [folder], files: [fixture('image.png')] },
        secrets,
      }),
    );
    await app.engine.pause('all');
    const scans = vi.fn();
    app.contract.events.on('uploads:scan', scans);

    expect(await app.contract.handlers['uploads:pick-folder']()).toMatchObject({
      ok: true,
      value: { queued: 2, skipped: 1, skippedFiles: [{ reason: 'junk' }] },
    });
    expect(scans).toHaveBeenLastCalledWith({ active: false, found: 2 });
    expect(await app.contract.handlers['uploads:pick-files']()).toEqual({
      ok: true,
      value: { queued: 1, skipped: 0, skippedFiles: [] },
    });
    expect(await app.contract.handlers['uploads:add-dropped']([fixture('image.png')])).toEqual({
      ok: true,
      value: { queued: 0, skipped: 1, skippedFiles: [{ path: fixture('image.png'), reason: 'already-listed' }] },
    });

    const list = await app.contract.handlers['uploads:view'](FIRST_PAGE);
    if (!list.ok) throw new Error(list.message);
    const items = list.value.rows.filter((row) => row.kind !== 'folder');
    expect(items.map((item) => item.relativePath)).toEqual([
      'Day 2/A-cam/still.jpg',
      'Day 2/interview.mp3',
      'image.png',
    ]);
    expect(list.value.totals).toMatchObject({ files: 3, bytes: 21739 + 20498 + 8828 });
    // Main keeps the engine's own items for the pages; what reaches the window is the public row.
    for (const field of ['sha256', 'mtimeMs', 'attemptStartedAt', 'userMetadata'])
      expect(items[0]).not.toHaveProperty(field);

    const first = items[0]!;
    expect(await app.contract.handlers['uploads:reveal'](first.id)).toEqual({ ok: true, value: null });
    expect(app.revealed).toEqual([first.path]);
    expect(await app.contract.handlers['uploads:reveal']('0b6f1f4e-6a3b-4c1e-9d0e-2f3a4b5c6d7e')).toMatchObject({
      ok: false,
      code: 'unknown_item',
    });
  });

  it("reads the queue's pages again when a read of the journal failed, missing no change meanwhile", async () => {
    const app = closeAfter(await openTestApp(await tempDir(), { secrets: new MemorySecretStore() }));
    await app.engine.pause('all');
    vi.spyOn(Journal.prototype, 'read').mockRejectedValueOnce(new Error('SQLITE_IOERR: disk I/O error'));
    await expect(app.contract.handlers['uploads:view'](FIRST_PAGE)).rejects.toThrow('SQLITE_IOERR');
    expect(await app.contract.handlers['uploads:add-dropped']([fixture('image.png')])).toMatchObject({
      ok: true,
      value: { queued: 1 },
    });
    const list = await app.contract.handlers['uploads:view'](FIRST_PAGE);
    if (!list.ok) throw new Error(list.message);
    expect(list.value.rows.map((row) => (row.kind === 'folder' ? row.kind : row.relativePath))).toEqual(['image.png']);
  });

  it('moves a file waiting in the journal alone (not in memory) to the front of the line', async () => {
    const folder = await distinctPhotos('Stills', 6, (at) => `S${at}.jpg`);
    // Memory holds the line's first 2.
    const app = closeAfter(
      await openTestApp(await tempDir(), {
        secrets: new MemorySecretStore(),
        pick: { folder: [folder] },
        memory: { holdQueued: 2, letGoMs: 10 },
      }),
    );
    // Outside the upload window (the next hour but one): nothing is sent.
    const hour = (new Date().getHours() + 2) % 24;
    const at = (h: number) => `${String(h % 24).padStart(2, '0')}:00`;
    await app.contract.handlers['settings:update']({
      schedule: { window: { from: at(hour), to: at(hour + 1) }, bandwidth: [] },
    });
    await app.contract.handlers['uploads:pick-folder']();
    await until(() => app.engine.countIn(['queued']) === 6 && app.engine.shelved() === 4);
    const last = (await app.engine.items()).at(-1)!;
    expect(app.engine.held(last.id)).toBeUndefined();
    expect(await app.contract.handlers['uploads:move-to-top']([last.id])).toEqual({ ok: true, value: null });
    expect(app.engine.held(last.id)?.status.kind).toBe('queued');
    const list = await app.contract.handlers['uploads:view'](FIRST_PAGE);
    if (!list.ok) throw new Error(list.message);
    expect(list.value.rows.map((row) => (row.kind === 'folder' ? row.kind : row.name))).toEqual([
      'S5.jpg',
      'S0.jpg',
      'S1.jpg',
      'S2.jpg',
      'S3.jpg',
      'S4.jpg',
    ]);
  });

  it('queues a messy folder correctly: junk skipped, a link loop survived, copies recognised, metadata per file', async () => {
    const folder = join(await tempDir(), 'Archive');
    await mkdir(join(folder, 'Day 1', 'A-cam'), { recursive: true });
    await mkdir(join(folder, 'Day 2'), { recursive: true });
    await copyFile(fixture('audio.mp3'), join(folder, 'Day 1', 'A-cam', '7.mp3'));
    await copyFile(fixture('audio.mp3'), join(folder, 'Day 2', '8.mp3'));
    await copyFile(fixture('image.png'), join(folder, 'Day 2', 'cover.png'));
    await copyFile(fixture('too-short.mp4'), join(folder, 'Day 2', '9.mp4'));
    await writeFile(join(folder, 'Day 2', '.DS_Store'), 'x');
    await writeFile(join(folder, 'Day 2', 'clip.mov.crdownload'), 'x');
    await symlink(folder, join(folder, 'Day 1', 'back to archive'));
    const app = closeAfter(
      await openTestApp(await tempDir(), { emulator: emulator.current, pick: { folder: [folder] } }),
    );
    await app.secrets.set('tlk_good_key');
    expect(
      app.settings.update({
        metadataTemplate: [
          { key: 'day', value: '{path}', type: 'text' },
          { key: 'take', value: '{name}', type: 'integer' },
        ],
        // Files search cannot use are skipped here, not uploaded with a warning.
        skipUnusable: true,
      }),
    ).toMatchObject({ ok: true });

    expect(await app.contract.handlers['uploads:pick-folder']()).toMatchObject({
      ok: true,
      value: { queued: 4, skipped: 3 },
    });
    await app.engine.whenIdle();
    const states = Object.fromEntries((await app.engine.items()).map((item) => [item.relativePath, item.status]));
    // The two copies are checked side by side: either may be the one that goes.
    const [first, second] = ['Archive/Day 1/A-cam/7.mp3', 'Archive/Day 2/8.mp3'].sort((a) =>
      states[a]?.kind === 'ready' ? -1 : 1,
    ) as [string, string];
    const uploaded = states[first];
    if (uploaded?.kind !== 'ready') throw new Error(JSON.stringify(uploaded));
    expect(states).toEqual({
      [first]: uploaded,
      [second]: { kind: 'duplicate', assetId: uploaded.assetId, of: first.split('/').pop() },
      'Archive/Day 2/9.mp4': expect.objectContaining({
        kind: 'rejected',
        code: 'video_duration_too_short',
        message:
          "Skipped, as it can't be used for search: this video is 2 seconds long; the shortest that can be used is 4 seconds. Use a longer clip.",
      }),
      'Archive/Day 2/cover.png': {
        kind: 'rejected',
        code: 'metadata_invalid',
        message: '“take” needs a whole number, like 3, not “cover”. Fix the template in Settings.',
      },
    });
    const stored = await control(emulator.current, `/assets/${uploaded.assetId}`);
    expect(stored.user_metadata).toMatchObject({ day: first, take: first.endsWith('7.mp3') ? 7 : 8 });
  });

  it('brings a finished upload into the Library without waiting for a full read', async () => {
    const app = closeAfter(
      await openTestApp(await tempDir(), {
        emulator: emulator.current,
        pick: { files: [fixture('image.jpg')] },
      }),
    );
    await app.secrets.set('tlk_good_key');
    await app.contract.handlers['uploads:pick-files']();
    await app.engine.whenIdle();
    const [item] = await app.engine.items();
    if (item?.status.kind !== 'ready') throw new Error(JSON.stringify(item?.status));
    const { assetId } = item.status;
    await vi.waitFor(async () => {
      const page = await app.contract.handlers['library:list'](DEFAULT_LIBRARY_QUERY);
      expect(page.ok && page.value.assets.map((asset) => asset.id)).toEqual([assetId]);
    });
    expect(await app.library.sync()).toMatchObject({ syncedAt: null });
  });

  it('tells listeners about a settings change and the session it affects', async () => {
    const app = closeAfter(await openTestApp(await tempDir()));
    const settingsChanged = vi.fn();
    const sessionChanged = vi.fn();
    app.contract.events.on('settings:changed', settingsChanged);
    const stop = app.contract.events.on('session:changed', sessionChanged);

    await app.contract.handlers['settings:change-api-address']('http://127.0.0.1:4010/v1.3');
    await vi.waitFor(() =>
      expect(sessionChanged).toHaveBeenCalledWith(
        expect.objectContaining({ apiBaseUrl: 'http://127.0.0.1:4010/v1.3' }),
      ),
    );
    expect(settingsChanged.mock.calls[0]?.[0]).toMatchObject({ apiBaseUrl: 'http://127.0.0.1:4010/v1.3' });

    stop();
    const calls = sessionChanged.mock.calls.length;
    await app.contract.handlers['settings:update']({ filesInFlight: 5 });
    await vi.waitFor(() => expect(settingsChanged).toHaveBeenCalledTimes(2));
    expect(sessionChanged).toHaveBeenCalledTimes(calls);
  });
});
