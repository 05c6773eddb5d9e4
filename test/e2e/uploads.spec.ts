import { appendFile, copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { startEmulator } from '../emulator/server';
import type { FaultConfig } from '../emulator/faults';
import type { Settings } from '../../electron/shared/settings';
import { api, control, fixture, uploadFixture } from '../helpers/emulator';
import { randomFile } from '../helpers/engine';
import { mixedBatchFolder } from '../helpers/folders';
import { screenshotPath, startApp } from './harness/app-harness';
import { e2eSpace } from './harness/space';

const space = e2eSpace('uploads');

/** A folder a librarian might drop: good media, a renamed text file, a broken video, clutter. */
async function shootFolder(): Promise<string> {
  const folder = join(space.work, 'Day 2');
  await mkdir(join(folder, 'A-cam'), { recursive: true });
  await copyFile(fixture('video-h264.mp4'), join(folder, 'A-cam', 'interview_03.mp4'));
  await copyFile(fixture('image.jpg'), join(folder, 'A-cam', 'slate.jpg'));
  await copyFile(fixture('audio.wav'), join(folder, 'room-tone.wav'));
  await copyFile(fixture('notes-renamed.mp4'), join(folder, 'notes.mp4'));
  await copyFile(fixture('image.png'), join(folder, '.DS_Store'));
  return folder;
}

function start(page: Page, options: { withKey?: boolean; folder?: string } = {}) {
  return startApp(page, {
    dataDir: join(space.work, 'data'),
    emulator: space.emulator,
    rendererUrl: space.renderer.url,
    pick: { folder: options.folder ? [options.folder] : [], saveTo: join(space.work, 'report.csv') },
    ...(options.withKey === false && { withKey: false }),
  });
}

/** An 8 MB video (resumable from 5 MB) added through Add folder, for the spec's emulator. */
async function uploadLargeFile(page: Page, settings: Partial<Settings> = {}) {
  const folder = join(space.work, 'Big');
  await mkdir(folder);
  await randomFile(folder, 'interview_long.mp4', 8 * 1024 * 1024);
  const session = await start(page, { folder });
  await session.app.settings.update({ multipartThreshold: 5 * 1024 * 1024, ...settings });
  await page.getByRole('button', { name: 'Add folder' }).click();
  return session;
}

function row(page: Page, name: string) {
  return page.getByTestId('upload-row').filter({ hasText: name });
}

test('a new user is asked for a key, a wrong one is refused in plain words, a right one opens Uploads', async ({
  page,
}) => {
  space.emulator = await startEmulator({ processingDelayMs: 50 });
  const session = await start(page, { withKey: false });
  await expect(page.getByRole('heading', { name: 'Welcome to TwelveLabs Uploader' })).toBeVisible();
  await page.getByLabel('API key').fill('tlk_not_my_key');
  // The key can be seen while it is checked against the dashboard, and hidden again.
  await expect(page.getByLabel('API key')).toHaveAttribute('type', 'password');
  await page.getByRole('button', { name: 'Show key' }).click();
  await expect(page.getByLabel('API key')).toHaveAttribute('type', 'text');
  await expect(page.getByRole('button', { name: 'Show key' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('button', { name: 'Show key' }).click();
  await expect(page.getByLabel('API key')).toHaveAttribute('type', 'password');
  await page.getByRole('button', { name: 'Check and continue' }).click();
  await expect(page.getByRole('alert')).toHaveText(
    'TwelveLabs did not accept this key. Check that you copied all of it.',
  );
  expect(await session.app.secrets.get()).toBeNull();

  await page.getByLabel('API key').fill(space.emulator.apiKey);
  await page.getByRole('button', { name: 'Check and continue' }).click();
  await expect(page.getByRole('heading', { name: 'Uploads' })).toBeVisible();
  await expect(page.getByTestId('connection')).toHaveText('Online');
  expect(await session.app.secrets.get()).toBe(space.emulator.apiKey);
  // An empty queue shows where to drop, and the fields for new uploads say they are for new ones.
  await expect(page.getByTestId('drop-area')).toContainText('Drop files, folders or links here');
  await expect(
    page.getByRole('group', { name: 'For new uploads:' }).getByRole('button', { name: 'Metadata' }),
  ).toBeVisible();
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 900, height: 600 });
    await page.screenshot({ path: screenshotPath(`first-run-${scheme}.png`) });
  }
});

test('onboarding says what stands in the way when TwelveLabs cannot be reached, not "check your connection"', async ({
  page,
}) => {
  space.emulator = await startEmulator();
  const session = await start(page, { withKey: false });
  await session.app.settings.update({ apiBaseUrl: 'http://127.0.0.1:9/v1.3' });
  await page.getByLabel('API key').fill('tlk_any');
  await page.getByRole('button', { name: 'Check and continue' }).click();
  await expect(page.getByRole('alert')).toHaveText(
    "Could not check the key: 127.0.0.1:9 refused the connection. Something on the way (a firewall) refused it. If this network goes out through a proxy, ask IT to set it in this computer's network settings, which the app follows, or in Settings → Network (the command line tool also takes HTTPS_PROXY).",
  );
});

test('adding a folder queues every file, uploads the good ones and explains the rest', async ({ page }) => {
  space.emulator = await startEmulator({ processingDelayMs: 300 });
  const folder = await shootFolder();
  // A camera's sidecar beside the clip: skipped like system files, and listed.
  await writeFile(join(folder, 'A-cam', 'A001_C001.xml'), '<?xml version="1.0"?><clip/>');
  await start(page, { folder });
  await page.getByRole('button', { name: 'Add folder' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Added' })).toHaveText(
    'Added 4 files to the list. Skipped 2 (already in the list, system files, sidecars, or unreadable).',
  );
  const skipped = page.getByTestId('skipped-list');
  await skipped.getByText('Show which 2 files were skipped').click();
  await expect(
    skipped.getByRole('heading', { name: 'System files (.DS_Store, Thumbs.db, partial downloads) (1)' }),
  ).toBeVisible();
  await expect(
    skipped.getByRole('heading', { name: 'Skipped (not media): sidecars and notes beside the clips (1)' }),
  ).toBeVisible();
  // Named from the folder that was added, as the person knows them; the whole path on hover.
  const sidecar = skipped.getByRole('listitem').filter({ hasText: 'A001_C001.xml' });
  await expect(sidecar).toHaveText('Day 2/A-cam/A001_C001.xml');
  await expect(sidecar).toHaveAttribute('title', join(folder, 'A-cam', 'A001_C001.xml'));
  await expect(skipped.getByRole('listitem').filter({ hasText: 'DS_Store' })).toHaveText('Day 2/.DS_Store');
  await expect(page.getByTestId('upload-row')).toHaveCount(4);
  await expect(row(page, 'notes.mp4')).toContainText("Can't upload");
  await expect(row(page, 'notes.mp4')).toContainText(
    'This is a text file, not a video, audio or image file, and not named as a document (.txt or .md).',
  );
  await expect(row(page, 'notes.mp4').getByRole('button', { name: 'Remove notes.mp4' })).toBeVisible();
  for (const name of ['interview_03.mp4', 'slate.jpg', 'room-tone.wav']) {
    await expect(row(page, name)).toHaveAttribute('data-state', 'ready', { timeout: 20_000 });
    await expect(row(page, name)).toContainText('Ready');
  }
  await expect(row(page, 'interview_03.mp4')).toContainText('Day 2/A-cam');

  // Search by name or folder; sort by size or state (a view: the queue's order is kept).
  const search = page.getByRole('searchbox', { name: 'Search names and folders' });
  await search.fill('slate');
  await expect(page.getByTestId('upload-row')).toHaveCount(1);
  await search.fill('a-CAM');
  await expect(page.getByTestId('upload-row')).toHaveCount(2);
  await search.fill('');
  const sortBy = page.getByLabel('Sort by');
  await sortBy.selectOption('size');
  await expect(page.getByTestId('upload-row').locator('.filename')).toHaveText([
    'interview_03.mp4',
    'room-tone.wav',
    'slate.jpg',
    'notes.mp4',
  ]);
  await sortBy.selectOption('state');
  await expect(page.getByTestId('upload-row').first()).toContainText('notes.mp4');
  await sortBy.selectOption('added');

  await page.getByRole('button', { name: /Needs attention/ }).click();
  await expect(page.getByTestId('upload-row')).toHaveCount(1);
  await page.getByRole('button', { name: /^All/ }).click();
  // Clear finished clears what is done; the file that needs attention stays.
  await page.getByRole('button', { name: 'Clear finished' }).click();
  await expect(page.getByTestId('upload-row')).toHaveCount(1);
  await expect(row(page, 'notes.mp4')).toHaveAttribute('data-state', 'rejected');
});

test('files are checked before upload: refusals give the real numbers, copies are not sent twice, and the metadata fields apply', async ({
  page,
}) => {
  space.emulator = await startEmulator({ processingDelayMs: 100 });
  const folder = join(space.work, 'Spring shoot');
  await mkdir(join(folder, 'B-cam'), { recursive: true });
  await copyFile(fixture('video-h264.mp4'), join(folder, 'B-cam', 'take_7.mp4'));
  await copyFile(fixture('too-short.mp4'), join(folder, 'B-cam', 'take_8.mp4'));
  await copyFile(fixture('too-low-resolution.mp4'), join(folder, 'webcam.mp4'));
  await copyFile(fixture('image.jpg'), join(folder, 'poster.jpg'));
  await copyFile(fixture('image.jpg'), join(folder, 'poster copy.jpg'));
  const session = await start(page, { folder });

  await page.getByRole('button', { name: 'Metadata' }).click();
  const editor = page.getByRole('region', { name: 'Metadata for files you add' });
  await editor.getByRole('button', { name: 'Add field' }).click();
  await editor.getByLabel('Name').fill('project');
  await editor.getByLabel('Value').fill('Spring campaign');
  await editor.getByRole('button', { name: 'Add field' }).click();
  await editor.getByLabel('Name').nth(1).fill('camera');
  await editor.getByRole('button', { name: '{folder}' }).click();
  await editor.getByRole('button', { name: 'Add field' }).click();
  await editor.getByLabel('Name').nth(2).fill('take');
  await editor.getByLabel('Type').nth(2).selectOption('integer');
  await editor.getByLabel('Value').nth(2).fill('seven');
  await expect(editor.getByText('“take” needs a whole number, like 3, not “seven”.')).toBeVisible();
  await page.screenshot({ path: screenshotPath('template-editor-light.png') });
  await expect(editor.getByRole('button', { name: 'Save fields' })).toBeDisabled();
  await editor.getByRole('button', { name: 'Remove field take' }).click();
  await expect(editor.locator('dl')).toHaveText(/^\s*project\s*Spring campaign\s*camera\s*A-cam\s*$/);
  await editor.getByRole('button', { name: 'Save fields' }).click();
  await expect(editor.getByText('Saved. New files get these fields.')).toBeVisible();
  await page.screenshot({ path: 'test-results/metadata-template.png' });
  await editor.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByRole('button', { name: 'Metadata (2)' })).toBeVisible();

  // These files are for analysis, and what cannot be used for it is to be skipped, not sent.
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('What these files are for').selectOption('analysis');
  await page.getByLabel("Skip files that can't be used for analysis").check();
  await expect(page.getByText('Files are checked for what analysis needs.')).toBeVisible();
  expect(session.app.settings.get()).toMatchObject({ filesAreFor: 'analysis', skipUnusable: true });
  await page.getByRole('button', { name: 'Uploads' }).click();

  await page.getByRole('button', { name: 'Add folder' }).click();
  await expect(row(page, 'take_8.mp4')).toHaveAttribute('data-state', 'rejected', { timeout: 20_000 });
  await expect(row(page, 'take_8.mp4')).toContainText(
    "Skipped, as it can't be used for analysis: this video is 2 seconds long; the shortest that can be used is 4 seconds.",
  );
  await expect(row(page, 'webcam.mp4')).toContainText(
    'this video is 320×240; the smallest frame that can be used is 360×360. Export it at a larger size.',
  );
  await expect(row(page, 'take_7.mp4')).toHaveAttribute('data-state', 'ready', { timeout: 20_000 });
  const copies = page.getByTestId('upload-row').filter({ hasText: /poster/ });
  await expect(copies.and(page.locator('[data-state="duplicate"]'))).toHaveCount(1, { timeout: 20_000 });
  const duplicate = copies.and(page.locator('[data-state="duplicate"]'));
  await expect(duplicate).toContainText('Already in your library');
  await expect(duplicate).toContainText(/Same content as poster( copy)?\.jpg, already uploaded/);
  await page.screenshot({ path: 'test-results/preflight.png' });

  // The original may still be processing when its copy is recognised; it is ready soon after.
  await expect(copies.and(page.locator('[data-state="ready"]'))).toHaveCount(1, { timeout: 20_000 });
  const ready = (await session.app.engine.items()).filter((item) => item.status.kind === 'ready');
  expect(ready.map((item) => item.name).sort()).toEqual([expect.stringMatching(/^poster/), 'take_7.mp4']);
  const take = ready.find((item) => item.name === 'take_7.mp4')!;
  if (take.status.kind !== 'ready') throw new Error('not ready');
  const stored = await control(space.emulator, `/assets/${take.status.assetId}`);
  expect(stored.user_metadata).toEqual({
    project: 'Spring campaign',
    camera: 'B-cam',
    content_sha256: stored.sha256,
  });
  expect((await control(space.emulator, '/stats')).assets).toBe(2);

  // "Upload anyway" sends the copy after all.
  const name = (await duplicate.locator('.filename').textContent())!;
  await duplicate.getByRole('button', { name: `Upload anyway ${name}` }).click();
  await expect(row(page, name).first()).toHaveAttribute('data-state', 'ready', { timeout: 20_000 });
});

test('pause and resume while a large file uploads, then it finishes', async ({ page }) => {
  // 256 KB/s per chunk: slow enough to see, pause and resume.
  space.emulator = await startEmulator({
    chunkSize: 256 * 1024,
    mediaChecks: false,
    processingDelayMs: 50,
    faults: { chunks: { bandwidthBytesPerSecond: 256 * 1024 } },
  });
  const folder = join(space.work, 'Big');
  await mkdir(folder);
  const { randomFile } = await import('../helpers/engine');
  await randomFile(folder, 'long-take.mov', 6 * 1024 * 1024);
  const session = await start(page, { folder });
  await session.app.settings.update({ multipartThreshold: 5 * 1024 * 1024 });
  await page.getByRole('button', { name: 'Add folder' }).click();
  const take = row(page, 'long-take.mov');
  await expect(take).toHaveAttribute('data-state', 'uploading');
  await expect(take).toContainText(/Uploading\s+[1-9]\d?%/, { timeout: 20_000 });
  await take.getByRole('button', { name: 'Pause long-take.mov' }).click();
  await expect(take).toHaveAttribute('data-state', 'paused');
  // Said as paused everywhere: the row (with why its percent may be lower than a moment ago), the
  // header (grey, no speed), and the status bar.
  await expect(take).toContainText(/\d+% kept \(the parts TwelveLabs confirmed\) · Resume to continue/);
  await expect(page.getByTestId('time-left')).toHaveText('Paused: 1 file paused; Resume all to go on');
  await expect(page.getByTestId('speed')).toHaveCount(0);
  await expect(page.getByTestId('batch-progress').locator('.fill')).toHaveClass(/held/);
  await expect(take.locator('.fill')).toHaveClass(/stopped/);
  await expect(page.getByTestId('activity')).toHaveText('1 file paused; Resume all to go on');
  await page.getByRole('button', { name: 'Library', exact: true }).click();
  // Off its screen, the Uploads badge is in the accent colour, not grey on the grey sidebar.
  const badge = page.locator('.badge');
  await expect(badge).toHaveText(/^\s*,?\s*1/);
  const [badgeColour, sidebarColour] = await badge.evaluate((node) => [
    getComputedStyle(node).backgroundColor,
    getComputedStyle(node.closest('nav')!).backgroundColor,
  ]);
  expect(badgeColour).not.toBe(sidebarColour);
  await page.getByRole('button', { name: /^Uploads/ }).click();
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: screenshotPath(`paused-${scheme}.png`) });
  }
  await take.getByRole('button', { name: 'Resume long-take.mov' }).click();
  await expect(take).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
});

test('a failure says what happened, and Retry fixes it once the server is back', async ({ page }) => {
  space.emulator = await startEmulator({ processingDelayMs: 50, faults: { 'assets.create': { errorRate: 1 } } });
  const folder = join(space.work, 'One');
  await mkdir(folder);
  await copyFile(fixture('image.jpg'), join(folder, 'poster.jpg'));
  await start(page, { folder });
  await page.getByRole('button', { name: 'Add folder' }).click();
  const poster = row(page, 'poster.jpg');
  await expect(poster).toHaveAttribute('data-state', 'failed', { timeout: 20_000 });
  await expect(poster).toContainText('Upload failed');
  await expect(poster).toContainText('TwelveLabs had a problem on its side.');
  await expect(poster).not.toContainText('500');
  space.emulator.setFaults({});
  await poster.getByRole('button', { name: 'Retry poster.jpg' }).click();
  await expect(poster).toHaveAttribute('data-state', 'ready', { timeout: 20_000 });
});

test('a file TwelveLabs refuses in general words is told why in its own numbers, from its check', async ({ page }) => {
  space.emulator = await startEmulator({ processingDelayMs: 50, modelRulesAtUpload: true });
  const folder = join(space.work, 'Icons');
  await mkdir(folder);
  await copyFile(fixture('image-too-small.png'), join(folder, 'icon.png'));
  await start(page, { folder });
  await page.getByRole('button', { name: 'Add folder' }).click();
  const icon = row(page, 'icon.png');
  await expect(icon).toHaveAttribute('data-state', 'failed', { timeout: 20_000 });
  // Not "could not use this file or one of its details": the check's own finding, with numbers.
  await expect(icon).toContainText(
    /The check here found why: .*this image is \d+×\d+; the smallest that can be used is 128×128/,
  );
  await expect(icon).not.toContainText('one of its details');
  await icon.getByRole('button', { name: 'Details of icon.png' }).click();
  await expect(page.getByTestId('item-details').getByTestId('server-reason')).toContainText('below the minimum');
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: screenshotPath(`refused-finding-${scheme}.png`) });
  }
});

for (const scheme of ['light', 'dark'] as const) {
  test(`every screen passes axe with no serious or critical violations (${scheme})`, async ({ page }) => {
    space.emulator = await startEmulator({ processingDelayMs: 50 });
    await page.emulateMedia({ colorScheme: scheme });
    await start(page, { withKey: false, folder: await shootFolder() });
    const check = async (screen: string) => {
      const results = await new AxeBuilder({ page }).analyze();
      const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(
        bad.map((v) => `${screen}: ${v.id} ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
      ).toEqual([]);
    };
    await expect(page.getByRole('heading', { name: 'Welcome to TwelveLabs Uploader' })).toBeVisible();
    await check('onboarding');
    await page.getByLabel('API key').fill(space.emulator.apiKey);
    await page.getByRole('button', { name: 'Check and continue' }).click();
    await page.getByRole('button', { name: 'Add folder' }).click();
    await expect(row(page, 'slate.jpg')).toHaveAttribute('data-state', 'ready', { timeout: 20_000 });
    await check('uploads');
    await page.getByRole('button', { name: 'Library', exact: true }).click();
    await check('library');
    await page.getByRole('button', { name: 'Settings' }).click();
    await check('settings');
  });
}

test('a rate-limited period and an outage are shown and ridden out without anyone doing anything', async ({ page }) => {
  space.emulator = await startEmulator({
    processingDelayMs: 50,
    faults: { 'assets.create': { burst429: { count: 1, retryAfterSeconds: 3 } } },
  });
  const session = await start(page, { folder: await shootFolder() });
  await page.getByRole('button', { name: 'Add folder' }).click();
  await expect(page.getByTestId('connection')).toHaveText(/^Slowed down by the server until \d{1,2}:\d{2}/);
  await expect(
    page
      .getByTestId('upload-row')
      .filter({ hasText: /TwelveLabs asked us to wait until \d{1,2}:\d{2}/ })
      .first(),
  ).toBeVisible();
  await expect(page.getByTestId('connection')).toHaveText('Online', { timeout: 20_000 });
  await expect(row(page, 'slate.jpg')).toHaveAttribute('data-state', 'ready', { timeout: 20_000 });

  const { now } = await (await fetch(`${space.emulator.origin}/__emulator/stats`)).json();
  space.emulator.setFaults({ '*': { downUntil: now + 3000 } });
  const late = join(space.work, 'Later');
  await mkdir(late);
  await copyFile(fixture('audio.mp3'), join(late, 'voice-over.mp3'));
  await session.app.contract.addPaths([late]);
  await expect(page.getByTestId('connection')).toHaveText('Waiting for network');
  await expect(row(page, 'voice-over.mp3')).toContainText('Resumes by itself when the connection is back');
  // The progress header gives the reason, not a speed or a time that is not true.
  await expect(page.getByTestId('time-left')).toHaveText(
    'Waiting for network: Resumes by itself when the connection is back',
  );
  await expect(page.getByTestId('speed')).toHaveCount(0);
  // Held rows offer no Pause, and the status bar says how many wait, not "uploading".
  await expect(row(page, 'voice-over.mp3').getByRole('button')).toHaveCount(0);
  // Counted as held, in the chips' words and numbers: never "Uploading 1" beside "1 waiting".
  const show = page.getByRole('group', { name: 'Show' });
  await expect(show.getByRole('button', { name: /^Uploading/ })).toHaveCount(0);
  const agree = async () => {
    const count = async (name: RegExp) =>
      Number(((await show.getByRole('button', { name }).textContent()) ?? '').replace(/\D/g, ''));
    const [held, waiting] = [await count(/^Held/), await count(/^Waiting/)];
    const said = [held > 0 && `${held} held`, waiting > 0 && `${waiting} waiting`].filter(Boolean).join(' · ');
    return said !== '' && said === (await page.getByTestId('activity').textContent());
  };
  await expect.poll(agree).toBe(true);
  await expect(row(page, 'voice-over.mp3')).toHaveAttribute('data-state', 'ready', { timeout: 20_000 });
  await expect(page.getByTestId('connection')).toHaveText('Online');
  await expect(page.getByTestId('upload-row').filter({ hasText: 'Upload failed' })).toHaveCount(0);
});

test('the end of a mixed batch: one summary with the same numbers as the status bar, and a way to each group', async ({
  page,
}) => {
  space.emulator = await startEmulator({
    // A video the model cannot use fails processing (the seed's answer), for a failed asset.
    modelRulesAtUpload: true,
    processingDelayMs: 100,
  });
  const folder = await mixedBatchFolder(space.work, 'Mixed');
  // Clutter the add skips: History and the report still account for it.
  await writeFile(join(folder, '.DS_Store'), 'x');
  const session = await start(page, { folder });
  await page.getByRole('button', { name: 'Add folder' }).click();

  const summary = page.getByTestId('batch-summary');
  await expect(summary).toBeVisible({ timeout: 30_000 });
  const sentence = '2 files uploaded, 1 already in your library, 2 could not be uploaded';
  await expect(summary.getByRole('heading')).toHaveText(/Uploads need attention$/);
  await expect(summary).toContainText(`${sentence}.`);
  await expect(summary).toContainText(/uploaded · took \d+ seconds?/);
  // The status bar and the queue's own totals say the same.
  await expect(page.getByTestId('activity')).toHaveText(sentence);
  // What a screen reader last hears is the same sentence.
  await expect(page.getByTestId('announced')).toHaveText(sentence);
  expect(session.app.engine.totals().outcome).toMatchObject({ uploaded: 2, alreadyThere: 1, couldNot: 2, toGo: 0 });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: screenshotPath(`batch-summary-${scheme}.png`) });
  }
  await page.setViewportSize({ width: 900, height: 600 });
  await page.screenshot({ path: screenshotPath('batch-summary-900.png') });
  await page.emulateMedia({ colorScheme: 'light' });

  await summary.getByRole('button', { name: 'Show 2 that need attention' }).click();
  await expect(page.getByRole('button', { name: /^Needs attention/ })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('upload-row')).toHaveCount(2);
  await summary.getByRole('button', { name: 'Show 3 done' }).click();
  await expect(page.getByTestId('upload-row')).toHaveCount(3);

  // The end-of-batch notification, clicked, brings Uploads back with the summary on it.
  await page.getByRole('button', { name: 'Library', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Library' })).toBeVisible();
  session.app.contract.showUploads();
  await expect(page.getByRole('heading', { name: 'Uploads', exact: true })).toBeVisible();
  await expect(summary).toBeVisible();
  // The summary is the batch's record: Clear finished does not rewrite it, only the Show button
  // for rows no longer listed goes.
  await page.getByRole('button', { name: 'Clear finished' }).click();
  await expect(summary).toContainText(`${sentence}.`);
  await expect(summary.getByRole('button', { name: /done$/ })).toHaveCount(0);
  await expect(summary.getByRole('button', { name: 'Show 2 that need attention' })).toBeVisible();
  await page.getByRole('button', { name: 'Undo' }).click();
  await page.getByRole('button', { name: /^All \d/ }).click();
  await expect(page.getByTestId('upload-row')).toHaveCount(5);
  await summary.getByRole('button', { name: 'Dismiss summary' }).click();
  await expect(summary).toHaveCount(0);
  // A confirmation is said, then goes, instead of standing above the list for good.
  const putBack = page.getByText('Put back 3 files.');
  await expect(putBack).toBeVisible();
  await expect(putBack).toHaveCount(0, { timeout: 15_000 });

  // Clear finished keeps what needs attention; the batch stays in the history, and its report
  // names every file, with the assets TwelveLabs holds.
  await page.getByRole('button', { name: 'Clear finished' }).click();
  await page.getByRole('button', { name: /^All \d/ }).click();
  await expect(page.getByTestId('upload-row')).toHaveCount(2);
  await expect(page.getByRole('status').filter({ hasText: 'Cleared 3 finished files' })).toBeVisible();
  // A few seconds to change one's mind.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByTestId('upload-row')).toHaveCount(5);
  await expect(putBack).toBeVisible();
  await page.getByRole('button', { name: 'Clear finished' }).click();
  await expect(page.getByTestId('upload-row')).toHaveCount(2);
  await page.getByRole('button', { name: 'History' }).click();
  const batch = page.getByTestId('batch');
  await expect(batch).toHaveCount(1);
  await expect(batch).toContainText(`6 files: ${sentence}, 1 skipped`);
  // Named by the folder that was added, not only by a date.
  await expect(batch.locator('.name').first()).toHaveText('Mixed');
  // Opened: every file and where it ended, the skipped one too, each a click from its folder.
  await batch.getByRole('button', { name: 'Files', exact: true }).click();
  const files = batch.getByTestId('batch-file');
  await expect(files).toHaveCount(6);
  await expect(files.filter({ hasText: '.DS_Store' })).toContainText('Skipped');
  await expect(files.filter({ hasText: 'interview.mp4' })).toContainText('Uploaded');
  await expect(files.filter({ hasText: 'pickup.mp4' })).toContainText('too short');
  await files.getByRole('button', { name: 'Show interview.mp4 in its folder' }).click();
  await expect.poll(() => session.app.revealed).toEqual([join(folder, 'interview.mp4')]);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: screenshotPath(`history-${scheme}.png`) });
  }
  await page.setViewportSize({ width: 900, height: 600 });
  await page.screenshot({ path: screenshotPath('history-900.png') });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: 'light' });
  // The list for people: words, MB and local times.
  await batch.getByRole('button', { name: 'Save list (CSV)' }).click();
  await expect(page.getByText(/^Saved the report of 6 files to /)).toBeVisible();
  const people = (await readFile(join(space.work, 'report.csv'), 'utf8')).split('\r\n');
  expect(people[0]).toBe('\uFEFFFile,Folder,Size (MB),Result,Reason,Index,Finished (local time),Link');
  expect(people.find((line) => line.startsWith('.DS_Store,'))).toMatch(/^\.DS_Store,Mixed,,Skipped,"System files/);
  // The technical report: bytes, UTC, fingerprints, the skipped file as its own row.
  await batch.getByRole('button', { name: 'Technical report (CSV)' }).click();
  const technical = async () => (await readFile(join(space.work, 'report.csv'), 'utf8')).trimEnd().split('\r\n');
  await expect.poll(async () => (await technical())[0]).toMatch(/^\uFEFFlocal_path,/);
  const lines = (await technical()).slice(1);
  expect(lines).toHaveLength(6);
  expect(lines.filter((line) => line.includes(',skipped,'))).toHaveLength(1);
  const uploaded = lines.filter((line) => line.includes(',uploaded,'));
  expect(uploaded).toHaveLength(2);
  for (const line of uploaded) {
    const [, , , sha256, assetId] = line.split(',');
    expect((await control(space.emulator, `/assets/${assetId}`)).sha256).toBe(sha256);
  }
  await page.keyboard.press('Escape');
  await expect(batch).toHaveCount(0);

  // Needs attention: two files, two reasons, so no groups: each row names its file and says why;
  // each file's whole story under Details.
  await page.getByRole('button', { name: /^Needs attention/ }).click();
  await expect(page.getByTestId('attention-groups')).toHaveCount(0);
  await expect(row(page, 'notes.mp4')).toContainText('This is a text file, not a video, audio or image file');
  await page.getByRole('button', { name: 'Details of pickup.mp4' }).click();
  const details = page.getByTestId('item-details');
  await expect(details.getByTestId('server-reason')).toContainText('The video is too short');
  await expect(details).toContainText('What to do');
  // TwelveLabs refused it at upload, so there is no asset to delete with it.
  await expect(details.getByLabel(/Also delete it from the library/)).toHaveCount(0);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: screenshotPath(`needs-attention-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await details.getByRole('button', { name: 'Remove from the list' }).click();
  await expect(details).toHaveCount(0);
  await expect(row(page, 'pickup.mp4')).toHaveCount(0);
  await page.getByRole('button', { name: 'Details of notes.mp4' }).click();
  await details.getByRole('button', { name: 'Remove from the list' }).click();
  await expect(page.getByTestId('upload-row')).toHaveCount(0);
});

test('Needs attention at 900x600: a few reasons shown, the rest a click away, and the files always in sight', async ({
  page,
}) => {
  space.emulator = await startEmulator({ processingDelayMs: 50 });
  const folder = join(space.work, 'Card 7');
  await mkdir(folder);
  const copies: [string, string[]][] = [
    ['notes-renamed.mp4', ['notes_1.mp4', 'notes_2.mp4', 'notes_3.mp4']],
    ['video-truncated.mp4', ['cut_1.mp4', 'cut_2.mp4']],
    ['audio-broken.wav', ['tone_1.wav', 'tone_2.wav']],
    ['audio-too-short.mp3', ['blip_1.mp3', 'blip_2.mp3']],
    ['image-truncated.jpg', ['still_1.jpg']],
  ];
  for (const [source, names] of copies) {
    for (const name of names) await copyFile(fixture(source), join(folder, name));
  }
  for (const name of ['empty_1.mov', 'empty_2.mov']) await writeFile(join(folder, name), '');
  await page.setViewportSize({ width: 900, height: 600 });
  await start(page, { folder });
  await page.getByRole('button', { name: 'Add folder' }).click();
  await expect(page.getByRole('button', { name: /^Needs attention 12/ })).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: /^Needs attention/ }).click();

  const groups = page.getByTestId('attention-groups').getByRole('listitem');
  // Only reasons two or more files share are groups; three are shown, the largest first.
  await expect(groups).toHaveCount(3);
  await expect(groups.first()).toContainText('Remove these 3 from the list');
  const more = page.getByRole('button', { name: /^Show all \d+ reasons$/ });
  await expect(more).toBeVisible();
  // The list keeps at least three rows in sight, with their names, under the reasons.
  const queue = page.getByRole('grid', { name: 'Upload queue' });
  expect((await queue.boundingBox())!.height).toBeGreaterThanOrEqual(3 * 60);
  await expect(page.getByTestId('upload-row').first()).toBeInViewport();
  await expect(page.getByTestId('upload-row').nth(2)).toBeInViewport();
  await more.click();
  await expect(groups).not.toHaveCount(3);
  expect((await queue.boundingBox())!.height).toBeGreaterThanOrEqual(3 * 60);
  await expect(page.getByTestId('upload-row').first()).toBeInViewport();
  // One file with its own reason is named on its row, not made a group of one.
  await expect(groups.filter({ hasText: /\b1\b.*Remove it/ })).toHaveCount(0);
  // Advice fits what is offered: an empty file is not told to Retry (it has no Retry), and what
  // the app read in a damaged file is not put in TwelveLabs' mouth.
  await page.getByRole('button', { name: 'Details of empty_1.mov' }).click();
  const details = page.getByTestId('item-details');
  await expect(details).toContainText('This file is empty (0 bytes)');
  await expect(details).not.toContainText(/Retry/);
  await expect(details.getByRole('button', { name: 'Retry' })).toHaveCount(0);
  await details.getByRole('button', { name: 'Close' }).first().click();
  await page.getByRole('button', { name: 'Details of cut_1.mp4' }).click();
  await expect(details).not.toContainText('TwelveLabs said');
  await details.getByRole('button', { name: 'Close' }).first().click();
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: screenshotPath(`needs-attention-900-${scheme}.png`) });
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations).toEqual([]);
  }
});

test('a large file: a steady speed and time left over the batch, then Finishing with nothing to pause', async ({
  page,
}) => {
  // The test sets the pace, not the machine: one part at a time at 64 KB/s (over two minutes for
  // the file) and every report of sent parts held, so nothing can finish until the test lets it.
  // A part (128 KB) fits the sockets' buffers whole, so the app sees it leave at once and then
  // waits for the next; small parts keep those steps inside the estimate's three-second stall rule.
  const held = { hold: 'POST /assets/multipart-uploads/{id}' };
  const slow: FaultConfig = { chunks: { bandwidthBytesPerSecond: 64 * 1024 }, multipart: held };
  space.emulator = await startEmulator({ processingDelayMs: 100, chunkSize: 128 * 1024, faults: slow });
  await uploadLargeFile(page, { chunksInFlight: 1 });

  const header = page.getByTestId('batch-progress');
  await expect(header).toContainText('0 of 1 file');
  await expect(page.getByTestId('speed')).toHaveText(/^\d+(\.\d+)? (kB|MB)\/s$/, { timeout: 20_000 });
  await expect(page.getByTestId('time-left')).toHaveText(/^(About \d+ min left|Less than a minute left)$/, {
    timeout: 20_000,
  });
  await expect(header.getByRole('progressbar')).toHaveAttribute('aria-valuenow', /^[1-9]\d?$/);
  // A part can take a while on a slow line: the row says which one is on its way.
  const big = row(page, 'interview_long.mp4');
  await expect(big).toContainText(/Part ([2-9]|\d\d+) of (\d+)/);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: screenshotPath(`batch-progress-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 900, height: 600 });
  await page.screenshot({ path: screenshotPath('batch-progress-900.png') });

  // The link opens up; the reports stay held, so every byte is sent and the file is Finishing.
  space.emulator.setFaults({ multipart: held });
  await expect(big).toContainText('Finishing', { timeout: 30_000 });
  await expect(big).toContainText('All sent; TwelveLabs is putting the file together');
  await expect(big.getByRole('button', { name: /^Pause/ })).toHaveCount(0);
  space.emulator.setFaults({});
  await expect(big).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await expect(page.getByTestId('batch-summary')).toContainText('1 file uploaded.');
});

test('a key rejected mid-upload: a banner with the fix, nothing failed, and the file finishes after a new key', async ({
  page,
}) => {
  space.emulator = await startEmulator({
    processingDelayMs: 100,
    chunkSize: 1024 * 1024,
    faults: { chunks: { bandwidthBytesPerSecond: 256 * 1024 } },
  });
  const session = await uploadLargeFile(page);
  const big = row(page, 'interview_long.mp4');
  await expect
    .poll(async () => (await session.app.engine.items())[0]?.bytesSent ?? 0, { timeout: 20_000 })
    .toBeGreaterThan(2e6);

  // The key is revoked on TwelveLabs' side while the file is half sent.
  space.emulator.setApiKeys(['tlk_replacement_key']);
  const banner = page.getByTestId('problem-banner');
  await expect(banner).toHaveText(
    /TwelveLabs did not accept your API key\. 1 file waits until it is updated; nothing has failed\.\s*Update key/,
    { timeout: 30_000 },
  );
  await expect(big).toContainText('Paused: API key');
  await expect(big).not.toContainText('Upload failed');
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: screenshotPath(`banner-key-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });

  await banner.getByRole('button', { name: 'Update key' }).click();
  await expect(page.getByTestId('key-rejected')).toContainText('TwelveLabs did not accept this key.');
  // Straight into the key field: the next keystrokes are the new key.
  await expect(page.getByRole('textbox', { name: 'API key' })).toBeFocused();
  await page.keyboard.type('tlk_replacement_key');
  await expect(page.getByRole('textbox', { name: 'API key' })).toHaveValue('tlk_replacement_key');
  await page.getByRole('button', { name: 'Check and replace' }).click();
  await page.getByRole('button', { name: 'Replace key' }).click();
  await expect(banner).toHaveCount(0, { timeout: 20_000 });
  await page.getByRole('button', { name: 'Uploads' }).click();
  await expect(big).toHaveAttribute('data-state', 'ready', { timeout: 40_000 });
  const kinds = (await session.app.engine.items()).map((item) => item.status.kind);
  expect(kinds).toEqual(['ready']);
  expect((await control(space.emulator, '/stats')).assets).toBe(1);
});

test('removing a file TwelveLabs could not process offers to delete its asset from the library too', async ({
  page,
}) => {
  space.emulator = await startEmulator({
    // A video the model cannot use fails processing (the seed's answer), for a failed asset.
    modelRulesAtUpload: true,
    processingDelayMs: 100,
    chunkSize: 1024 * 1024,
  });
  const folder = join(space.work, 'Short');
  await mkdir(folder);
  // A 2-second video padded past the resumable size: it uploads, then fails processing.
  await randomFile(folder, 'pickup_long.mp4', 6 * 1024 * 1024, 'too-short.mp4');
  const session = await start(page, { folder });
  await session.app.settings.update({ multipartThreshold: 5 * 1024 * 1024 });
  await page.getByRole('button', { name: 'Add folder' }).click();
  const failed = row(page, 'pickup_long.mp4');
  await expect(failed).toHaveAttribute('data-state', 'failed', { timeout: 30_000 });
  const status = (await session.app.engine.items())[0]!.status;
  if (status.kind !== 'failed' || !status.assetId) throw new Error(`no failed asset: ${JSON.stringify(status)}`);
  expect((await api(space.emulator, `/assets/${status.assetId}`)).status).toBe(200);

  await failed.getByRole('button', { name: 'Details of pickup_long.mp4' }).click();
  const details = page.getByTestId('item-details');
  await expect(details.getByTestId('server-reason')).toContainText('The video is too short');
  const alsoDelete = details.getByLabel(/Also delete it from the library/);
  await expect(alsoDelete).toBeChecked();
  await details.getByRole('button', { name: 'Remove from the list' }).click();
  await expect(failed).toHaveCount(0);
  await expect.poll(async () => (await api(space.emulator, `/assets/${status.assetId}`)).status).toBe(404);
});

test('the queue by keyboard alone: folders with their numbers, ranges, select all, Upload next, Delete asks first, compact rows', async ({
  page,
}) => {
  space.emulator = await startEmulator({ processingDelayMs: 50 });
  // Three folders of waiting stills: outside the upload hours nothing starts, so they stay in
  // line. Each is the same picture with its own trailing bytes, so none is a copy of another.
  const root = join(space.work, 'Shoot');
  const still = await readFile(fixture('image.jpg'));
  for (const [folder, count] of [
    ['Day 1', 3],
    ['Day 2', 4],
    ['Day 3', 2],
  ] as const) {
    await mkdir(join(root, folder), { recursive: true });
    for (let i = 0; i < count; i += 1)
      await writeFile(join(root, folder, `still_${i}.jpg`), Buffer.concat([still, Buffer.from(`${folder} ${i}`)]));
  }
  const session = await start(page, { folder: root });
  const hour = (offset: number) => {
    const date = new Date(Date.now() + offset * 3600_000);
    return `${String(date.getHours()).padStart(2, '0')}:00`;
  };
  await session.app.settings.update({ schedule: { window: { from: hour(2), to: hour(3) }, bandwidth: [] } });
  await page.getByRole('button', { name: 'Add folder' }).click();
  await expect(page.getByTestId('upload-row').and(page.locator('[data-state="queued"]'))).toHaveCount(9, {
    timeout: 20_000,
  });

  // Grouped by folder: a heading each, with its numbers; a folder folds away.
  await page.getByLabel('By folder').check();
  const headings = page.getByTestId('folder-heading');
  await expect(headings).toHaveCount(3);
  await expect(headings.nth(1)).toContainText('Day 2');
  await expect(headings.nth(1)).toContainText('4 files · 4 waiting');
  await headings.nth(0).getByRole('button', { name: 'Hide Shoot/Day 1' }).click();
  await expect(page.getByTestId('upload-row')).toHaveCount(6);

  // Keyboard only from the search box: Tab reaches the list, arrows move, Enter unfolds.
  await page.getByRole('searchbox', { name: 'Search names and folders' }).focus();
  for (let tab = 0; tab < 40; tab += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'folder-heading')) break;
  }
  const focused = page.locator(':focus');
  await expect(focused).toContainText('Day 1');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('upload-row')).toHaveCount(9);
  // Down to Day 2's first file, Space picks it, Shift+Down twice makes a range of three.
  for (let i = 0; i < 5; i += 1) await page.keyboard.press('ArrowDown');
  await expect(focused).toHaveAttribute('data-testid', 'upload-row');
  await expect(focused).toContainText('Day 2');
  // One row in the tab order, and only its buttons: Tab leaves the list instead of walking it.
  const tabbable = page.getByTestId('upload-row').locator('button:not([tabindex="-1"])');
  expect(await tabbable.count()).toBe(await focused.locator('button:not([tabindex="-1"])').count());
  await page.keyboard.press('Space');
  await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Shift+ArrowDown');
  await expect(page.getByText('3 selected')).toBeVisible();
  await expect(headings.nth(1).getByRole('checkbox')).toHaveJSProperty('indeterminate', true);
  await page.screenshot({ path: screenshotPath('queue-grouped-light.png') });

  // Upload next: those three go to the front of the queue, in order.
  await page.getByRole('button', { name: 'Upload next' }).click();
  await page.getByLabel('By folder').uncheck();
  const names = async () =>
    page
      .getByTestId('upload-row')
      .evaluateAll((rows) =>
        rows.map((r) => `${r.querySelector('.folder')?.textContent}/${r.querySelector('.filename')?.textContent}`),
      );
  await expect
    .poll(async () => (await names()).slice(0, 3))
    .toEqual(['Shoot/Day 2/still_0.jpg', 'Shoot/Day 2/still_1.jpg', 'Shoot/Day 2/still_2.jpg']);
  const order = (await await session.app.engine.items()).map((item) => item.relativePath).slice(0, 3);
  expect(order).toEqual(['Shoot/Day 2/still_0.jpg', 'Shoot/Day 2/still_1.jpg', 'Shoot/Day 2/still_2.jpg']);

  // Ctrl/Cmd-A selects everything shown; Delete asks, naming the count; Escape keeps them.
  await page.getByTestId('upload-row').first().focus();
  await page.keyboard.press('ControlOrMeta+a');
  await expect(page.getByText('9 selected')).toBeVisible();
  // The question is in sight at the smallest window, above what the list's header shows.
  await page.setViewportSize({ width: 900, height: 600 });
  await page.keyboard.press('Delete');
  const confirm = page.getByRole('alertdialog');
  await expect(confirm.getByRole('button', { name: /^Remove 9/ })).toBeInViewport();
  await expect(confirm).toContainText('Remove 9 files from the list?');
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: screenshotPath(`remove-question-900-${scheme}.png`) });
  }
  await page.keyboard.press('Escape');
  await expect(confirm).toHaveCount(0);
  await expect(page.getByTestId('upload-row')).toHaveCount(9);
  // A search narrows the selection to what it shows: Delete never reaches a hidden file.
  await page.getByRole('searchbox', { name: 'Search names and folders' }).fill('Day 3');
  await expect(page.getByText('2 selected')).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search names and folders' }).fill('');
  // One file, removed by keyboard after the question.
  await page.getByLabel('Select all shown').uncheck();
  await page.getByTestId('upload-row').last().focus();
  await page.keyboard.press('Space');
  await expect(page.getByText('1 selected')).toBeVisible();
  await page.keyboard.press('Delete');
  await confirm.getByRole('button', { name: 'Remove 1' }).click();
  await expect(page.getByTestId('upload-row')).toHaveCount(8);

  // Compact rows: more of a long queue at once, at the smallest window too.
  await page.getByLabel('Compact').check();
  await expect(page.getByTestId('upload-row').first()).toHaveCSS('height', '36px');
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 900, height: 600 });
    await page.screenshot({ path: screenshotPath(`queue-compact-900-${scheme}.png`) });
    const results = await new AxeBuilder({ page }).analyze();
    expect(
      results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id),
      scheme,
    ).toEqual([]);
  }
});

test('the keyboard keeps its place: a panel takes focus when it opens and gives it back when it closes', async ({
  page,
}) => {
  space.emulator = await startEmulator({ processingDelayMs: 50 });
  await uploadFixture(space.emulator, 'image.jpg', { method: 'direct' }, 'poster.jpg');
  const folder = join(space.work, 'Mixed');
  await mkdir(folder);
  await copyFile(fixture('notes-renamed.mp4'), join(folder, 'notes.mp4'));
  await start(page, { folder });
  await page.getByRole('button', { name: 'Add folder' }).click();
  await expect(row(page, 'notes.mp4')).toHaveAttribute('data-state', 'rejected', { timeout: 20_000 });

  // Panels opened from the header, by keyboard: focus goes in, and Escape brings it back.
  for (const [opener, panel] of [
    ['History', page.locator('section.history')],
    ['Metadata', page.locator('section.editor')],
    ['Index: none', page.locator('section.picker')],
    ['Add from link', page.locator('section.adder')],
  ] as const) {
    const button = page.getByRole('button', { name: opener, exact: true });
    await button.focus();
    await page.keyboard.press('Enter');
    await expect(panel).toBeVisible();
    expect(await panel.evaluate((node) => node.contains(document.activeElement))).toBe(true);
    await page.keyboard.press('Escape');
    await expect(panel).toHaveCount(0);
    await expect(button).toBeFocused();
  }

  // A row's Details, closed with its own button: back to the row's Details link.
  const details = row(page, 'notes.mp4').getByRole('button', { name: 'Details of notes.mp4' });
  await details.focus();
  await page.keyboard.press('Enter');
  const panel = page.getByTestId('item-details');
  expect(await panel.evaluate((node) => node.contains(document.activeElement))).toBe(true);
  await panel.getByRole('button', { name: 'Close' }).first().click();
  await expect(details).toBeFocused();

  // The Library: Enter on a card moves into its details; Escape returns to the card.
  await page.getByRole('button', { name: 'Library', exact: true }).click();
  const card = page.getByTestId('asset').first();
  await expect(card).toBeVisible({ timeout: 20_000 });
  await card.focus();
  await page.keyboard.press('Enter');
  const detail = page.getByTestId('asset-detail');
  await expect(detail).toBeVisible();
  await expect.poll(() => detail.evaluate((node) => node.contains(document.activeElement))).toBe(true);
  await page.keyboard.press('Escape');
  await expect(detail).toHaveCount(0);
  await expect(card).toBeFocused();
});

test('files still being checked are counted in the progress header', async ({ page }) => {
  space.emulator = await startEmulator({ processingDelayMs: 50 });
  const folder = join(space.work, 'Render');
  await mkdir(folder);
  await copyFile(fixture('video-h264.mp4'), join(folder, 'final.mp4'));
  const growing = join(folder, 'growing.mp4');
  await copyFile(fixture('video-h264.mp4'), growing);
  await start(page, { folder });
  // A render still being written stays in Checking until it stops changing.
  const writer = setInterval(() => void appendFile(growing, Buffer.alloc(1024)), 100);
  try {
    await page.getByRole('button', { name: 'Add folder' }).click();
    await expect(row(page, 'growing.mp4')).toContainText('Still being written');
    await expect(page.getByTestId('batch-progress')).toContainText('1 still being checked');
    // It moves on by itself: no Remove of its own on the row.
    await expect(row(page, 'growing.mp4').getByRole('button')).toHaveCount(0);
  } finally {
    clearInterval(writer);
  }
  await expect(row(page, 'growing.mp4')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await expect(page.getByTestId('batch-progress')).toHaveCount(0);
});
