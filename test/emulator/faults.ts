import { Transform, type TransformCallback } from 'node:stream';

/** The groups of routes that faults and rate limits are set for. */
export const ROUTE_FAMILIES = [
  'assets.create',
  'assets.read',
  'assets.write',
  'multipart',
  'chunks',
  'indexes',
] as const;
export type RouteFamily = (typeof ROUTE_FAMILIES)[number];

/** What can go wrong on a route family. Every rate is a probability from 0 to 1. */
export interface FaultSettings {
  /** Milliseconds added before each response. */
  latencyMs?: number | undefined;
  /** Share of requests answered with a 500 or 503 before doing anything. */
  errorRate?: number | undefined;
  /** Share of requests whose connection is reset while the request body is still arriving. */
  resetRate?: number | undefined;
  /** Share of requests that are carried out in full but whose response is lost (connection reset). */
  dropResponseRate?: number | undefined;
  /** The next N requests are carried out in full and their responses lost. */
  dropNext?: number;
  /**
   * Request bodies are read no faster than this, in bytes per second. Read again for every piece
   * of a body, so a test that lifts or lowers it changes requests already under way.
   */
  bandwidthBytesPerSecond?: number | undefined;
  /**
   * Requests of the route with this name (every route of the family, with `true`) wait, unanswered,
   * until the setting is cleared: a step held open so a test can look at the state before it
   * without racing the machine's speed.
   */
  hold?: string | true | undefined;
  /**
   * Requests of the route with this name are carried out in full, and their answer withheld until
   * the setting is cleared: a request that arrived while its sender stopped before hearing back.
   */
  holdAnswer?: string | undefined;
  /**
   * Request bodies larger than this are refused with 413 and an HTML page before the API sees
   * them, as a company proxy that caps upload sizes answers.
   */
  proxyBodyCapBytes?: number | undefined;
  /**
   * The next `count` requests (of one route, when `route` names it) are refused with `status`
   * (400 unless given) before anything is done: a refused chunk report, say.
   */
  refuseNext?: { count: number; route?: string; status?: number };
  /** The next `count` chunk PUTs are answered by the storage with an S3-style XML error. */
  storageErrorNext?: { count: number; code: 'RequestTimeout' | 'ExpiredToken' | 'SignatureDoesNotMatch' };
  /**
   * `GET /assets/{id}` answers 404, and lists leave the asset out, for this long after it was
   * made: a replica that has not seen it yet, as eventually consistent stores do.
   */
  notFoundLagMs?: number;
  /**
   * The next `count` chunks reported (on the multipart family) are marked `failed` by the server
   * instead of completed, as the SDK allows ("you must retry uploading this chunk"): they must be
   * sent again and reported again before the session can complete.
   */
  failChunksNext?: { count: number };
  /** The next N requests get 429 with this Retry-After, in seconds (none sent when null). */
  burst429?: { count: number; retryAfterSeconds: number | null };
  /** The next `count` index jobs created end `failed` (the API says no reason). */
  failJobsNext?: { count: number };
  /** Until this emulator-clock time (epoch ms) every request's connection is refused mid-way. */
  downUntil?: number;
}

export type FaultConfig = Partial<Record<RouteFamily | '*', FaultSettings>>;

/** Fixed-window request limits per API key and route family. Off unless configured. */
export type RateLimitConfig = Partial<Record<RouteFamily, { limit: number; windowSeconds: number }>>;

/** mulberry32: a small seeded generator so fault sequences repeat from run to run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The settings for a family: its own, over the ones set for every family ('*'). */
export function faultsFor(config: FaultConfig, family: RouteFamily): FaultSettings {
  return { ...config['*'], ...config[family] };
}

/**
 * One uplink shared by every request, as a workstation's connection is: bodies are let through in
 * arrival order, together no faster than `bytesPerSecond`. (`throttle` holds each request to a rate
 * of its own, so more requests in flight get more bandwidth; here they share one.)
 */
export class Link {
  /** When the link is next free, in `Date.now()` milliseconds. */
  #freeAt = 0;

  constructor(private readonly bytesPerSecond: number) {}

  stage(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _encoding, callback: TransformCallback) => {
        const now = Date.now();
        this.#freeAt = Math.max(now, this.#freeAt) + (chunk.length / this.bytesPerSecond) * 1000;
        setTimeout(() => callback(null, chunk), this.#freeAt - now);
      },
    });
  }
}

/**
 * Passes bytes through no faster than `bytesPerSecond()` allows, to emulate a slow uplink. The rate
 * is asked for each piece, so a changed setting applies mid-request; none means no limit.
 */
export function throttle(bytesPerSecond: () => number | undefined): Transform {
  let due = Date.now();
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      const rate = bytesPerSecond();
      if (!rate) {
        due = Date.now();
        callback(null, chunk);
        return;
      }
      const now = Date.now();
      due = Math.max(due, now) + (chunk.length / rate) * 1000;
      setTimeout(() => callback(null, chunk), due - now);
    },
  });
}

/** Fixed-window counters: `hit` returns the headers to send and whether the request is over the limit. */
export class RateLimiter {
  readonly #windows = new Map<string, { start: number; used: number }>();

  constructor(private readonly config: () => RateLimitConfig) {}

  hit(
    key: string,
    family: RouteFamily,
    nowMs: number,
  ): { headers: Record<string, string>; limited: boolean; retryAfter: number } | null {
    const rule = this.config()[family];
    if (!rule) return null;
    const windowMs = rule.windowSeconds * 1000;
    const id = `${key}\u0000${family}`;
    let window = this.#windows.get(id);
    if (!window || nowMs >= window.start + windowMs) {
      window = { start: nowMs - (nowMs % windowMs), used: 0 };
      this.#windows.set(id, window);
    }
    window.used += 1;
    const resetMs = window.start + windowMs;
    const limited = window.used > rule.limit;
    const retryAfter = Math.max(1, Math.ceil((resetMs - nowMs) / 1000));
    return {
      limited,
      retryAfter,
      headers: {
        'x-ratelimit-limit': String(rule.limit),
        'x-ratelimit-remaining': String(Math.max(0, rule.limit - window.used)),
        'x-ratelimit-used': String(Math.min(window.used, rule.limit)),
        'x-ratelimit-reset': String(Math.ceil(resetMs / 1000)),
      },
    };
  }
}
