import { describe, expect, it } from 'vitest';
import { UrlSupply } from '../../../../electron/core/upload/url-supply';

/** A server that hands out numbered addresses and records each request. */
function server(ttlMs = 3_600_000, now = () => 0) {
  const requests: [number, number][] = [];
  let serial = 0;
  const fetch = async (start: number, count: number) => {
    requests.push([start, count]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    return Array.from({ length: count }, (_, i) => ({
      chunk_index: start + i,
      url: `https://storage.example/${start + i}?n=${(serial += 1)}`,
      expires_at: new Date(now() + ttlMs).toISOString(),
    }));
  };
  return { requests, fetch };
}

describe('UrlSupply', () => {
  it('asks once for senders that run out together, and hands no address out twice', async () => {
    const pending = Array.from({ length: 40 }, (_, i) => i + 1);
    let next = 0;
    const { requests, fetch } = server();
    const urls = new UrlSupply({ fetch, order: pending, now: () => 0, marginMs: 60_000, batch: 20 });
    const taken: string[] = [];
    // Six senders, as the engine runs them: each takes the next chunk, then its address.
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        while (next < pending.length) {
          const index = pending[next++]!;
          taken.push(await urls.take(index));
        }
      }),
    );
    expect(taken).toHaveLength(40);
    expect(new Set(taken).size).toBe(40);
    // Runs of addresses, never overlapping: 40 chunks in batches of 20 at most, asked ahead.
    const asked = requests.flatMap(([start, count]) => Array.from({ length: count }, (_, i) => start + i));
    expect(new Set(asked).size).toBe(asked.length);
    expect(requests.length).toBeLessThanOrEqual(4);
  });

  it('asks ahead while the senders still have addresses', async () => {
    const pending = Array.from({ length: 30 }, (_, i) => i + 1);
    let next = 0;
    const { requests, fetch } = server();
    const urls = new UrlSupply({ fetch, order: pending, now: () => 0, marginMs: 60_000, batch: 20 });
    urls.add((await fetch(1, 10)).slice());
    requests.length = 0;
    await urls.take(pending[next++]!);
    // Nine of the next twenty have an address: fewer than half, so the next run is asked for now.
    expect(requests).toEqual([[11, 20]]);
    for (let i = 0; i < 4; i += 1) await urls.take(pending[next++]!);
    expect(requests).toEqual([[11, 20]]);
  });

  it('replaces an address about to expire, and a chunk sent again gets one of its own', async () => {
    let clock = 0;
    const { requests, fetch } = server(120_000, () => clock);
    const urls = new UrlSupply({ fetch, order: [], now: () => clock, marginMs: 60_000, batch: 20 });
    urls.add(await fetch(3, 1));
    clock = 90_000;
    requests.length = 0;
    const url = await urls.take(3);
    expect(requests).toEqual([[3, 1]]);
    expect(await urls.take(3)).not.toBe(url);
  });

  it('says so when the server gives no address for a chunk', async () => {
    const urls = new UrlSupply({
      fetch: async () => [],
      order: [],
      now: () => 0,
      marginMs: 60_000,
      batch: 20,
    });
    await expect(urls.take(7)).rejects.toMatchObject({ code: 'url_missing' });
  });
});
