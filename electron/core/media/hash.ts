import { createHash } from 'node:crypto';
import { openRegular } from './regular-file';

/**
 * SHA-256 of a file's content, streamed once in 1 MiB reads: memory stays flat for any size. Only a
 * regular file is read (a pipe would hash whatever a writer sends, or nothing).
 */
export async function hashFile(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  const handle = await openRegular(path);
  for await (const chunk of handle.createReadStream({ highWaterMark: 1024 * 1024, signal })) {
    hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}
