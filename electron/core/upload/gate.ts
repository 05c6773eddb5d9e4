import { EventEmitter } from 'node:events';
import { ApiClient, type ApiClientOptions } from '../api/client';
import { assertNever } from '../../shared/result';
import { sleep } from './retry';

/** Whether requests may go out now, and if not, why. */
export type GateState =
  | { readonly kind: 'open' }
  | { readonly kind: 'rate-limited'; readonly until: number }
  | { readonly kind: 'offline'; readonly since: number }
  | { readonly kind: 'key-rejected' };

export type ProbeResult = 'ok' | 'offline' | 'key-rejected';

export interface GateOptions {
  /** A cheap authenticated request that bypasses the gate. */
  readonly probe: () => Promise<ProbeResult>;
  readonly now?: () => number;
  /** First wait between probes while offline; doubles up to `probeMaxMs`. */
  readonly probeMinMs?: number;
  readonly probeMaxMs?: number;
  /** After a rate-limit pause, concurrency climbs from a quarter back to full over this long. */
  readonly rampMs?: number;
}

/**
 * The one gate every request passes (API calls and chunk PUTs alike). A 429 closes it for the whole
 * queue until the server's Retry-After; a network failure closes it until an active probe gets
 * through; a rejected key closes it until a new key is set. Waiting here is not failing: no item
 * is marked failed while the gate is shut, and everything resumes by itself.
 */
export class ConnectionGate extends EventEmitter<{ change: [GateState] }> {
  #state: GateState = { kind: 'open' };
  readonly #options: GateOptions;
  readonly #now: () => number;
  #openedAt = 0;
  #rampFrom = 1;
  #timer: NodeJS.Timeout | undefined;
  #probing = false;
  #closed = false;

  constructor(options: GateOptions) {
    super();
    this.setMaxListeners(0);
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  get state(): GateState {
    return this.#state;
  }

  /** Resolves when requests may go out; rejects with the signal's reason if it is aborted first. */
  async wait(signal?: AbortSignal): Promise<void> {
    while (this.#state.kind !== 'open') {
      await new Promise<void>((resolve, reject) => {
        const onChange = () => done(resolve);
        const onAbort = () => done(() => reject(signal?.reason));
        const done = (then: () => void) => {
          this.off('change', onChange);
          signal?.removeEventListener('abort', onAbort);
          then();
        };
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        this.once('change', onChange);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
  }

  /** The server asked us to wait: shut for everyone until then (a later deadline wins). */
  noteRateLimited(waitMs: number): void {
    const until = this.#now() + Math.max(1000, waitMs);
    if (this.#state.kind === 'rate-limited' && this.#state.until >= until) return;
    if (this.#state.kind === 'key-rejected') return;
    this.#set({ kind: 'rate-limited', until });
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      // Come back gently: a quarter of the usual concurrency, climbing to full.
      this.#rampFrom = 0.25;
      this.#open();
    }, until - this.#now());
  }

  /** A request could not reach the server: shut, and probe with back-off until one gets through. */
  noteOffline(): void {
    if (this.#state.kind === 'offline' || this.#state.kind === 'key-rejected') return;
    this.#set({ kind: 'offline', since: this.#now() });
    void this.#probe();
  }

  /** The server refused the key: shut until `keyChanged`. Nothing is marked failed meanwhile. */
  noteKeyRejected(): void {
    if (this.#state.kind === 'key-rejected') return;
    clearTimeout(this.#timer);
    this.#set({ kind: 'key-rejected' });
  }

  /** A new key was stored (and checked): open again. */
  keyChanged(): void {
    if (this.#state.kind === 'key-rejected') this.#open();
  }

  /** 1 normally; less right after a rate-limit pause, so the queue ramps back up instead of stampeding. */
  concurrencyFactor(): number {
    const { rampMs = 30_000 } = this.#options;
    if (this.#rampFrom >= 1 || this.#state.kind !== 'open') return this.#state.kind === 'open' ? 1 : this.#rampFrom;
    const progress = Math.min(1, (this.#now() - this.#openedAt) / rampMs);
    if (progress >= 1) this.#rampFrom = 1;
    return this.#rampFrom + (1 - this.#rampFrom) * progress;
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }

  async #probe(): Promise<void> {
    if (this.#probing) return;
    this.#probing = true;
    const { probeMinMs = 1000, probeMaxMs = 30_000 } = this.#options;
    let wait = probeMinMs;
    try {
      while (!this.#closed && this.#state.kind === 'offline') {
        await sleep(wait);
        const result = await this.#options.probe().catch((): ProbeResult => 'offline');
        switch (result) {
          case 'ok':
            this.#open();
            break;
          case 'key-rejected':
            this.noteKeyRejected();
            break;
          case 'offline':
            wait = Math.min(probeMaxMs, wait * 2);
            break;
          default:
            assertNever(result);
        }
      }
    } finally {
      this.#probing = false;
    }
  }

  #open(): void {
    this.#openedAt = this.#now();
    this.#set({ kind: 'open' });
  }

  #set(state: GateState): void {
    this.#state = state;
    this.emit('change', state);
  }
}

/**
 * An API client and the gate it reports to, wired both ways: the client waits at the gate and
 * tells it what went wrong; the gate probes through the client.
 */
export function connect(
  options: Omit<ApiClientOptions, 'gate'> & Pick<GateOptions, 'probeMinMs' | 'probeMaxMs' | 'rampMs' | 'now'>,
): { client: ApiClient; gate: ConnectionGate } {
  const holder: { client?: ApiClient } = {};
  const gate = new ConnectionGate({ ...options, probe: () => holder.client!.probe() });
  const client = new ApiClient({ ...options, gate });
  holder.client = client;
  return { client, gate };
}
