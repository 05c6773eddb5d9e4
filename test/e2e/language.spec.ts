import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { fixture } from '../helpers/emulator';
import { screenshotPath, startApp } from './harness/app-harness';
import { e2eSpace } from './harness/space';

const space = e2eSpace('language', { emulator: {} });

/**
 * Visible text in `area` that did not come from the catalogue: in the pseudo-locale every word the
 * app says is bracketed and accented, so plain English left on screen is a literal in the code.
 * `theirs` is what belongs to the person or to TwelveLabs (names, paths, numbers), said as it is.
 */
async function untranslated(area: Locator, theirs: readonly string[]): Promise<string[]> {
  const texts = await area.evaluate((root) => {
    const found: string[] = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const element = node.parentElement;
      if (!element || element.closest('[hidden], option:not(:checked)')) continue;
      const style = getComputedStyle(element);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      found.push(node.textContent ?? '');
    }
    return found;
  });
  return texts
    .map((text) => theirs.reduce((rest, own) => rest.replaceAll(own, ''), text))
    .filter((text) => /[A-Za-z]{3,}/.test(text.replace(/\[[^\]]*\]/g, '')));
}

/** Text cut off: an element whose content is wider or taller than its box, where overflow hides it. */
async function clipped(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('main *, header *, footer *, nav *')]
      .filter((element) => {
        const style = getComputedStyle(element);
        if (style.overflowX === 'visible' && style.overflowY === 'visible') return false;
        // Scrolling areas scroll; what is hidden on purpose (for screen readers) is not seen cut.
        if (element.matches('[data-virtual], .stack, .queue, select, input, textarea')) return false;
        if (element.closest('.visually-hidden')) return false;
        if (!element.textContent?.trim() || element.children.length > 0) return false;
        return element.scrollWidth > element.clientWidth + 1 && style.textOverflow !== 'ellipsis';
      })
      .map((element) => element.textContent!.trim()),
  );
}

test('a language chosen in Settings applies at once, with the region’s numbers and dates', async ({ page }) => {
  await page.setViewportSize({ width: 900, height: 600 });
  const session = await startApp(page, {
    dataDir: join(space.work, 'data'),
    emulator: space.emulator,
    rendererUrl: space.renderer.url,
    systemLocale: { languages: ['en-US'], region: 'de-DE' },
  });
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  // English words, German numbers: the region is the system's, whatever the language.
  await expect(page.locator('#language-help')).toContainText(/1\.234,5 · 1,8\sGB/);

  await page.getByLabel('Language of the app').selectOption('de');
  await expect(page.getByRole('heading', { name: 'Einstellungen', level: 1 })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await expect(page.getByRole('heading', { name: 'Überwachte Ordner' })).toBeVisible();
  await expect(page.getByLabel('Sprache der App')).toHaveValue('de');
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: screenshotPath(`language-settings-de-${scheme}.png`), fullPage: true });
  }
  // Advanced, where the longest German labels are: readers per disk, chosen from a list.
  const readers = page.getByLabel('Gleichzeitig von einem Datenträger gelesene Dateien');
  await readers.scrollIntoViewIfNeeded();
  await expect(readers.locator('option:checked')).toHaveText(
    'Automatisch (2 von einer Festplatte mit Plattern oder USB)',
  );
  await readers.selectOption('1');
  await expect.poll(() => session.app.settings.get().readersPerDisk).toBe(1);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: screenshotPath(`language-settings-de-advanced-${scheme}.png`) });
  }

  await page.getByLabel('Sprache der App').selectOption('ja');
  await expect(page.getByRole('heading', { name: '設定', level: 1 })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await page.getByLabel('アプリの言語').selectOption('system');
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
});

/** A small batch a librarian might add: a good video, a picture, and a text file named as a video. */
async function batchFolder(): Promise<string> {
  const folder = join(space.work, 'Drehtag 2');
  await mkdir(folder, { recursive: true });
  await copyFile(fixture('video-h264.mp4'), join(folder, 'interview_03.mp4'));
  await copyFile(fixture('image.png'), join(folder, 'slate.png'));
  await copyFile(fixture('notes-renamed.mp4'), join(folder, 'notes.mp4'));
  return folder;
}

/** Every screen at 900x600 in both themes, for a person (or a translator) to look at. */
async function lookAtEveryScreen(page: Page, name: string, places: readonly RegExp[]): Promise<void> {
  for (const [at, place] of places.entries()) {
    await page.getByRole('navigation').getByRole('button', { name: place }).click();
    await expect(page.locator('main h1')).toBeVisible();
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: screenshotPath(`language-${name}-${at}-${scheme}.png`) });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('the whole window reads in the language of the system, then of the one chosen in Settings', async ({ page }) => {
  await page.setViewportSize({ width: 900, height: 600 });
  const folder = await batchFolder();
  await startApp(page, {
    dataDir: join(space.work, 'data'),
    emulator: space.emulator,
    rendererUrl: space.renderer.url,
    pick: { folder: [folder] },
    systemLocale: { languages: ['de-DE', 'en-US'], region: 'de-DE' },
  });
  // A German system: German words from the first screen, German numbers and dates.
  await expect(page.getByRole('heading', { name: 'Uploads', level: 1 })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await page.getByRole('button', { name: 'Ordner hinzufügen' }).click();
  const summary = page.getByTestId('batch-summary');
  await expect(summary).toContainText('Uploads brauchen Aufmerksamkeit', { timeout: 30_000 });
  await expect(summary).toContainText('2 Dateien hochgeladen, 1 konnte nicht hochgeladen werden.');
  await expect(summary).toContainText(/\d+(,\d)?\skB hochgeladen · Dauer: \d+ Sekunden?/);

  // A refusal's Details: the app's words in German, the reason too.
  const refused = page.getByTestId('upload-row').filter({ hasText: 'notes.mp4' });
  await expect(refused).toContainText('Hochladen nicht möglich');
  await refused.getByRole('button', { name: 'Details zu notes.mp4' }).click();
  const details = page.getByTestId('item-details');
  await expect(details.getByText('Warum', { exact: true })).toBeVisible();
  await expect(details).toContainText('Das ist eine Textdatei, keine Video-, Audio- oder Bilddatei');
  await page.screenshot({ path: screenshotPath('language-de-details.png') });
  await details.getByRole('button', { name: 'Schließen' }).click();
  await lookAtEveryScreen(page, 'de', [/^Uploads/, /^Bibliothek/, /^Einstellungen/]);

  // The key stops working: the banner says so in German, with its button.
  space.emulator.setApiKeys(['tlk_some_other_key']);
  await page.getByRole('navigation').getByRole('button', { name: 'Bibliothek' }).click();
  await page.getByRole('button', { name: 'Aktualisieren' }).click();
  const banner = page.getByTestId('problem-banner');
  await expect(banner).toContainText('TwelveLabs hat Ihren API-Schlüssel nicht angenommen.', { timeout: 20_000 });
  await expect(banner.getByRole('button', { name: 'Schlüssel aktualisieren' })).toBeVisible();
  await expect(page.getByTestId('connection')).toHaveText('API-Schlüssel abgelehnt');
  await page.screenshot({ path: screenshotPath('language-de-banner.png') });

  // Japanese, chosen in Settings: everything changes at once, the numbers stay German.
  await page.getByRole('navigation').getByRole('button', { name: 'Einstellungen' }).click();
  await page.getByLabel('Sprache der App').selectOption('ja');
  await expect(page.getByRole('heading', { name: '設定', level: 1 })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await expect(banner).toContainText('TwelveLabsがAPIキーを受け付けませんでした。');
  await page.getByRole('navigation').getByRole('button', { name: 'アップロード' }).click();
  await expect(summary).toContainText('アップロードに確認が必要です');
  // Units in the words' language, written as Japanese is written in Germany.
  await expect(summary).toContainText(/\d+\s[kK]B.*所要時間 \d+ 秒/);
  await lookAtEveryScreen(page, 'ja', [/^アップロード/, /^ライブラリ/, /^設定/]);
});

test('in the pseudo-locale, no screen has a word outside the catalogue and nothing is cut off', async ({ page }) => {
  await page.setViewportSize({ width: 900, height: 600 });
  const folder = await batchFolder();
  const session = await startApp(page, {
    dataDir: join(space.work, 'data'),
    emulator: space.emulator,
    rendererUrl: space.renderer.url,
    pick: { folder: [folder] },
  });
  session.app.settings.update({ language: 'en-XA' });
  const nav = page.getByRole('navigation');
  await expect(nav.getByRole('button', { name: /^\[Ûplöàdš/ })).toBeVisible();
  await page.getByRole('button', { name: /^\[Àdd föld/ }).click();
  await expect(page.getByTestId('batch-summary')).toBeVisible({ timeout: 30_000 });
  // Names, paths, versions and TwelveLabs' own words are theirs, said as they are.
  const theirs = ['TwelveLabs', 'Uploader', 'Drehtag 2', 'interview_03.mp4', 'slate.png', 'notes.mp4', 'test', 'MB/s'];
  for (const [at, place] of [/^\[Ûplöàdš/, /^\[Lîbr/, /^\[Šéttîñgš/].entries()) {
    await nav.getByRole('button', { name: place }).click();
    await expect(page.locator('main h1')).toHaveText(/^\[.*\]$/);
    const languages = ['Deutsch', 'English', 'Español', 'Français', 'Português (Brasil)'];
    expect(await untranslated(page.locator('main'), [...theirs, ...languages])).toEqual([]);
    expect(await untranslated(page.locator('footer'), theirs)).toEqual([]);
    expect(await untranslated(page.locator('nav'), theirs)).toEqual([]);
    expect(await clipped(page)).toEqual([]);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: screenshotPath(`language-pseudo-${at}-${scheme}.png`) });
      const axe = await new AxeBuilder({ page }).analyze();
      expect(axe.violations).toEqual([]);
    }
  }
});
