import type { JournalItem } from '../../electron/core/upload/journal';
import type { UploadStatus } from '../../electron/shared/uploads';

/** A queued file as the journal holds it: a 1,000-byte clip from a card, `more` over it. */
export function journalItem(id: string, status: UploadStatus, more: Partial<JournalItem> = {}): JournalItem {
  return {
    id,
    batchId: 'b1',
    path: `/cards/A001/${id}.mov`,
    relativePath: `${id}.mov`,
    name: `${id}.mov`,
    size: 1000,
    kind: 'video',
    strategy: 'direct',
    status,
    bytesSent: 0,
    position: 1,
    addedAt: 0,
    updatedAt: 0,
    mtimeMs: 0,
    mime: 'video/quicktime',
    userMetadata: {},
    attemptStartedAt: null,
    sha256: null,
    ...more,
  };
}
