import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtemp } from 'node:fs/promises';
import { pipeline, Transform, type Readable } from 'node:stream';
import { LIMITS, type Limits } from '../../electron/shared/limits';
import { apiErrorMessage } from '../../electron/shared/api-errors';
import { faultsFor, Link, RateLimiter, seededRandom, throttle, type FaultConfig, type RateLimitConfig } from './faults';
import { ApiError, GO_SHAPED, sendJson } from './http';
import { hasFfmpeg, makeHls, makeThumbnail, modelViolation } from './media';
import { assetRoutes } from './routes/assets';
import type { EmulatorCore, Route } from './routes/context';
import { controlRoutes, type ControlState } from './routes/control';
import { multipartRoutes } from './routes/multipart';
import { indexRoutes } from './routes/indexes';
import { EmulatorState } from './state';

/** The key every emulator accepts unless told otherwise; it is not a real TwelveLabs key. */
export const DEFAULT_SANDBOX_KEY = 'tlk_emulator_sandbox_key';

const MiB = 1024 * 1024;

export interface EmulatorOptions {
  port?: number | undefined;
  host?: string | undefined;
  /**
   * Serve https with this key and certificate (PEM), as the real API does: tests meet real
   * certificates, signed by a root the test made (see `test/helpers/test-ca.ts`).
   */
  tls?: { readonly key: string; readonly cert: string } | undefined;
  /** The host name the origin is given as (the certificate's); the address listened on is `host`. */
  hostname?: string | undefined;
  /**
   * The host name presigned chunk URLs are given with, as S3's differs from the API's (the same
   * server answers both): proxies and firewalls can treat the two apart. The API's when absent.
   */
  storageHostname?: string | undefined;
  /** Where uploads and the asset records live; a fresh temp dir when absent. */
  dataDir?: string | undefined;
  apiKeys?: string[] | undefined;
  /** Multipart chunk size the server hands out (the real API's examples use 5 MiB). */
  chunkSize?: number | undefined;
  /** Presigned URLs in the create response; the rest must be asked for. */
  initialUrlCount?: number | undefined;
  urlTtlMs?: number | undefined;
  sessionTtlMs?: number | undefined;
  /** How long an asset stays `processing` before it is `ready` or `failed`. */
  processingDelayMs?: number | undefined;
  /** Overrides of the shared limits table, so tests can hit "too large" with small files. */
  limits?: Partial<Limits> | undefined;
  faults?: FaultConfig | undefined;
  rateLimits?: RateLimitConfig | undefined;
  /** Seed of the fault generator, so a faulty run can be repeated exactly. */
  seed?: number | undefined;
  /** Probe uploads with ffprobe and reject what the API would; default: when ffprobe is installed. */
  mediaChecks?: boolean | undefined;
  /**
   * Refuse a video that breaks the model's rules (frame size, shape, length) at upload with the
   * seed's 400s. Off by default: the Assets API takes such a file, and its index job fails.
   */
  modelRulesAtUpload?: boolean | undefined;
  /** How long an index job takes from `pending` to `ready` or `failed` (default 1500). */
  indexingDelayMs?: number | undefined;
  /** Indexing an asset already in the index: another job (billed again; the default), or a 400. */
  indexAgain?: 'new-job' | 'refuse' | undefined;
  /** Make thumbnails and HLS with ffmpeg when asked; default: when ffmpeg is installed. */
  renditions?: boolean | undefined;
  /** `go`: answer as a Go server may (null lists, no page_info, unknown fields); see `goShape`. */
  shapes?: 'standard' | 'go' | undefined;
  /** Every request body shares one uplink of this many bytes per second (see `Link`). */
  linkBytesPerSecond?: number | undefined;
}

export interface RunningEmulator {
  /** `http://127.0.0.1:PORT/v1.3`, what TWELVELABS_BASE_URL should be. */
  readonly baseUrl: string;
  readonly origin: string;
  readonly port: number;
  readonly dataDir: string;
  readonly apiKey: string;
  /** Replace the fault settings at runtime (the same as PUT /__emulator/faults). */
  setFaults(faults: FaultConfig): void;
  setRateLimits(limits: RateLimitConfig): void;
  /** Moves the emulator's clock forward, for expiry tests. */
  advanceClock(ms: number): void;
  /** Which keys are accepted from now on: a key revoked mid-session, or a new one issued. */
  setApiKeys(keys: readonly string[]): void;
  close(): Promise<void>;
}

/** Starts the emulator; resolves once it listens. Port 0 (the default in tests) picks a free port. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'tl-emulator-')));
  const state = new EmulatorState(dataDir);
  await state.load();
  const apiKeys = new Set(options.apiKeys?.length ? options.apiKeys : [DEFAULT_SANDBOX_KEY]);
  const ffmpeg = await hasFfmpeg();
  const renditions = options.renditions ?? ffmpeg;
  const link = options.linkBytesPerSecond ? new Link(options.linkBytesPerSecond) : null;
  const control: ControlState = {
    faults: options.faults ?? {},
    rateLimits: options.rateLimits ?? {},
    clockOffsetMs: 0,
    requests: {},
    bytesReceived: 0,
  };
  const random = seededRandom(options.seed ?? 1);
  const limiter = new RateLimiter(() => control.rateLimits);
  const timers = new Set<NodeJS.Timeout>();
  let origin = '';
  let storageOrigin = '';

  const core: EmulatorCore = {
    state,
    limits: { ...LIMITS, ...options.limits },
    origin: () => origin,
    storageOrigin: () => storageOrigin,
    now: () => Date.now() + control.clockOffsetMs,
    options: {
      chunkSize: options.chunkSize ?? 5 * MiB,
      initialUrlCount: options.initialUrlCount ?? 10,
      urlTtlMs: options.urlTtlMs ?? 60 * 60 * 1000,
      sessionTtlMs: options.sessionTtlMs ?? 24 * 60 * 60 * 1000,
      processingDelayMs: options.processingDelayMs ?? 1000,
      mediaChecks: options.mediaChecks ?? ffmpeg,
      modelRulesAtUpload: options.modelRulesAtUpload ?? false,
      indexingDelayMs: options.indexingDelayMs ?? 1500,
      indexAgain: options.indexAgain ?? 'new-job',
    },
    stats: { chunkPuts: 0, chunkBytes: 0, chunkTimes: new Map() },
    process(assetId) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        void finishProcessing(assetId);
      }, core.options.processingDelayMs);
      timers.add(timer);
      const asset = state.assets.get(assetId);
      // HLS for what plays, thumbnails for what has a picture; documents get neither here.
      const kind = asset?.probe?.kind;
      if (asset?.enableHls && kind !== 'image' && kind !== 'document') asset.hls = { status: 'pending' };
      if (asset?.enableThumbnail && kind !== 'audio' && kind !== 'document') asset.thumbnail = { status: 'pending' };
    },
    index(jobId, failNext) {
      // pending -> queued -> indexing -> ready | failed, a third of the delay each.
      const steps = ['queued', 'indexing', 'done'] as const;
      const step = (at: number) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          const job = state.indexedAssets.get(jobId);
          if (!job) return;
          const next = steps[at]!;
          job.updatedAt = core.now();
          if (next === 'done') {
            const probe = state.assets.get(job.assetId)?.probe;
            const broken = probe ? modelViolation(probe, core.limits) : null;
            const failure = failNext
              ? 'failed by a fault'
              : broken
                ? apiErrorMessage(broken.code, broken.values)
                : null;
            if (failure) job.failure = failure;
            job.status = failure ? 'failed' : 'ready';
            if (job.status === 'ready') job.indexedAt = job.updatedAt;
          } else {
            job.status = next;
            step(at + 1);
          }
          void state.save();
        }, core.options.indexingDelayMs / 3);
        timers.add(timer);
      };
      step(0);
    },
  };

  /** processing -> ready | failed, then the renditions that were asked for. */
  async function finishProcessing(assetId: string): Promise<void> {
    const asset = state.assets.get(assetId);
    if (!asset || asset.status !== 'processing') return;
    asset.status = asset.errorMessage ? 'failed' : 'ready';
    if (asset.status === 'failed') {
      delete asset.hls;
      delete asset.thumbnail;
    }
    await state.save();
    if (asset.status !== 'ready' || !asset.storedPath || !asset.probe) return;
    const dir = join(dataDir, 'assets', asset.id);
    const jobs: [NonNullable<typeof asset.thumbnail>, () => Promise<string>][] = [];
    if (asset.thumbnail) jobs.push([asset.thumbnail, () => makeThumbnail(asset.storedPath!, dir, asset.probe!.kind)]);
    if (asset.hls) jobs.push([asset.hls, () => makeHls(asset.storedPath!, join(dir, 'hls'), asset.probe!.kind)]);
    for (const [rendition, make] of jobs) {
      if (!renditions) {
        rendition.status = 'error';
        continue;
      }
      rendition.status = 'processing';
      await state.save();
      rendition.status = await make().then(
        () => 'ready' as const,
        () => 'error' as const,
      );
      if (!state.assets.has(asset.id)) return;
      await state.save();
    }
  }

  // An interrupted multipart completion or processing step from an earlier run picks up again.
  for (const asset of state.assets.values()) {
    if (asset.status === 'processing' && asset.storedPath) core.process(asset.id);
  }
  for (const job of state.indexedAssets.values()) {
    if (job.status !== 'ready' && job.status !== 'failed') core.index(job.id, false);
  }

  const routes: readonly Route[] = [...multipartRoutes, ...indexRoutes, ...assetRoutes, ...controlRoutes(control)];

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://emulator');
    const route = routes.find((r) => r.method === request.method && r.pattern.test(url.pathname));
    if (!route) {
      sendJson(response, 404, {
        code: 'resource_not_exist',
        message: `No route for ${request.method} ${url.pathname}.`,
      });
      return;
    }
    control.requests[route.name] = (control.requests[route.name] ?? 0) + 1;
    if (options.shapes === 'go' && route.family) GO_SHAPED.add(response);
    const params = route.pattern.exec(url.pathname)?.slice(1) ?? [];
    const family = route.family;

    const cap = family ? faultsFor(control.faults, family).proxyBodyCapBytes : undefined;
    if (cap !== undefined && Number(request.headers['content-length'] ?? 0) > cap) {
      request.resume();
      response
        .writeHead(413, { 'content-type': 'text/html', via: '1.1 corp-proxy' })
        .end('<html><body><h1>413 Request Entity Too Large</h1><p>corp-proxy</p></body></html>');
      return;
    }
    if (route.auth) {
      const key = request.headers['x-api-key'];
      if (typeof key !== 'string' || !apiKeys.has(key)) {
        request.resume();
        throw new ApiError(401, 'api_key_invalid', apiErrorMessage('api_key_invalid'));
      }
    }
    if (family) {
      const faults = faultsFor(control.faults, family);
      const socket = request.socket as Socket;
      if (faults.downUntil !== undefined && core.now() < faults.downUntil) {
        socket.destroy();
        return;
      }
      if (faults.latencyMs) await new Promise((done) => setTimeout(done, faults.latencyMs));
      const held = () => {
        const hold = faultsFor(control.faults, family).hold;
        return hold === true || hold === route.name;
      };
      while (held() && !socket.destroyed) await new Promise((done) => setTimeout(done, 50));
      if (faults.burst429 && faults.burst429.count > 0) {
        faults.burst429.count -= 1;
        request.resume();
        throw new ApiError(
          429,
          'too_many_requests',
          apiErrorMessage('too_many_requests', {
            limit: 'burst',
            window: 'moment',
            retry_after: faults.burst429.retryAfterSeconds ?? 'a few',
          }),
          faults.burst429.retryAfterSeconds === null
            ? {}
            : { 'retry-after': String(faults.burst429.retryAfterSeconds) },
        );
      }
      const storage = faults.storageErrorNext;
      if (route.family === 'chunks' && storage && storage.count > 0) {
        storage.count -= 1;
        request.resume();
        // S3 answers in XML, and not always with 403: a slow body is a 400 RequestTimeout.
        response
          .writeHead(storage.code === 'SignatureDoesNotMatch' ? 403 : 400, { 'content-type': 'application/xml' })
          .end(
            `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${storage.code}</Code><Message>The storage refused the request.</Message></Error>`,
          );
        return;
      }
      if (faults.notFoundLagMs && route.name === 'GET /assets/{id}') {
        const asset = state.assets.get(params[0] ?? '');
        if (asset && core.now() - asset.createdAt < faults.notFoundLagMs) {
          request.resume();
          throw new ApiError(
            404,
            'resource_not_exist',
            apiErrorMessage('resource_not_exist', { id: asset.id, collection: 'assets' }),
          );
        }
      }
      const refuse = faults.refuseNext;
      if (refuse && refuse.count > 0 && (refuse.route === undefined || refuse.route === route.name)) {
        refuse.count -= 1;
        // The body is read first, as a server that validates it would, so the answer arrives whole.
        await new Promise((done) => request.on('end', done).on('error', done).resume());
        throw new ApiError(refuse.status ?? 400, 'parameter_invalid', 'The request was refused.');
      }
      const key = String(request.headers['x-api-key'] ?? 'presigned');
      const rate = limiter.hit(key, route.family, core.now());
      if (rate) {
        for (const [name, value] of Object.entries(rate.headers)) response.setHeader(name, value);
        if (rate.limited) {
          request.resume();
          const rule = control.rateLimits[route.family]!;
          throw new ApiError(
            429,
            'too_many_requests',
            apiErrorMessage('too_many_requests', {
              limit: rule.limit,
              window: `${rule.windowSeconds} seconds`,
              retry_after: rate.retryAfter,
            }),
            { 'retry-after': String(rate.retryAfter) },
          );
        }
      }
      if (faults.errorRate && random() < faults.errorRate) {
        request.resume();
        throw new ApiError(
          random() < 0.5 ? 500 : 503,
          'internal_error',
          'The server had an error while processing your request.',
        );
      }
      if (faults.resetRate && random() < faults.resetRate) {
        // Let some of the body arrive, then cut the connection, as a flaky network would.
        request.once('data', () => socket.destroy());
        request.once('end', () => socket.destroy());
        return;
      }
      if (faults.holdAnswer === route.name) {
        const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
        response.end = ((...args: unknown[]) => {
          const release = () => {
            if (faultsFor(control.faults, family).holdAnswer === route.name && !socket.destroyed) {
              setTimeout(release, 50);
            } else end(...args);
          };
          release();
          return response;
        }) as typeof response.end;
      }
      const dropThis = (faults.dropNext ?? 0) > 0;
      if (dropThis) {
        const own = control.faults[route.family] ?? control.faults['*'];
        if (own?.dropNext) own.dropNext -= 1;
      }
      if (dropThis || (faults.dropResponseRate && random() < faults.dropResponseRate)) {
        // The request is carried out in full; only the answer is lost on the way back.
        response.writeHead = (() => {
          socket.destroy();
          return response;
        }) as typeof response.writeHead;
      }
    }
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        control.bytesReceived += chunk.length;
        callback(null, chunk);
      },
    });
    // pipeline() destroys every stage when the client goes away, and hands the error to the reader.
    const stages: Transform[] = [counter];
    if (family) stages.push(throttle(() => faultsFor(control.faults, family).bandwidthBytesPerSecond));
    if (link) stages.push(link.stage());
    const body: Readable = pipeline(request, ...(stages as [Transform]), () => undefined);
    const faults = family ? faultsFor(control.faults, family) : {};
    await route.handle({ request, response, params, query: url.searchParams, body, emulator: core, faults });
  }

  const serve = (request: IncomingMessage, response: ServerResponse) => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent || response.destroyed) {
        response.destroy();
        return;
      }
      if (error instanceof ApiError) {
        sendJson(response, error.status, { code: error.code, message: error.message }, error.headers);
      } else {
        sendJson(response, 500, { code: 'internal_error', message: String(error) });
      }
    });
  };
  const server: Server = options.tls ? createTlsServer(options.tls, serve) : createServer(serve);
  // Large chunk PUTs on a throttled link can take minutes; never time them out server-side.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const address = server.address() as AddressInfo;
  const host = options.hostname ?? (address.family === 'IPv6' ? `[${address.address}]` : address.address);
  origin = `${options.tls ? 'https' : 'http'}://${host}:${address.port}`;
  storageOrigin = options.storageHostname
    ? `${options.tls ? 'https' : 'http'}://${options.storageHostname}:${address.port}`
    : origin;

  return {
    baseUrl: `${origin}/v1.3`,
    origin,
    port: address.port,
    dataDir,
    apiKey: [...apiKeys][0] ?? DEFAULT_SANDBOX_KEY,
    setFaults: (faults) => (control.faults = faults),
    setRateLimits: (limits) => (control.rateLimits = limits),
    advanceClock: (ms) => (control.clockOffsetMs += ms),
    setApiKeys: (keys) => {
      apiKeys.clear();
      for (const key of keys) apiKeys.add(key);
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((done) => server.close(() => done()));
      await state.flush();
    },
  };
}
