import { createHash } from 'node:crypto';
import { openRegular } from './regular-file';

const READ_BYTES = 1024 * 1024;

/**
 * SHA-256 of a file's content, read once in reads of at most 1 MiB: memory stays flat for any size.
 * Plain reads into one buffer sized to the file, not a stream: a stream's setup costs more than
 * hashing a small still, and an archive is mostly small stills. Only a regular file is read (a pipe
 * would hash whatever a writer sends, or nothing).
 */
export async function hashFile(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  const handle = await openRegular(path);
  try {
    const { size } = await handle.stat();
    // Read to the end, not to `size`: a file still being written hashes as what was read.
    const buffer = Buffer.allocUnsafe(Math.min(Math.max(size, 1), READ_BYTES));
    for (;;) {
      signal?.throwIfAborted();
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}
