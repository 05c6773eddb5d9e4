import { readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Logger } from '../../../../electron/core/log/logger';
import { tempDir } from '../../../helpers/temp-dir';

describe('the log file', () => {
  it('never writes the API key, however it is passed in', async () => {
    const dir = await tempDir();
    const logger = new Logger(dir);
    logger.addSecret('my-org-key-1234567890');
    await logger.info('using key my-org-key-1234567890 for the upload');
    await logger.error('request failed', new Error('headers: {"x-api-key": "abc123secret"}'));
    await logger.warn('raw header x-api-key: tlk_live_ABCDEF0123');
    const text = await readFile(logger.file, 'utf8');
    expect(text).not.toContain('my-org-key-1234567890');
    expect(text).not.toContain('abc123secret');
    expect(text).not.toContain('tlk_live_ABCDEF0123');
    // The error's stack repeats its message, so that key is blanked twice.
    expect(text.match(/\[redacted\]/g)).toHaveLength(4);
    expect(logger.recentProblems().map((entry) => entry.level)).toEqual(['error', 'warn']);
  });

  it('rotates instead of growing without bound', async () => {
    const dir = await tempDir();
    const logger = new Logger(dir);
    await writeFile(logger.file, 'x'.repeat(2 * 1024 * 1024 - 10));
    await logger.info('one more line pushes it over');
    expect((await readdir(dir)).sort()).toEqual(['app.log', 'app.log.1']);
    expect(await readFile(join(dir, 'app.log'), 'utf8')).toContain('one more line');
  });

  // /dev/full answers every write with ENOSPC: a real full disk, for one file.
  it.skipIf(process.platform !== 'linux')('keeps working after a write fails for a full disk', async () => {
    const dir = await tempDir();
    const logger = new Logger(dir);
    await symlink('/dev/full', logger.file);
    await expect(logger.info('lost to the full disk')).resolves.toBeUndefined();
    await expect(logger.error('also lost', new Error('ENOSPC'))).resolves.toBeUndefined();
    await rm(logger.file);
    await logger.info('written once there is room');
    const text = await readFile(logger.file, 'utf8');
    expect(text).toContain('2 log lines could not be written');
    expect(text).toContain('written once there is room');
    // What could not be written is still there for "Copy diagnostics".
    expect(logger.recentProblems().map((entry) => entry.message.split('\n')[0])).toEqual(['also lost: ENOSPC']);
  });
});
