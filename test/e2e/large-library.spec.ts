import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startEmulator } from '../emulator/server';
import { control } from '../helpers/emulator';
import { closeApps, serveRenderer, startApp } from './harness/app-harness';

const ASSETS = 100_000;

/**
 * A library of 100,000 assets in the real window: read in full from the emulator, opened, searched
 * by field, scrolled a page at a time, and selected whole. Times are printed (these machines are
 * too noisy for timed assertions); the test asserts what a person would check: the counts.
 */
test('a 100,000-asset library opens, searches, pages and selects all', async ({ page }) => {
  test.setTimeout(240_000);
  const work = await mkdtemp(join(tmpdir(), 'tl-large-library-'));
  const renderer = await serveRenderer();
  const emulator = await startEmulator();
  try {
    expect(
      await control(emulator, '/assets/bulk', { method: 'POST', body: JSON.stringify({ count: ASSETS }) }),
    ).toEqual({ created: ASSETS });
    const readStarted = Date.now();
    await startApp(page, { dataDir: join(work, 'data'), emulator, rendererUrl: renderer.url });
    await page.getByRole('button', { name: 'Library', exact: true }).click();
    const sync = page.getByTestId('sync');
    await expect(sync).toHaveText(/· 100,000 assets$/, { timeout: 180_000 });
    const readMs = Date.now() - readStarted;

    const timed = async (act: () => Promise<unknown>, done: () => Promise<unknown>) => {
      const begun = performance.now();
      await act();
      await done();
      return performance.now() - begun;
    };
    const matched = page.getByTestId('matched');
    const grid = page.getByRole('grid', { name: 'Assets' });
    // Opening the screen again: from the local copy, the first page and the count.
    await page.getByRole('button', { name: 'Uploads' }).click();
    const openMs = await timed(
      () => page.getByRole('button', { name: 'Library', exact: true }).click(),
      () => expect(page.getByTestId('asset').first()).toContainText('still_099999.jpg'),
    );
    await expect(matched).toHaveText('100,000 assets');
    const search = page.getByRole('searchbox', { name: 'Search names and metadata' });
    const searchMs = await timed(
      () => search.fill('project:artemis rating>3'),
      () => expect(matched).toHaveText('8,333 of 100,000 assets match'),
    );
    await search.fill('');
    await expect(matched).toHaveText('100,000 assets');

    // A page at a time: scrolling to the end of what is loaded loads the next 300.
    const loadedRows = async () => Number(await grid.getAttribute('aria-rowcount'));
    const firstRows = await loadedRows();
    const columns = await page.evaluate(() => document.querySelector('.grid-row')?.children.length ?? 1);
    expect(firstRows).toBe(Math.ceil(300 / columns));
    for (let page_ = 2; page_ <= 4; page_ += 1) {
      await grid.evaluate((element) => (element.scrollTop = element.scrollHeight));
      await expect.poll(loadedRows).toBe(Math.ceil((300 * page_) / columns));
    }
    await grid.evaluate((element) => (element.scrollTop = element.scrollHeight - element.clientHeight - 400));
    await expect(page.getByTestId('asset').last()).toContainText(`still_${String(ASSETS - 1200).padStart(6, '0')}.jpg`);

    const heapOf = () =>
      page.evaluate(
        () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0,
      );
    const heapLoaded = await heapOf();
    // Everything, loaded or not.
    await page.getByTestId('asset').first().focus();
    const selectMs = await timed(
      () => page.keyboard.press('ControlOrMeta+a'),
      () => expect(page.getByText('100,000 of 100,000 selected')).toBeVisible(),
    );
    const heapSelected = await heapOf();
    // A search narrows the selection to what it shows: an action never reaches a hidden asset.
    await search.fill('project:artemis rating>3');
    await expect(page.getByText('8,333 of 8,333 selected')).toBeVisible();

    console.log(`library of ${ASSETS.toLocaleString()} assets in the window`);
    console.log(`  full read from the emulator (2,000 pages) into the copy: ${(readMs / 1000).toFixed(1)} s`);
    console.log(`  open the screen to the first card: ${openMs.toFixed(0)} ms`);
    console.log(`  field search to its count: ${searchMs.toFixed(0)} ms`);
    console.log(`  select all 100,000: ${selectMs.toFixed(0)} ms`);
    const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
    console.log(`  window's JS heap: ${mib(heapLoaded)} with 1,200 loaded, ${mib(heapSelected)} with all selected`);
  } finally {
    await closeApps();
    await emulator.close();
    await renderer.close();
    await rm(work, { recursive: true, force: true });
  }
});
