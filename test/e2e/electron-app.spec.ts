import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { expect, test, _electron as electron } from '@playwright/test';

/** The Electron binary's path, or null where it was never downloaded (our build machines). */
function electronBinary(): string | null {
  // Read electron's own path.txt instead of require('electron'), which starts a download when the
  // binary is missing.
  const dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const executable = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(executable) ? executable : null;
}

const binary = electronBinary();

test.describe('the packaged app in Electron', () => {
  test.skip(
    binary === null,
    'No Electron binary here (installed with ELECTRON_SKIP_BINARY_DOWNLOAD); this spec runs wherever `npm install` could download it.',
  );

  test('opens a sandboxed window on the app shell', async () => {
    const app = await electron.launch({ executablePath: binary ?? undefined, args: ['.'] });
    const page = await app.firstWindow();
    await expect(page.getByRole('navigation', { name: 'Places' })).toBeVisible();
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await page.evaluate(() => Object.keys(window.api).includes('sessionState'))).toBe(true);
    await app.close();
  });
});
