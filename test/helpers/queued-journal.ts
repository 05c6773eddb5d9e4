import { randomUUID } from 'node:crypto';
import { journalPath } from '../../electron/core/store/data-folder';
import { Journal } from '../../electron/core/upload/journal';

/** Rows written to the journal in one transaction. */
const CHUNK = 10_000;

/**
 * A queue of `files` small stills written straight into the journal of `dataDir`, as an add of an
 * archive leaves it (`Roll 0000/IMG_0000000.jpg`, `perFolder` to a folder), without scanning or
 * checking anything: what opens is the queue at that size, whatever made it.
 */
export async function writeQueue(dataDir: string, files: number, perFolder = 100): Promise<void> {
  const journal = await Journal.open(journalPath(dataDir));
  try {
    for (let from = 0; from < files; from += CHUNK) {
      await journal.addItems(
        Array.from({ length: Math.min(CHUNK, files - from) }, (_, at) => {
          const n = from + at;
          const relativePath = `Roll ${String(Math.floor(n / perFolder)).padStart(4, '0')}/IMG_${String(n).padStart(7, '0')}.jpg`;
          return {
            id: randomUUID(),
            batchId: 'archive',
            path: `/nas/archive/${relativePath}`,
            relativePath,
            size: 2_000_000 + n,
            mtimeMs: 1,
            kind: 'image' as const,
            mime: 'image/jpeg',
            strategy: 'direct' as const,
            userMetadata: {},
            status: 'queued' as const,
          };
        }),
        Date.now(),
      );
    }
  } finally {
    await journal.close();
  }
}
