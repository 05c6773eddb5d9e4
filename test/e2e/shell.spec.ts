import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { openSecretStore } from '../../electron/core/secrets/secret-store';
import { openTestApp } from '../helpers/app';
import { openApp, serveRenderer } from './harness/app-harness';

let renderer: Awaited<ReturnType<typeof serveRenderer>>;
let dataDir: string;

test.beforeAll(async () => {
  renderer = await serveRenderer();
});
test.afterAll(() => renderer.close());

test.beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tl-e2e-'));
});
/** What the test opened, closed after it however it ended. */
let opened: (() => Promise<void>)[] = [];
test.afterEach(async () => {
  for (const close of opened.reverse()) await close();
  opened = [];
  await rm(dataDir, { recursive: true, force: true });
});

/**
 * The real services, with a key already in the real (throwaway) keyring unless told otherwise,
 * shown in the page.
 */
async function realApp(page: Page, withKey = true) {
  const app = await openTestApp(dataDir, { secrets: await openSecretStore(`TwelveLabs Uploader e2e ${randomUUID()}`) });
  opened.push(() => app.close());
  if (withKey) await app.secrets.set('tlk_e2e');
  const stop = await openApp(page, app.contract, renderer.url);
  opened.push(async () => stop());
  return app;
}

test('the shell shows the three places, the session state, and navigates by keyboard', async ({ page }) => {
  await realApp(page);

  await expect(page.getByRole('navigation', { name: 'Places' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Uploads' })).toBeVisible();
  await expect(page.getByRole('contentinfo', { name: 'Status' })).toContainText('Connecting');

  await page.getByRole('button', { name: 'Library', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Library' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Library', exact: true })).toHaveAttribute('aria-current', 'page');

  await page.getByRole('button', { name: 'Library', exact: true }).focus();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Settings', exact: true })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await expect(page.getByTestId('key-status')).toHaveText("A key is set. It is kept in your system's password store.");
});

test('settings changes go through main-side validation and are kept', async ({ page }) => {
  const app = await realApp(page);
  await page.getByRole('button', { name: 'Settings' }).click();

  const files = page.getByLabel('Files uploading at once');
  await files.fill('40');
  await files.press('Tab');
  // Refused next to its field, in words, and the field shows what is really in force.
  await expect(page.getByText('Choose 1 to 16 files at a time.')).toBeVisible();
  await expect(files).toHaveValue('8');
  await expect(files).toHaveAttribute('aria-invalid', 'true');
  await expect(files).toHaveAccessibleDescription('Choose 1 to 16 files at a time.');
  expect(app.settings.get().filesInFlight).toBe(8);

  // Editing the field again takes the refusal away: it is not left red beside a value in force.
  await files.fill('8');
  await expect(files).toHaveAttribute('aria-invalid', 'false');
  await expect(page.getByText('Choose 1 to 16 files at a time.')).toHaveCount(0);
  // The help matches the default it stands beside.
  await expect(files).toHaveAccessibleDescription('More is faster on a fast connection; 8 suits most.');

  await files.fill('5');
  await files.press('Tab');
  await expect(page.getByRole('status')).toHaveText('Saved.');
  expect(app.settings.get().filesInFlight).toBe(5);
});

test('Settings speak of what the files are for, in round numbers, and tell the truth', async ({ page }) => {
  await realApp(page);
  await page.getByRole('button', { name: 'Settings' }).click();
  const purpose = page.getByRole('combobox', { name: 'What these files are for' });
  // Purposes, not model names.
  expect(await purpose.locator('option').allTextContents()).toEqual([
    'Search',
    'Analysis (summaries, chapters, questions)',
    'Embeddings',
    'Entity search (people and things)',
  ]);
  await expect(page.getByText(/Marengo|Pegasus|either way/)).toHaveCount(0);
  await expect(purpose).toHaveAccessibleDescription(/One that cannot be used for it is still uploaded, with a warning/);
  await expect(page.getByLabel('Resumable upload from (MB)')).toHaveValue('64');
});

test('the status bar follows the session when the key is removed', async ({ page }) => {
  const app = await realApp(page);
  await expect(page.getByTestId('connection')).toHaveText('Connecting');
  await page.getByRole('button', { name: 'Settings' }).click();
  const ask = page.getByRole('button', { name: 'Remove key…' });
  await ask.click();
  // The safe choice comes first and has the focus; Escape keeps the key too.
  const question = page.getByRole('alertdialog', { name: /Remove the key from this computer/ });
  await expect(question.getByRole('button').first()).toHaveText('Keep it');
  await expect(question.getByRole('button', { name: 'Keep it' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(question).toHaveCount(0);
  await ask.click();
  await page.getByRole('button', { name: 'Remove key', exact: true }).click();
  await expect(page.getByTestId('connection')).toHaveText('No API key yet');
  expect(await app.secrets.get()).toBeNull();
});
