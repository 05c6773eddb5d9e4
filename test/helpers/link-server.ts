import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fixture } from './emulator';

/** A web server on loopback that links point at, the way real sites answer. */
export interface LinkServer {
  readonly origin: string;
  /** `${origin}/media/<fixture>`: the fixture file, with byte ranges. */
  media(name: string): string;
  /** Requests it has answered, as "METHOD /path". */
  readonly requests: string[];
  close(): Promise<void>;
}

/**
 * Routes:
 * - `/media/<fixture>` serves a fixture with `Accept-Ranges` (206 for a Range); `/no-range/<fixture>`
 *   ignores Range (200, whole file); `/no-head/<fixture>` answers HEAD with 405.
 * - `/redirect/<n>/<fixture>`: n redirects, then the fixture; `/to?url=<address>`: a redirect there.
 * - `/login` 401, `/private` 403, `/gone` 404, `/broken` 500, `/page.html` a web page.
 * - `/huge.mp4`: says it is 5 GB (HEAD and Content-Range), serves a real video's first bytes.
 */
export async function startLinkServer(): Promise<LinkServer> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    void answer(request, response).catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    media: (name) => `${origin}/media/${name}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const TYPES: Record<string, string> = {
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  png: 'image/png',
  jpg: 'image/jpeg',
  txt: 'text/plain',
};

async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://x').pathname;
  const fixed: Record<string, number> = { '/login': 401, '/private': 403, '/gone': 404, '/broken': 500 };
  if (path in fixed) {
    response.writeHead(fixed[path]!, { 'content-type': 'text/plain' }).end('no');
    return;
  }
  if (path === '/page.html' || path === '/watch') {
    response
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end('<!doctype html><title>A video</title>');
    return;
  }
  const to = new URL(request.url ?? '/', 'http://x').searchParams.get('url');
  if (path === '/to' && to) {
    response.writeHead(302, { location: to }).end();
    return;
  }
  const redirect = /^\/redirect\/(\d+)\/(.+)$/.exec(path);
  if (redirect) {
    const left = Number(redirect[1]);
    const next = left > 1 ? `/redirect/${left - 1}/${redirect[2]}` : `/media/${redirect[2]}`;
    response.writeHead(302, { location: next }).end();
    return;
  }
  if (path === '/huge.mp4') {
    const size = 5_000_000_000;
    const head = fixture('video-h264.mp4');
    if (request.method === 'HEAD') {
      response.writeHead(200, { 'content-type': 'video/mp4', 'content-length': size, 'accept-ranges': 'bytes' }).end();
      return;
    }
    const { size: real } = await stat(head);
    response.writeHead(206, {
      'content-type': 'video/mp4',
      'content-range': `bytes 0-${real - 1}/${size}`,
      'content-length': real,
    });
    createReadStream(head).pipe(response);
    return;
  }
  const served = /^\/(media|no-range|no-head)\/(.+)$/.exec(path);
  if (!served) {
    response.writeHead(404).end();
    return;
  }
  const [, mode, name] = served;
  const file = fixture(decodeURIComponent(name!));
  const info = await stat(file).catch(() => null);
  if (!info) {
    response.writeHead(404).end();
    return;
  }
  if (mode === 'no-head' && request.method === 'HEAD') {
    response.writeHead(405).end();
    return;
  }
  const type = TYPES[name!.split('.').pop() ?? ''] ?? 'application/octet-stream';
  const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '');
  if (range && mode !== 'no-range') {
    const start = Number(range[1]);
    const end = Math.min(range[2] ? Number(range[2]) : info.size - 1, info.size - 1);
    if (start >= info.size) {
      response.writeHead(416, { 'content-range': `bytes */${info.size}` }).end();
      return;
    }
    response.writeHead(206, {
      'content-type': type,
      'content-range': `bytes ${start}-${end}/${info.size}`,
      'content-length': end - start + 1,
      'accept-ranges': 'bytes',
    });
    if (request.method === 'HEAD') response.end();
    else createReadStream(file, { start, end }).pipe(response);
    return;
  }
  response.writeHead(200, {
    'content-type': type,
    'content-length': info.size,
    ...(mode !== 'no-range' && { 'accept-ranges': 'bytes' }),
  });
  if (request.method === 'HEAD') response.end();
  else createReadStream(file).pipe(response);
}
