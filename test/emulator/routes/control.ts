import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { ROUTE_FAMILIES, type FaultConfig, type RateLimitConfig } from '../faults';
import { ApiError, newId, readJson, sendJson } from '../http';
import type { Route, RouteContext } from './context';
import { referencedByIndex } from '../state';

/** Runtime knobs the control routes change; owned by the server. */
export interface ControlState {
  faults: FaultConfig;
  rateLimits: RateLimitConfig;
  clockOffsetMs: number;
  requests: Record<string, number>;
  bytesReceived: number;
}

function assetsByStatus(context: RouteContext): Record<string, number> {
  const counts: Record<string, number> = { processing: 0, ready: 0, failed: 0 };
  for (const asset of context.emulator.state.assets.values()) counts[asset.status] = (counts[asset.status] ?? 0) + 1;
  return counts;
}

function checkFamilies(config: Record<string, unknown>): void {
  for (const key of Object.keys(config)) {
    if (key !== '*' && !(ROUTE_FAMILIES as readonly string[]).includes(key)) {
      throw new ApiError(
        400,
        'parameter_invalid',
        `Unknown route family ${key}; use * or ${ROUTE_FAMILIES.join(', ')}.`,
      );
    }
  }
}

/** `PUT /__emulator/<name>`: replaces a per-route-family setting with the body, after checking its keys. */
function perFamilyConfig(name: string, apply: (body: Record<string, unknown>) => unknown): Route {
  return {
    name: `PUT /__emulator/${name}`,
    method: 'PUT',
    pattern: new RegExp(`^/__emulator/${name}$`),
    auth: false,
    handle: async (context) => {
      const body = (await readJson(context.body)) as Record<string, unknown>;
      checkFamilies(body);
      sendJson(context.response, 200, apply(body));
    },
  };
}

const CONTENT_TYPES: Record<string, string> = {
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.ts': 'video/mp2t',
  '.jpg': 'image/jpeg',
};

/** Introspection and fault control for tests, plus the files the emulator serves (thumbnails, HLS). */
export function controlRoutes(control: ControlState): readonly Route[] {
  return [
    {
      name: 'GET /__emulator/stats',
      method: 'GET',
      pattern: /^\/__emulator\/stats$/,
      auth: false,
      handle: async (context) =>
        sendJson(context.response, 200, {
          requests: control.requests,
          bytes_received: control.bytesReceived,
          chunk_puts: context.emulator.stats.chunkPuts,
          chunk_bytes: context.emulator.stats.chunkBytes,
          // When each session's chunks arrived: the transfer as the server saw it, whoever sent it.
          chunk_times: Object.fromEntries(
            [...context.emulator.stats.chunkTimes].map(([id, t]) => [
              id,
              { first_at: t.firstAt, last_at: t.lastAt, bytes: t.bytes },
            ]),
          ),
          assets: context.emulator.state.assets.size,
          assets_by_status: assetsByStatus(context),
          sessions: context.emulator.state.sessions.size,
          now: context.emulator.now(),
        }),
    },
    {
      name: 'GET /__emulator/assets/{id}',
      method: 'GET',
      pattern: /^\/__emulator\/assets\/([^/]+)$/,
      auth: false,
      handle: async (context) => {
        const asset = context.emulator.state.assets.get(context.params[0] ?? '');
        if (!asset) throw new ApiError(404, 'resource_not_exist', 'No such asset.');
        sendJson(context.response, 200, {
          id: asset.id,
          status: asset.status,
          filename: asset.filename,
          size: asset.size ?? null,
          sha256: asset.sha256 ?? null,
          indexes: referencedByIndex(context.emulator.state, asset.id).map((index) => index.id),
          user_metadata: asset.userMetadata,
        });
      },
    },
    {
      // A large library at once, for tests at scale: `count` ready stills, every fourth project
      // named, a rating 0-5 on each. Made in one go, as no client could afford to upload them.
      name: 'POST /__emulator/assets/bulk',
      method: 'POST',
      pattern: /^\/__emulator\/assets\/bulk$/,
      auth: false,
      handle: async (context) => {
        const body = (await readJson(context.body)) as { count?: unknown };
        const count = body.count;
        if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 1_000_000) {
          throw new ApiError(400, 'parameter_invalid', 'count must be a whole number from 1 to 1,000,000.');
        }
        const { state } = context.emulator;
        const now = context.emulator.now();
        for (let i = 0; i < count; i += 1) {
          state.seq += 1;
          const id = newId(now);
          state.assets.set(id, {
            id,
            seq: state.seq,
            method: 'direct',
            status: 'ready',
            filename: `still_${String(i).padStart(6, '0')}.jpg`,
            fileType: 'image/jpeg',
            createdAt: now,
            userMetadata: { project: ['Apollo', 'Gemini', 'Mercury', 'Artemis'][i % 4]!, rating: i % 6 },
            enableHls: false,
            enableThumbnail: false,
            size: 20_000 + i,
          });
        }
        await state.save();
        sendJson(context.response, 200, { created: count });
      },
    },
    perFamilyConfig('faults', (body) => (control.faults = body as FaultConfig)),
    perFamilyConfig('rate-limits', (body) => (control.rateLimits = body as RateLimitConfig)),
    {
      name: 'POST /__emulator/clock',
      method: 'POST',
      pattern: /^\/__emulator\/clock$/,
      auth: false,
      handle: async (context) => {
        const body = (await readJson(context.body)) as { advance_ms?: unknown };
        if (typeof body.advance_ms !== 'number' || body.advance_ms < 0) {
          throw new ApiError(400, 'parameter_invalid', 'advance_ms must be a positive number of milliseconds.');
        }
        control.clockOffsetMs += body.advance_ms;
        sendJson(context.response, 200, { now: context.emulator.now() });
      },
    },
    {
      name: 'GET /__files',
      method: 'GET',
      pattern: /^\/__files\/([0-9a-f]{24})\/(.+)$/,
      auth: false,
      handle: async (context) => {
        const [id = '', rest = ''] = context.params;
        const root = join(context.emulator.state.dataDir, 'assets', id);
        const file = normalize(join(root, rest));
        const info = file.startsWith(root) ? await stat(file).catch(() => null) : null;
        if (!info?.isFile()) throw new ApiError(404, 'resource_not_exist', 'No such file.');
        context.response.writeHead(200, {
          'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
          'content-length': info.size,
          'access-control-allow-origin': '*',
        });
        createReadStream(file).pipe(context.response);
      },
    },
  ];
}
