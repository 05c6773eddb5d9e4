import type { FileHandle } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { ApiError } from '../api/errors';
import { readStream } from '../media/regular-file';
import { FileProblem } from './file-facts';

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
  const source = readStream(path, { start, end: end - 1, highWaterMark: READ_SIZE });
  if (end <= start) return source;
  const stall = stallWatch(options);
  stall.arm();
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const limited = options.limiter?.take(chunk.length, options.controller?.signal) ?? Promise.resolve();
      void limited.then(() => {
        stall.arm();
        options.onBytes(chunk.length);
        callback(null, chunk);
      });
    },
    flush(callback) {
      stall.clear();
      callback();
    },
    destroy(error, callback) {
      stall.clear();
      source.destroy();
      callback(error);
    },
  });
  source.on('error', (error) => meter.destroy(error));
  return source.pipe(meter);
}

/**
 * Buffers for chunks, reused from one chunk to the next within a memory budget shared by every
 * upload. Reading a chunk whole with one read and sending slices of it costs a fraction of the CPU
 * of a file stream (a fresh buffer per read, a transform, a pipe), which on a fast link is the
 * difference between keeping up with the network and not. Past the budget a chunk streams.
 */
export class ChunkBuffers {
  readonly #free: Buffer[] = [];
  #allocated = 0;

  constructor(private readonly budgetBytes: number) {}

  /** A buffer of at least `size` bytes, or null when the budget is spent. */
  take(size: number): Buffer | null {
    const index = this.#free.findIndex((buffer) => buffer.length >= size);
    if (index >= 0) return this.#free.splice(index, 1)[0]!;
    // Free buffers too small for this session's chunks make room for one that fits.
    while (this.#allocated + size > this.budgetBytes && this.#free.length > 0) {
      this.#allocated -= this.#free.pop()!.length;
    }
    if (this.#allocated + size > this.budgetBytes) return null;
    this.#allocated += size;
    return Buffer.allocUnsafeSlow(size);
  }

  /** Back for the next chunk: only once its request is over, so no write can still read it. */
  give(buffer: Buffer): void {
    this.#free.push(buffer);
  }

  /** Not to be reused (its request failed part-way): the budget forgets it. */
  discard(buffer: Buffer): void {
    this.#allocated -= buffer.length;
  }
}

/** Reads exactly `bytes.length` bytes at `position`; a file that got shorter meanwhile is an error. */
export async function readFully(handle: FileHandle, bytes: Buffer, position: number): Promise<void> {
  for (let filled = 0; filled < bytes.length;) {
    const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, position + filled);
    if (bytesRead === 0) throw new FileProblem('file_changed');
    filled += bytesRead;
  }
}

/**
 * Bytes already in memory as a request body: handed over in READ_SIZE slices (no copies), metered,
 * held to the bandwidth limit and aborted when the connection stops taking them, as `fileRange` is.
 */
export async function* sliced(bytes: Buffer, options: MeterOptions): AsyncGenerator<Buffer> {
  const stall = stallWatch(options);
  try {
    for (let offset = 0; offset < bytes.length; offset += READ_SIZE) {
      const slice = bytes.subarray(offset, Math.min(bytes.length, offset + READ_SIZE));
      if (options.limiter) await options.limiter.take(slice.length, options.controller?.signal);
      stall.arm();
      options.onBytes(slice.length);
      yield slice;
    }
  } finally {
    stall.clear();
  }
}

/** Aborts `controller` with a `stalled` error when `arm` is not called again within `stallMs`. */
function stallWatch({ controller, stallMs }: MeterOptions): { arm(): void; clear(): void } {
  let timer: NodeJS.Timeout | undefined;
  return {
    arm() {
      if (!controller || !stallMs) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        controller.abort(new ApiError('stalled', `No progress for ${Math.round(stallMs / 1000)} seconds.`));
      }, stallMs);
      timer.unref();
    },
    clear: () => clearTimeout(timer),
  };
}
