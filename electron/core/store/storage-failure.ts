import { m } from '../../shared/i18n';

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
      message: m.storage_disk_full(),
    };
  }
  if (OTHER.has(code)) {
    return {
      full: false,
      code,
      message: m.storage_not_saved({ code }),
    };
  }
  return null;
}
