/**
 * A media thread (see `MediaThreads`): looks at and hashes the files it is sent, probing what a look
 * leaves to MediaInfo with one MediaInfo of its own that probes take turns at, and answers each
 * with what it found.
 */
import { parentPort } from 'node:worker_threads';
import mediaInfoFactory, { type MediaInfo } from 'mediainfo.js';
import type { MediaFacts } from './facts';
import { hashFile } from './hash';
import { lookAt } from './look';
import { probeFile } from './probe';
import type { Job, JobAnswer } from './media-threads';

const port = parentPort!;
/**
 * Made at the first probe, not at the thread's start: its WebAssembly memory is about 37 MiB a
 * thread, and an archive of stills, which looks read whole, may never need it.
 */
let analyser: Promise<MediaInfo<'object'>> | undefined;
let probes: Promise<unknown> = Promise.resolve();
const hashing = new Map<number, AbortController>();

/** A probe after those before it: one MediaInfo. Reads outside a probe run side by side. */
function probe(path: string): Promise<MediaFacts | null> {
  const turn = probes
    .then(() => (analyser ??= mediaInfoFactory({ format: 'object' })))
    .then((mediaInfo) => probeFile(mediaInfo, path))
    .catch(() => null);
  probes = turn;
  return turn;
}

async function answer(job: Exclude<Job, { kind: 'cancel' }>): Promise<JobAnswer> {
  const controller = new AbortController();
  if (job.kind === 'hash') hashing.set(job.id, controller);
  try {
    if (job.kind === 'look') return { id: job.id, value: await lookAt(job.path, probe) };
    return { id: job.id, value: await hashFile(job.path, controller.signal) };
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    return { id: job.id, error: { message, ...(code && { code }) } };
  } finally {
    hashing.delete(job.id);
  }
}

port.on('message', (job: Job) => {
  if (job.kind === 'cancel') hashing.get(job.id)?.abort();
  else void answer(job).then((reply) => port.postMessage(reply));
});
