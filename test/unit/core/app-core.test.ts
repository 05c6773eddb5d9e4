import Conf from 'conf';
import { describe, expect, it, vi } from 'vitest';
import { AppCore } from '../../../electron/core/app-core';
import { MemorySecretStore } from '../../../electron/core/secrets/secret-store';
import { SettingsStore, type SettingsBacking } from '../../../electron/core/settings/settings-store';
import { DEFAULT_API_BASE_URL } from '../../../electron/shared/settings';
import { tempDir } from '../../helpers/temp-dir';

async function makeCore() {
  const settings = new SettingsStore(
    new Conf({ cwd: await tempDir(), projectName: 'test' }) as unknown as SettingsBacking,
  );
  const secrets = new MemorySecretStore();
  return { core: new AppCore({ settings, secrets }), secrets };
}

describe('the core behind the IPC contract', () => {
  it('reports whether a key is set and where it is kept, never the key itself', async () => {
    const { core, secrets } = await makeCore();
    expect(await core.handlers['session:state']()).toEqual({
      ok: true,
      value: {
        hasApiKey: false,
        keyStorage: 'session-only',
        keychainAvailable: false,
        apiBaseUrl: DEFAULT_API_BASE_URL,
        connection: { kind: 'unknown' },
      },
    });
    await secrets.set('tlk_secret_value');
    const state = await core.handlers['session:state']();
    expect(state).toMatchObject({ ok: true, value: { hasApiKey: true } });
    expect(JSON.stringify(state)).not.toContain('tlk_secret_value');
  });

  it('tells listeners about a settings change and the session it affects', async () => {
    const { core } = await makeCore();
    const settingsChanged = vi.fn();
    const sessionChanged = vi.fn();
    core.events.on('settings:changed', settingsChanged);
    const stop = core.events.on('session:changed', sessionChanged);

    await core.handlers['settings:update']({ apiBaseUrl: 'http://127.0.0.1:4010/v1.3' });
    await vi.waitFor(() => expect(sessionChanged).toHaveBeenCalledOnce());
    expect(settingsChanged.mock.calls[0]?.[0]).toMatchObject({ apiBaseUrl: 'http://127.0.0.1:4010/v1.3' });
    expect(sessionChanged.mock.calls[0]?.[0]).toMatchObject({ apiBaseUrl: 'http://127.0.0.1:4010/v1.3' });

    stop();
    await core.handlers['settings:update']({ apiBaseUrl: DEFAULT_API_BASE_URL });
    await vi.waitFor(() => expect(settingsChanged).toHaveBeenCalledTimes(2));
    expect(sessionChanged).toHaveBeenCalledOnce();
  });
});
