import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { control } from '../helpers/emulator';
import { startLinkServer, type LinkServer } from '../helpers/link-server';
import { startApp } from './harness/app-harness';
import { e2eSpace } from './harness/space';

const space = e2eSpace('links', { emulator: { processingDelayMs: 1500 } });
let links: LinkServer;

test.beforeEach(async () => {
  links = await startLinkServer();
  space.onClose(() => links.close());
});

test('Add from link: several pasted, one bad, each a row through to Ready or a reason', async ({ page }) => {
  await startApp(page, {
    dataDir: join(space.work, 'data'),
    emulator: space.emulator,
    rendererUrl: space.renderer.url,
  });
  await page.getByRole('button', { name: 'Add from link' }).click();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('heading', { name: 'Add from link' })).toBeHidden();
  await page.getByRole('button', { name: 'Add from link' }).click();
  const box = page.getByLabel(/Paste direct links/);
  await expect(box).toBeFocused();
  await box.fill(
    [
      links.media('video-h264.mp4'),
      links.media('image.jpg'),
      `${links.origin}/page.html`,
      links.media('audio.mp3'),
    ].join('\n'),
  );
  await expect(page.getByRole('button', { name: 'Add 4 links' })).toBeEnabled();
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `test-results/links-adder-${scheme}.png` });
    const axe = await new AxeBuilder({ page }).include('.adder').analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.getByRole('button', { name: 'Add 4 links' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Added 4 links to the list.' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Add from link' })).toBeHidden();

  const row = (name: string) => page.getByTestId('upload-row').filter({ hasText: name });
  await expect(row('video-h264.mp4')).toHaveAttribute('data-state', 'processing');
  await expect(row('video-h264.mp4')).toContainText('TwelveLabs is fetching the link');
  for (const name of ['video-h264.mp4', 'image.jpg', 'audio.mp3']) {
    await expect(row(name)).toHaveAttribute('data-state', 'ready', { timeout: 20_000 });
  }
  const page_ = row('page.html');
  await expect(page_).toHaveAttribute('data-state', 'rejected');
  await expect(page_).toContainText('This link opens a web page, not a media file.');
  await expect(page_.getByRole('button', { name: 'Check again' })).toBeVisible();
  // The status bar counts every outcome, the refused link included (the same words as the tray).
  await expect(page.getByTestId('activity')).toHaveText('3 files uploaded, 1 could not be uploaded');
  // The host and path stand where a file's folder would.
  await expect(row('image.jpg')).toContainText(`${new URL(links.origin).host}/media`);
  await expect(page_.getByRole('gridcell').nth(2)).toHaveText('—');
  await page.setViewportSize({ width: 900, height: 600 });
  await page.screenshot({ path: 'test-results/links-900.png' });

  const stats = await control(space.emulator, '/stats');
  expect(stats.assets).toBe(3);
});

test('a link dragged in from a browser is queued like a pasted one', async ({ page }) => {
  await startApp(page, {
    dataDir: join(space.work, 'data'),
    emulator: space.emulator,
    rendererUrl: space.renderer.url,
  });
  await expect(page.getByRole('heading', { name: 'Uploads' })).toBeVisible();
  const link = links.media('image.png');
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.setData('text/uri-list', text);
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  }, link);
  await expect(page.getByTestId('upload-row').filter({ hasText: 'image.png' })).toHaveAttribute('data-state', 'ready', {
    timeout: 20_000,
  });
});
