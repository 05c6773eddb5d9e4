import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { startEmulator } from '../emulator/server';
import { api, control, indexAsset, uploadFixture, uploadInParts, waitForAsset } from '../helpers/emulator';
import { startApp, screenshotPath } from './harness/app-harness';
import { e2eSpace } from './harness/space';

const space = e2eSpace('library');

/**
 * A library of 113 assets over three pages: a video with a streaming preview and thumbnail, one
 * that failed processing, 107 stills and a clip in an index (every tenth tagged with a project) and three
 * recordings.
 */
async function seedLibrary(): Promise<{ video: string; failed: string; indexed: string }> {
  const video = (
    await uploadFixture(
      space.emulator,
      'video-h264.mp4',
      {
        method: 'direct',
        enable_hls: 'true',
        enable_thumbnail: 'true',
        // As the app uploads it: with the content fingerprint duplicate detection relies on.
        user_metadata: JSON.stringify({ content_sha256: 'f00dfeed0123456789abcdef' }),
      },
      'interview_03.mp4',
    )
  ).body._id;
  const failed = await uploadInParts(space.emulator, 'too-short.mp4', 'pickup.mp4');
  let indexed = '';
  for (let i = 0; i < 108; i += 1) {
    const fields: Record<string, string> = { method: 'direct', enable_thumbnail: 'false' };
    if (i % 10 === 0) fields.user_metadata = JSON.stringify({ project: i % 20 === 0 ? 'Apollo' : 'Gemini' });
    // The eighth is a clip another tool put into an index (only videos can be indexed).
    const { body } =
      i === 7
        ? await uploadFixture(space.emulator, 'video-h264.mp4', fields, 'still_007.mp4')
        : await uploadFixture(space.emulator, 'image.png', fields, `still_${String(i).padStart(3, '0')}.png`);
    if (i === 7) indexed = body._id;
  }
  for (let i = 0; i < 3; i += 1)
    await uploadFixture(space.emulator, 'audio.mp3', { method: 'direct' }, `voice_${i}.mp3`);
  await waitForAsset(space.emulator, indexed);
  await indexAsset(space.emulator, indexed);
  await waitForAsset(space.emulator, video);
  await waitForAsset(space.emulator, failed);
  return { video, failed, indexed };
}

function start(page: Page) {
  return startApp(page, {
    dataDir: join(space.work, 'data'),
    emulator: space.emulator,
    rendererUrl: space.renderer.url,
    pick: { saveTo: join(space.work, 'export') },
  });
}

/** Counts, from now on, the lists the window reads from main (`library:list`). */
async function countListReads(page: Page): Promise<() => Promise<number>> {
  await page.evaluate(() => {
    const w = window as unknown as {
      __harnessInvoke: (channel: string, args: readonly unknown[]) => Promise<unknown>;
      __listReads: number;
    };
    const invoke = w.__harnessInvoke;
    w.__listReads = 0;
    w.__harnessInvoke = (channel, args) => {
      if (channel === 'library:list') w.__listReads += 1;
      return invoke(channel, args);
    };
  });
  return () => page.evaluate(() => (window as unknown as { __listReads: number }).__listReads);
}

function card(page: Page, name: string) {
  return page.getByTestId('asset').filter({ hasText: name });
}

test('browse, search, preview, edit metadata three ways, delete past an index, export, and keep working offline', async ({
  page,
}) => {
  test.setTimeout(120_000);
  // The seed's answer to a video too short for the model: its processing fails.
  space.emulator = await startEmulator({ processingDelayMs: 20, modelRulesAtUpload: true });
  const { video, failed, indexed } = await seedLibrary();
  const session = await start(page);
  await page.getByRole('button', { name: 'Library', exact: true }).click();
  await expect(page.getByTestId('sync')).toHaveText(/^Updated \d{1,2}:\d{2}( [AP]M)? · 113 assets$/, {
    timeout: 20_000,
  });
  expect((await control(space.emulator, '/stats')).requests['GET /assets']).toBeGreaterThanOrEqual(3);
  // Newest first; the grid draws only what is in view (the oldest, the video, is far below).
  await expect(page.getByTestId('asset').first()).toContainText('voice_2.mp3');
  expect(await page.getByTestId('asset').count()).toBeLessThan(113);

  // Search names and metadata values; filter by type and status.
  const search = page.getByRole('searchbox', { name: 'Search names and metadata' });
  await search.fill('apollo');
  await expect(page.getByTestId('asset')).toHaveCount(6);
  await search.fill('still_10');
  await expect(page.getByTestId('asset')).toHaveCount(8);
  await search.fill('');
  await page.getByLabel('Show type').selectOption('audio');
  await expect(page.getByTestId('asset')).toHaveCount(3);
  await page.getByLabel('Show type').selectOption('all');
  await page.getByLabel('Show status').selectOption('failed');
  await expect(page.getByTestId('asset')).toHaveCount(1);
  await page.getByRole('button', { name: 'List' }).click();
  await expect(page.getByTestId('asset')).toContainText('Failed: The video is too short.');
  await page.getByRole('button', { name: 'pickup.mp4' }).click();
  await expect(page.getByTestId('asset-detail')).toContainText(
    'TwelveLabs could not process this file: The video is too short.',
  );
  await page.getByLabel('Show status').selectOption('all');
  await page.getByLabel('Sort by').selectOption('name');
  await expect(page.getByTestId('asset').first()).toContainText('interview_03.mp4');
  await page.getByRole('button', { name: 'Grid' }).click();

  // The video: its thumbnail (320 px wide, as made), a playable streaming preview, the facts, the ID.
  await search.fill('interview');
  await expect(card(page, 'interview_03.mp4').locator('img')).toHaveJSProperty('naturalWidth', 320);
  await page.getByRole('button', { name: /^interview_03\.mp4/ }).click();
  const detail = page.getByTestId('asset-detail');
  await expect(detail).toContainText(video);
  await expect(detail).toContainText('640×360');
  // The fingerprint is shown among the facts, read-only; no editor row offers it.
  await expect(detail).toContainText('f00dfeed01234567…');
  await expect(detail.getByLabel('Field name')).toHaveCount(0);
  await expect(detail).toContainText('0:05');
  const preview = detail.getByTestId('preview');
  await expect
    .poll(() => preview.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 15_000 })
    .toBeGreaterThanOrEqual(1);
  expect(Math.round(await preview.evaluate((v: HTMLVideoElement) => v.duration))).toBe(5);
  await detail.getByRole('button', { name: 'Copy asset ID' }).click();
  expect(session.app.clipboard).toEqual([video]);
  await page.screenshot({ path: screenshotPath('library-light.png') });

  // Metadata, three ways, checked against what TwelveLabs stores. Each edit patches the list
  // from main's change event; the list is not read again.
  const listReads = await countListReads(page);
  const stored = async () => (await control(space.emulator, `/assets/${video}`)).user_metadata ?? {};
  await detail.getByRole('button', { name: 'Add field' }).click();
  await detail.getByLabel('Field name').last().fill('reel');
  await detail.getByLabel('Type of reel').selectOption('integer');
  await detail.getByLabel('Value of reel').fill('four');
  await expect(detail.getByText('“reel” needs a whole number, like 3, not “four”.')).toBeVisible();
  await expect(detail.getByRole('button', { name: 'Save changes' })).toBeDisabled();
  await detail.getByLabel('Value of reel').fill('4');
  await detail.getByRole('button', { name: 'Add field' }).click();
  await detail.getByLabel('Field name').last().fill('approved');
  await detail.getByLabel('Type of approved').selectOption('boolean');
  // True or false is chosen, not typed.
  await expect(detail.getByLabel('Value of approved')).toHaveValue('true');
  await detail.getByLabel('Value of approved').selectOption('false');
  await detail.getByLabel('Value of approved').selectOption('true');
  // Before anything is sent, Save says what it will do.
  await expect(detail.getByTestId('save-preview')).toHaveText(/Save will:\s*add reel = 4\s*add approved = true/);
  // The editor with real fields, in both themes and at the smallest window.
  await page.screenshot({ path: screenshotPath('library-metadata-light.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize({ width: 900, height: 600 });
  await page.screenshot({ path: screenshotPath('library-metadata-dark-900.png') });
  // A long text is shown whole in the narrow panel: wrapped on lines of its own, never cut.
  await detail.getByRole('button', { name: 'Add field' }).click();
  await detail.getByLabel('Field name').last().fill('note');
  const note = detail.getByLabel('Value of note');
  await note.fill('Interview with the harbour master about the 1953 flood, second camera, with room tone');
  expect(await note.evaluate((el) => el.scrollHeight <= el.clientHeight + 1 && el.scrollWidth <= el.clientWidth)).toBe(
    true,
  );
  expect((await note.boundingBox())!.height).toBeGreaterThan(40);
  await page.screenshot({ path: screenshotPath('library-metadata-long-900.png') });
  await detail.getByRole('button', { name: 'Remove note' }).click();
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1200, height: 780 });
  await detail.getByRole('button', { name: 'Save changes' }).click();
  await expect(detail.getByText('Changes saved.')).toBeVisible();
  const fingerprint = { content_sha256: 'f00dfeed0123456789abcdef' };
  expect(await stored()).toEqual({ reel: 4, approved: true, ...fingerprint });
  await expect(detail.getByRole('button', { name: 'Save changes' })).toBeDisabled();
  await detail.getByRole('button', { name: 'Remove approved' }).click();
  await detail.getByLabel('Value of reel').fill('5');
  await expect(detail.getByTestId('save-preview')).toHaveText(/Save will:\s*change reel from 4 to 5\s*remove approved/);
  await detail.getByRole('button', { name: 'Save changes' }).click();
  await expect(detail.getByText('Changes saved.')).toBeVisible();
  expect(await stored()).toEqual({ reel: 5, ...fingerprint });
  // Someone else adds a field; "Replace all" (among the other ways to save) removes what is not listed here.
  await detail.getByText('More ways to save').click();
  await api(space.emulator, `/assets/${video}/user-metadata`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user_metadata: { stray: 'x' } }),
  });
  // Escape answers the question first (Cancel), and leaves the details open.
  await detail.getByRole('button', { name: 'Replace all' }).click();
  await page.keyboard.press('Escape');
  await expect(detail.getByRole('alertdialog')).toBeHidden();
  await expect(detail).toBeVisible();
  await detail.getByRole('button', { name: 'Replace all' }).click();
  await expect(detail.getByRole('alertdialog')).toContainText(
    'Replace all metadata on interview_03.mp4 with the fields above?',
  );
  await expect(detail.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await detail.getByRole('button', { name: 'Replace all metadata' }).click();
  // Replace all keeps the fingerprint; Clear all too.
  await expect.poll(stored).toEqual({ reel: 5, ...fingerprint });
  await detail.getByRole('button', { name: 'Clear all' }).click();
  await detail.getByRole('button', { name: 'Clear all metadata' }).click();
  await expect(detail.getByText('All metadata cleared.')).toBeVisible();
  expect(await stored()).toEqual(fingerprint);
  expect(await listReads()).toBe(0);

  // Edits not yet saved are never lost by opening another asset: the window asks first.
  await detail.getByRole('button', { name: 'Add field' }).click();
  await detail.getByLabel('Field name').last().fill('scene');
  await search.fill('');
  await page.getByRole('button', { name: /^pickup\.mp4/ }).click();
  const unsaved = detail.getByRole('alertdialog').filter({ hasText: 'are not saved' });
  await expect(unsaved).toContainText('Your changes to the metadata of interview_03.mp4 are not saved.');
  await expect(unsaved.getByRole('button', { name: 'Keep editing' })).toBeFocused();
  await page.screenshot({ path: screenshotPath('unsaved-changes-light.png') });
  await page.keyboard.press('Escape');
  await expect(unsaved).toHaveCount(0);
  await expect(detail.getByRole('heading', { name: 'interview_03.mp4' })).toBeVisible();
  await expect(detail.getByLabel('Field name').last()).toHaveValue('scene');
  await page.getByRole('button', { name: /^pickup\.mp4/ }).click();
  await unsaved.getByRole('button', { name: 'Discard changes' }).click();
  await expect(detail.getByRole('heading', { name: 'pickup.mp4' })).toBeVisible();

  // Delete an asset an index uses: explained, then deleted anyway.
  await search.fill('still_007');
  await page.getByRole('button', { name: /^still_007\.mp4/ }).click();
  // Its details first: on a busy machine the click could otherwise reach the last asset's panel.
  await expect(detail.getByRole('heading', { name: 'still_007.mp4' })).toBeVisible();
  await detail.getByRole('button', { name: 'Delete from library…' }).click();
  await expect(detail.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await detail.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(detail.getByRole('alertdialog')).toContainText(
    /still_007\.mp4\s+is used by the index Index [0-9a-f]{8},\s+so TwelveLabs kept it\./,
  );
  expect((await api(space.emulator, `/assets/${indexed}`)).status).toBe(200);
  await detail.getByRole('button', { name: 'Delete anyway' }).click();
  await expect(page.getByTestId('asset-detail')).toHaveCount(0);
  await expect(page.getByText('Deleted still_007.mp4 from your library.')).toBeVisible();
  // Gone from the list by the change event alone.
  const readsBeforeDelete = await listReads();
  await expect(page.getByTestId('asset')).toHaveCount(0);
  expect(await listReads()).toBe(readsBeforeDelete);
  expect((await api(space.emulator, `/assets/${indexed}`)).status).toBe(404);

  // Bulk: tag three, export them.
  await search.fill('voice_');
  await page.getByLabel('Select all').check();
  await page.getByRole('button', { name: 'Set a field…' }).click();
  const form = page.getByRole('form', { name: 'Set a field on the selection' });
  // The fingerprint cannot be set or removed in bulk either: refused before anything is sent.
  await form.getByLabel('Name').fill('content_sha256');
  await expect(form.getByRole('alert')).toHaveText(
    '“content_sha256” is kept by the app for duplicate detection; choose another name.',
  );
  await expect(form.getByRole('button', { name: 'Set on 3' })).toBeDisabled();
  await expect(form.getByRole('button', { name: 'Remove from 3' })).toBeDisabled();
  await form.getByLabel('Name').fill('reviewed');
  await form.getByLabel('Type').selectOption('boolean');
  await form.getByLabel('Value').selectOption('true');
  await page.setViewportSize({ width: 900, height: 600 });
  await page.screenshot({ path: screenshotPath('library-set-field-900.png') });
  await page.setViewportSize({ width: 1200, height: 780 });
  await form.getByRole('button', { name: 'Set on 3' }).click();
  await expect(page.getByText('Set “reviewed” on 3 assets.')).toBeVisible();
  // Escape closes the form.
  await page.getByRole('button', { name: 'Set a field…' }).click();
  await page.keyboard.press('Escape');
  await expect(form).toHaveCount(0);
  await page.getByRole('button', { name: 'Export CSV' }).click();
  await expect(page.getByText(/^Exported 3 assets to /)).toBeVisible();
  const csv = (await readFile(join(space.work, 'export'), 'utf8')).trimEnd().split('\r\n');
  // One column per metadata key.
  expect(csv[0]).toBe('\uFEFFid,filename,type,size,duration,status,created,indexes,reviewed');
  expect(
    csv
      .slice(1)
      .map((line) => line.split(',').slice(1, 3).join(','))
      .sort(),
  ).toEqual(['voice_0.mp3,audio', 'voice_1.mp3,audio', 'voice_2.mp3,audio']);
  expect(csv[1]).toMatch(/,ready,\d{4}-\d\d-\d\dT[^,]+,,true$/);
  await page.getByRole('button', { name: 'Export JSON' }).click();
  // The message is the same as for the CSV, so the file itself says when the JSON is written.
  const readJson = async () => {
    try {
      return JSON.parse(await readFile(join(space.work, 'export'), 'utf8'));
    } catch {
      return null;
    }
  };
  await expect.poll(readJson).not.toBeNull();
  const json = await readJson();
  expect(json.map((record: { metadata: object }) => record.metadata)).toEqual([
    { reviewed: true },
    { reviewed: true },
    { reviewed: true },
  ]);

  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual(
    [],
  );

  // Offline: the copy stays searchable, changes wait for a connection.
  await space.emulator.close();
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Offline: showing your library as of' })).toBeVisible({
    timeout: 20_000,
  });
  await search.fill('gemini');
  await expect(page.getByTestId('asset')).toHaveCount(5);
  await expect(page.getByRole('button', { name: 'Delete…' })).toHaveCount(0);
  await page.getByRole('button', { name: /^still_010\.png/ }).click();
  await expect(detail).toContainText('Offline: showing what was known when the library was last read.');
  await expect(detail.getByLabel('Value of project')).toBeDisabled();
  expect(failed).toBeTruthy();
});

test('field search with honest counts, failure reasons on cards, metadata columns, export of a search, and the grid by keyboard alone', async ({
  page,
}) => {
  test.setTimeout(120_000);
  // The seed's answer to a video too short for the model: its processing fails.
  space.emulator = await startEmulator({ processingDelayMs: 20, modelRulesAtUpload: true });
  await seedLibrary();
  await start(page);
  await page.getByRole('button', { name: 'Library', exact: true }).click();
  await expect(page.getByTestId('sync')).toHaveText(/· 113 assets$/, { timeout: 20_000 });
  const matched = page.getByTestId('matched');
  await expect(matched).toHaveText('113 assets');

  // Fields, negation and the file's own facts; the count is of what is shown.
  const search = page.getByRole('searchbox', { name: 'Search names and metadata' });
  await search.fill('project:apollo');
  await expect(page.getByTestId('asset')).toHaveCount(6);
  await expect(matched).toHaveText('6 of 113 assets match');
  await search.fill('-project:apollo type:image');
  await expect(matched).toHaveText('101 of 113 assets match');
  await search.fill('status:failed');
  await expect(matched).toHaveText('1 of 113 assets match');
  // The reason is on the card itself, not only in the details.
  await expect(card(page, 'pickup.mp4')).toContainText('Failed: The video is too short.');

  // Export what a search matches, with nothing selected: one column per key.
  await search.fill('project:gemini');
  await expect(matched).toHaveText('5 of 113 assets match');
  await page.getByRole('button', { name: 'Export these as CSV' }).click();
  await expect(page.getByText(/^Exported 5 assets to /)).toBeVisible();
  const csv = (await readFile(join(space.work, 'export'), 'utf8')).trimEnd().split('\r\n');
  expect(csv[0]).toBe('\uFEFFid,filename,type,size,duration,status,created,indexes,project');
  expect(csv.slice(1).every((line) => line.endsWith(',Gemini'))).toBe(true);
  expect(csv).toHaveLength(6);

  // Metadata keys as list columns, remembered.
  await search.fill('project:');
  await page.getByRole('button', { name: 'List' }).click();
  await page.getByRole('button', { name: 'Columns' }).click();
  await page.getByRole('group', { name: 'Metadata columns' }).getByLabel('project').check();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('group', { name: 'Metadata columns' })).toHaveCount(0);
  await expect(page.locator('.list-head')).toContainText('project');
  await expect(page.getByTestId('asset').first()).toContainText(/Apollo|Gemini/);
  await page.setViewportSize({ width: 900, height: 600 });
  await page.screenshot({ path: screenshotPath('library-columns-900.png') });
  await page.setViewportSize({ width: 1200, height: 780 });
  await page.getByRole('button', { name: 'Grid' }).click();

  // The grid by keyboard alone: Tab reaches one card, arrows move, Space and Shift pick, Enter
  // opens, Escape closes, Ctrl-A selects everything matched, Delete asks first.
  await search.fill('');
  await expect(matched).toHaveText('113 assets');
  await search.focus();
  for (let tab = 0; tab < 30; tab += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'asset')) break;
  }
  const focused = page.locator('[data-testid="asset"]:focus');
  await expect(focused).toContainText('voice_2.mp3');
  // A ring anyone can see.
  expect(await focused.evaluate((el) => getComputedStyle(el).outlineWidth)).toBe('3px');
  await page.keyboard.press('ArrowRight');
  await expect(focused).toContainText('voice_1.mp3');
  await page.keyboard.press('Space');
  await page.keyboard.press('Shift+ArrowRight');
  await expect(focused).toContainText('voice_0.mp3');
  await expect(page.getByText('2 of 113 selected')).toBeVisible();
  await page.keyboard.press('ArrowDown');
  const columns = await page.evaluate(() => {
    const row = document.querySelector('.grid-row');
    return row ? row.querySelectorAll('[data-testid="asset"]').length : 0;
  });
  await expect(focused).toHaveAttribute('data-index', String(2 + columns));
  await page.screenshot({ path: screenshotPath('library-keyboard-light.png') });
  await page.keyboard.press('Enter');
  const detail = page.getByTestId('asset-detail');
  await expect(detail).toBeVisible();
  await page.setViewportSize({ width: 900, height: 600 });
  // In a small window the details slide over the grid instead of squeezing it to one column.
  const [first, second] = [page.getByTestId('asset').nth(0), page.getByTestId('asset').nth(1)];
  expect((await first.boundingBox())!.y).toBe((await second.boundingBox())!.y);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: screenshotPath(`library-detail-900-${scheme}.png`) });
    const results = await new AxeBuilder({ page }).analyze();
    expect(
      results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id),
      scheme,
    ).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1200, height: 780 });
  await page.keyboard.press('Escape');
  await expect(detail).toHaveCount(0);
  // A long name wraps where it has parts, not letter by letter.
  const long = 'A001_C003_0512_interview-long-take.final_version_v3.mp4';
  await uploadFixture(space.emulator, 'image.png', { method: 'direct' }, long);
  await page.getByRole('button', { name: 'Refresh' }).click();
  await search.fill('interview-long');
  await page.getByRole('button', { name: new RegExp(`^${long.replaceAll('.', '\\.')}`) }).click();
  await page.setViewportSize({ width: 900, height: 600 });
  const title = detail.getByRole('heading', { name: long });
  await expect(title).toBeVisible();
  await page.screenshot({ path: screenshotPath('library-long-name-900.png') });
  // Every line of the title ends at a part's end (_ - . or the name's end).
  const lines = await title.evaluate((element) => {
    const range = document.createRange();
    const text = element.firstChild?.parentElement ?? element;
    const ends: string[] = [];
    const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
    let top = -1;
    let last = '';
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < (node.textContent ?? '').length; i += 1) {
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getBoundingClientRect();
        if (top !== -1 && rect.top > top + 2) ends.push(last);
        top = rect.top;
        last = node.textContent![i]!;
      }
    }
    return ends;
  });
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.every((end) => '_-.'.includes(end))).toBe(true);
  await page.setViewportSize({ width: 1200, height: 780 });
  await detail.getByRole('button', { name: 'Close details' }).click();
  await search.fill('');
  await expect(matched).toHaveText('114 assets');
  await page.locator('[data-testid="asset"][tabindex="0"]').focus();
  await page.keyboard.press('ControlOrMeta+a');
  await expect(page.getByText('114 of 114 selected')).toBeVisible();
  await page.keyboard.press('Delete');
  const confirm = page.getByRole('alertdialog');
  await expect(confirm).toContainText('Delete 114 assets from TwelveLabs?');
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(confirm).toHaveCount(0);
  expect((await control(space.emulator, '/stats')).requests['DELETE /assets/{id}'] ?? 0).toBe(0);
});

test('a library never read says why, not "empty" or "nothing matches"; an empty answer says which filter to lift', async ({
  page,
}) => {
  space.emulator = await startEmulator({ processingDelayMs: 20 });
  await uploadFixture(space.emulator, 'image.jpg', { method: 'direct' }, 'poster.jpg');
  await start(page);
  // TwelveLabs cannot be reached before the library was ever read.
  await space.emulator.close();
  await page.getByRole('button', { name: 'Library', exact: true }).click();
  const empty = page.getByTestId('empty-state');
  await expect(empty).toContainText('Your library has not been read yet', { timeout: 20_000 });
  await expect(empty).toContainText(/127\.0\.0\.1:\d+ refused the connection/);
  await expect(page.getByText(/Your library is empty|No assets match/)).toHaveCount(0);
  await expect(page.getByText(/showing your library as of/)).toHaveCount(0);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 900, height: 600 });
    await page.screenshot({ path: screenshotPath(`library-not-read-${scheme}.png`) });
  }

  // Back: read once Try again can reach it; then a search and a filter that find nothing say which.
  space.emulator = await startEmulator({ port: space.emulator.port, processingDelayMs: 20 });
  await uploadFixture(space.emulator, 'image.jpg', { method: 'direct' }, 'poster.jpg');
  // The connection check may find it back and read the library first, taking Try again away.
  await expect(async () => {
    const retry = empty.getByRole('button', { name: 'Try again' });
    if (await retry.isVisible()) await retry.click({ timeout: 1000 });
    await expect(page.getByTestId('asset')).toHaveCount(1, { timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  await page.getByRole('searchbox').fill('zebra');
  await expect(empty).toContainText('Nothing matches “zebra”');
  // Written the way people often write a field: said how to write it.
  await page.getByRole('searchbox').fill('project = apollo');
  await expect(empty).toContainText('Fields are written without spaces: try project=apollo.');
  await page.getByRole('searchbox').fill('');
  await page.getByRole('combobox', { name: 'Show type' }).selectOption('audio');
  await expect(empty).toContainText('No assets of this kind');
  await empty.getByRole('button', { name: 'Show all assets' }).click();
  await expect(page.getByTestId('asset')).toHaveCount(1);
  await expect(page.getByRole('combobox', { name: 'Show type' })).toHaveValue('all');
});
