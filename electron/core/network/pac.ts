import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createPacResolver } from 'pac-resolver';
import { QuickJS } from 'quickjs-wasi';

/**
 * Finds the proxy for a URL the way the system does and answers as a PAC file would: "DIRECT", or
 * "PROXY host:port; DIRECT". The app's is Electron's `session.resolveProxy` (system settings, PAC,
 * WPAD); tests evaluate a PAC file served on loopback.
 */
export type ProxyResolver = (url: string) => Promise<string>;

/**
 * Finds the proxy for each URL as a PAC file says, where no browser engine does it for us (the
 * command line): the file is read once from `address` (http, https or file) and evaluated in
 * QuickJS, a sandbox, since a PAC file is a program from the network. The app asks Chromium instead.
 */
export async function pacResolver(address: string): Promise<ProxyResolver> {
  const url = new URL(address);
  const script =
    url.protocol === 'file:'
      ? await readFile(fileURLToPath(url), 'utf8')
      : await fetch(url, { signal: AbortSignal.timeout(15_000) }).then(async (response) => {
          if (!response.ok) throw new Error(`${url.host} answered ${response.status}`);
          return response.text();
        });
  const find = createPacResolver(await QuickJS.create(), script);
  return (target) => find(target);
}
