import { createReadStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { ApiError } from '../api/errors';

/**
 * A token bucket shared by every upload stream, so the bandwidth limit holds for the app as a whole.
 * A limit of 0 means unlimited. The bucket holds at most a quarter second of traffic, which keeps
 * bursts short without adding per-chunk overhead.
 */
export class BandwidthLimiter {
  #tokens = 0;
  #last = Date.now();

  constructor(private readonly bytesPerSecond: () => number) {}

  async take(bytes: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const rate = this.bytesPerSecond();
      if (!(rate > 0)) return;
      const now = Date.now();
      this.#tokens = Math.min(rate / 4, this.#tokens + ((now - this.#last) / 1000) * rate);
      this.#last = now;
      if (this.#tokens >= Math.min(bytes, rate / 4)) {
        this.#tokens -= bytes;
        return;
      }
      const wait = Math.max(5, ((Math.min(bytes, rate / 4) - this.#tokens) / rate) * 1000);
      await new Promise((resolve) => setTimeout(resolve, wait));
      if (signal?.aborted) return;
    }
  }
}

export interface MeterOptions {
  /** Called with each slice of bytes as it leaves, for progress. */
  readonly onBytes: (bytes: number) => void;
  readonly limiter?: BandwidthLimiter;
  /** Aborted with a `stalled` error when no byte moves for `stallMs`. */
  readonly controller?: AbortController;
  readonly stallMs?: number;
}

/** 1 MiB reads: large enough for throughput, small enough that progress moves smoothly. */
const READ_SIZE = 1024 * 1024;

/**
 * A byte range of a file, streamed from disk (never buffered whole), metered for progress,
 * held to the bandwidth limit, and aborted when it stops moving.
 */
export function fileRange(path: string, start: number, end: number, options: MeterOptions): Readable {
  const source = createReadStream(path, { start, end: end - 1, highWaterMark: READ_SIZE });
  if (end <= start) return source;
  let timer: NodeJS.Timeout | undefined;
  const { controller, stallMs } = options;
  const armStallTimer = () => {
    if (!controller || !stallMs) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      controller.abort(new ApiError('stalled', `No progress for ${Math.round(stallMs / 1000)} seconds.`));
    }, stallMs);
    timer.unref();
  };
  armStallTimer();
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const limited = options.limiter?.take(chunk.length, controller?.signal) ?? Promise.resolve();
      void limited.then(() => {
        armStallTimer();
        options.onBytes(chunk.length);
        callback(null, chunk);
      });
    },
    flush(callback) {
      clearTimeout(timer);
      callback();
    },
    destroy(error, callback) {
      clearTimeout(timer);
      source.destroy();
      callback(error);
    },
  });
  source.on('error', (error) => meter.destroy(error));
  return source.pipe(meter);
}

/**
 * Smoothed transfer rate: an exponential moving average of the rate over short samples, so the
 * speed and ETA follow what is happening now rather than the lifetime average.
 */
export class RateMeter {
  #rate = 0;
  #lastBytes = 0;
  #lastAt: number | null = null;

  /** `alpha` weighs the newest sample; 0.3 at 250 ms samples settles within about two seconds. */
  constructor(private readonly alpha = 0.3) {}

  sample(totalBytes: number, now: number): number {
    if (this.#lastAt === null || now <= this.#lastAt) {
      this.#lastAt = now;
      this.#lastBytes = totalBytes;
      return this.#rate;
    }
    const instant = Math.max(0, totalBytes - this.#lastBytes) / ((now - this.#lastAt) / 1000);
    this.#rate = this.#rate === 0 ? instant : this.alpha * instant + (1 - this.alpha) * this.#rate;
    this.#lastAt = now;
    this.#lastBytes = totalBytes;
    return this.#rate;
  }

  get rate(): number {
    return this.#rate;
  }

  reset(): void {
    this.#rate = 0;
    this.#lastAt = null;
  }
}
