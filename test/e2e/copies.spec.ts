import { execFile } from 'node:child_process';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test, type Page } from '@playwright/test';
import { startEmulator } from '../emulator/server';
import { fixture } from '../helpers/emulator';
import { LIMITS } from '../../electron/shared/limits';
import { makeProgramme } from '../helpers/programme';
import { screenshotPath, startApp } from './harness/app-harness';
import { e2eSpace } from './harness/space';

const space = e2eSpace('copies');

const ffmpeg = (...args: string[]) =>
  promisify(execFile)('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args]);

function row(page: Page, name: string) {
  return page.getByTestId('upload-row').filter({ hasText: name });
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 900, height: 600 });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: screenshotPath(`${name}-${scheme}.png`) });
  }
}

test('a file TwelveLabs will not take offers an upload copy, which is made when chosen and uploads', async ({
  page,
}) => {
  // The server refuses AAC and TIFF the way TwelveLabs does: only the copies can pass.
  space.emulator = await startEmulator({ processingDelayMs: 50, modelRulesAtUpload: true });
  const folder = join(space.work, 'Card 7');
  await mkdir(folder);
  await copyFile(fixture('audio-aac.m4a'), join(folder, 'interview.m4a'));
  await ffmpeg('-f', 'lavfi', '-i', 'testsrc2=size=640x480', '-frames:v', '1', join(folder, 'still.tif'));
  await startApp(page, {
    dataDir: join(space.work, 'data'),
    emulator: space.emulator,
    rendererUrl: space.renderer.url,
    pick: { folder: [folder] },
  });
  await page.getByRole('button', { name: 'Add folder' }).click();

  // The plan, before anything is made: what the copy will be, and why, on the refused row.
  const audio = row(page, 'interview.m4a');
  await expect(audio).toHaveAttribute('data-state', 'rejected', { timeout: 20_000 });
  await expect(audio).toContainText('An upload copy TwelveLabs takes can be made: FLAC, about');
  await expect(row(page, 'still.tif')).toContainText('An upload copy TwelveLabs takes can be made: PNG, 640×480');
  await shoot(page, 'copy-offered');

  await audio.getByRole('button', { name: 'Upload a copy interview.m4a' }).click();
  await expect(audio).toHaveAttribute('data-state', 'ready', { timeout: 20_000 });
  // Only where the person chose it: the still waits for its own choice.
  const still = row(page, 'still.tif');
  await expect(still).toHaveAttribute('data-state', 'rejected');
  // Details has the plan and the same choice.
  await still.getByRole('button', { name: 'Details of still.tif' }).click();
  const details = page.getByTestId('item-details');
  await expect(details.getByTestId('copy-plan')).toHaveText(/^PNG, 640×480, about .*B · about 1 min to make$/);
  await details.getByRole('button', { name: 'Upload a copy' }).click();
  await expect(still).toHaveAttribute('data-state', 'ready', { timeout: 20_000 });
});

test('with copies on, 6K footage is copied to 1080p with progress in its row, and the Library links back', async ({
  page,
}) => {
  space.emulator = await startEmulator({ processingDelayMs: 50, modelRulesAtUpload: true });
  const folder = join(space.work, 'Aerials');
  await mkdir(folder);
  // Long enough to watch its copy being made.
  await ffmpeg(
    ...['-f', 'lavfi', '-i', 'testsrc2=size=5760x2400:rate=15', '-t', '6'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '35', '-pix_fmt', 'yuv420p', join(folder, 'aerial 6K.mp4')],
  );
  await startApp(page, {
    dataDir: join(space.work, 'data'),
    emulator: space.emulator,
    rendererUrl: space.renderer.url,
    pick: { folder: [folder] },
  });

  await page.getByRole('button', { name: 'Settings' }).click();
  const policy = page.getByLabel("Files TwelveLabs can't take");
  await expect(policy).toHaveValue('ask');
  await expect(page.getByText(/Made with FFmpeg \S+ \(.*ffmpeg\); video is encoded with /)).toBeVisible();
  await policy.selectOption('copy');
  await shoot(page, 'copy-settings');
  await page.getByRole('button', { name: 'Uploads', exact: true }).click();
  await page.getByRole('button', { name: 'Add folder' }).click();

  const aerial = row(page, 'aerial 6K.mp4');
  await expect(aerial).toHaveAttribute('data-state', 'copying', { timeout: 20_000 });
  await expect(aerial).toContainText('Making an upload copy');
  await expect(aerial).toContainText(/\d+% · .*H\.264 MP4, 1920×800, about/, { timeout: 20_000 });
  // The header says how far, and how long until every copy is made.
  await expect(page.getByText(/Making 1 upload copy, \d+%, (about \d+ min|less than a minute) left/)).toBeVisible();
  // The status bar says the same work, not "1 waiting".
  await expect(page.getByTestId('activity')).toContainText('Making 1 upload copy');
  await shoot(page, 'copy-making');
  await expect(aerial).toHaveAttribute('data-state', 'ready', { timeout: 120_000 });

  await page.getByRole('button', { name: 'Library', exact: true }).click();
  await page.getByText('aerial 6K.mp4').first().click();
  const detail = page.getByTestId('asset-detail');
  await expect(detail.getByTestId('copy-of')).toHaveText(/^Upload copy of aerial 6K\.mp4 \(AVC, 5760×2400, .*B\)$/);
  await expect(detail.getByRole('button', { name: 'Show original' })).toBeVisible();
  await shoot(page, 'copy-library');
});

test('a programme longer than the model takes goes up in parts, each its own row and asset', async ({ page }) => {
  // Lowered so twelve seconds is a programme "over four hours"; the server holds parts to it.
  const limits = { ...LIMITS, maxDurationSeconds: 5, minDurationSeconds: 1 };
  space.emulator = await startEmulator({ processingDelayMs: 50, modelRulesAtUpload: true, limits });
  const folder = join(space.work, 'Broadcast');
  await mkdir(folder);
  await makeProgramme(join(folder, 'Match.mp4'));
  await startApp(page, {
    dataDir: join(space.work, 'data'),
    emulator: space.emulator,
    rendererUrl: space.renderer.url,
    pick: { folder: [folder] },
    limits,
  });
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel("Files TwelveLabs can't take").selectOption('copy');
  await page.getByRole('button', { name: 'Uploads', exact: true }).click();
  await page.getByRole('button', { name: 'Add folder' }).click();

  const parts = page.getByTestId('upload-row').filter({ hasText: 'Match.mp4' });
  await expect(parts).toHaveCount(3, { timeout: 20_000 });
  for (const [at, part] of ['Part 1 of 3', 'Part 2 of 3', 'Part 3 of 3'].entries()) {
    await expect(parts.nth(at)).toContainText(part);
    await expect(parts.nth(at)).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  }
  await shoot(page, 'copy-parts');

  await page.getByRole('button', { name: 'Library', exact: true }).click();
  await page.getByText('Match (part 2 of 3).mp4').first().click();
  await expect(page.getByTestId('asset-detail').getByTestId('copy-of')).toHaveText(
    /^Upload copy of part 2 of 3 of Match\.mp4, from 0:03 \(AVC, 640×360, .*B\)$/,
  );
  await shoot(page, 'copy-parts-library');
});
