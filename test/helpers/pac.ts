import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPacResolver } from 'pac-resolver';
import { QuickJS } from 'quickjs-wasi';
import type { ProxyResolver } from '../../electron/core/network/routes';

/** A PAC file as IT serves it, on loopback: its address, and how many times it was fetched. */
export async function servePac(
  script: string,
): Promise<{ url: string; fetched: () => number; close(): Promise<void> }> {
  let fetched = 0;
  const server = createServer((_request, response) => {
    fetched += 1;
    response.writeHead(200, { 'content-type': 'application/x-ns-proxy-autoconfig' }).end(script);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/proxy.pac`,
    fetched: () => fetched,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

/**
 * The Node-side twin of Electron's `session.resolveProxy` for a PAC-configured system: the PAC file
 * is fetched from `pacUrl` once and evaluated (in QuickJS, as a sandbox) for each URL asked.
 */
export async function pacResolver(pacUrl: string): Promise<ProxyResolver> {
  const script = await (await fetch(pacUrl)).text();
  const find = createPacResolver(await QuickJS.create(), script);
  return (url) => find(url);
}
