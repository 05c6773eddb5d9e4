import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

/**
 * The window's page is served from `app://uploader/`, a privileged scheme of our own, instead of
 * `file://`: under `file://` the policy's `'self'` is every file on the disk, and any local HTML
 * file shares the page's origin. Here `'self'` is the built renderer and nothing else.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'uploader';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** How `protocol.registerSchemesAsPrivileged` must be told about the scheme, before the app is ready. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
} as const;

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

/**
 * The file under `root` that `url` names, or null for another host, another scheme, or anything
 * that would leave `root` (`..`, encoded or not).
 */
export function appFileFor(root: string, url: string): string | null {
  if (!URL.canParse(url)) return null;
  const parsed = new URL(url);
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  const base = normalize(root);
  const file = normalize(join(base, path === '/' ? 'index.html' : path));
  return file.startsWith(base.endsWith(sep) ? base : base + sep) ? file : null;
}

/**
 * The handler for `protocol.handle(APP_SCHEME, …)`: the built renderer's files with their types
 * and the window's security policy on every answer; 404 for anything else.
 */
export function appProtocolHandler(root: string, policy: string): (request: Request) => Promise<Response> {
  return async (request) => {
    const file = request.method === 'GET' ? appFileFor(root, request.url) : null;
    const body = file ? await readFile(file).catch(() => null) : null;
    if (!file || !body) return new Response('Not found', { status: 404 });
    return new Response(new Uint8Array(body), {
      headers: {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-security-policy': policy,
        'x-content-type-options': 'nosniff',
      },
    });
  };
}
