import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { describe, expect, it } from 'vitest';
import { journalPath } from '../../electron/core/store/data-folder';
import { reportStartupFailure } from '../../electron/core/root/startup-failure';
import { openTestApp } from '../helpers/app';
import { tempDir } from '../helpers/temp-dir';

/** A queue written by a later version of the app: it must not be touched, so start-up stops. */
async function journalFromTheFuture(dataDir: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const db = new sqlite3.Database(journalPath(dataDir), (error) => {
      if (error) return reject(error);
      db.exec('PRAGMA user_version = 99', (failed) => db.close(() => (failed ? reject(failed) : resolve())));
    });
  });
}

describe('a start-up that fails', () => {
  it('is said in words with where the log is, and the log has it', async () => {
    const dataDir = await tempDir();
    await journalFromTheFuture(dataDir);
    const error = await openTestApp(dataDir).then(
      () => null,
      (failed: unknown) => failed,
    );
    expect(error).not.toBeNull();
    const { title, detail } = await reportStartupFailure(error, dataDir);
    expect(title).toBe('TwelveLabs Uploader could not start');
    expect(detail).toContain('written by a newer version of the app');
    expect(detail).toContain(`The log is in ${join(dataDir, 'logs')}. Quit, then open the app again`);
    expect(await readFile(join(dataDir, 'logs', 'app.log'), 'utf8')).toContain('start-up failed');
  });

  it('never shows or logs a key that is in the error', async () => {
    const dataDir = await tempDir();
    const { detail } = await reportStartupFailure(new Error('refused tlk_live_0123456789abcdef'), dataDir);
    expect(detail).not.toContain('tlk_live_0123456789abcdef');
    expect(detail).toContain('[redacted]');
    expect(await readFile(join(dataDir, 'logs', 'app.log'), 'utf8')).not.toContain('tlk_live_0123456789abcdef');
  });

  it('says a full disk as a full disk', async () => {
    const full = Object.assign(new Error('SQLITE_FULL: database or disk is full'), { code: 'SQLITE_FULL' });
    const { detail } = await reportStartupFailure(full, await tempDir());
    expect(detail).toMatch(/^Your disk is full\./);
  });
});
