import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, _electron as electron, type ElectronApplication } from '@playwright/test';
import { startEmulator, type RunningEmulator } from '../emulator/server';
import { electronBinary } from '../helpers/electron-binary';
import { fixture } from '../helpers/emulator';
import { FIRST_PAGE } from '../../electron/shared/queue-pages';

const binary = electronBinary();

test.describe('the app in Electron', () => {
  test.skip(
    binary === null,
    'No Electron binary here (installed with ELECTRON_SKIP_BINARY_DOWNLOAD); this spec runs wherever `npm install` could download it.',
  );

  let emulator: RunningEmulator;
  let dataDir: string;
  test.beforeAll(async () => {
    emulator = await startEmulator({ processingDelayMs: 50 });
    dataDir = await mkdtemp(join(tmpdir(), 'tl-electron-'));
    await writeFile(join(dataDir, 'settings.json'), JSON.stringify({ apiBaseUrl: emulator.baseUrl }));
  });
  test.afterAll(() => emulator.close());

  async function launch(): Promise<ElectronApplication> {
    return electron.launch({
      ...(binary && { executablePath: binary }),
      args: ['.'],
      env: { ...process.env, TWELVELABS_UPLOADER_DATA_DIR: dataDir },
    });
  }

  test('opens a sandboxed window, takes a key, uploads a picked folder, and restores the queue after a restart', async () => {
    const folder = join(dataDir, 'Dropped');
    await mkdir(folder);
    await copyFile(fixture('image.jpg'), join(folder, 'still.jpg'));

    let app = await launch();
    let page = await app.firstWindow();
    await expect(page.getByRole('navigation', { name: 'Places' })).toBeVisible();
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await page.evaluate(() => 'ipcRenderer' in window)).toBe(false);

    expect(await page.evaluate((key) => window.api.secretsSetApiKey(key), emulator.apiKey)).toMatchObject({ ok: true });
    // Page script cannot name a path: an object that is not a real dropped file carries none.
    expect(await page.evaluate(() => window.api.uploadsAddDropped([{} as File]))).toMatchObject({
      ok: false,
      code: 'invalid_argument',
    });

    // The native folder dialog is the one thing replaced: it answers with the prepared folder.
    await app.evaluate(({ dialog }, path) => {
      dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: [path] })) as typeof dialog.showOpenDialog;
    }, folder);
    expect(await page.evaluate(() => window.api.uploadsPickFolder())).toEqual({
      ok: true,
      value: { queued: 1, skipped: 0 },
    });
    await expect
      .poll(
        async () =>
          page.evaluate(async (query) => {
            const list = await window.api.uploadsView(query);
            return list.ok ? list.value.rows.flatMap((row) => (row.kind === 'folder' ? [] : [row.status.kind])) : [];
          }, FIRST_PAGE),
        { timeout: 30_000 },
      )
      .toEqual(['ready']);
    await app.close();

    app = await launch();
    page = await app.firstWindow();
    await expect(page.getByRole('navigation', { name: 'Places' })).toBeVisible();
    const restored = await page.evaluate(async (query) => {
      const list = await window.api.uploadsView(query);
      return list.ok
        ? list.value.rows.flatMap((row) => (row.kind === 'folder' ? [] : [[row.relativePath, row.status.kind]]))
        : [];
    }, FIRST_PAGE);
    expect(restored).toEqual([['Dropped/still.jpg', 'ready']]);
    await app.close();
  });
});
