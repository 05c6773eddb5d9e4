import { createHash } from 'node:crypto';
import { mkdir, readlink, symlink } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Reaches files whose names are not valid UTF-8 (copied from an old archive or a Windows share
 * with a Latin-1 name, say). The queue, the journal and the window hold paths as text, and no text
 * spells such a name, so each gets a link in `folder` (in the data folder's cache) that holds the
 * original bytes and carries a readable name: the file is read, fingerprinted and uploaded through
 * it, and its own name and folder are never changed. None on Windows, whose names are always text.
 */
export function nameAliases(folder: string): ((bytes: Buffer, name: string) => Promise<string | null>) | undefined {
  if (process.platform === 'win32') return undefined;
  return async (bytes, name) => {
    // One folder per original path, so two files that read alike never share a link.
    const place = join(folder, createHash('sha256').update(bytes).digest('hex').slice(0, 16));
    await mkdir(place, { recursive: true, mode: 0o700 });
    const link = join(place, name);
    try {
      await symlink(bytes, link);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // Made for this file before (a second add, a restart): the same link serves again.
      if (!(await readlink(link, { encoding: 'buffer' })).equals(bytes)) return null;
    }
    return link;
  };
}
