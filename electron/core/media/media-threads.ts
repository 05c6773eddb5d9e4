import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Look } from './look';

/** What a media thread is asked to do. */
export type Job =
  | { readonly kind: 'look'; readonly id: number; readonly path: string }
  | { readonly kind: 'hash'; readonly id: number; readonly path: string }
  | { readonly kind: 'cancel'; readonly id: number };

/** A media thread's answer: what a look found or the hash, or why the file could not be read. */
export type JobAnswer =
  | { readonly id: number; readonly value: Look | string }
  | { readonly id: number; readonly error: { readonly message: string; readonly code?: string } };

/** An answer's value; its error, or the end of its thread, thrown. */
function valueOf(answer: JobAnswer | null): Look | string {
  if (!answer) throw new Error('The file check stopped.');
  if ('error' in answer) throw Object.assign(new Error(answer.error.message), { code: answer.error.code });
  return answer.value;
}

interface Thread {
  readonly worker: Worker;
  /** Jobs sent to this thread and not answered yet. */
  readonly pending: Map<number, (answer: JobAnswer | null) => void>;
}

/**
 * Starts a media thread. Its code sits beside this module's bundle entry in a build (this module
 * may be in a shared chunk one folder down); from source (tsx, tests) it is TypeScript, so the
 * thread first takes on tsx's loader, which a thread does not inherit.
 */
function startWorker(): Worker {
  for (const candidate of ['./media-worker.js', '../media-worker.js']) {
    const url = new URL(candidate, import.meta.url);
    if (existsSync(url)) return new Worker(url);
  }
  const source = new URL('./media-worker.ts', import.meta.url);
  if (!existsSync(source)) {
    throw new Error('The media check is missing from this installation (media-worker.js). Reinstall the app.');
  }
  const tsx = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  );
  const boot = `import(${JSON.stringify(tsx.href)}).then(({ register }) => { register(); return import(${JSON.stringify(source.href)}); })`;
  return new Worker(boot, { eval: true });
}

/**
 * Worker threads that probe files (each with its own MediaInfo) and hash them, started when first
 * needed. Checking 10,000 files then uses every core, and neither the WebAssembly nor the hashing
 * runs on the event loop that keeps uploads and the window moving. Idle threads do not keep a
 * process alive; a thread that dies answers its files "cannot be read" and is replaced.
 */
export class MediaThreads {
  readonly #threads: Thread[] = [];
  #next = 0;
  #closed = false;

  constructor(private readonly size: number) {}

  /**
   * The file looked at as `lookAt` does, with this thread's MediaInfo; rejects as it does, and with
   * `signal`'s reason as soon as it aborts.
   */
  async look(path: string, signal?: AbortSignal): Promise<Look> {
    return valueOf(await this.#run({ kind: 'look', path }, signal)) as Look;
  }

  /** SHA-256 of the file's content, as `hashFile` gives it; rejects as it does, or as `look` on abort. */
  async hash(path: string, signal?: AbortSignal): Promise<string> {
    return valueOf(await this.#run({ kind: 'hash', path }, signal)) as string;
  }

  close(): void {
    this.#closed = true;
    for (const thread of this.#threads.splice(0)) this.#end(thread);
  }

  /**
   * Sends `job` to a thread. Aborting lets it go at once, not when the thread answers (a read from a
   * disk that stopped answering, a long probe, a queue of them): the thread is told to stop reading,
   * and its answer, whenever it comes, is dropped. So closing never waits on a thread.
   */
  #run(job: { kind: 'look' | 'hash'; path: string }, signal?: AbortSignal): Promise<JobAnswer | null> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#closed) return Promise.resolve(null);
    const thread = this.#pick();
    const id = (this.#next += 1);
    return new Promise((resolve, reject) => {
      const letGo = () => {
        if (!thread.pending.delete(id)) return;
        if (thread.pending.size === 0) thread.worker.unref();
        thread.worker.postMessage({ kind: 'cancel', id } satisfies Job);
        reject(signal!.reason);
      };
      if (thread.pending.size === 0) thread.worker.ref();
      thread.pending.set(id, (answer) => {
        signal?.removeEventListener('abort', letGo);
        resolve(answer);
      });
      signal?.addEventListener('abort', letGo, { once: true });
      thread.worker.postMessage({ ...job, id } satisfies Job);
    });
  }

  /** An idle thread, a new one while there are fewer than `size`, or the least busy. */
  #pick(): Thread {
    const idle = this.#threads.find((thread) => thread.pending.size === 0);
    if (idle) return idle;
    if (this.#threads.length < this.size) return this.#spawn();
    return this.#threads.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  }

  #spawn(): Thread {
    const worker = startWorker();
    const thread: Thread = { worker, pending: new Map() };
    worker.on('message', (answer: JobAnswer) => {
      const resolve = thread.pending.get(answer.id);
      thread.pending.delete(answer.id);
      if (thread.pending.size === 0) worker.unref();
      resolve?.(answer);
    });
    const gone = () => {
      const index = this.#threads.indexOf(thread);
      if (index >= 0) this.#threads.splice(index, 1);
      this.#end(thread);
    };
    worker.on('error', gone);
    worker.on('exit', gone);
    worker.unref();
    this.#threads.push(thread);
    return thread;
  }

  #end(thread: Thread): void {
    for (const resolve of thread.pending.values()) resolve(null);
    thread.pending.clear();
    void thread.worker.terminate();
  }
}
