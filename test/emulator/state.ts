import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MediaProbe } from './media';

export type UserMetadata = Record<string, string | number | boolean>;
export type DerivedStatus = 'pending' | 'processing' | 'ready' | 'error';

/** One asset as the emulator keeps it. Fields starting with an underscore-free camelCase name are internal. */
export interface AssetRecord {
  id: string;
  /** Monotonic order of creation, so "newest first" is exact even within one second. */
  seq: number;
  method: 'direct' | 'url' | 'multipart';
  status: 'processing' | 'ready' | 'failed';
  filename: string;
  fileType: string;
  createdAt: number;
  userMetadata: UserMetadata;
  enableHls: boolean;
  enableThumbnail: boolean;
  hls?: { status: DerivedStatus; path?: string };
  thumbnail?: { status: DerivedStatus; path?: string };
  /** Set once the bytes are complete (direct/url at create, multipart at completion). */
  storedPath?: string;
  size?: number;
  sha256?: string;
  probe?: MediaProbe | undefined;
  errorMessage?: string;
}

/** An index: where assets go to be searched. Its models and add-ons cannot change after it is made. */
export interface IndexRecord {
  id: string;
  seq: number;
  name: string;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
  models: { model_name: string; model_options: string[] }[];
  addons: string[];
}

export type IndexedAssetStatus = 'pending' | 'queued' | 'indexing' | 'ready' | 'failed';

/** An asset put into an index: a job that ends `ready` (searchable) or `failed`. */
export interface IndexedAssetRecord {
  id: string;
  seq: number;
  indexId: string;
  assetId: string;
  status: IndexedAssetStatus;
  createdAt: number;
  updatedAt: number;
  indexedAt?: number;
  userMetadata: UserMetadata;
  enableVideoStream: boolean;
  /** Why it failed, for tests; the API documents no reason, so it is never sent. */
  failure?: string;
}

export interface ChunkRecord {
  index: number;
  size: number;
  etag: string;
  path: string;
  reported: boolean;
  /** Marked failed by the server at report (a fault): it must be uploaded and reported again. */
  failed?: string;
  uploadedAt: number;
  updatedAt: number;
}

export interface SessionRecord {
  uploadId: string;
  assetId: string;
  filename: string;
  type: 'video' | 'audio' | 'image';
  totalSize: number;
  chunkSize: number;
  totalChunks: number;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
  status: 'active' | 'completed' | 'failed' | 'expired';
  chunks: Record<number, ChunkRecord>;
}

export interface PresignedToken {
  uploadId: string;
  index: number;
  expiresAt: number;
}

interface Snapshot {
  seq: number;
  assets: AssetRecord[];
  indexes?: IndexRecord[];
  indexedAssets?: IndexedAssetRecord[];
  sessions: SessionRecord[];
  tokens: [string, PresignedToken][];
}

/**
 * Everything the emulator knows, persisted as one JSON document in the data dir so assets survive
 * a restart. Writes are coalesced and atomic (write a temp file, then rename).
 */
export class EmulatorState {
  readonly assets = new Map<string, AssetRecord>();
  readonly sessions = new Map<string, SessionRecord>();
  readonly indexes = new Map<string, IndexRecord>();
  readonly indexedAssets = new Map<string, IndexedAssetRecord>();
  /** Presigned chunk URL tokens; single-use, so a PUT deletes its token. */
  readonly tokens = new Map<string, PresignedToken>();
  seq = 0;
  readonly #file: string;
  #writing: Promise<void> = Promise.resolve();
  #dirty = false;

  constructor(readonly dataDir: string) {
    this.#file = join(dataDir, 'state.json');
  }

  async load(): Promise<void> {
    await mkdir(this.dataDir, { recursive: true });
    const text = await readFile(this.#file, 'utf8').catch(() => null);
    if (!text) return;
    const snapshot = JSON.parse(text) as Snapshot;
    this.seq = snapshot.seq;
    // In the order they were made: lists read newest first as this order reversed.
    for (const asset of snapshot.assets.sort((a, b) => a.seq - b.seq)) this.assets.set(asset.id, asset);
    for (const session of snapshot.sessions) this.sessions.set(session.uploadId, session);
    for (const index of snapshot.indexes ?? []) this.indexes.set(index.id, index);
    for (const job of snapshot.indexedAssets ?? []) this.indexedAssets.set(job.id, job);
    for (const [token, value] of snapshot.tokens) this.tokens.set(token, value);
  }

  /** Schedules a write of the whole state; calls made while one is pending share it. */
  save(): Promise<void> {
    if (this.#dirty) return this.#writing;
    this.#dirty = true;
    this.#writing = this.#writing.then(async () => {
      this.#dirty = false;
      const snapshot: Snapshot = {
        seq: this.seq,
        assets: [...this.assets.values()],
        sessions: [...this.sessions.values()],
        indexes: [...this.indexes.values()],
        indexedAssets: [...this.indexedAssets.values()],
        tokens: [...this.tokens.entries()],
      };
      const temp = `${this.#file}.${process.pid}.tmp`;
      await writeFile(temp, JSON.stringify(snapshot));
      await rename(temp, this.#file);
    });
    return this.#writing;
  }

  async flush(): Promise<void> {
    await this.#writing;
  }
}

/** Whether an indexed asset holds on to its asset (a delete without `force` answers 409). */
export function referencedByIndex(state: EmulatorState, assetId: string): IndexRecord[] {
  const indexes = new Set<string>();
  for (const job of state.indexedAssets.values()) {
    if (job.assetId === assetId && state.indexes.has(job.indexId)) indexes.add(job.indexId);
  }
  return [...indexes].map((id) => state.indexes.get(id)!);
}
