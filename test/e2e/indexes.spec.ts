import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { api, createIndex, fixture, uploadFixture, waitForAsset } from '../helpers/emulator';
import { screenshotPath, startApp } from './harness/app-harness';
import { e2eSpace } from './harness/space';

const space = e2eSpace('indexes', { emulator: { processingDelayMs: 50, indexingDelayMs: 600 } });

test('uploads go into an index chosen or made in the window, and each row says how far it got', async ({ page }) => {
  await page.setViewportSize({ width: 900, height: 600 });
  await createIndex(space.emulator, 'Archive 2019');
  const folder = join(space.work, 'Shoot 2026-10');
  await mkdir(folder);
  await copyFile(fixture('video-h264.mp4'), join(folder, 'take_1.mp4'));
  await copyFile(fixture('too-short.mp4'), join(folder, 'take_2.mp4'));
  await copyFile(fixture('image.jpg'), join(folder, 'poster.jpg'));
  const session = await startApp(page, {
    dataDir: join(space.work, 'data'),
    emulator: space.emulator,
    rendererUrl: space.renderer.url,
  });

  await page.getByRole('button', { name: 'Index: none' }).click();
  const picker = page.getByRole('region', { name: 'Make new uploads searchable' });
  await expect(picker.getByRole('radio', { name: /Don't index/ })).toBeChecked();
  await expect(picker.getByRole('radio', { name: /Archive 2019/ })).toHaveAccessibleName(
    /Archive 2019 0 videos · 0 hr · searches what is seen and heard · until/,
  );
  await picker.getByRole('button', { name: 'New index…' }).click();
  await picker.getByLabel('Name').fill('Archive 2019');
  await picker.getByRole('button', { name: 'Make index' }).click();
  await expect(picker.getByRole('alert')).toHaveText(
    'An index named Archive 2019 exists already: choose it, or another name.',
  );
  await picker.getByLabel('Name').fill('Shoot 2026-10');
  await picker.getByLabel('What is heard').uncheck();
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: screenshotPath(`index-picker-${scheme}.png`) });
    const axe = await new AxeBuilder({ page }).include('.picker').analyze();
    expect(axe.violations).toEqual([]);
  }
  await picker.getByRole('button', { name: 'Make index' }).click();
  await expect(page.getByRole('button', { name: 'Index: Shoot 2026-10' })).toBeVisible();
  await expect(picker).toHaveCount(0);
  const chosen = session.app.settings.get().uploadIndex!;
  expect(chosen.name).toBe('Shoot 2026-10');
  const made = (await api(space.emulator, `/indexes/${chosen.id}`)).body;
  expect(made.models).toEqual([{ model_name: 'marengo3.0', model_options: ['visual'] }]);

  // Before any video goes into the index, the window says what indexing them will cost.
  space.emulator.setFaults({ indexes: { hold: 'POST /indexes/{id}/indexed-assets' } });
  await session.app.contract.addPaths([folder]);
  await expect(page.locator('.index-outcome')).toContainText(
    '2 videos, 1 minute of video to index (TwelveLabs bills indexing by the minute).',
    { timeout: 20_000 },
  );
  space.emulator.setFaults({});
  const row = (name: string) => page.getByTestId('upload-row').filter({ hasText: name });
  await expect(row('take_1.mp4')).toContainText(/Searchable\s+In Shoot 2026-10/, { timeout: 20_000 });
  await expect(row('take_2.mp4')).toContainText('Indexing failed', { timeout: 20_000 });
  await expect(row('take_2.mp4')).toContainText('2 seconds long');
  await expect(row('poster.jpg')).toContainText('not indexed: only videos go into an index, and this is an image');
  await expect(
    page.getByText('1 searchable in Shoot 2026-10, 1 could not be indexed, 1 not indexed (not a video).'),
  ).toBeVisible();
  // Counted where it is: the one its index could not take needs attention; done is searchable.
  const show = page.getByRole('group', { name: 'Show' });
  await expect(show.getByRole('button', { name: /^Needs attention 1/ })).toBeVisible();
  await expect(show.getByRole('button', { name: /^Done 2/ })).toBeVisible();
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: screenshotPath(`index-rows-${scheme}.png`) });
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations).toEqual([]);
  }

  // Retry indexing asks again (a new job: the failed one stays failed), and it fails again for the same reason.
  await row('take_2.mp4').getByRole('button', { name: 'Retry indexing take_2.mp4' }).click();
  await expect(row('take_2.mp4')).not.toContainText('Indexing failed', { timeout: 5_000 });
  await expect(row('take_2.mp4')).toContainText('Indexing failed', { timeout: 20_000 });
  const jobs = (await api(space.emulator, `/indexes/${chosen.id}/indexed-assets?page_limit=50`)).body.data;
  expect(jobs).toHaveLength(3);
  // History counts the batch's searchable files in the same words.
  await page.getByRole('button', { name: 'History' }).click();
  await expect(page.getByTestId('batch')).toContainText(
    '1 searchable in Shoot 2026-10, 1 could not be indexed, 1 not indexed (not a video)',
  );
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: screenshotPath(`index-history-${scheme}.png`) });
  }
});

test('videos already in the library go into an index from the Library, each once, and their details say where', async ({
  page,
}) => {
  await page.setViewportSize({ width: 900, height: 600 });
  const index = await createIndex(space.emulator, 'Archive 2019');
  const video = (await uploadFixture(space.emulator, 'video-h264.mp4', { method: 'direct' }, 'interview.mp4')).body._id;
  await uploadFixture(space.emulator, 'image.jpg', { method: 'direct' }, 'poster.jpg');
  await waitForAsset(space.emulator, video);
  await startApp(page, {
    dataDir: join(space.work, 'data'),
    emulator: space.emulator,
    rendererUrl: space.renderer.url,
  });
  await page.getByRole('button', { name: 'Library' }).click();
  await page.getByRole('checkbox', { name: /Select all 2/ }).check();
  await page.getByRole('button', { name: 'Add to index…' }).click();
  const picker = page.getByRole('region', { name: 'Add 2 assets to an index' });
  await expect(picker.getByRole('radio', { name: /Don't index/ })).toHaveCount(0);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: screenshotPath(`index-library-${scheme}.png`) });
    const axe = await new AxeBuilder({ page }).include('.picker').analyze();
    expect(axe.violations).toEqual([]);
  }
  // Picking sends at once and closes the picker: a click, not check(), which would look for the
  // radio's new state after it has gone (and wait for it until the timeout on a busy machine).
  await picker.getByRole('radio', { name: /Archive 2019/ }).click();
  await expect(
    page.getByText('Sent 1 video to Archive 2019: searchable there once indexed; 1 is not a ready video, so not sent.'),
  ).toBeVisible();
  // Again: nothing is sent twice.
  await page.getByRole('button', { name: 'Add to index…' }).click();
  await page
    .getByRole('region', { name: 'Add 2 assets to an index' })
    .getByRole('radio', { name: /Archive 2019/ })
    .click();
  await expect(page.getByText(/^Nothing sent to Archive 2019; 1 was there already/)).toBeVisible();
  expect((await api(space.emulator, `/indexes/${index}/indexed-assets`)).body.data).toHaveLength(1);
  await page.getByRole('button', { name: /^interview\.mp4/ }).click();
  await expect(page.getByTestId('asset-detail')).toContainText(/In indexes\s+Archive 2019/);
  await page.getByRole('button', { name: 'Close details' }).click();

  // The Library knows at once which index holds what: a filter, and a column in the list.
  const filter = page.getByRole('combobox', { name: 'Show index' });
  // At 900 wide the search and every filter, the index one too, share one row.
  await page.screenshot({ path: screenshotPath('library-toolbar-900.png') });
  const tops = await page
    .getByRole('search')
    .locator(':scope > label')
    .evaluateAll((labels) => labels.map((label) => Math.round(label.getBoundingClientRect().bottom)));
  expect(tops).toHaveLength(5);
  expect(new Set(tops).size).toBe(1);
  await filter.selectOption({ label: 'In Archive 2019' });
  await expect(page.getByTestId('asset')).toHaveCount(1);
  await expect(page.getByTestId('asset')).toContainText('interview.mp4');
  await filter.selectOption({ label: 'In no index' });
  await expect(page.getByTestId('asset')).toHaveCount(1);
  await expect(page.getByTestId('asset')).toContainText('poster.jpg');
  await filter.selectOption({ label: 'Any index' });
  await page.getByRole('button', { name: 'List' }).click();
  const interview = page.getByTestId('asset').filter({ hasText: 'interview.mp4' });
  await expect(interview.getByRole('gridcell').nth(7)).toHaveText('Archive 2019');
  await expect(page.getByTestId('asset').filter({ hasText: 'poster.jpg' }).getByRole('gridcell').nth(7)).toHaveText('');
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: screenshotPath(`index-library-filter-${scheme}.png`) });
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations).toEqual([]);
  }
});
