import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { ConnectionGate, type ProbeResult } from '../../../../electron/core/api/gate';
import { networkProblem, presentedIssuer } from '../../../../electron/core/network/diagnose';
import type { NetworkProblem } from '../../../../electron/shared/network';
import { startConnectProxy } from '../../../helpers/connect-proxy';
import { makeTestCa } from '../../../helpers/test-ca';
import { tempDir } from '../../../helpers/temp-dir';
import { until } from '../../../helpers/until';

/** What a real request to `url` fails with. */
async function failureOf(url: string): Promise<unknown> {
  return request(url).then(
    () => new Error('it answered'),
    (error: unknown) => error,
  );
}

describe('what stands in the way of a request', () => {
  it('tells a refused route and an unknown name from a lost connection, and blames the proxy when there is one', async () => {
    const refused = new URL('http://127.0.0.1:9/');
    expect(networkProblem(await failureOf(refused.href), refused, 'api', null)).toEqual({
      code: 'route-refused',
      host: '127.0.0.1:9',
      hop: 'api',
    });
    expect(networkProblem(await failureOf(refused.href), refused, 'api', 'proxy.corp:8080')).toMatchObject({
      code: 'proxy-unreachable',
      by: 'proxy.corp:8080',
    });
    const unknown = new URL('https://api.twelvelabs.invalid/');
    expect(networkProblem(await failureOf(unknown.href), unknown, 'storage', null)).toEqual({
      code: 'name-not-found',
      host: 'api.twelvelabs.invalid',
      hop: 'storage',
    });
    // A connection that breaks is not something in the way: it waits as offline.
    const reset = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    expect(networkProblem(reset, unknown, 'api', null)).toBeNull();
  });

  it('reads who issued a certificate that is not trusted, directly and through a proxy, sending nothing', async () => {
    const ca = await makeTestCa(await tempDir(), ['localhost', 'IP:127.0.0.1']);
    const requests: string[] = [];
    const server = createServer({ key: ca.key, cert: ca.cert }, (incoming, response) => {
      requests.push(incoming.url ?? '');
      response.end('ok');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    const proxy = await startConnectProxy({ hosts: { localhost: port } });
    try {
      const url = new URL(`https://localhost:${port}/v1.3/assets`);
      const failure = await failureOf(url.href);
      expect(networkProblem(failure, url, 'api', null)).toEqual({ code: 'certificate', host: url.host, hop: 'api' });
      expect(await presentedIssuer(url, null)).toBe('Example Corp Root CA');
      expect(await presentedIssuer(url, new URL(proxy.url))).toBe('Example Corp Root CA');
      expect(requests).toEqual([]);
    } finally {
      server.close();
      await proxy.close();
    }
  });
});

describe('the gate when something stands in the way', () => {
  const login: NetworkProblem = { code: 'proxy-login', host: 'api.twelvelabs.io', hop: 'api', by: 'proxy:8080' };

  it('holds as blocked, says so once, probes where it failed, and opens when the probe gets through', async () => {
    const answers: ProbeResult[] = [login, 'offline', 'ok'];
    const targets: unknown[] = [];
    const gate = new ConnectionGate({
      probe: async (target) => {
        targets.push(target);
        return answers.shift() ?? 'ok';
      },
      probeMinMs: 5,
      probeMaxMs: 10,
    });
    const kinds: string[] = [];
    gate.on('change', (state) => kinds.push(state.kind));
    gate.noteBlocked(
      { ...login, hop: 'storage', host: 'bucket.s3.example' },
      { hop: 'storage', origin: 'https://bucket.s3.example' },
    );
    expect(gate.state).toMatchObject({ kind: 'blocked', problem: { code: 'proxy-login', hop: 'storage' } });
    await until(() => gate.state.kind === 'online');
    // Blocked at the storage host, then at the API (the probe's answer), then no route, then open.
    expect(kinds).toEqual(['blocked', 'blocked', 'offline', 'online']);
    expect(targets[0]).toEqual({ hop: 'storage', origin: 'https://bucket.s3.example' });
    gate.close();
  });
});
