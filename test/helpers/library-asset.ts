import type { LibraryAsset } from '../../electron/shared/library';

/** An asset as the Library lists it: a ready video named after its id unless told otherwise. */
export function libraryAsset(id: string, more: Partial<LibraryAsset> = {}): LibraryAsset {
  return {
    id,
    filename: `${id}.mov`,
    kind: 'video',
    status: 'ready',
    size: 1,
    durationSeconds: 1,
    width: null,
    height: null,
    createdAt: 0,
    thumbnailUrl: null,
    hlsUrl: null,
    error: null,
    metadata: {},
    indexes: [],
    ...more,
  };
}
