import { rename, stat } from 'node:fs/promises';
import type { Database } from './database';

/**
 * Damaged files are set aside, never deleted: `uploads.sqlite.damaged-2026-12-01T21-40-00-000Z`
 * beside the original (with its -wal and -shm companions), so nothing a person made is lost and
 * support can look at it. Returns the new name.
 */
export async function setAside(path: string, now = Date.now()): Promise<string> {
  const aside = `${path}.damaged-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
  await rename(path, aside);
  for (const suffix of ['-wal', '-shm']) await rename(`${path}${suffix}`, `${aside}${suffix}`).catch(() => undefined);
  return aside;
}

/** Whether SQLite's own quick check finds the file sound. */
export async function quickCheck(db: Database): Promise<boolean> {
  const rows = await db.all<Record<string, unknown>>('PRAGMA quick_check');
  return rows.length === 1 && Object.values(rows[0]!)[0] === 'ok';
}

/** Errors that say the file is not a sound database (as opposed to busy, or written by a newer version). */
function isDamage(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || code === 'SQLITE_CANTOPEN';
}

/**
 * Opens a SQLite store; a damaged one (it will not open, or fails the quick check) is set aside
 * and a new one opened in its place. `aside` names the old file when that happened.
 */
export async function openSound<T extends { healthy(): Promise<boolean>; close(): Promise<void> }>(
  path: string,
  open: (path: string) => Promise<T>,
): Promise<{ store: T; aside: string | null }> {
  try {
    const store = await open(path);
    if (await store.healthy().catch(() => false)) return { store, aside: null };
    await store.close().catch(() => undefined);
  } catch (error) {
    // A file that is not there at all is not damage; neither is a newer schema (say: update).
    if (!isDamage(error) || !(await stat(path).catch(() => null))) throw error;
  }
  const aside = await setAside(path);
  return { store: await open(path), aside };
}
