import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { openSecretStore } from '../../electron/core/secrets/secret-store';
import { startEmulator } from '../emulator/server';
import { openTestApp } from '../helpers/app';
import { randomFile } from '../helpers/engine';
import { openApp, screenshotPath, serveRenderer } from './harness/app-harness';

/**
 * Settings → Network in the window, against the real services and the emulator: the connection
 * check, and a network that stands in the way said as such (never "offline"), with its button.
 */
test('Check connection shows each hop, and a refused route is a banner that leads to it', async ({ page }) => {
  const work = await mkdtemp(join(tmpdir(), 'tl-e2e-network-'));
  const renderer = await serveRenderer();
  const emulator = await startEmulator({ processingDelayMs: 50 });
  const app = await openTestApp(join(work, 'data'), {
    emulator,
    secrets: await openSecretStore(`TwelveLabs Uploader e2e ${randomUUID()}`),
  });
  await app.secrets.set(emulator.apiKey);
  await page.setViewportSize({ width: 900, height: 600 });
  const stop = await openApp(page, app.core, renderer.url);
  try {
    await page.getByRole('button', { name: 'Settings' }).click();
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
    await app.core.addPaths([await randomFile(work, 'clip.mp4', 200 * 1024)]);
    const banner = page.getByRole('alert').filter({ hasText: 'refused the connection' });
    await expect(banner).toContainText('nothing has failed', { timeout: 20_000 });
    await expect(page.getByRole('contentinfo', { name: 'Status' })).toContainText('refused the connection');
    await expect(page.getByRole('contentinfo', { name: 'Status' })).not.toContainText('Waiting for network');
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: screenshotPath(`network-blocked-${scheme}.png`) });
    }
    await banner.getByRole('button', { name: 'Network settings' }).click();
    await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  } finally {
    stop();
    await app.engine.pause('all');
    await app.secrets.clear();
    await app.close();
    await emulator.close().catch(() => undefined);
    await renderer.close();
    await rm(work, { recursive: true, force: true });
  }
});
