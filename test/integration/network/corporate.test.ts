import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import tls from 'node:tls';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { jsonLines, runCli, startCli } from '../../helpers/cli';
import { until } from '../../helpers/until';
import { startConnectProxy, type ConnectProxy } from '../../helpers/connect-proxy';
import { closeAfter } from '../../helpers/cleanup';
import { control, fixture, useEmulator } from '../../helpers/emulator';
import { filesUnder, openEngine, randomFile } from '../../helpers/engine';
import { tempDir } from '../../helpers/temp-dir';
import { openTestApp } from '../../helpers/app';
import { pacResolver } from '../../../electron/core/network/pac';
import { servePac } from '../../helpers/pac';
import { readProxyLogin, ResolvedRoutes } from '../../../electron/core/network/routes';
import { openSecretStore, PROXY_LOGIN_ACCOUNT } from '../../../electron/core/secrets/secret-store';
import { makeTestCa, type TestCa } from '../../helpers/test-ca';

/**
 * The CLI and the app where the people they are for work: TLS re-signed by the company's own root, and an
 * authenticating proxy that is the only way out. Real TLS, a real CONNECT proxy, real processes.
 */
describe('on a corporate network: the command line tool and the app', () => {
  const API_HOST = 'api.example.test';
  const STORAGE_HOST = 'storage.example.test';
  let ca: TestCa;
  let emulator: RunningEmulator;
  let proxy: ConnectProxy;
  /** A system store of this machine's with nothing in it: no root but Node's own is trusted. */
  let bareSystem: Record<string, string | undefined>;

  beforeAll(async () => {
    const dir = await tempDir();
    ca = await makeTestCa(dir, [API_HOST, STORAGE_HOST, 'localhost', 'IP:127.0.0.1']);
    // This test process reaches the emulator's control routes itself, directly.
    tls.setDefaultCACertificates([...tls.getCACertificates('default'), await readFile(ca.caFile, 'utf8')]);
    emulator = await startEmulator({ processingDelayMs: 20, tls: { key: ca.key, cert: ca.cert }, hostname: API_HOST });
    proxy = await startConnectProxy({
      hosts: { [API_HOST]: emulator.port },
      login: { user: 'kim', password: 's3cret:pw' },
    });
    await mkdir(join(dir, 'no-certs'));
    await writeFile(join(dir, 'none.pem'), '');
    bareSystem = {
      SSL_CERT_FILE: join(dir, 'none.pem'),
      SSL_CERT_DIR: join(dir, 'no-certs'),
      NODE_EXTRA_CA_CERTS: undefined,
      HTTPS_PROXY: undefined,
      https_proxy: undefined,
      HTTP_PROXY: undefined,
      http_proxy: undefined,
    };
  });
  afterAll(async () => {
    await proxy?.close();
    await emulator?.close();
  });

  it('uploads through an authenticating proxy from HTTPS_PROXY, trusting the root given with --ca-cert', async () => {
    const before = (await control(directTo(emulator), '/stats')).assets;
    const { code, output } = await runCli(
      emulator,
      await tempDir(),
      ['--json', '--ca-cert', ca.caFile, 'upload', fixture('image.jpg')],
      undefined,
      { ...bareSystem, HTTPS_PROXY: proxy.url },
    );
    expect(code, output).toBe(0);
    expect(jsonLines(output).find((line) => line.event === 'summary').uploaded).toBe(1);
    expect((await control(directTo(emulator), '/stats')).assets).toBe(before + 1);
    // Every request, chunks included, went through the proxy as a tunnel; the key never crossed
    // it in clear (it travels inside TLS), and neither did the proxy's own password.
    expect(proxy.asked.filter((ask) => ask.status === 200).map((ask) => ask.target)).toContain(
      `${API_HOST}:${emulator.port}`,
    );
    expect(proxy.relayed().includes(emulator.apiKey)).toBe(false);
    expect(output).not.toContain('s3cret');
  });

  it('trusts the company root from the system store, with no flag at all', async () => {
    const { code, output } = await runCli(emulator, await tempDir(), ['upload', fixture('image.png')], undefined, {
      ...bareSystem,
      SSL_CERT_FILE: ca.caFile,
      HTTPS_PROXY: proxy.url,
    });
    expect(code, output).toBe(0);
    expect(output).toContain('1 of 1 files uploaded');
  });

  it('takes --proxy over the variables, and says plainly when a certificate file cannot be used', async () => {
    const { code, output } = await runCli(
      emulator,
      await tempDir(),
      [
        '--proxy',
        proxy.url,
        '--ca-cert',
        ca.caFile,
        '--ca-cert',
        '/nonexistent/corp.pem',
        'upload',
        fixture('audio.mp3'),
      ],
      undefined,
      { ...bareSystem, HTTPS_PROXY: 'http://127.0.0.1:9' },
    );
    expect(code, output).toBe(0);
    expect(output).toContain('The certificate file /nonexistent/corp.pem could not be read (ENOENT).');
  });

  it('follows Settings → Network: a proxy chosen there and the certificate file chosen there', async () => {
    const open = closeAfter(await startConnectProxy({ hosts: { [API_HOST]: emulator.port } }));
    const dataDir = await tempDir();
    await writeFile(
      join(dataDir, 'settings.json'),
      JSON.stringify({
        proxy: { mode: 'manual', address: new URL(open.bare).host, bypass: 'intranet.example.test', pac: '' },
        certificateFile: ca.caFile,
      }),
    );
    const { code, output } = await runCli(emulator, dataDir, ['upload', fixture('image.jpg')], undefined, bareSystem);
    expect(code, output).toBe(0);
    expect(output).toContain('1 of 1 files uploaded');
    expect(open.asked.map((ask) => ask.target)).toContain(`${API_HOST}:${emulator.port}`);
    // A variable set for this run is taken over the settings, as command-line tools do.
    const dead = join(dataDir, 'settings.json');
    await writeFile(dead, JSON.stringify({ proxy: { mode: 'manual', address: '127.0.0.1:9', bypass: '', pac: '' } }));
    const overridden = await runCli(
      emulator,
      dataDir,
      ['--ca-cert', ca.caFile, 'upload', fixture('image.png')],
      undefined,
      {
        ...bareSystem,
        HTTPS_PROXY: open.url,
      },
    );
    expect(overridden.code, overridden.output).toBe(0);
  });

  it('follows a PAC file chosen in Settings → Network, and doctor says where the route came from', async () => {
    const open = closeAfter(await startConnectProxy({ hosts: { [API_HOST]: emulator.port } }));
    const pac = await servePac(
      `function FindProxyForURL(url, host) { return shExpMatch(host, "*.example.test") ? "PROXY ${new URL(open.bare).host}" : "DIRECT"; }`,
    );
    try {
      const dataDir = await tempDir();
      await writeFile(
        join(dataDir, 'settings.json'),
        JSON.stringify({ proxy: { mode: 'pac', address: '', bypass: '', pac: pac.url }, certificateFile: ca.caFile }),
      );
      const { code, output } = await runCli(emulator, dataDir, ['doctor'], undefined, bareSystem);
      expect(code, output).toBe(0);
      expect(output).toContain(`proxy: the PAC file ${pac.url} (Settings → Network)`);
      expect(output).toContain(`✓ Route to ${API_HOST}:${emulator.port}: through the proxy ${new URL(open.bare).host}`);
      expect(output).toContain(`Roots added to the built-in ones: Example Corp Root CA (${ca.caFile})`);
    } finally {
      await pac.close();
    }
  });

  it('says plainly when the PAC file chosen in Settings cannot be read, and sends nothing', async () => {
    const dataDir = await tempDir();
    await writeFile(
      join(dataDir, 'settings.json'),
      JSON.stringify({ proxy: { mode: 'pac', address: '', bypass: '', pac: 'http://127.0.0.1:9/proxy.pac' } }),
    );
    const { code, output } = await runCli(emulator, dataDir, ['upload', fixture('image.jpg')], undefined, bareSystem);
    expect(code, output).toBe(1);
    expect(output).toContain('The PAC file at http://127.0.0.1:9/proxy.pac could not be read');
    expect(output).toContain('Check the address in Settings → Network.');
  });

  it('ends, in words, when the proxy asks for a login it was not given (407): nothing failed, nothing sent', async () => {
    const before = (await control(directTo(emulator), '/stats')).assets;
    const dataDir = await tempDir();
    const { code, output } = await runCli(
      emulator,
      dataDir,
      ['--ca-cert', ca.caFile, 'upload', fixture('image.jpg')],
      undefined,
      { ...bareSystem, HTTPS_PROXY: proxy.bare },
    );
    expect(code, output).toBe(1);
    expect(output).toContain(
      `The proxy asks for a login. The proxy ${new URL(proxy.bare).host} (corp-proxy) asks for a user name and password (407).`,
    );
    expect(output).toContain('Nothing failed: run "resume" once it is fixed.');
    expect(output).not.toContain('Waiting for network');
    expect((await control(directTo(emulator), '/stats')).assets).toBe(before);
    const status = await runCli(emulator, dataDir, ['--json', 'status'], undefined, bareSystem);
    expect(jsonLines(status.output).filter((line) => line.status?.kind === 'failed')).toEqual([]);
  });

  it('says plainly when the proxy wants the Windows login, which uploads cannot give, and ends', async () => {
    const windows = closeAfter(await startConnectProxy({ hosts: { [API_HOST]: emulator.port }, windowsLogin: true }));
    const { code, output } = await runCli(
      emulator,
      await tempDir(),
      ['--ca-cert', ca.caFile, 'upload', fixture('image.jpg')],
      undefined,
      { ...bareSystem, HTTPS_PROXY: windows.url },
    );
    expect(code, output).toBe(1);
    expect(output).toContain(
      `The proxy asks for a Windows login. The proxy ${new URL(windows.bare).host} (corp-proxy) asks for your Windows login (NTLM or Negotiate), which uploads cannot give: ask IT to let ${API_HOST}:${emulator.port} through without it`,
    );
  });

  it('names the root that re-signs the traffic when it is not trusted, and ends instead of waiting', async () => {
    const { code, output } = await runCli(
      emulator,
      await tempDir(),
      ['--json', 'upload', fixture('image.jpg')],
      undefined,
      { ...bareSystem, HTTPS_PROXY: proxy.url },
    );
    expect(code, output).toBe(1);
    const connection = jsonLines(output).find((line) => line.event === 'connection');
    expect(connection).toMatchObject({
      kind: 'blocked',
      problem: { code: 'certificate', host: `${API_HOST}:${emulator.port}`, hop: 'api', by: 'Example Corp Root CA' },
    });
    expect(output).toContain(
      `${API_HOST}:${emulator.port} was presented with a certificate issued by Example Corp Root CA this computer does not trust`,
    );
  });

  it('says the proxy refuses the host by policy (403), naming the proxy', async () => {
    const strict = closeAfter(await startConnectProxy({ hosts: {} }));
    const { code, output } = await runCli(
      emulator,
      await tempDir(),
      ['--ca-cert', ca.caFile, 'upload', fixture('image.jpg')],
      undefined,
      { ...bareSystem, HTTPS_PROXY: strict.url },
    );
    expect(code, output).toBe(1);
    expect(output).toContain(
      `The proxy ${new URL(strict.bare).host} (corp-proxy) refused to connect to ${API_HOST}:${emulator.port} (403: a policy).`,
    );
  });

  it('says when files cannot reach the storage host although the API answers, and never sends it the key', async () => {
    const split = closeAfter(
      await startEmulator({
        processingDelayMs: 20,
        chunkSize: 5 * 1024 * 1024,
        tls: { key: ca.key, cert: ca.cert },
        hostname: API_HOST,
        storageHostname: STORAGE_HOST,
      }),
    );
    // IT allowed the API's host, not the storage's.
    const partial = closeAfter(await startConnectProxy({ hosts: { [API_HOST]: split.port } }));
    const dataDir = await tempDir();
    await writeFile(join(dataDir, 'settings.json'), JSON.stringify({ multipartThreshold: 5 * 1024 * 1024 }));
    const video = await randomFile(await tempDir(), 'master.mp4', 6 * 1024 * 1024);
    const { code, output } = await runCli(split, dataDir, ['--ca-cert', ca.caFile, 'upload', video], undefined, {
      ...bareSystem,
      HTTPS_PROXY: partial.url,
    });
    expect(code, output).toBe(1);
    expect(output).toContain(
      `Storage: The proxy does not allow ${STORAGE_HOST}:${split.port}. TwelveLabs answers, but files go to its storage at ${STORAGE_HOST}:${split.port}, which this computer cannot reach.`,
    );
    expect(partial.asked.map((ask) => ask.target)).toContain(`${STORAGE_HOST}:${split.port}`);
    expect(partial.relayed().includes(split.apiKey)).toBe(false);
  });

  it('doctor checks the whole way and writes a report for IT with nothing secret in it', async () => {
    const before = (await control(directTo(emulator), '/stats')).assets;
    const { code, output } = await runCli(emulator, await tempDir(), ['doctor'], undefined, {
      ...bareSystem,
      SSL_CERT_FILE: ca.caFile,
      HTTPS_PROXY: proxy.url,
    });
    expect(code, output).toBe(0);
    const host = `${API_HOST}:${emulator.port}`;
    const proxyHost = new URL(proxy.bare).host;
    expect(output).toContain(`✓ Route to ${host}: through the proxy ${proxyHost}`);
    expect(output).toContain(
      `✓ Secure connection to ${host}: certificate issued by Example Corp Root CA, your company's root: secure connections are inspected`,
    );
    expect(output).toContain('✓ API key: accepted');
    expect(output).toContain(`✓ Upload to ${host}: a one-pixel test image was sent, then deleted`);
    expect(output).toContain('Roots added to the built-in ones: Example Corp Root CA (system)');
    expect(output).not.toContain(emulator.apiKey);
    expect(output).not.toContain('s3cret');
    expect(output).not.toContain('X-Amz-Signature');
    expect((await control(directTo(emulator), '/stats')).assets).toBe(before);
  });

  it('doctor names what is wrong and exits 1', async () => {
    const { code, output } = await runCli(emulator, await tempDir(), ['--json', 'doctor'], undefined, {
      ...bareSystem,
      HTTPS_PROXY: proxy.url,
    });
    expect(code, output).toBe(1);
    const failed = jsonLines(output).filter((line) => line.event === 'check' && !line.ok);
    expect(failed).toEqual([
      {
        event: 'check',
        ok: false,
        what: `Connection to ${API_HOST}:${emulator.port}`,
        words: expect.stringContaining('Secure connection not trusted.'),
      },
    ]);
  });

  it('the app follows the system (a PAC file) to a proxy that asks for a login, kept in the keychain once given', async () => {
    const proxyHost = new URL(proxy.bare).host;
    const pac = await servePac(
      `function FindProxyForURL(url, host) { return dnsDomainIs(host, ".example.test") ? "PROXY ${proxyHost}; DIRECT" : "DIRECT"; }`,
    );
    const logins = await openSecretStore(`TwelveLabs Uploader e2e ${randomUUID()}`, PROXY_LOGIN_ACCOUNT);
    const routes = new ResolvedRoutes(await pacResolver(pac.url), async () => readProxyLogin(await logins.get()));
    const dataDir = await tempDir();
    const app = await openTestApp(dataDir, {
      emulator,
      routes,
      proxyLogin: { store: logins, changed: () => routes.flush() },
      gate: { probeMinMs: 50, probeMaxMs: 200 },
    });
    try {
      await app.secrets.set(emulator.apiKey);
      const before = (await control(directTo(emulator), '/stats')).assets;
      await app.contract.addPaths([fixture('image.jpg')]);
      // No login yet: said as such, nothing failed, nothing sent.
      await until(async () => (await app.contract.sessionState()).connection.kind === 'blocked');
      expect((await app.contract.sessionState()).connection).toMatchObject({
        problem: { code: 'proxy-login', by: proxyHost, hop: 'api' },
      });
      expect((await app.engine.items()).filter((item) => item.status.kind === 'failed')).toEqual([]);
      expect(await app.contract.handlers['network:set-proxy-login']({ user: 'kim', password: 's3cret:pw' })).toEqual({
        ok: true,
        value: null,
      });
      await until(async () => (await app.engine.items())[0]?.status.kind === 'ready', 20_000);
      expect((await control(directTo(emulator), '/stats')).assets).toBe(before + 1);
      expect(pac.fetched()).toBe(1);
      // The login is in the keychain only: not in the settings file, and the key never crossed the proxy.
      expect(readProxyLogin(await logins.get())).toEqual({ user: 'kim', password: 's3cret:pw' });
      expect(await readFile(join(dataDir, 'settings.json'), 'utf8')).not.toContain('s3cret');
      expect(proxy.relayed().includes(emulator.apiKey)).toBe(false);
      // The connection check takes the same way.
      const check = await app.contract.handlers['network:check']();
      expect(check.ok && check.value.steps[0]).toEqual({
        what: `Route to ${API_HOST}:${emulator.port}`,
        ok: true,
        words: `through the proxy ${proxyHost}`,
      });
    } finally {
      await logins.clear();
      await app.close();
      await pac.close();
    }
  });

  it('says the name is not known where there is no proxy, and waits (it may pass) instead of "offline"', async () => {
    const cli = startCli(
      emulator,
      await tempDir(),
      ['--json', '--ca-cert', ca.caFile, 'upload', fixture('image.jpg')],
      undefined,
      bareSystem,
    );
    await until(() => cli.output().includes('"event":"connection"'));
    const connection = jsonLines(cli.output()).find((line) => line.event === 'connection');
    expect(connection).toMatchObject({
      kind: 'blocked',
      problem: { code: 'name-not-found', host: `${API_HOST}:${emulator.port}` },
    });
    expect(cli.exitCode).toBeNull();
    cli.kill('SIGINT');
    expect(await new Promise((resolve) => cli.once('exit', resolve))).toBe(130);
  });
});

/** The emulator's control routes, reached directly (the test is not behind the proxy). */
function directTo(emulator: RunningEmulator): RunningEmulator {
  return { ...emulator, origin: emulator.origin.replace(/^https:\/\/[^:/]+/, 'https://localhost') };
}

describe('a proxy that caps request bodies', () => {
  const emulator = useEmulator({
    processingDelayMs: 20,
    faults: { 'assets.create': { proxyBodyCapBytes: 64 * 1024 } },
  });

  it('sends a video refused in one request (413) again in parts, once, and says why', async () => {
    // Under the resumable threshold: it goes in one request first.
    const { engine } = closeAfter(
      await openEngine(emulator.current, await tempDir(), { multipartThreshold: 10 * 1024 * 1024 }),
    );
    engine.start();
    const before = await control(emulator.current, '/stats');
    const {
      ids: [id],
    } = await engine.add(await filesUnder(fixture('video-h264.mp4')));
    await engine.whenIdle();
    const item = (await engine.item(id!))!;
    expect(item.status.kind).toBe('ready');
    expect(item.notice).toBe(
      'Something on your network refused this file in one request (413), so it is sent in parts.',
    );
    const after = await control(emulator.current, '/stats');
    expect(after.assets - before.assets).toBe(1);
    expect((after.requests['POST /assets'] ?? 0) - (before.requests['POST /assets'] ?? 0)).toBe(1);
    expect(
      (after.requests['POST /assets/multipart-uploads'] ?? 0) -
        (before.requests['POST /assets/multipart-uploads'] ?? 0),
    ).toBe(1);
  });
});
