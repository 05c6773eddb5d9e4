import { ApiError } from '../api/errors';
import type { WirePresignedUrl } from '../api/types';

export interface UrlSupplyOptions {
  /** Asks the server for `count` addresses from chunk `start` on. */
  readonly fetch: (start: number, count: number) => Promise<readonly WirePresignedUrl[]>;
  /** The chunks to send, in the order they will be asked for. */
  readonly order: readonly number[];
  readonly now: () => number;
  /** An address with less than this left is not used. */
  readonly marginMs: number;
  /** Addresses asked for at once (the API's ceiling is 50). */
  readonly batch: number;
}

/**
 * The presigned addresses of one upload session. Presigned URLs are single-use and expire, so
 * each is handed out once, and only while it has time left. Addresses are asked for ahead, while
 * the senders still have some, one request at a time: six senders running out together make one
 * request, not six overlapping ones, and none of them waits for it in the common case.
 */
export class UrlSupply {
  readonly #urls = new Map<number, { url: string; expiresAt: number }>();
  readonly #options: UrlSupplyOptions;
  /** Chunks no sender has asked an address for yet (one asked for again is being sent again). */
  readonly #untaken: Set<number>;
  /** Where in `order` the first chunk not yet taken is, or before it. */
  #cursor = 0;
  #fetching: Promise<void> | null = null;

  constructor(options: UrlSupplyOptions) {
    this.#options = options;
    this.#untaken = new Set(options.order);
  }

  add(entries: readonly WirePresignedUrl[]): void {
    for (const entry of entries) {
      this.#urls.set(entry.chunk_index, { url: entry.url, expiresAt: Date.parse(entry.expires_at) });
    }
  }

  /**
   * The address for chunk `index`, fetched if none is at hand; never the same one twice. One just
   * fetched is used whatever its stated expiry (the server's clock is not ours; a stale one is
   * refused and replaced like any other).
   */
  async take(index: number): Promise<string> {
    this.#untaken.delete(index);
    let url = this.#fresh(index);
    this.#urls.delete(index);
    // Someone else's request may bring this chunk's address; if not, this sender asks itself.
    while (!url && this.#fetching) {
      await this.#fetching.catch(() => undefined);
      url = this.#claim(index);
    }
    if (!url) {
      await this.#fetch(index);
      url = this.#claim(index);
    }
    if (!url) throw new ApiError('http', `The server gave no upload address for chunk ${index}.`, 502, 'url_missing');
    this.#ahead();
    return url;
  }

  #claim(index: number): string | null {
    const url = this.#urls.get(index)?.url ?? null;
    this.#urls.delete(index);
    return url;
  }

  /** The next chunks (a batch) that no sender has asked an address for yet. */
  #upcoming(): number[] {
    const { order, batch } = this.#options;
    while (this.#cursor < order.length && !this.#untaken.has(order[this.#cursor]!)) this.#cursor += 1;
    const upcoming: number[] = [];
    for (let at = this.#cursor; at < order.length && upcoming.length < batch; at += 1) {
      if (this.#untaken.has(order[at]!)) upcoming.push(order[at]!);
    }
    return upcoming;
  }

  #fresh(index: number): string | null {
    const cached = this.#urls.get(index);
    return cached && cached.expiresAt - this.#options.now() > this.#options.marginMs ? cached.url : null;
  }

  /** Asks for the next run of addresses when fewer than half a batch of the coming chunks have one. */
  #ahead(): void {
    if (this.#fetching) return;
    const upcoming = this.#upcoming();
    const missing = upcoming.find((index) => !this.#fresh(index));
    if (missing === undefined) return;
    const have = upcoming.filter((index) => this.#fresh(index)).length;
    // A failure here is met again, and reported, by the sender that needs the address.
    if (have < this.#options.batch / 2) this.#fetch(missing).catch(() => undefined);
  }

  /** One request for `index` and the chunks right after it that are still to come and have no address. */
  #fetch(index: number): Promise<void> {
    let count = 1;
    while (count < this.#options.batch && this.#untaken.has(index + count) && !this.#fresh(index + count)) count += 1;
    const fetching = this.#options
      .fetch(index, count)
      .then((entries) => this.add(entries))
      .finally(() => {
        if (this.#fetching === fetching) this.#fetching = null;
      });
    this.#fetching = fetching;
    return fetching;
  }
}
