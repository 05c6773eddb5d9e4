import { mkdir, readFile, writeFile } from 'node:fs/promises';
import tls from 'node:tls';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { jsonLines, runCli } from '../../helpers/cli';
import { startConnectProxy, type ConnectProxy } from '../../helpers/connect-proxy';
import { closeAfter } from '../../helpers/cleanup';
import { control, fixture, useEmulator } from '../../helpers/emulator';
import { filesUnder, openEngine } from '../../helpers/engine';
import { tempDir } from '../../helpers/temp-dir';
import { makeTestCa, type TestCa } from '../../helpers/test-ca';

/**
 * The CLI where the people it is for work: TLS re-signed by the company's own root, and an
 * authenticating proxy that is the only way out. Real TLS, a real CONNECT proxy, real processes.
 */
describe('the CLI on a corporate network', () => {
  const API_HOST = 'api.example.test';
  let ca: TestCa;
  let emulator: RunningEmulator;
  let proxy: ConnectProxy;
  /** A system store of this machine's with nothing in it: no root but Node's own is trusted. */
  let bareSystem: Record<string, string | undefined>;

  beforeAll(async () => {
    const dir = await tempDir();
    ca = await makeTestCa(dir, [API_HOST, 'localhost', 'IP:127.0.0.1']);
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
    const [id] = await engine.add(await filesUnder(fixture('video-h264.mp4')));
    await engine.whenIdle();
    const item = engine.item(id!)!;
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
