import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { fixture } from '../helpers/emulator';
import { screenshotPath, startApp } from './harness/app-harness';
import { e2eSpace } from './harness/space';

const space = e2eSpace('schedule', { emulator: { processingDelayMs: 100 } });

/** HH:MM on this computer's clock, `hours` from now. */
function clockIn(hours: number): string {
  const date = new Date(Date.now() + hours * 3600_000);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

test('outside the upload hours files wait, say until when, and Upload now sends a selection', async ({ page }) => {
  const folder = join(space.work, 'Tonight');
  await mkdir(folder);
  await copyFile(fixture('video-h264.mp4'), join(folder, 'dailies.mp4'));
  await copyFile(fixture('image.jpg'), join(folder, 'poster.jpg'));
  const session = await startApp(page, {
    dataDir: join(space.work, 'data'),
    emulator: space.emulator,
    rendererUrl: space.renderer.url,
    pick: { folder: [folder] },
  });
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Upload only between').check();
  const from = clockIn(2);
  await page.getByLabel('Uploads start at').fill(from);
  await page.getByLabel('Uploads stop at').fill(clockIn(3));
  await page.getByRole('button', { name: 'Add a time' }).click();
  await expect(page.getByTestId('bandwidth-entry')).toHaveCount(1);
  expect(session.app.settings.get().schedule).toMatchObject({ window: { from }, bandwidth: [{ limit: 5_000_000 }] });

  await page.getByRole('button', { name: 'Uploads' }).click();
  await page.getByRole('button', { name: 'Add folder' }).click();
  const dailies = page.getByTestId('upload-row').filter({ hasText: 'dailies.mp4' });
  await expect(dailies).toContainText(/Waiting until \d\d:\d\d/, { timeout: 20_000 });
  await expect(dailies).toContainText('(schedule)');
  await expect(page.getByTestId('activity')).toContainText(/Waiting until .* \(schedule\) · 2 waiting/);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 900, height: 600 });
    await page.screenshot({ path: screenshotPath(`schedule-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });

  await dailies.getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Upload now' }).click();
  await expect(dailies).toHaveAttribute('data-state', 'ready', { timeout: 20_000 });
  const poster = page.getByTestId('upload-row').filter({ hasText: 'poster.jpg' });
  await expect(poster).toHaveAttribute('data-state', 'queued');

  // Turning the schedule off lets the rest go at once, and nothing speaks of the schedule any
  // more (the upload is held open so the words can be read before it finishes).
  space.emulator.setFaults({ 'assets.create': { hold: 'POST /assets' } });
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Upload only between').uncheck();
  await page.getByRole('button', { name: 'Uploads' }).click();
  await expect(poster).toHaveAttribute('data-state', 'uploading', { timeout: 20_000 });
  await expect(page.getByTestId('activity')).not.toContainText(/schedule|Waiting until/);
  await expect(poster).not.toContainText(/schedule|Waiting until/);
  space.emulator.setFaults({});
  await expect(poster).toHaveAttribute('data-state', 'ready', { timeout: 20_000 });
  await expect(page.getByTestId('activity')).not.toContainText(/schedule|Waiting until/);
});
