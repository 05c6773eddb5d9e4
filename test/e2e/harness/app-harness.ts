import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { build } from 'vite';
import type { WindowContract } from '../../../electron/core/root/window-contract';
import { openSecretStore } from '../../../electron/core/secrets/secret-store';
import type { RunningEmulator } from '../../emulator/server';
import { openTestApp } from '../../helpers/app';
import { dispatchInvoke } from '../../../electron/core/ipc/dispatch';
import { EVENT_CHANNELS } from '../../../electron/shared/ipc-contract';
import { contentSecurityPolicy } from '../../../electron/main/window-options';
import type { SystemLocale } from '../../../electron/shared/i18n';
import type { Limits } from '../../../electron/shared/limits';

const RENDERER_DIR = resolve('out/renderer');
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

let bridgeScript: Promise<string> | undefined;

/** Bundles the page half of the harness once per worker, from the real shared contract code. */
function harnessBridge(): Promise<string> {
  bridgeScript ??= build({
    configFile: false,
    logLevel: 'warn',
    build: {
      write: false,
      minify: false,
      lib: { entry: resolve('test/e2e/page/harness-bridge.ts'), formats: ['iife'], name: 'harnessBridge' },
    },
  }).then((output) => {
    const [result] = Array.isArray(output) ? output : [output];
    if (!result || !('output' in result) || !result.output[0]) throw new Error('harness bridge did not build');
    return result.output[0].code;
  });
  return bridgeScript;
}

/**
 * Where a README screenshot goes: `docs/screenshots/` when asked for (`npm run screenshots`),
 * else `test-results/screenshots/`, so an ordinary test run leaves the repository as it was.
 */
export function screenshotPath(name: string): string {
  return process.env.SCREENSHOTS === '1' ? `docs/screenshots/${name}` : `test-results/screenshots/${name}`;
}

/** Serves the built renderer (`npm run build` output) on loopback, as Electron would load it. */
export async function serveRenderer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const file = normalize(join(RENDERER_DIR, path === '/' ? 'index.html' : path));
    if (!file.startsWith(RENDERER_DIR) || !(await stat(file).catch(() => null))?.isFile()) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      // The window's own policy (a developer's: the emulator is on loopback), so a page that
      // breaks it fails here too.
      'content-security-policy': contentSecurityPolicy({ developer: true }),
    });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

/**
 * Opens the app in the page with `window.api` backed by `contract` in this process: calls go through
 * the same `dispatchInvoke` validation as Electron's main process, events are pushed into the page.
 */
export async function openApp(page: Page, contract: WindowContract, url: string): Promise<() => void> {
  await page.exposeBinding('__harnessInvoke', (_source, channel: unknown, args: unknown) =>
    dispatchInvoke(contract.handlers, channel, args),
  );
  await page.addInitScript({ content: await harnessBridge() });
  const stops = EVENT_CHANNELS.map((channel) =>
    contract.events.on(channel, (payload) => {
      void page.evaluate(([c, p]) => window.__harnessEmit(c, p), [channel, payload] as const).catch(() => {});
    }),
  );
  await page.goto(url);
  return () => stops.forEach((stop) => stop());
}

/** Apps a spec opened and has not closed: `closeApps()` in its afterEach closes them. */
const openApps = new Set<{ close(): Promise<void> }>();

/** Closes every app still open, however its test ended; call first in a spec's afterEach. */
export async function closeApps(): Promise<void> {
  for (const app of [...openApps].reverse()) await app.close();
}

/**
 * The app's real services on `dataDir` (keychain entry of its own, pointed at the emulator), shown
 * in the page. `close` (safe to call twice) stops the page's events, removes the key and closes
 * the services; an app left open is closed by `closeApps()`.
 */
export async function startApp(
  page: Page,
  options: {
    dataDir: string;
    emulator: RunningEmulator;
    rendererUrl: string;
    withKey?: boolean;
    pick?: { files?: string[]; folder?: string[]; saveTo?: string | null; confirmAddress?: boolean };
    /** The system's languages and region (American English unless given). */
    systemLocale?: SystemLocale;
    /** Lowered limits, where a spec needs a file "over" one (TwelveLabs' own unless given). */
    limits?: Limits;
  },
) {
  const app = await openTestApp(options.dataDir, {
    emulator: options.emulator,
    secrets: await openSecretStore(`TwelveLabs Uploader e2e ${randomUUID()}`),
    ...(options.pick && { pick: options.pick }),
    ...(options.systemLocale && { systemLocale: options.systemLocale }),
    ...(options.limits && { limits: options.limits }),
  });
  if (options.withKey !== false) await app.secrets.set(options.emulator.apiKey);
  const stop = await openApp(page, app.contract, options.rendererUrl);
  let closing: Promise<void> | undefined;
  const session = {
    app,
    close(): Promise<void> {
      openApps.delete(session);
      closing ??= (async () => {
        stop();
        await app.secrets.clear();
        await app.close();
      })();
      return closing;
    },
  };
  openApps.add(session);
  return session;
}
