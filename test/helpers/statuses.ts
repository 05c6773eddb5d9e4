import type { UploadStatus, UploadStatusKind } from '../../electron/shared/uploads';

/** One status of each kind, as the engine makes them, for tables over every state. */
export const SAMPLE_STATUS: Readonly<Record<UploadStatusKind, UploadStatus>> = {
  checking: { kind: 'checking' },
  copying: { kind: 'copying' },
  queued: { kind: 'queued' },
  uploading: { kind: 'uploading' },
  paused: { kind: 'paused' },
  'file-missing': { kind: 'file-missing' },
  processing: { kind: 'processing', assetId: 'a1' },
  ready: { kind: 'ready', assetId: 'a1' },
  failed: { kind: 'failed', code: 'server_error', message: 'x', retryable: true },
  rejected: { kind: 'rejected', code: 'unsupported_type', message: 'x' },
  duplicate: { kind: 'duplicate', assetId: null, of: 'a.mp4' },
  cancelled: { kind: 'cancelled' },
};
