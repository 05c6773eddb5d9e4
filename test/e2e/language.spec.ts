import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { startEmulator, type RunningEmulator } from '../emulator/server';
import { closeApps, screenshotPath, serveRenderer, startApp } from './harness/app-harness';

let renderer: Awaited<ReturnType<typeof serveRenderer>>;
let emulator: RunningEmulator;
let work: string;

test.beforeAll(async () => {
  renderer = await serveRenderer();
});
test.afterAll(() => renderer.close());
test.beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'tl-e2e-language-'));
  emulator = await startEmulator();
});
test.afterEach(async () => {
  await closeApps();
  await emulator.close();
  await rm(work, { recursive: true, force: true });
});

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
        if (element.matches('[data-virtual], .stack, .queue, select, input, textarea')) return false;
        if (!element.textContent?.trim() || element.children.length > 0) return false;
        return element.scrollWidth > element.clientWidth + 1 && style.textOverflow !== 'ellipsis';
      })
      .map((element) => element.textContent!.trim()),
  );
}

test('a language chosen in Settings applies at once, with the region’s numbers and dates', async ({ page }) => {
  await page.setViewportSize({ width: 900, height: 600 });
  await startApp(page, {
    dataDir: join(work, 'data'),
    emulator,
    rendererUrl: renderer.url,
    systemLocale: { languages: ['en-US'], region: 'de-DE' },
  });
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  // English words, German numbers: the region is the system's, whatever the language.
  await expect(page.locator('#language-help')).toContainText('1.234,5 · 1,8\u00a0GB');

  await page.getByLabel('Language of the app').selectOption('de');
  await expect(page.getByRole('heading', { name: 'Einstellungen', level: 1 })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await expect(page.getByRole('heading', { name: 'Überwachte Ordner' })).toBeVisible();
  await expect(page.getByLabel('Sprache der App')).toHaveValue('de');
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: screenshotPath(`language-settings-de-${scheme}.png`), fullPage: true });
  }

  await page.getByLabel('Sprache der App').selectOption('ja');
  await expect(page.getByRole('heading', { name: '設定', level: 1 })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await page.getByLabel('アプリの言語').selectOption('system');
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
});

test('in the pseudo-locale, Settings has no word outside the catalogue and nothing cut off', async ({ page }) => {
  await page.setViewportSize({ width: 900, height: 600 });
  const session = await startApp(page, { dataDir: join(work, 'data'), emulator, rendererUrl: renderer.url });
  session.app.settings.update({ language: 'en-XA' });
  await page.getByRole('button', { name: /S.tt.ngs/ }).click();
  const settings = page.locator('main');
  await expect(settings.getByRole('heading', { level: 1 })).toHaveText(/^\[Š.*\]$/);
  expect(
    await untranslated(settings, ['TwelveLabs', 'Uploader', 'MB/s', 'Deutsch', 'English', 'test' /* the version */]),
  ).toEqual([]);
  expect(await clipped(page)).toEqual([]);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: screenshotPath(`language-settings-pseudo-${scheme}.png`), fullPage: true });
    const axe = await new AxeBuilder({ page }).include('main').analyze();
    expect(axe.violations).toEqual([]);
  }
});
