import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import keytar from 'keytar';
import { afterEach, describe, expect, it } from 'vitest';
import { KEYCHAIN_ACCOUNT, KeytarSecretStore, openSecretStore } from '../../electron/core/secrets/secret-store';

const execFileAsync = promisify(execFile);

// npm test runs inside a throwaway gnome-keyring (test/helpers/with-keyring.sh), so this is the
// real Secret Service, not a stand-in.
const service = `TwelveLabs Uploader test ${randomUUID()}`;

afterEach(() => keytar.deletePassword(service, KEYCHAIN_ACCOUNT));

describe('the API key in the OS keychain', () => {
  it('stores, reads back and removes the key in the system keyring', async () => {
    const store = await openSecretStore(service);
    expect(store).toBeInstanceOf(KeytarSecretStore);
    expect(store.storage).toBe('secret-service');

    expect(await store.get()).toBeNull();
    await store.set('tlk_live_0123456789');
    expect(await keytar.getPassword(service, KEYCHAIN_ACCOUNT)).toBe('tlk_live_0123456789');
    expect(await (await openSecretStore(service)).get()).toBe('tlk_live_0123456789');

    await store.clear();
    expect(await keytar.getPassword(service, KEYCHAIN_ACCOUNT)).toBeNull();
  });

  it('names the store after the platform', () => {
    expect(new KeytarSecretStore(keytar, service, 'darwin').storage).toBe('keychain');
    expect(new KeytarSecretStore(keytar, service, 'win32').storage).toBe('credential-manager');
  });

  it('keeps the key only in memory when no keychain answers', async () => {
    // libsecret keeps its bus connection for the life of a process, so the "no keychain" case runs
    // in a child process whose session bus does not exist.
    const script = `
      import { openSecretStore } from './electron/core/secrets/secret-store.ts';
      const store = await openSecretStore(${JSON.stringify(service)});
      await store.set('k');
      console.log(JSON.stringify({ storage: store.storage, value: await store.get() }));
    `;
    const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' },
    });
    expect(JSON.parse(stdout)).toEqual({ storage: 'session-only', value: 'k' });
    expect(await keytar.getPassword(service, KEYCHAIN_ACCOUNT)).toBeNull();
  });
});
