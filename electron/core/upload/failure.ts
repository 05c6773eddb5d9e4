import { isCatalogued, plainError } from '../../shared/error-catalogue';
import { ApiError } from '../api/errors';
import { storageProblem } from '../store/storage-failure';
import { FileProblem } from './file-facts';

/** A failure in the catalogue's words, whatever it came from. */
export interface PlainFailure {
  /** The catalogue's code ("network", "server_error", "file_missing"; "unknown" for one it has not). */
  readonly code: string;
  /** What happened, for people. */
  readonly words: string;
  /** The server's or the system's own words, for Details. */
  readonly detail?: string;
  /** Whether trying again later can help. */
  readonly retryable: boolean;
}

/**
 * The one way any failure becomes words: an API answer (a lost connection, a server error, a
 * refusal with its code), a local file gone or changed, the queue's own storage, or anything
 * else. A code the server sends that the catalogue does not know is "unknown", with the server's
 * words kept as the detail.
 */
export function describeFailure(error: unknown): PlainFailure {
  if (error instanceof FileProblem) {
    const plain = plainError(error.code);
    return { code: error.code, words: plain.message, retryable: plain.retryable };
  }
  if (error instanceof ApiError) {
    const code =
      error.kind === 'network' || error.kind === 'stalled'
        ? 'network'
        : (error.status ?? 0) >= 500
          ? 'server_error'
          : error.code !== null && isCatalogued(error.code)
            ? error.code
            : 'unknown';
    const plain = plainError(code);
    return { code, words: plain.message, detail: error.message, retryable: plain.retryable || error.transient };
  }
  const storage = storageProblem(error);
  if (storage) return { code: 'storage_failed', words: storage.message, retryable: true };
  return {
    code: 'unknown',
    words: plainError('unknown').message,
    detail: error instanceof Error ? error.message : String(error),
    retryable: true,
  };
}
