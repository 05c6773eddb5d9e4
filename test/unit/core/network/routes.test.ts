import { describe, expect, it } from 'vitest';
import { chromiumProxyConfig, commandLineRoutes, firstProxy } from '../../../../electron/core/network/routes';
import { DEFAULT_SETTINGS, settingsSchema, type ProxySetting } from '../../../../electron/shared/settings';

const proxy = (patch: Partial<ProxySetting>): ProxySetting => ({ ...DEFAULT_SETTINGS.proxy, ...patch });
const refusal = (value: ProxySetting) => {
  const parsed = settingsSchema.shape.proxy.safeParse(value);
  return parsed.success ? null : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('Settings → Network', () => {
  it('takes a proxy as host:port or a full address, and refuses a login in it or a PAC address that is not one', () => {
    expect(refusal(proxy({ mode: 'manual', address: 'proxy.example.com:8080' }))).toBeNull();
    expect(refusal(proxy({ mode: 'manual', address: 'https://proxy.example.com' }))).toBeNull();
    expect(refusal(proxy({ mode: 'manual', address: '' }))).toEqual([
      'address: Enter the proxy as host:port, such as proxy.example.com:8080.',
    ]);
    expect(refusal(proxy({ mode: 'manual', address: 'socks5://proxy:1080' }))).toEqual([
      'address: SOCKS proxies cannot be used here: enter an HTTP proxy, or choose "As this computer says".',
    ]);
    expect(refusal(proxy({ mode: 'manual', address: 'ftp://proxy:21' }))).toEqual([
      'address: Enter the proxy as host:port, such as proxy.example.com:8080.',
    ]);
    expect(refusal(proxy({ mode: 'manual', address: 'http://kim:pw@proxy:8080' }))).toEqual([
      'address: Leave the login out of the address: enter it under Proxy login, where it is kept in the keychain.',
    ]);
    expect(refusal(proxy({ mode: 'pac', pac: 'wpad/proxy.pac' }))).toEqual([
      'pac: Enter the full address of the PAC file, such as http://wpad.example.com/proxy.pac.',
    ]);
    expect(refusal(proxy({ mode: 'pac', pac: 'file:///etc/proxy.pac' }))).toBeNull();
    // Another mode's fields are kept but not judged.
    expect(refusal(proxy({ mode: 'system', address: 'not a proxy' }))).toBeNull();
  });

  it('hands Chromium the same choice, so the window and the engine go one way; this computer never through the proxy', () => {
    expect(chromiumProxyConfig(proxy({ mode: 'system' }))).toEqual({ mode: 'system' });
    expect(chromiumProxyConfig(proxy({ mode: 'none' }))).toEqual({ mode: 'direct' });
    expect(
      chromiumProxyConfig(proxy({ mode: 'manual', address: 'proxy.corp:3128', bypass: '*.intranet.corp, files.corp' })),
    ).toEqual({
      mode: 'fixed_servers',
      proxyRules: 'proxy.corp:3128',
      proxyBypassRules: 'intranet.corp,files.corp,<local>',
    });
    expect(chromiumProxyConfig(proxy({ mode: 'manual', address: 'https://proxy.corp' })).proxyRules).toBe(
      'https://proxy.corp',
    );
    expect(chromiumProxyConfig(proxy({ mode: 'pac', pac: 'http://wpad.corp/proxy.pac' }))).toEqual({
      mode: 'pac_script',
      pacScript: 'http://wpad.corp/proxy.pac',
    });
  });

  it('the command line takes --proxy, then HTTPS_PROXY, then Settings, and says where its route came from', async () => {
    const login = async () => null;
    const manual = proxy({ mode: 'manual', address: 'proxy.corp:3128', bypass: '.intranet.corp' });
    const fromSettings = await commandLineRoutes(undefined, {}, manual, login);
    expect(fromSettings.from).toBe('the proxy proxy.corp:3128 (Settings → Network)');
    expect((await fromSettings.routes.proxyOf(new URL('https://api.twelvelabs.io/v1.3')))?.host).toBe(
      'proxy.corp:3128',
    );
    expect(await fromSettings.routes.proxyOf(new URL('https://files.intranet.corp/a.mp4'))).toBeNull();
    expect(await fromSettings.routes.proxyOf(new URL('http://127.0.0.1:4000/'))).toBeNull();

    const system = await commandLineRoutes(undefined, {}, DEFAULT_SETTINGS.proxy, login);
    expect(system.from).toContain("the command line cannot read this computer's proxy settings");
    expect((await commandLineRoutes(undefined, {}, proxy({ mode: 'none' }), login)).from).toBe(
      'direct (Settings → Network: No proxy)',
    );
    await expect(
      commandLineRoutes(undefined, {}, proxy({ mode: 'pac', pac: 'http://127.0.0.1:9/x.pac' }), login),
    ).rejects.toThrow('The PAC file at http://127.0.0.1:9/x.pac could not be read');
  });

  it('reads a PAC answer as the first proxy it names', () => {
    expect(firstProxy('PROXY proxy.corp:8080; DIRECT')?.href).toBe('http://proxy.corp:8080/');
    expect(firstProxy('HTTPS secure.corp:443')?.href).toBe('https://secure.corp/');
    expect(firstProxy('SOCKS5 socks.corp:1080; DIRECT')).toBeNull();
    expect(firstProxy('DIRECT')).toBeNull();
  });
});
