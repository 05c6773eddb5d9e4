import { stat } from 'node:fs/promises';

/** What the queue knows of a file on disk: its size and modification time when it was added. */
export interface FileFacts {
  readonly size: number;
  readonly mtimeMs: number;
}

/**
 * A local file that went away or changed under an upload. Not an `ApiError`: nothing was wrong
 * with the request, so it is never retried as one; the engine waits for a missing file to come
 * back, and starts a changed one again from zero.
 */
export class FileProblem extends Error {
  constructor(readonly code: 'file_missing' | 'file_changed') {
    super(code === 'file_missing' ? 'The file is no longer where it was.' : 'The file changed while it was uploading.');
    this.name = 'FileProblem';
  }
}

/** The file's size and time now; null when it cannot be read (gone, or its drive unplugged). */
export async function readFacts(path: string): Promise<FileFacts | null> {
  const info = await stat(path).catch(() => null);
  return info && { size: info.size, mtimeMs: info.mtimeMs };
}

export function sameFacts(a: FileFacts, b: FileFacts): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/** Throws a `FileProblem` unless the file at `path` is still the one described by `known`. */
export async function assertUnchanged(path: string, known: FileFacts): Promise<void> {
  const now = await readFacts(path);
  if (!now) throw new FileProblem('file_missing');
  if (!sameFacts(now, known)) throw new FileProblem('file_changed');
}
