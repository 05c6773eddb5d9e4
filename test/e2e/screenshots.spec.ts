import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { openSecretStore } from '../../electron/core/secrets/secret-store';
import { startEmulator } from '../emulator/server';
import { openTestApp } from '../helpers/app';
import { fixture } from '../helpers/emulator';
import { randomFile } from '../helpers/engine';
import { openApp, serveRenderer, screenshotPath } from './harness/app-harness';

/**
 * Takes the README's screenshots from real data: the real engine uploading real files to the
 * emulator, in both themes. `npm run screenshots` writes them to docs/screenshots/.
 */
test('screenshots of each screen, from a real queue', async ({ page }) => {
  const work = await mkdtemp(join(tmpdir(), 'tl-shots-'));
  const renderer = await serveRenderer();
  // Chunks crawl at 64 KB/s so the large files are caught mid-upload.
  const emulator = await startEmulator({
    // A video the model cannot use fails processing (the seed's answer), for a failed row.
    modelRulesAtUpload: true,
    chunkSize: 256 * 1024,
    processingDelayMs: 100,
    faults: { chunks: { bandwidthBytesPerSecond: 64 * 1024 } },
  });
  const folder = join(work, 'Day 2');
  await mkdir(join(folder, 'A-cam'), { recursive: true });
  await mkdir(join(folder, 'B-cam'), { recursive: true });
  await randomFile(join(folder, 'A-cam'), 'interview_03.mov', 9 * 1024 * 1024);
  await randomFile(join(folder, 'B-cam'), 'broll_12.mp4', 7 * 1024 * 1024);
  await copyFile(fixture('image.jpg'), join(folder, 'A-cam', 'slate.jpg'));
  await copyFile(fixture('audio.wav'), join(folder, 'room-tone.wav'));
  await copyFile(fixture('too-short.mp4'), join(folder, 'B-cam', 'pickup.mp4'));
  await copyFile(fixture('notes-renamed.mp4'), join(folder, 'notes.mp4'));
  for (const n of [1, 2, 3]) await copyFile(fixture('video-h264.mp4'), join(folder, `B-cam/wide_0${n}.mp4`));
  const app = await openTestApp(join(work, 'data'), {
    emulator,
    secrets: await openSecretStore(`TwelveLabs Uploader shots ${randomUUID()}`),
    pick: { folder: [folder] },
  });
  await app.settings.update({ multipartThreshold: 5 * 1024 * 1024 });
  const stop = await openApp(page, app.contract, renderer.url);
  try {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: screenshotPath(`onboarding-${scheme}.png`) });
    }
    await app.secrets.set(emulator.apiKey);
    await page.reload();
    await page.getByRole('button', { name: 'Add folder' }).click();
    await expect(page.getByTestId('upload-row').filter({ hasText: 'slate.jpg' })).toHaveAttribute(
      'data-state',
      'ready',
      { timeout: 20_000 },
    );
    // Too short for search: sent with the warning, and refused by this server as the seed's is.
    await expect(page.getByTestId('upload-row').filter({ hasText: 'pickup.mp4' })).toHaveAttribute(
      'data-state',
      'failed',
      { timeout: 20_000 },
    );
    // Three copies of one clip: one goes, two are recognised.
    await expect(page.locator('[data-testid="upload-row"][data-state="duplicate"]')).toHaveCount(2, {
      timeout: 20_000,
    });
    // Either large file mid-upload: both share the chunk slots, and whichever takes them first
    // holds them until it is sent, so the other may wait at 0% for most of the run.
    await expect(
      page
        .getByTestId('upload-row')
        .filter({ hasText: /Uploading\s+[1-9]/ })
        .first(),
    ).toBeVisible({
      timeout: 20_000,
    });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: screenshotPath(`uploads-${scheme}.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.screenshot({ path: screenshotPath('settings-light.png'), fullPage: true });
  } finally {
    stop();
    await app.engine.pause('all');
    await app.secrets.clear();
    await app.close();
    await emulator.close();
    await renderer.close();
    await rm(work, { recursive: true, force: true });
  }
});
