import { constants, createReadStream, type ReadStream, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/**
 * Read-only, without waiting. A FIFO opened for reading waits for a writer, and while it waits it
 * holds one of libuv's four threads: four named pipes in a folder and every SQLite call, file read
 * and DNS lookup in the process stops. Opened non-blocking, a FIFO answers at once and the type
 * check below refuses it; a regular file reads as before. (Windows has no O_NONBLOCK, and no FIFOs
 * in folders.)
 */
export const READ_NOW = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** What a path is, in the words the skipped list uses for things that are not files. */
export function notAFile(info: Stats): 'pipe' | 'device' | 'socket' | 'other' | null {
  if (info.isFile() || info.isDirectory()) return null;
  if (info.isFIFO()) return 'pipe';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'device';
  if (info.isSocket()) return 'socket';
  return 'other';
}

/** A path that named something other than a regular file when it was opened. */
export class NotARegularFile extends Error {
  constructor(
    readonly path: string,
    readonly what: 'pipe' | 'device' | 'socket' | 'other' | 'folder',
  ) {
    super(`${path} is a ${what}, not a file.`);
    this.name = 'NotARegularFile';
  }
}

/**
 * Opens a file for reading only if it is a regular file, checked on the open descriptor itself (a
 * check by path before opening can be raced by a rename); anything else is closed and refused.
 */
export async function openRegular(path: string | Buffer): Promise<FileHandle> {
  const handle = await open(path, READ_NOW);
  try {
    const info = await handle.stat();
    if (!info.isFile())
      throw new NotARegularFile(path.toString(), info.isDirectory() ? 'folder' : (notAFile(info) ?? 'other'));
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * A stream of the file at `path`, opened as `READ_NOW` says: a path that became a pipe fails at the
 * first read instead of waiting for ever. (Node takes numeric flags here; its types name strings.)
 */
export function readStream(
  path: string,
  options: { start?: number; end?: number; highWaterMark: number; signal?: AbortSignal | undefined },
): ReadStream {
  return createReadStream(path, { ...options, flags: READ_NOW as unknown as string });
}
