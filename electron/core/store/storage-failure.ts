/** What the person is told when the app's own files cannot be written. */
export interface StorageProblem {
  /** The disk (or the person's quota) is full: freeing space fixes it. */
  readonly full: boolean;
  readonly code: string;
  readonly message: string;
}

// SQLite reports a full disk as SQLITE_FULL ("database or disk is full"); Node as ENOSPC/EDQUOT.
const FULL = new Set(['SQLITE_FULL', 'ENOSPC', 'EDQUOT']);
const OTHER = new Set(['SQLITE_IOERR', 'SQLITE_READONLY', 'SQLITE_CANTOPEN', 'EROFS', 'EIO']);

/**
 * The storage problem behind `error`, in words, or null when it is not one. A failed write of the
 * queue is never a file's failure: the file is fine, the app's data folder is not.
 */
export function storageProblem(error: unknown): StorageProblem | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  if (FULL.has(code)) {
    return {
      full: true,
      code,
      message:
        "Your disk is full. Free some space on the disk that holds the app's data; uploads continue by themselves when there is room.",
    };
  }
  if (OTHER.has(code)) {
    return {
      full: false,
      code,
      message: `The upload queue could not be saved (${code}). Check the disk that holds the app's data; uploads continue by themselves when saving works again.`,
    };
  }
  return null;
}
