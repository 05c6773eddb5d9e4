import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Conf from 'conf';
import { describe, expect, it, vi } from 'vitest';
import {
  SETTINGS_MIGRATIONS,
  SettingsStore,
  type SettingsBacking,
} from '../../../../electron/core/settings/settings-store';
import { DEFAULT_SETTINGS } from '../../../../electron/shared/settings';
import { tempDir } from '../../../helpers/temp-dir';

async function openStore(cwd: string): Promise<SettingsStore> {
  return new SettingsStore(new Conf({ cwd, projectName: 'twelvelabs-uploader-test' }) as unknown as SettingsBacking);
}

describe('settings', () => {
  it('starts from the documented defaults', async () => {
    const store = await openStore(await tempDir());
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(DEFAULT_SETTINGS.multipartThreshold).toBe(64_000_000);
  });

  it('keeps a valid change on disk for the next start', async () => {
    const dir = await tempDir();
    const store = await openStore(dir);
    const changed = vi.fn();
    store.on('change', changed);

    expect(store.update({ filesInFlight: 5, apiBaseUrl: 'http://127.0.0.1:4010/v1.3/' })).toMatchObject({ ok: true });
    expect(changed).toHaveBeenCalledOnce();

    const reopened = await openStore(dir);
    expect(reopened.get()).toMatchObject({ filesInFlight: 5, apiBaseUrl: 'http://127.0.0.1:4010/v1.3' });
    expect(JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'))).toMatchObject({ filesInFlight: 5 });
  });

  it('reads its file once, not on every question: the engine asks for each file it moves', async () => {
    const conf = new Conf({ cwd: await tempDir(), projectName: 'twelvelabs-uploader-test' });
    let reads = 0;
    const backing: SettingsBacking = {
      get store() {
        reads += 1;
        return conf.store;
      },
      set store(value) {
        conf.store = value as typeof conf.store;
      },
    };
    const store = new SettingsStore(backing);
    const before = reads;
    for (let n = 0; n < 1000; n += 1) store.get();
    expect(reads - before).toBe(1);
    store.update({ filesInFlight: 7 });
    expect(store.get().filesInFlight).toBe(7);
    expect(reads - before).toBeLessThanOrEqual(2);
  });

  it.each([
    [{ chunksInFlight: 0 }, 'Choose 1 to 32 parts at a time.'],
    [{ multipartThreshold: 300 * 1024 * 1024 }, 'Choose 6 to 199 MB (files from 200 MB are always sent in parts).'],
    [
      { apiBaseUrl: 'ftp://api.example.com' },
      'The address must start with https:// (plain http:// is only allowed for this computer).',
    ],
    [{ apiBaseUrl: 'api.twelvelabs.io' }, 'Enter a full address, such as https://api.twelvelabs.io/v1.3.'],
    [{ enableHls: 'yes' }, 'Invalid input: expected boolean, received string'],
  ])('rejects %j with a clear message for its field and changes nothing', async (patch, message) => {
    const store = await openStore(await tempDir());
    expect(store.update(patch)).toEqual({ ok: false, code: 'invalid_setting', message, field: Object.keys(patch)[0] });
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
  });

  it('falls back to the default for a stored value that no longer passes', async () => {
    const dir = await tempDir();
    const conf = new Conf({ cwd: dir, projectName: 'twelvelabs-uploader-test' });
    conf.store = { filesInFlight: 500, chunksInFlight: 9 };
    const store = new SettingsStore(conf as unknown as SettingsBacking);
    expect(store.get()).toMatchObject({ filesInFlight: DEFAULT_SETTINGS.filesInFlight, chunksInFlight: 9 });
  });

  it('keeps a metadata template, and refuses one with a bad name, token or value', async () => {
    const store = await openStore(await tempDir());
    const template = [
      { key: 'project', value: 'Spring campaign', type: 'text' },
      { key: 'shoot', value: '{folder}', type: 'text' },
      { key: 'reel', value: '4', type: 'integer' },
    ] as const;
    expect(store.update({ metadataTemplate: template })).toMatchObject({ ok: true });
    expect(store.get().metadataTemplate).toEqual(template);
    expect(
      store.update({
        metadataTemplate: [
          { key: 'reel', value: 'four', type: 'integer' },
          { key: 'take', value: '{scene}', type: 'text' },
          { key: 'content_sha256', value: 'x', type: 'text' },
        ],
      }),
    ).toEqual({
      ok: false,
      code: 'invalid_setting',
      message: expect.stringContaining('“reel” needs a whole number, like 3, not “four”.'),
      field: 'metadataTemplate',
    });
    const refused = store.update({ metadataTemplate: [{ key: 'take', value: '{scene}', type: 'text' }] });
    expect(refused).toMatchObject({
      ok: false,
      message: expect.stringContaining('“{scene}” in “take” is not a token'),
    });
    expect(store.get().metadataTemplate).toEqual(template);
  });

  it('stores only what was changed, so later defaults reach everyone else', async () => {
    const dir = await tempDir();
    const store = await openStore(dir);
    store.update({ filesInFlight: 5 });
    expect(JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'))).toEqual({
      settingsVersion: SETTINGS_MIGRATIONS.length,
      filesInFlight: 5,
    });
  });

  it('migrates a 0.1.0 document, which held every setting, to only the ones that differ from its defaults', async () => {
    const dir = await tempDir();
    const conf = new Conf({ cwd: dir, projectName: 'twelvelabs-uploader-test' });
    conf.store = {
      apiBaseUrl: DEFAULT_SETTINGS.apiBaseUrl,
      filesInFlight: 5,
      chunksInFlight: 6,
      bandwidthLimit: 0,
      multipartThreshold: 64 * 1024 * 1024,
      enableHls: false,
      enableThumbnail: true,
      duplicateDetection: true,
      notifications: true,
      keepAwake: true,
      startAtLogin: false,
    };
    const store = new SettingsStore(conf as unknown as SettingsBacking);
    expect(conf.store).toEqual({
      apiBaseUrl: DEFAULT_SETTINGS.apiBaseUrl,
      filesInFlight: 5,
      enableHls: false,
      settingsVersion: 1,
    });
    expect(store.get()).toMatchObject({ filesInFlight: 5, enableHls: false, chunksInFlight: 6 });
    // Run once: a later start does not undo a value chosen after the migration.
    store.update({ chunksInFlight: 6 });
    new SettingsStore(conf as unknown as SettingsBacking);
    expect(conf.store).toMatchObject({ chunksInFlight: 6, settingsVersion: 1 });
  });
});
