import type { ApiClient } from '../api/client';
import { ApiError } from '../api/errors';
import type { WireAssetDetail } from '../api/types';
import type { ConnectionGate } from '../api/gate';
import { backoffDelay, type RetryPolicy } from '../api/retry';

/** How long after an upload a 404 for its asset means "not visible yet" rather than "gone". */
export const NOT_FOUND_GRACE_MS = 60_000;

/** Assets asked about in one list call: the API's page ceiling. */
const PER_CALL = 50;

/**
 * Checks fall on a grid of this many milliseconds (or the first wait, if shorter), so assets
 * uploaded a few milliseconds apart are asked about in the same call.
 */
const TICK_MS = 250;

export interface FollowThroughOptions {
  readonly client: Pick<ApiClient, 'listAssets' | 'getAsset'>;
  readonly gate: Pick<ConnectionGate, 'wait'>;
  readonly retry: RetryPolicy & { readonly gated?: boolean };
  /** The engine's clock, for how long an asset has been followed (checks are timed by the real one). */
  readonly now: () => number;
  /** First wait between checks of one asset; it grows by half each time up to `maxMs`. */
  readonly intervalMs: number;
  readonly maxMs: number;
  /**
   * The asset is ready or failed on TwelveLabs' side, with everything the server said of it.
   * Rejects when that could not be recorded; see `held`.
   */
  readonly finished: (id: string, asset: WireAssetDetail) => Promise<void>;
  /** The asset cannot be followed any more (gone, or refused); rejects as `finished` does. */
  readonly lost: (id: string, error: ApiError) => Promise<void>;
  /**
   * Whether a failure to record is the queue's (a full disk): then the asset is asked about again
   * once the gate opens. Otherwise it is dropped, as there is nothing else to do with it.
   */
  readonly held: (error: unknown) => boolean;
}

interface Followed {
  readonly id: string;
  readonly assetId: string;
  readonly since: number;
  dueAt: number;
  wait: number;
  failures: number;
}

/**
 * Follows uploaded assets until TwelveLabs has processed them: every asset due a check is asked
 * about in one `GET /assets?asset_ids=…` call per interval (up to 50 at a time), not one GET
 * each, so a folder of small files costs a few calls rather than thousands. Each asset keeps its
 * own growing wait; an asset the list leaves out is waited for while it is young (stores are
 * eventually consistent) and then asked about alone, which says whether it is gone.
 */
export class FollowThrough {
  readonly #options: FollowThroughOptions;
  readonly #followed = new Map<string, Followed>();
  readonly #closing = new AbortController();
  #wake: (() => void) | null = null;
  #loop: Promise<void> | null = null;

  constructor(options: FollowThroughOptions) {
    this.#options = options;
  }

  follow(id: string, assetId: string): void {
    if (this.#closing.signal.aborted) return;
    this.#followed.set(id, {
      id,
      assetId,
      since: this.#options.now(),
      dueAt: this.#onGrid(Date.now() + this.#options.intervalMs),
      wait: this.#options.intervalMs,
      failures: 0,
    });
    this.#start();
    this.#wake?.();
  }

  stop(id: string): void {
    this.#followed.delete(id);
  }

  async close(): Promise<void> {
    this.#closing.abort('closing');
    this.#wake?.();
    await this.#loop;
  }

  /** Runs the checks while anything is followed; one followed as the last run ended starts another. */
  #start(): void {
    if (this.#loop || this.#closing.signal.aborted) return;
    this.#loop = this.#run().finally(() => {
      this.#loop = null;
      if (this.#followed.size > 0) this.#start();
    });
  }

  /** Whether `entry` is still the one followed for its item (not stopped, not followed anew). */
  #current(entry: Followed): boolean {
    return this.#followed.get(entry.id) === entry;
  }

  async #run(): Promise<void> {
    const signal = this.#closing.signal;
    while (!signal.aborted && this.#followed.size > 0) {
      const next = Math.min(...[...this.#followed.values()].map((entry) => entry.dueAt));
      const delay = next - Date.now();
      if (delay > 0) {
        // A newly followed asset may be due sooner than the one slept for.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.#wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.#wake = null;
        continue;
      }
      const due = [...this.#followed.values()]
        .filter((entry) => entry.dueAt <= Date.now())
        .sort((a, b) => a.dueAt - b.dueAt)
        .slice(0, PER_CALL);
      await this.#check(due).catch(() => undefined);
    }
  }

  async #check(due: readonly Followed[]): Promise<void> {
    const { client, gate, retry } = this.#options;
    const signal = this.#closing.signal;
    let answers: Map<string, WireAssetDetail>;
    try {
      const page = await client.listAssets(
        { assetIds: due.map((entry) => entry.assetId), pageLimit: PER_CALL },
        signal,
      );
      answers = new Map(page.data.map((asset) => [asset._id, asset]));
    } catch (error) {
      if (signal.aborted) return;
      // A rejected key or a rate limit is the gate's to wait out, never these files' failure.
      if (error instanceof ApiError && (error.status === 401 || error.status === 429) && retry.gated) {
        await gate.wait(signal);
        return;
      }
      if (error instanceof ApiError && !error.transient) {
        // The list call itself was refused: each asset is asked about alone.
        await Promise.all(due.map((entry) => this.#alone(entry)));
        return;
      }
      for (const entry of due) this.#later(entry, backoffDelay(entry.failures++, retry));
      return;
    }
    await Promise.all(
      due.map((entry) => {
        const asset = answers.get(entry.assetId);
        if (asset) return this.#answer(entry, asset);
        // Not listed: not visible yet while young; after that, the asset's own answer says why.
        if (this.#options.now() - entry.since < NOT_FOUND_GRACE_MS) {
          this.#later(entry);
          return undefined;
        }
        return this.#alone(entry);
      }),
    );
  }

  /** One asset asked about on its own: a 404 past the grace period means it is gone. */
  async #alone(entry: Followed): Promise<void> {
    const signal = this.#closing.signal;
    try {
      await this.#answer(entry, await this.#options.client.getAsset(entry.assetId, signal));
    } catch (error) {
      if (signal.aborted || !this.#current(entry)) return;
      const young = this.#options.now() - entry.since < NOT_FOUND_GRACE_MS;
      if (error instanceof ApiError && error.status === 404 && young) {
        this.#later(entry);
      } else if (
        error instanceof ApiError &&
        (error.status === 401 || error.status === 429) &&
        this.#options.retry.gated
      ) {
        this.#later(entry);
      } else if (error instanceof ApiError && !error.transient) {
        await this.#record(entry, () => this.#options.lost(entry.id, error));
      } else {
        this.#later(entry, backoffDelay(entry.failures++, this.#options.retry));
      }
    }
  }

  async #answer(entry: Followed, asset: WireAssetDetail): Promise<void> {
    if (asset.status !== 'ready' && asset.status !== 'failed') {
      this.#later(entry);
      return;
    }
    await this.#record(entry, () => this.#options.finished(entry.id, asset));
  }

  /** Records the outcome; on a full disk the asset is asked about again once the queue can be written. */
  async #record(entry: Followed, record: () => Promise<void>): Promise<void> {
    if (!this.#current(entry)) return;
    try {
      await record();
      if (this.#current(entry)) this.#followed.delete(entry.id);
    } catch (error) {
      if (!this.#options.held(error)) {
        if (this.#current(entry)) this.#followed.delete(entry.id);
        return;
      }
      await this.#options.gate.wait(this.#closing.signal).catch(() => undefined);
      entry.dueAt = Date.now();
    }
  }

  /** The next check of this asset, after its growing wait (and `extraMs` of backoff). */
  #later(entry: Followed, extraMs = 0): void {
    entry.dueAt = this.#onGrid(Date.now() + entry.wait + extraMs);
    entry.wait = Math.min(this.#options.maxMs, entry.wait * 1.5);
  }

  #onGrid(time: number): number {
    const tick = Math.min(TICK_MS, this.#options.intervalMs);
    return Math.ceil(time / tick) * tick;
  }
}
