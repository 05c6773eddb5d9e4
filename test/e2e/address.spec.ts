import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startEmulator, type RunningEmulator } from '../emulator/server';
import { startApp } from './harness/app-harness';
import { e2eSpace } from './harness/space';

const space = e2eSpace('address', { emulator: {} });
let second: RunningEmulator;

test.beforeEach(async () => {
  second = await startEmulator({ apiKeys: ['tlk_key_for_the_second'] });
  space.onClose(() => second.close());
});

test('changing the API address asks first, keeps the key at home, and asks for a key checked there', async ({
  page,
}) => {
  const session = await startApp(page, {
    dataDir: join(space.work, 'data'),
    emulator: space.emulator,
    rendererUrl: space.renderer.url,
  });
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByText('A key is set.')).toBeVisible();
  const field = page.getByLabel('API address');
  await field.fill(second.baseUrl);
  await page.getByRole('button', { name: 'Change address…' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Now using' })).toHaveText(
    `Now using ${new URL(second.baseUrl).host}. Your key was not sent there: add a key for this address under API key.`,
  );
  await expect(page.getByText('No key is set yet.')).toBeVisible();
  await page.screenshot({ path: 'test-results/address-changed.png' });
  await page.getByRole('textbox', { name: 'API key' }).fill('tlk_key_for_the_second');
  await page.getByRole('button', { name: 'Check and save' }).click();
  await expect(page.getByText('A key is set.')).toBeVisible();
  expect(await session.app.secrets.stored()).toEqual({
    key: 'tlk_key_for_the_second',
    origin: new URL(second.baseUrl).origin,
  });
});

test('page script cannot point the key elsewhere through the settings channel', async ({ page }) => {
  const session = await startApp(page, {
    dataDir: join(space.work, 'data'),
    emulator: space.emulator,
    rendererUrl: space.renderer.url,
  });
  await expect(page.getByRole('heading', { name: 'Uploads' })).toBeVisible();
  const result = await page.evaluate(
    (address) => window.api.settingsUpdate({ apiBaseUrl: address } as never),
    second.baseUrl,
  );
  expect(result).toMatchObject({ ok: false, code: 'invalid_argument' });
  expect(session.app.settings.get().apiBaseUrl).toBe(space.emulator.baseUrl);
});

test('replacing the key asks first, and Cancel keeps the one stored', async ({ page }) => {
  const twoKeys = await startEmulator({ apiKeys: ['tlk_first_key', 'tlk_second_key'] });
  try {
    const session = await startApp(page, {
      dataDir: join(space.work, 'keys'),
      emulator: twoKeys,
      rendererUrl: space.renderer.url,
    });
    await page.getByRole('button', { name: 'Settings' }).click();
    const field = page.getByRole('textbox', { name: 'API key' });
    await field.fill('tlk_second_key');
    await page.getByRole('button', { name: 'Check and replace' }).click();
    await expect(page.getByText('Replace the stored key with this one?')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect((await session.app.secrets.stored())?.key).toBe('tlk_first_key');

    await page.getByRole('button', { name: 'Check and replace' }).click();
    await page.getByRole('button', { name: 'Replace key' }).click();
    await expect(field).toHaveValue('');
    expect((await session.app.secrets.stored())?.key).toBe('tlk_second_key');
  } finally {
    await twoKeys.close();
  }
});
