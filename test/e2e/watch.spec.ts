import { copyFile, mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { control, fixture } from '../helpers/emulator';
import { screenshotPath, startApp } from './harness/app-harness';
import { e2eSpace } from './harness/space';

const space = e2eSpace('watch', { emulator: { processingDelayMs: 100 } });

test('a watched folder, added in Settings, uploads what arrives, pauses, says when it is gone, and stops', async ({
  page,
}) => {
  const root = join(space.work, 'Ingest');
  await mkdir(root);
  const session = await startApp(page, {
    dataDir: join(space.work, 'data'),
    emulator: space.emulator,
    rendererUrl: space.renderer.url,
    pick: { folder: [root] },
  });
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByText('No folder is watched yet.')).toBeVisible();
  await page.getByRole('button', { name: 'Add watched folder…' }).click();
  const folder = page.getByTestId('watched-folder');
  await expect(folder).toHaveCount(1);
  await expect(folder.getByTestId('watch-state')).toHaveText('Watching');
  // Only main's dialog named the path; the page cannot set the list through settings.
  expect(await page.evaluate(() => window.api.settingsUpdate({ watchedFolders: [] } as never))).toMatchObject({
    ok: false,
    code: 'invalid_argument',
  });

  await copyFile(fixture('video-h264.mp4'), join(root, 'A001.mp4'));
  await page.getByRole('button', { name: 'Uploads' }).click();
  const row = page.getByTestId('upload-row').filter({ hasText: 'A001.mp4' });
  await expect(row).toHaveAttribute('data-state', 'ready', { timeout: 20_000 });
  await expect(row).toContainText('from the watched folder Ingest');
  await page.getByLabel('From').selectOption({ label: 'From Ingest' });
  await expect(page.getByTestId('upload-row')).toHaveCount(1);
  expect((await control(space.emulator, '/stats')).assets).toBe(1);

  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(folder.getByTestId('watch-state')).toContainText(/^Watching · last upload /);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 900, height: 600 });
    await folder.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath(`watched-folders-${scheme}.png`) });
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });

  // The folder's own metadata fields apply to what arrives from now on.
  await folder.getByRole('button', { name: 'Metadata fields (0) for Ingest' }).click();
  const editor = page.getByRole('region', { name: 'Metadata for files from Ingest' });
  await editor.getByRole('button', { name: 'Add field' }).click();
  await editor.getByLabel('Name').fill('project');
  await editor.getByLabel('Value').fill('Apollo');
  await editor.getByRole('button', { name: 'Save fields' }).click();
  await expect(editor.getByText('Saved. New files get these fields.')).toBeVisible();
  await editor.getByRole('button', { name: 'Close' }).click();
  expect(session.app.settings.get().watchedFolders[0]?.metadataTemplate).toEqual([
    { key: 'project', value: 'Apollo', type: 'text' },
  ]);
  await copyFile(fixture('audio.mp3'), join(root, 'wild-track.mp3'));
  await expect
    .poll(async () => (await session.app.engine.items()).find((item) => item.name === 'wild-track.mp3')?.status.kind, {
      timeout: 20_000,
    })
    .toBe('ready');
  const track = (await session.app.engine.items()).find((item) => item.name === 'wild-track.mp3')!;
  if (track.status.kind !== 'ready') throw new Error('not ready');
  expect((await control(space.emulator, `/assets/${track.status.assetId}`)).user_metadata).toMatchObject({
    project: 'Apollo',
  });

  await folder.getByRole('button', { name: 'Pause Ingest' }).click();
  await expect(folder.getByTestId('watch-state')).toHaveText('Paused');
  await copyFile(fixture('image.jpg'), join(root, 'still.jpg'));
  await page.waitForTimeout(1000);
  expect(await session.app.engine.items()).toHaveLength(2);
  await folder.getByRole('button', { name: 'Resume Ingest' }).click();
  await expect.poll(async () => (await session.app.engine.items()).length, { timeout: 20_000 }).toBe(3);

  await rename(root, join(space.work, 'unplugged'));
  await expect(folder.getByTestId('watch-state')).toHaveText('Folder not found: reconnect the drive', {
    timeout: 10_000,
  });
  await rename(join(space.work, 'unplugged'), root);
  await expect(folder.getByTestId('watch-state')).toContainText('Watching', { timeout: 10_000 });

  await folder.getByRole('button', { name: 'Stop watching Ingest' }).click();
  await expect(page.getByText('No folder is watched yet.')).toBeVisible();
  expect(session.app.settings.get().watchedFolders).toEqual([]);
});
