import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/server';
import { api, control, uploadFixture, useEmulator } from '../../helpers/emulator';
import { closeAfter } from '../../helpers/cleanup';

describe('emulator: rate limits', () => {
  const emulator = useEmulator({ rateLimits: { 'assets.read': { limit: 3, windowSeconds: 60 } } });

  it('sends X-Ratelimit headers, then 429 too_many_requests with Retry-After past the limit', async () => {
    const seen = [];
    for (let i = 0; i < 4; i += 1) seen.push(await api(emulator.current, '/assets'));
    expect(seen.slice(0, 3).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(seen[0]!.headers.get('x-ratelimit-limit')).toBe('3');
    expect(seen.map((r) => r.headers.get('x-ratelimit-remaining'))).toEqual(['2', '1', '0', '0']);
    expect(Number(seen[0]!.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    const limited = seen[3]!;
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('too_many_requests');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Other route families keep their own budget.
    expect((await uploadFixture(emulator.current, 'image.jpg')).status).toBe(201);
  });

  it('limits each API key on its own', async () => {
    const two = closeAfter(
      await startEmulator({
        apiKeys: ['key-a', 'key-b'],
        rateLimits: { 'assets.read': { limit: 1, windowSeconds: 60 } },
      }),
    );
    expect((await api(two, '/assets', { key: 'key-a' })).status).toBe(200);
    expect((await api(two, '/assets', { key: 'key-a' })).status).toBe(429);
    expect((await api(two, '/assets', { key: 'key-b' })).status).toBe(200);
  });
});

describe('emulator: fault injection', () => {
  const emulator = useEmulator();

  it('answers a share of requests with 5xx, reproducibly for a seed', async () => {
    const statuses = async () => {
      const faulty = closeAfter(await startEmulator({ seed: 7, faults: { 'assets.read': { errorRate: 0.5 } } }));
      const result = [];
      for (let i = 0; i < 20; i += 1) result.push((await api(faulty, '/assets')).status);
      return result;
    };
    const first = await statuses();
    expect(first.filter((s) => s >= 500).length).toBeGreaterThan(3);
    expect(first.filter((s) => s === 200).length).toBeGreaterThan(3);
    expect(await statuses()).toEqual(first);
  });

  it('sends a burst of 429s with Retry-After, then recovers', async () => {
    emulator.current.setFaults({ 'assets.read': { burst429: { count: 2, retryAfterSeconds: 3 } } });
    const first = await api(emulator.current, '/assets');
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('3');
    expect((await api(emulator.current, '/assets')).status).toBe(429);
    expect((await api(emulator.current, '/assets')).status).toBe(200);
    emulator.current.setFaults({});
  });

  it('goes down for a while: connections fail until the time passes', async () => {
    const stats = await control(emulator.current, '/stats');
    emulator.current.setFaults({ '*': { downUntil: stats.now + 60_000 } });
    await expect(api(emulator.current, '/assets')).rejects.toThrow();
    emulator.current.advanceClock(61_000);
    expect((await api(emulator.current, '/assets')).status).toBe(200);
    emulator.current.setFaults({});
  });

  it('resets connections mid-body, before anything is created', async () => {
    const before = (await control(emulator.current, '/stats')).assets;
    emulator.current.setFaults({ 'assets.create': { resetRate: 1 } });
    await expect(uploadFixture(emulator.current, 'video-h264.mp4')).rejects.toThrow();
    emulator.current.setFaults({});
    expect((await control(emulator.current, '/stats')).assets).toBe(before);
  });

  it('can lose the response of a request it carried out', async () => {
    const before = (await control(emulator.current, '/stats')).assets;
    emulator.current.setFaults({ 'assets.create': { dropResponseRate: 1 } });
    await expect(uploadFixture(emulator.current, 'image.jpg')).rejects.toThrow();
    emulator.current.setFaults({});
    expect((await control(emulator.current, '/stats')).assets).toBe(before + 1);
  });

  it('throttles request bodies to the set bandwidth', async () => {
    emulator.current.setFaults({ 'assets.create': { bandwidthBytesPerSecond: 100_000 } });
    const started = Date.now();
    expect((await uploadFixture(emulator.current, 'image.jpg')).status).toBe(201);
    // 21.7 KB at 100 KB/s cannot arrive in less than about 0.2 s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    emulator.current.setFaults({});
  });

  it('changes faults at runtime over HTTP and rejects unknown route families', async () => {
    const set = await fetch(`${emulator.current.origin}/__emulator/faults`, {
      method: 'PUT',
      body: JSON.stringify({ 'assets.read': { errorRate: 1 } }),
    });
    expect(set.status).toBe(200);
    expect((await api(emulator.current, '/assets')).status).toBeGreaterThanOrEqual(500);
    await fetch(`${emulator.current.origin}/__emulator/faults`, { method: 'PUT', body: '{}' });
    expect((await api(emulator.current, '/assets')).status).toBe(200);
    const bad = await fetch(`${emulator.current.origin}/__emulator/faults`, { method: 'PUT', body: '{"nope":{}}' });
    expect(bad.status).toBe(400);
  });

  it('counts requests per route for tests to inspect', async () => {
    const before = (await control(emulator.current, '/stats')).requests['GET /assets'] ?? 0;
    await api(emulator.current, '/assets');
    await api(emulator.current, '/assets');
    expect((await control(emulator.current, '/stats')).requests['GET /assets']).toBe(before + 2);
  });
});

describe('emulator: one shared uplink', () => {
  const emulator = useEmulator({ linkBytesPerSecond: 100_000 });

  it('holds every request body together to the link rate', async () => {
    const started = Date.now();
    const answers = await Promise.all([1, 2, 3].map(() => uploadFixture(emulator.current, 'image.jpg')));
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201]);
    // Three 21.7 KB bodies on one 100 KB/s link need about 0.65 s; each alone would take 0.2 s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
  });
});
