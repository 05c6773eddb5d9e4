import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../electron/core/api/client';
import { decodeKey, encodeKey } from '../../electron/core/secrets/bound-key';
import { MemorySecretStore } from '../../electron/core/secrets/secret-store';
import { resolveKey } from '../../electron/cli/context';
import { startEmulator } from '../emulator/server';
import { openTestApp } from '../helpers/app';
import { useEmulator } from '../helpers/emulator';
import { tempDir } from '../helpers/temp-dir';
import { closeAfter } from '../helpers/cleanup';

/** Another server on this computer that records what reaches it (and echoes the key back, badly). */
let other: { url: string; seen: IncomingHttpHeaders[]; close(): void };
beforeAll(async () => {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((request, response) => {
    seen.push(request.headers);
    response
      .writeHead(400, { 'content-type': 'application/json' })
      .end(JSON.stringify({ code: 'parameter_invalid', message: `bad key ${String(request.headers['x-api-key'])}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  other = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1.3`,
    seen,
    close: () => server.close(),
  };
});
afterAll(() => other.close());

describe('the key belongs to the address it was checked against', () => {
  const emulator = useEmulator();

  it('keeps the origin with the key; an entry from before is bound to TwelveLabs', () => {
    expect(decodeKey(encodeKey({ key: 'tlk_1', origin: 'http://127.0.0.1:4010' }))).toEqual({
      key: 'tlk_1',
      origin: 'http://127.0.0.1:4010',
    });
    expect(decodeKey('tlk_legacy')).toEqual({ key: 'tlk_legacy', origin: 'https://api.twelvelabs.io' });
  });

  it('sends no key to an address someone put into the settings file, and says there is none', async () => {
    const app = closeAfter(await openTestApp(await tempDir(), { emulator: emulator.current }));
    await app.secrets.set(emulator.current.apiKey);
    expect((await app.contract.sessionState()).hasApiKey).toBe(true);
    // What a process that can edit settings.json, or a person talked into it, would do.
    await app.settings.update({ apiBaseUrl: other.url });
    expect((await app.contract.sessionState()).hasApiKey).toBe(false);
    await expect(app.client.listAssets()).rejects.toMatchObject({ code: 'api_key_missing' });
    expect(other.seen.filter((headers) => headers['x-api-key'] !== undefined)).toEqual([]);
    // Back at its own address, the key is there again.
    await app.settings.update({ apiBaseUrl: emulator.current.baseUrl });
    expect((await app.contract.sessionState()).hasApiKey).toBe(true);
  });

  it('changes the address only after the person agrees, then asks for a key checked there', async () => {
    const second = closeAfter(await startEmulator({ apiKeys: ['tlk_second_key'] }));
    const dir = await tempDir();
    const declined = closeAfter(
      await openTestApp(dir, { emulator: emulator.current, pick: { confirmAddress: false } }),
    );
    await declined.secrets.set(emulator.current.apiKey);
    expect(await declined.contract.handlers['settings:change-api-address'](second.baseUrl)).toMatchObject({
      ok: true,
      value: { apiBaseUrl: emulator.current.baseUrl, hasApiKey: true },
    });
    await declined.close();

    const app = closeAfter(await openTestApp(dir, { emulator: emulator.current }));
    expect(await app.contract.handlers['settings:change-api-address'](second.baseUrl)).toMatchObject({
      ok: true,
      value: { apiBaseUrl: second.baseUrl, hasApiKey: false },
    });
    // The old key is refused there (checked at the new address), the right one is kept for it.
    expect(await app.contract.handlers['secrets:set-api-key'](emulator.current.apiKey)).toMatchObject({
      ok: false,
      code: 'api_key_invalid',
    });
    expect(await app.contract.handlers['secrets:set-api-key']('tlk_second_key')).toMatchObject({
      ok: true,
      value: { hasApiKey: true },
    });
    expect(await app.secrets.stored()).toEqual({ key: 'tlk_second_key', origin: new URL(second.baseUrl).origin });
  });

  it('a released build takes only TwelveLabs addresses, whatever the settings file says', async () => {
    const app = closeAfter(await openTestApp(await tempDir(), { developer: false }));
    expect(await app.contract.handlers['settings:change-api-address']('https://api.example.com/v1.3')).toMatchObject({
      ok: false,
      code: 'address_not_allowed',
    });
    await app.settings.update({ apiBaseUrl: 'https://api.example.com/v1.3' });
    expect(app.client.baseUrl).toBe('https://api.twelvelabs.io/v1.3');
  });

  it('the CLI uses the keychain key only for its own address, and otherwise says what to do', async () => {
    const keychain = new MemorySecretStore();
    await keychain.set(encodeKey({ key: 'tlk_app', origin: 'https://api.twelvelabs.io' }));
    const open = async () => keychain;
    expect(await resolveKey('https://api.twelvelabs.io', undefined, open)).toBe('tlk_app');
    await expect(resolveKey('https://api.example.com', undefined, open)).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining(
        'No key for this address: the key in your keychain belongs to https://api.twelvelabs.io',
      ),
    });
    expect(await resolveKey('https://api.example.com', 'tlk_from_env', open)).toBe('tlk_from_env');
  });

  it('keeps a key the server echoes back out of the error text', async () => {
    const client = new ApiClient({ baseUrl: other.url, apiKey: () => 'tlk_echoed_secret' });
    const error = (await client.getAsset('a1').catch((caught: Error) => caught)) as Error;
    expect(error.message).toBe('bad key [API key]');
  });
});
