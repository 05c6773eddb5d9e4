import { describe, expect, it } from 'vitest';
import { Limiter, mapLimited } from '../../../../electron/core/util/limiter';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Limiter', () => {
  it('holds at most the limit, and hands a freed slot to the first waiter', async () => {
    const limiter = new Limiter(2);
    const a = await limiter.acquire();
    await limiter.acquire();
    expect(limiter.free).toBe(0);
    expect(limiter.tryAcquire()).toBeNull();
    const order: string[] = [];
    const first = limiter.acquire().then((release) => (order.push('first'), release));
    const second = limiter.acquire().then((release) => (order.push('second'), release));
    await tick();
    expect(order).toEqual([]);
    a();
    a(); // a second call gives nothing back twice
    await tick();
    expect(order).toEqual(['first']);
    expect(limiter.active).toBe(2);
    (await first)();
    await second;
    expect(order).toEqual(['first', 'second']);
  });

  it('reads its limit on every request, so a lowered setting applies at once', async () => {
    let limit = 3;
    const limiter = new Limiter(() => limit);
    await limiter.acquire();
    expect(limiter.free).toBe(2);
    limit = 1;
    expect(limiter.free).toBe(0);
    limit = 0; // a limit under one still lets one through
    expect(new Limiter(() => limit).free).toBe(1);
  });

  it('lets an aborted waiter leave the line without spending a release on it', async () => {
    const limiter = new Limiter(1);
    const release = await limiter.acquire();
    const stop = new AbortController();
    const gaveUp = limiter.acquire(stop.signal);
    const next = limiter.acquire();
    stop.abort('paused');
    await expect(gaveUp).rejects.toBe('paused');
    release();
    await next;
    expect(limiter.active).toBe(1);
    await expect(limiter.acquire(AbortSignal.abort('closing'))).rejects.toBe('closing');
  });

  it('frees the slot of a task that throws', async () => {
    const limiter = new Limiter(1);
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(limiter.active).toBe(0);
  });
});

describe('mapLimited', () => {
  it('keeps the order of results and never runs more than the limit', async () => {
    let running = 0;
    let most = 0;
    const results = await mapLimited([5, 1, 4, 2, 3], 2, async (n) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, n));
      running -= 1;
      return n * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });

  it('stops the others at the first failure, starts no more, and settles only when all have ended', async () => {
    const started: number[] = [];
    const ended: number[] = [];
    const run = mapLimited([0, 1, 2, 3, 4, 5], 2, async (n, _, signal) => {
      started.push(n);
      try {
        if (n === 1) throw new Error('chunk 1 refused');
        await new Promise((resolve, reject) => {
          const timer = setTimeout(resolve, 1000);
          signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
        });
      } finally {
        ended.push(n);
      }
    });
    await expect(run).rejects.toThrow('chunk 1 refused');
    expect(started).toEqual([0, 1]);
    expect(ended.sort()).toEqual([0, 1]);
  });
});
