import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

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
