/** What the server said about its rate limit on the last response that carried the headers. */
export interface RateLimitInfo {
  readonly limit: number;
  readonly remaining: number;
  readonly used: number;
  /** Epoch ms when the window resets. */
  readonly resetAt: number;
}

type Headers = Record<string, string | string[] | undefined>;

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Parses `X-Ratelimit-*` (reset in epoch seconds, as TwelveLabs documents it); null when absent. */
export function parseRateLimit(headers: Headers): RateLimitInfo | null {
  const limit = Number(header(headers, 'x-ratelimit-limit'));
  const remaining = Number(header(headers, 'x-ratelimit-remaining'));
  const reset = Number(header(headers, 'x-ratelimit-reset'));
  if (!Number.isFinite(limit) || !Number.isFinite(remaining) || !Number.isFinite(reset)) return null;
  const used = Number(header(headers, 'x-ratelimit-used'));
  return { limit, remaining, used: Number.isFinite(used) ? used : limit - remaining, resetAt: reset * 1000 };
}

/**
 * How long the server asked us to wait: `Retry-After` (seconds or an HTTP date), else the rate
 * limit's reset time. Null when the response says nothing.
 */
export function retryAfterMs(headers: Headers, now: number): number | null {
  const retryAfter = header(headers, 'retry-after');
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  const info = parseRateLimit(headers);
  return info ? Math.max(0, info.resetAt - now) : null;
}
