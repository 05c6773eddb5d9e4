import { setMaxListeners } from 'node:events';

/** Gives a slot back; calling it again does nothing. */
export type Release = () => void;

/**
 * The one concurrency limit in the core: files in flight, chunks in flight, checks, probes and
 * any pool of workers. The limit is read each time a slot is asked for, so a changed setting or
 * the gate's slower pace after a rate limit applies at once; a waiter whose signal aborts leaves
 * the line at once (p-limit has neither, which is why this is not p-limit).
 */
export class Limiter {
  #active = 0;
  /** In arrival order: the first waiter gets the first freed slot. */
  readonly #waiting = new Set<() => void>();
  readonly #limit: () => number;

  constructor(limit: number | (() => number)) {
    this.#limit = typeof limit === 'number' ? () => limit : limit;
  }

  get active(): number {
    return this.#active;
  }

  /** Slots free right now (never below 0, never below 1 in all: a limit under 1 counts as 1). */
  get free(): number {
    return Math.max(0, Math.max(1, this.#limit()) - this.#active);
  }

  /** A slot if one is free now, else null; for schedulers that pick what to start themselves. */
  tryAcquire(): Release | null {
    if (this.free === 0) return null;
    return this.#take();
  }

  /** Waits for a slot; rejects with the signal's reason if it aborts first. */
  async acquire(signal?: AbortSignal): Promise<Release> {
    while (this.free === 0) {
      await new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const wake = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        // An aborted waiter leaves the line, so a later release is not spent on it.
        const onAbort = () => {
          this.#waiting.delete(wake);
          reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        this.#waiting.add(wake);
      });
    }
    if (signal?.aborted) throw signal.reason;
    return this.#take();
  }

  /** Runs `task` in a slot, and frees the slot however it ends. */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const release = await this.acquire(signal);
    try {
      return await task();
    } finally {
      release();
    }
  }

  #take(): Release {
    this.#active += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#active -= 1;
      const [next] = this.#waiting;
      if (next) {
        this.#waiting.delete(next);
        next();
      }
    };
  }
}

/**
 * `task` over every item, at most `limit` at once, results in the items' order. The first failure
 * (or `signal` aborting) aborts the signal each task is given and starts no further task; every
 * started task has ended when this settles, and the first failure is what it throws.
 */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number, signal: AbortSignal) => Promise<R>,
  signal?: AbortSignal,
): Promise<R[]> {
  const limiter = new Limiter(limit);
  const stop = new AbortController();
  const stopped = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
  // Every waiting and running task listens on it: as many listeners as items are expected.
  setMaxListeners(0, stopped);
  let failure: { readonly error: unknown } | null = null;
  const results = new Array<R>(items.length);
  await Promise.all(
    items.map(async (item, index) => {
      try {
        results[index] = await limiter.run(async () => {
          try {
            return await task(item, index, stopped);
          } catch (error) {
            // Stops the rest before this slot is freed, so no waiter starts in between.
            stop.abort(error);
            throw error;
          }
        }, stopped);
      } catch (error) {
        // What stopped everything is the first failure (or the caller's abort), not its echoes.
        failure ??= { error: stopped.aborted ? stopped.reason : error };
        stop.abort(error);
      }
    }),
  );
  if (failure !== null) throw (failure as { readonly error: unknown }).error;
  return results;
}
