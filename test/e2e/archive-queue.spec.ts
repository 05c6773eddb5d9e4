import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { openSecretStore } from '../../electron/core/secrets/secret-store';
import { formatNumber } from '../../electron/shared/i18n';
import { openTestApp } from '../helpers/app';
import { writeQueue } from '../helpers/queued-journal';
import { openApp } from './harness/app-harness';
import { e2eSpace } from './harness/space';

/** The archive's size: 100,000 in CI; `QUEUE_FILES=1000000` for the million. */
const FILES = Number(process.env.QUEUE_FILES ?? 100_000);
/** The same window over a small queue, measured in the same run: the baseline. */
const BASELINE_FILES = 1_000;
/** What the window may hold beyond the baseline's heap, however long the queue: a page's rows. */
const HEAP_ALLOWANCE_MIB = 16;

const space = e2eSpace('archive', { emulator: {} });

/** The window's JavaScript heap after a full collection, in MiB. */
async function windowHeap(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize / 1024 ** 2;
}

/**
 * A queue of `files` made directly in the journal, opened in the window: paused, so nothing moves
 * while it is measured. Says how long the window took, loaded again, to show the queue's numbers and rows.
 */
async function openQueue(page: Page, name: string, files: number) {
  const dataDir = join(space.work, name);
  await writeQueue(dataDir, files);
  const app = await openTestApp(dataDir, {
    emulator: space.emulator,
    secrets: await openSecretStore(`TwelveLabs Uploader archive ${randomUUID()}`),
  });
  // Held (no key yet) until paused: the files do not exist, and nothing is to move.
  await app.engine.pause('all');
  await app.secrets.set(space.emulator.apiKey);
  const stop = await openApp(page, app.contract, space.renderer.url);
  const shown = async () => {
    await expect(page.getByRole('button', { name: /^All/ })).toContainText(formatNumber(files), { timeout: 60_000 });
    await expect(page.getByTestId('upload-row').first()).toContainText('IMG_0000000.jpg');
  };
  await shown();
  // Opened again as a person opens the window a second time (the app's code already loaded).
  const started = Date.now();
  await page.reload();
  await shown();
  const openMs = Date.now() - started;
  return {
    openMs,
    async close() {
      stop();
      await app.secrets.clear();
      await app.close();
    },
  };
}

test(`a queue of ${formatNumber(FILES)} opens, scrolls, searches, groups and selects all in a window of flat memory`, async ({
  context,
}) => {
  // Writing the journal and opening the engine on it take about 0.1 ms and 0.02 ms a file here.
  test.setTimeout(180_000 + FILES * 0.6);
  // Each queue in a page of its own: a page is bound to the app it opened.
  const first = await context.newPage();
  const small = await openQueue(first, 'small', BASELINE_FILES);
  const baselineMiB = await windowHeap(first);
  await small.close();
  await first.close();

  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const large = await openQueue(page, 'large', FILES);
  try {
    const grid = page.getByRole('grid', { name: 'Upload queue' });
    await expect(grid).toHaveAttribute('aria-rowcount', String(FILES));
    const openedMiB = await windowHeap(page);

    // To the end of the list in one jump: the rows there are read, not the million between.
    await grid.evaluate((element) => (element.scrollTop = element.scrollHeight));
    const last = `IMG_${String(FILES - 1).padStart(7, '0')}.jpg`;
    await expect(page.getByTestId('upload-row').last()).toContainText(last, { timeout: 30_000 });

    const timed = async (act: () => Promise<unknown>, done: () => Promise<unknown>) => {
      const begun = Date.now();
      await act();
      await done();
      return Date.now() - begun;
    };
    const search = page.getByRole('searchbox', { name: 'Search names and folders' });
    // A folder from the middle of the queue (100 files a folder).
    const roll = `Roll ${String(Math.floor(FILES / 200)).padStart(4, '0')}`;
    const searchMs = await timed(
      () => search.fill(`${roll}/`),
      () => expect(grid).toHaveAttribute('aria-rowcount', '100', { timeout: 30_000 }),
    );
    // Searched from the end of the list: the 100 rows found are drawn, and nothing is refused.
    await expect(page.getByTestId('upload-row').first()).toContainText(roll);
    expect(await page.getByRole('status').allTextContents()).toEqual([]);
    await search.fill('');
    await grid.evaluate((element) => (element.scrollTop = 0));
    const groupMs = await timed(
      () => page.getByLabel('By folder').check(),
      () => expect(page.getByTestId('folder-heading').first()).toContainText('100 files', { timeout: 30_000 }),
    );
    await expect(grid).toHaveAttribute('aria-rowcount', String(FILES + FILES / 100));
    await page.getByLabel('By folder').uncheck();

    const selectMs = await timed(
      async () => {
        await page.getByTestId('upload-row').first().focus();
        await page.keyboard.press('ControlOrMeta+a');
      },
      () => expect(page.getByText(`${formatNumber(FILES)} selected`)).toBeVisible({ timeout: 30_000 }),
    );
    // One file unpicked by hand out of every file picked: the rest stay picked.
    await page.getByTestId('upload-row').nth(1).getByRole('checkbox').uncheck();
    await expect(page.getByText(`${formatNumber(FILES - 1)} selected`)).toBeVisible();
    const selectedMiB = await windowHeap(page);

    console.log(`A queue of ${formatNumber(FILES)} (baseline ${formatNumber(BASELINE_FILES)}, same run):`);
    console.log(
      `  opened in ${large.openMs} ms (baseline ${small.openMs} ms, x${(large.openMs / small.openMs).toFixed(2)})`,
    );
    console.log(`  a search in ${searchMs} ms; grouped by folder in ${groupMs} ms; select all in ${selectMs} ms`);
    console.log(
      `  window heap: ${openedMiB.toFixed(1)} MiB opened, ${selectedMiB.toFixed(1)} MiB all selected; baseline ${baselineMiB.toFixed(1)} MiB (x${(openedMiB / baselineMiB).toFixed(2)})`,
    );
    // Flat: the window holds a page of rows, never the queue (it held about 1 KB a file before).
    expect(openedMiB - baselineMiB).toBeLessThan(HEAP_ALLOWANCE_MIB);
    expect(selectedMiB - baselineMiB).toBeLessThan(HEAP_ALLOWANCE_MIB);
    expect(errors).toEqual([]);
  } finally {
    if (errors.length > 0) console.log(`the window's errors: ${errors.join('; ')}`);
    await large.close();
  }
});
