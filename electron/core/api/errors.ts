import type { NetworkProblem } from '../../shared/network';

/** Why a request did not succeed; the engine decides what to do from `kind` and `status`. */
export type ApiErrorKind = 'http' | 'network' | 'aborted' | 'stalled';

/** A failed API or chunk request, with the server's `code` and `message` when it sent them. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly status: number | null = null,
    readonly code: string | null = null,
    /** From `Retry-After` (or `X-Ratelimit-Reset` on a 429), in milliseconds from now. */
    readonly retryAfterMs: number | null = null,
    /** For a request that got no answer: what stood in the way, when it was not a lost connection. */
    readonly problem: NetworkProblem | null = null,
  ) {
    super(message);
  }

  /** True when trying again later can help: the network, timeouts, server errors, rate limits. */
  get transient(): boolean {
    if (this.kind === 'network' || this.kind === 'stalled') return true;
    if (this.kind === 'aborted') return false;
    const status = this.status ?? 0;
    return status === 408 || status === 429 || status >= 500;
  }
}
