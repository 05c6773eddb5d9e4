import { describe, expect, it, vi } from 'vitest';
import type { InvokeResult } from '../../../electron/shared/ipc-contract';
import { fail, ok, type Failure } from '../../../electron/shared/result';
import type { SessionState } from '../../../electron/shared/session';
import { DEFAULT_SETTINGS } from '../../../electron/shared/settings';
import { SessionModel } from '../../../renderer/src/lib/session.svelte';
import { SettingsModel } from '../../../renderer/src/lib/settings.svelte';
import { fakeBridge } from '../../helpers/fake-bridge';

const refusedField = (field: string, message: string): Failure => ({ ...fail('invalid_setting', message), field });

describe("the settings' model over the bridge", () => {
  it('says a refusal by the field it is about, even inside a setting, until that field is saved', async () => {
    const answers: Array<InvokeResult<'settings:update'>> = [];
    const bridge = fakeBridge({
      'settings:get': async () => ok(DEFAULT_SETTINGS),
      'settings:update': async () => answers.shift()!,
    });
    const model = new SettingsModel(bridge.api);
    model.start();
    await vi.waitUntil(() => model.values !== null);

    answers.push(refusedField('address', 'Type the proxy as name:port.'));
    expect(await model.update({ proxy: { ...DEFAULT_SETTINGS.proxy, mode: 'manual', address: 'socks://x' } })).toBe(
      false,
    );
    expect(model.errorFor('address')).toBe('Type the proxy as name:port.');
    expect(model.error).toBeNull();

    // Another setting saved: the proxy's refusal stays by its field.
    answers.push(ok(DEFAULT_SETTINGS));
    await model.update({ filesInFlight: 3 });
    expect(model.errorFor('address')).toBe('Type the proxy as name:port.');

    // The proxy saved: its refusal goes.
    answers.push(ok(DEFAULT_SETTINGS));
    await model.update({ proxy: { ...DEFAULT_SETTINGS.proxy, mode: 'none' } });
    expect(model.errorFor('address')).toBeNull();

    answers.push(fail('unknown', 'Settings could not be saved.'));
    await model.update({ filesInFlight: 4 });
    expect(model.error).toBe('Settings could not be saved.');
  });
});

describe("the session's model over the bridge", () => {
  const state = (more: Partial<SessionState> = {}): SessionState =>
    ({
      hasApiKey: false,
      keyStorage: 'secret-service',
      keychainAvailable: true,
      apiBaseUrl: 'https://api.twelvelabs.io/v1.3',
      connection: { kind: 'online' },
      locale: { language: 'de', region: 'de-DE' },
      systemLanguage: 'de',
      ...more,
    }) as SessionState;

  it("is ready once main answers, speaks the session's language, and follows its changes", async () => {
    const bridge = fakeBridge({ 'session:state': async () => ok(state()) });
    const model = new SessionModel(bridge.api);
    model.start();
    await model.ready;
    expect(model.state?.hasApiKey).toBe(false);
    expect(document.documentElement.lang).toBe('de');
    bridge.emit('session:changed', state({ hasApiKey: true, locale: { language: 'ja', region: 'ja-JP' } }));
    expect(model.state?.hasApiKey).toBe(true);
    expect(document.documentElement.lang).toBe('ja');
  });

  it('is ready even when main cannot say, with its words, so the window never waits forever', async () => {
    const model = new SessionModel(
      fakeBridge({ 'session:state': async () => fail('unknown', 'Start-up failed.') }).api,
    );
    model.start();
    await model.ready;
    expect(model.state).toBeNull();
    expect(model.error).toBe('Start-up failed.');
  });

  it('keeps the session as it was when a key is refused, and returns the refusal for the form', async () => {
    const bridge = fakeBridge({
      'session:state': async () => ok(state()),
      'secrets:set-api-key': async () => fail('api_key_invalid', 'Your API key was rejected.'),
    });
    const model = new SessionModel(bridge.api);
    model.start();
    await model.ready;
    const answer = await model.setKey('tlk_typo');
    expect(answer).toMatchObject({ ok: false, message: 'Your API key was rejected.' });
    expect(model.state?.hasApiKey).toBe(false);
  });
});
