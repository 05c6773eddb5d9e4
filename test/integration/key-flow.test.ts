import { randomUUID } from 'node:crypto';
import keytar from 'keytar';
import { describe, expect, it } from 'vitest';
import { KEYCHAIN_ACCOUNT, openSecretStore } from '../../electron/core/secrets/secret-store';
import { openTestApp } from '../helpers/app';
import { useEmulator } from '../helpers/emulator';
import { tempDir } from '../helpers/temp-dir';
import { closeAfter } from '../helpers/cleanup';

// Runs inside the throwaway gnome-keyring that `npm test` starts: the real Secret Service.
describe('the API key flow, end to end through the system keyring', () => {
  const emulator = useEmulator({ apiKeys: ['tlk_key_for_keyring_test'] });

  it('validates, stores, reports where it is kept, keeps it out of diagnostics and logs, and removes it', async () => {
    const service = `TwelveLabs Uploader key-flow ${randomUUID()}`;
    const app = closeAfter(
      await openTestApp(await tempDir(), {
        emulator: emulator.current,
        secrets: await openSecretStore(service),
      }),
    );

    const rejected = await app.contract.handlers['secrets:set-api-key']('tlk_wrong');
    expect(rejected).toMatchObject({ ok: false, code: 'api_key_invalid' });
    expect(await keytar.getPassword(service, KEYCHAIN_ACCOUNT)).toBeNull();

    const accepted = await app.contract.handlers['secrets:set-api-key']('tlk_key_for_keyring_test');
    expect(accepted).toMatchObject({
      ok: true,
      value: { hasApiKey: true, keyStorage: 'secret-service', keychainAvailable: true },
    });
    // Kept with the origin it was checked against, so it is never sent anywhere else.
    expect(JSON.parse((await keytar.getPassword(service, KEYCHAIN_ACCOUNT))!)).toEqual({
      v: 1,
      key: 'tlk_key_for_keyring_test',
      origin: new URL(emulator.current.baseUrl).origin,
    });

    await app.logger.error('upload failed with key tlk_key_for_keyring_test');
    await app.contract.handlers['app:copy-diagnostics']();
    expect(app.clipboard[0]).toContain('key: set, kept in secret-service');
    expect(app.clipboard[0]).not.toContain('tlk_key_for_keyring_test');
    expect(app.clipboard[0]).toContain('upload failed with key [redacted]');
    // Which way requests go, for IT.
    expect(app.clipboard[0]).toContain(`network: ${new URL(emulator.current.baseUrl).host} direct`);
    expect(app.clipboard[0]).toContain('roots added to the built-in ones: none');

    await app.contract.handlers['secrets:clear-api-key']();
    expect(await keytar.getPassword(service, KEYCHAIN_ACCOUNT)).toBeNull();
  });
});
