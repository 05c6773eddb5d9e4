import { ApiError } from './errors';

export interface RetryPolicy {
  /** Tries in all, the first included. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly random: () => number;
}

/**
 * Capped exponential backoff with full jitter: a random wait between 0 and min(cap, base x 2^n),
 * so many clients retrying after one outage do not return in lockstep.
 */
export function backoffDelay(
  attempt: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'random'>,
): number {
  return Math.floor(policy.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
}

/** Resolves after `ms`, or rejects at once with the signal's reason when it is aborted. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `operation`, trying again after transient failures (network, stalls, 408, 429, 5xx) and
 * only those: anything else is the request's own fault and fails at once. A server-given
 * Retry-After wins over the computed backoff. With `gated` set (the engine's requests pass a
 * connection gate), a 429 or a rejected key costs no attempt: the next try waits at the gate,
 * however long the server or the person takes.
 */
export async function retrying<T>(
  operation: (attempt: number) => Promise<T>,
  policy: RetryPolicy & { readonly gated?: boolean },
  signal?: AbortSignal,
  onRetry?: (error: ApiError, delayMs: number) => void,
): Promise<T> {
  let attempt = 0;
  for (let tries = 0; ; tries += 1) {
    try {
      return await operation(tries);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (!(error instanceof ApiError)) throw error;
      const waitsAtGate = policy.gated === true && (error.status === 429 || error.status === 401);
      if (waitsAtGate) {
        // The gate makes the next try wait as long as needed; this pause only keeps a gate that
        // reopens too eagerly from turning into a busy loop.
        onRetry?.(error, policy.baseDelayMs);
        await sleep(policy.baseDelayMs, signal);
        continue;
      }
      if (!error.transient || attempt + 1 >= policy.attempts) throw error;
      const delay = error.retryAfterMs ?? backoffDelay(attempt, policy);
      attempt += 1;
      onRetry?.(error, delay);
      await sleep(delay, signal);
    }
  }
}
