/**
 * A media thread (see `MediaThreads`): probes and hashes the files it is sent, one probe at a
 * time with one MediaInfo of its own, and answers each with what it found.
 */
import { parentPort } from 'node:worker_threads';
import mediaInfoFactory from 'mediainfo.js';
import { hashFile } from './hash';
import { probeFile } from './probe';
import type { Job, JobAnswer } from './media-threads';

const port = parentPort!;
const analyser = mediaInfoFactory({ format: 'object' });
let probes: Promise<void> = Promise.resolve();
const hashing = new Map<number, AbortController>();

async function answer(job: Extract<Job, { kind: 'probe' | 'hash' }>): Promise<JobAnswer> {
  if (job.kind === 'probe') return { id: job.id, value: await probeFile(await analyser, job.path).catch(() => null) };
  const controller = new AbortController();
  hashing.set(job.id, controller);
  try {
    return { id: job.id, value: await hashFile(job.path, controller.signal) };
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    return { id: job.id, error: { message, ...(code && { code }) } };
  } finally {
    hashing.delete(job.id);
  }
}

port.on('message', (job: Job) => {
  if (job.kind === 'cancel') {
    hashing.get(job.id)?.abort();
  } else if (job.kind === 'probe') {
    // One MediaInfo: probes take turns.
    probes = probes.then(async () => port.postMessage(await answer(job)));
  } else {
    void answer(job).then((reply) => port.postMessage(reply));
  }
});
