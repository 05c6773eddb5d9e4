import type { UploadItem, UploadStatus } from '../../electron/shared/uploads';

let next = 0;

/** A listed upload as the window receives it: named by its path under the card, in added order. */
export function uploadItem(relativePath: string, status: UploadStatus, more: Partial<UploadItem> = {}): UploadItem {
  next += 1;
  const name = relativePath.split(/[\\/]/).pop()!;
  return {
    id: `i${next}`,
    batchId: 'b1',
    path: `/card/${relativePath}`,
    relativePath,
    name,
    size: 100,
    kind: 'video',
    strategy: 'direct',
    status,
    bytesSent: 0,
    position: next,
    addedAt: 0,
    updatedAt: 0,
    ...more,
  };
}
