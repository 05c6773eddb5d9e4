import { describe, expect, it } from 'vitest';
import { ApiClient, checkBaseUrl } from '../../../../electron/core/api/client';
import { ApiError } from '../../../../electron/core/api/errors';
import { parseRateLimit, retryAfterMs } from '../../../../electron/core/api/rate-limit';
import { backoffDelay, retrying } from '../../../../electron/core/api/retry';

describe('the API client', () => {
  it('refuses plain http except on this computer', () => {
    expect(() => checkBaseUrl('http://api.example.com/v1.3')).toThrow('must be reached over https');
    expect(checkBaseUrl('http://127.0.0.1:4010/v1.3/')).toBe('http://127.0.0.1:4010/v1.3');
    expect(checkBaseUrl('https://api.twelvelabs.io/v1.3')).toBe('https://api.twelvelabs.io/v1.3');
    expect(() => new ApiClient({ baseUrl: 'http://10.0.0.5/v1.3', apiKey: () => 'k' })).toThrow();
  });

  it('reads rate-limit headers and the wait the server asks for', () => {
    const headers = {
      'x-ratelimit-limit': '60',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-used': '60',
      'x-ratelimit-reset': '1700000030',
    };
    expect(parseRateLimit(headers)).toEqual({ limit: 60, remaining: 0, used: 60, resetAt: 1_700_000_030_000 });
    expect(retryAfterMs({ 'retry-after': '7' }, 0)).toBe(7000);
    expect(
      retryAfterMs({ 'retry-after': 'Wed, 21 Oct 2026 07:28:05 GMT' }, Date.parse('Wed, 21 Oct 2026 07:28:00 GMT')),
    ).toBe(5000);
    expect(retryAfterMs(headers, 1_700_000_000_000)).toBe(30_000);
    expect(retryAfterMs({}, 0)).toBeNull();
  });

  it('treats only network trouble, timeouts, 429 and 5xx as worth retrying', () => {
    expect(new ApiError('network', 'x').transient).toBe(true);
    expect(new ApiError('stalled', 'x').transient).toBe(true);
    expect(new ApiError('http', 'x', 503).transient).toBe(true);
    expect(new ApiError('http', 'x', 429).transient).toBe(true);
    expect(new ApiError('http', 'x', 408).transient).toBe(true);
    expect(new ApiError('http', 'x', 400).transient).toBe(false);
    expect(new ApiError('http', 'x', 401).transient).toBe(false);
    expect(new ApiError('aborted', 'x').transient).toBe(false);
  });
});

describe('retries', () => {
  const policy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999 };

  it('backs off exponentially with full jitter, up to the cap', () => {
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, policy))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffDelay(3, { ...policy, random: () => 0 })).toBe(0);
  });

  it('retries transient failures, then gives up with the last error', async () => {
    let calls = 0;
    const quick = { ...policy, baseDelayMs: 1 };
    await expect(
      retrying(async () => {
        calls += 1;
        throw new ApiError('http', 'down', 503);
      }, quick),
    ).rejects.toMatchObject({ status: 503 });
    expect(calls).toBe(4);
  });

  it('does not retry a request the server refused on its merits', async () => {
    let calls = 0;
    await expect(
      retrying(async () => {
        calls += 1;
        throw new ApiError('http', 'bad', 400, 'parameter_invalid');
      }, policy),
    ).rejects.toMatchObject({ code: 'parameter_invalid' });
    expect(calls).toBe(1);
  });

  it('waits as long as Retry-After says rather than its own backoff', async () => {
    const waits: number[] = [];
    let calls = 0;
    await retrying(
      async () => {
        calls += 1;
        if (calls === 1) throw new ApiError('http', 'slow down', 429, 'too_many_requests', 30);
        return 'ok';
      },
      policy,
      undefined,
      (_error, delay) => waits.push(delay),
    );
    expect(waits).toEqual([30]);
  });
});
