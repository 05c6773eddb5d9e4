import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { readProxyLogin } from '../../electron/core/network/routes';
import { openSecretStore, PROXY_LOGIN_ACCOUNT } from '../../electron/core/secrets/secret-store';
import { startEmulator } from '../emulator/server';
import { openTestApp } from '../helpers/app';
import { randomFile } from '../helpers/engine';
import { makeTestCa } from '../helpers/test-ca';
import { openApp, screenshotPath, serveRenderer } from './harness/app-harness';

/**
 * Settings → Network in the window, against the real services and the emulator: the connection
 * check, and a network that stands in the way said as such (never "offline"), with its button.
 */
test('Check connection shows each hop, and a refused route is a banner that leads to it', async ({ page }) => {
  const work = await mkdtemp(join(tmpdir(), 'tl-e2e-network-'));
  const renderer = await serveRenderer();
  const emulator = await startEmulator({ processingDelayMs: 50 });
  const logins = await openSecretStore(`TwelveLabs Uploader e2e ${randomUUID()}`, PROXY_LOGIN_ACCOUNT);
  const app = await openTestApp(join(work, 'data'), {
    emulator,
    secrets: await openSecretStore(`TwelveLabs Uploader e2e ${randomUUID()}`),
    proxyLogin: { store: logins, changed: () => undefined },
  });
  await app.secrets.set(emulator.apiKey);
  await page.setViewportSize({ width: 900, height: 600 });
  // The window's clock, so a minute of waiting can pass at once.
  await page.clock.install();
  const stop = await openApp(page, app.contract, renderer.url);
  try {
    await page.getByRole('button', { name: 'Settings' }).click();
    // A proxy login goes to the keychain, and the password field is emptied at once.
    await page.getByLabel('User name').fill('kim');
    await page.getByLabel('Password').fill('s3cret:pw');
    await page.getByRole('button', { name: 'Keep login' }).click();
    await expect(page.getByText('Kept in the keychain. Waiting uploads go on through the proxy.')).toBeVisible();
    await expect(page.getByLabel('Password')).toHaveValue('');
    expect(readProxyLogin(await logins.get())).toEqual({ user: 'kim', password: 's3cret:pw' });
    await page.getByRole('button', { name: 'Check connection' }).click();
    const steps = page.getByRole('list', { name: 'What the check found' });
    await expect(steps).toContainText('API key: accepted');
    await expect(steps).toContainText(
      `Upload to ${new URL(emulator.origin).host}: a one-pixel test image was sent, then deleted`,
    );
    await expect(steps.getByText('Failed:')).toHaveCount(0);
    await page.getByRole('button', { name: 'Copy report for IT' }).click();
    await expect(page.getByText('Copied: nothing secret is in it.')).toBeVisible();
    await page.getByRole('heading', { name: 'Network' }).scrollIntoViewIfNeeded();
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: screenshotPath(`network-check-${scheme}.png`) });
    }

    // The API goes away under a file being sent: the connection is refused, which is said.
    await emulator.close();
    await page.getByRole('button', { name: 'Uploads', exact: true }).click();
    await app.contract.addPaths([await randomFile(work, 'clip.mp4', 200 * 1024)]);
    // Said at once in the status bar, never "Waiting for network"; a refused route may pass by
    // itself, so like an outage it becomes a banner after a minute.
    await expect(page.getByRole('contentinfo', { name: 'Status' })).toContainText('refused the connection', {
      timeout: 20_000,
    });
    await expect(page.getByRole('contentinfo', { name: 'Status' })).not.toContainText('Waiting for network');
    const banner = page.getByRole('alert').filter({ hasText: 'refused the connection' });
    await expect(banner).toHaveCount(0);
    await page.clock.fastForward('02:00');
    await expect(banner).toContainText('nothing has failed');
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: screenshotPath(`network-blocked-${scheme}.png`) });
    }
    await banner.getByRole('button', { name: 'Network settings' }).click();
    await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Network' })).toBeFocused();
    await expect(page.getByRole('heading', { name: 'Network' })).toBeInViewport();
  } finally {
    stop();
    await app.engine.pause('all');
    await app.secrets.clear();
    await logins.clear();
    await app.close();
    await emulator.close().catch(() => undefined);
    await renderer.close();
    await rm(work, { recursive: true, force: true });
  }
});

test('Settings → Network: how uploads reach the internet, and a company certificate file', async ({ page }) => {
  const work = await mkdtemp(join(tmpdir(), 'tl-e2e-network-'));
  const renderer = await serveRenderer();
  const emulator = await startEmulator({ processingDelayMs: 50 });
  const ca = await makeTestCa(work);
  const app = await openTestApp(join(work, 'data'), { emulator, pick: { certificate: ca.caFile } });
  await app.secrets.set(emulator.apiKey);
  await page.setViewportSize({ width: 900, height: 600 });
  const stop = await openApp(page, app.contract, renderer.url);
  try {
    await page.getByRole('button', { name: 'Settings' }).click();
    const how = page.getByRole('group', { name: 'How uploads reach the internet' });
    await how.scrollIntoViewIfNeeded();
    await expect(how.getByRole('radio', { name: /As this computer says/ })).toBeChecked();
    await expect(how.getByTestId('route')).toHaveText('Now: TwelveLabs is reached direct.');
    await expect(how.getByRole('button', { name: 'Use this' })).toBeDisabled();

    // A proxy typed with its login is refused beside the field; nothing is saved.
    await how.getByRole('radio', { name: 'This proxy' }).check();
    await how.getByLabel('Proxy', { exact: true }).fill('http://kim:pw@proxy.example.com:8080');
    await how.getByRole('button', { name: 'Use this' }).click();
    await expect(how.getByText('Leave the login out of the address')).toBeVisible();
    await expect(how.getByLabel('Proxy', { exact: true })).toHaveAttribute('aria-invalid', 'true');
    expect(app.settings.get().proxy.mode).toBe('system');

    await how.getByLabel('Proxy', { exact: true }).fill('proxy.example.com:8080');
    await how.getByLabel('Not for').fill('intranet.example.com');
    await how.getByRole('button', { name: 'Use this' }).click();
    await expect(how.getByRole('button', { name: 'Use this' })).toBeDisabled();
    await expect(how.getByText('Leave the login out of the address')).toHaveCount(0);
    expect(app.settings.get().proxy).toEqual({
      mode: 'manual',
      address: 'proxy.example.com:8080',
      bypass: 'intranet.example.com',
      pac: '',
    });

    await page.getByRole('button', { name: 'Choose certificate file…' }).click();
    await expect(page.getByText('Trusted from now on: Example Corp Root CA.')).toBeVisible();
    await expect(page.getByText(ca.caFile)).toBeVisible();
    expect(app.settings.get().certificateFile).toBe(ca.caFile);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await how.scrollIntoViewIfNeeded();
      await page.screenshot({ path: screenshotPath(`network-settings-${scheme}.png`) });
      const results = await new AxeBuilder({ page }).include('section[aria-labelledby="network-title"]').analyze();
      expect(results.violations).toEqual([]);
    }
    await page.getByRole('button', { name: 'Stop trusting it' }).click();
    await expect(page.getByText('No longer trusted.')).toBeVisible();
    expect(app.settings.get().certificateFile).toBeNull();
  } finally {
    stop();
    await app.close();
    await emulator.close();
    await renderer.close();
    await rm(work, { recursive: true, force: true });
  }
});
