import { EventEmitter } from 'node:events';
import { ApiClient, type ApiClientOptions, type ProbeResult, type ProbeTarget } from './client';

export type { ProbeResult, ProbeTarget };
import { assertNever } from '../../shared/result';
import { ROUTE_GROUPS, type RouteGroup } from './route-group';
import type { StorageProblem } from '../store/storage-failure';
import { sleep } from './retry';
import type { NetworkProblem } from '../../shared/network';
import type { GateState } from '../../shared/session';

/** Whether requests may go out now, and if not, why (`shared/session.ts`). */
export type { GateState };

export interface GateOptions {
  /** A cheap request that bypasses the gate: authenticated to the API, bare to a storage host. */
  readonly probe: (target: ProbeTarget) => Promise<ProbeResult>;
  readonly now?: () => number;
  /** First wait between probes while offline; doubles up to `probeMaxMs`. */
  readonly probeMinMs?: number;
  readonly probeMaxMs?: number;
  /** After a rate-limit pause, concurrency climbs from a quarter back to full over this long. */
  readonly rampMs?: number;
}

/**
 * The gate every request passes (API calls and chunk PUTs alike). A 429 closes it for its route
 * group until the server's Retry-After (the others go on); a network failure closes it for all
 * until an active probe gets through; a rejected key closes it until a new key is set. Waiting
 * here is not failing: no item is marked failed while the gate is shut, and everything resumes by
 * itself. A queue that cannot be saved (a full disk) shuts it too: a chunk whose receipt cannot
 * be kept would have to be sent again. `state` is what people are told: the storage problem, the
 * connection, or the latest rate limit still held.
 */
export class ConnectionGate extends EventEmitter<{ change: [GateState] }> {
  #state: GateState = { kind: 'online' };
  /** The connection alone: open, offline, blocked or key rejected (rate limits are kept per group). */
  #connection: Exclude<GateState, { kind: 'rate-limited' | 'storage' }> = { kind: 'online' };
  /** What the probe tries while the connection is offline or blocked: where the failure was. */
  #target: ProbeTarget = { hop: 'api' };
  /** The queue could not be saved: held until a test write succeeds. */
  #storage: StorageProblem | null = null;
  /** Rate limits still held, by group, until these times. */
  readonly #held = new Map<RouteGroup, { until: number; timer: NodeJS.Timeout }>();
  readonly #options: GateOptions;
  readonly #now: () => number;
  #openedAt = 0;
  #rampFrom = 1;
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

  /** Resolves when requests of `group` may go out; rejects with the signal's reason if it is aborted first. */
  async wait(signal?: AbortSignal, group?: RouteGroup): Promise<void> {
    while (this.#shutFor(group)) {
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

  /**
   * The server asked us to wait: shut `group` until then (a later deadline wins). Without a group
   * (a caller that cannot say) every group waits.
   */
  noteRateLimited(waitMs: number, group?: RouteGroup): void {
    const until = this.#now() + Math.max(1000, waitMs);
    const groups: readonly RouteGroup[] = group ? [group] : ROUTE_GROUPS;
    let changed = false;
    for (const name of groups) {
      const held = this.#held.get(name);
      if (held && held.until >= until) continue;
      clearTimeout(held?.timer);
      const timer = setTimeout(() => {
        this.#held.delete(name);
        // Come back gently: a quarter of the usual concurrency, climbing to full.
        this.#rampFrom = 0.25;
        this.#openedAt = this.#now();
        this.#publish();
      }, until - this.#now());
      timer.unref();
      this.#held.set(name, { until, timer });
      changed = true;
    }
    if (changed) this.#publish();
  }

  /** Whether requests of `group` (any request, without one) must wait now. */
  #shutFor(group: RouteGroup | undefined): boolean {
    if (this.#storage || this.#connection.kind !== 'online') return true;
    return group ? this.#held.has(group) : this.#held.size > 0;
  }

  /** What people are told: a storage problem first (only they can fix it), a connection problem, a rate limit. */
  #publish(): void {
    // Indexing slowed down holds no upload: rows waiting to index say so themselves.
    const latest = Math.max(
      0,
      ...[...this.#held.entries()].filter(([group]) => group !== 'indexes').map(([, held]) => held.until),
    );
    const next: GateState = this.#storage
      ? { kind: 'storage', full: this.#storage.full, message: this.#storage.message }
      : this.#connection.kind !== 'online'
        ? this.#connection
        : latest > 0
          ? { kind: 'rate-limited', until: latest }
          : { kind: 'online' };
    const same =
      next.kind === this.#state.kind &&
      (next.kind !== 'rate-limited' || (this.#state.kind === 'rate-limited' && this.#state.until === next.until)) &&
      (next.kind !== 'storage' || (this.#state.kind === 'storage' && this.#state.message === next.message)) &&
      (next.kind !== 'blocked' || (this.#state.kind === 'blocked' && sameProblem(this.#state.problem, next.problem)));
    if (same && next.kind !== 'online') return;
    this.#state = next;
    this.emit('change', next);
  }

  /**
   * A request could not reach `target` (the API unless said): shut, and probe it with back-off
   * until one gets through.
   */
  noteOffline(target: ProbeTarget = { hop: 'api' }): void {
    if (this.#connection.kind !== 'online') return;
    this.#target = target;
    this.#connection = { kind: 'offline', since: this.#now() };
    this.#publish();
    void this.#probe();
  }

  /**
   * Something on the network stands in the way (a proxy's login or policy, a certificate, a name
   * nobody knows): shut, say which, and probe as when offline, since someone may fix it meanwhile.
   */
  noteBlocked(problem: NetworkProblem, target?: ProbeTarget): void {
    if (this.#connection.kind === 'key-rejected') return;
    const current = this.#connection;
    if (current.kind === 'blocked' && sameProblem(current.problem, problem)) return;
    // Probed where it failed: a problem the probe itself met keeps the probe's target.
    if (target) this.#target = target;
    this.#connection = { kind: 'blocked', problem, since: 'since' in current ? current.since : this.#now() };
    this.#publish();
    void this.#probe();
  }

  /**
   * The network settings changed (a proxy, its login, a certificate): probe now rather than at
   * the end of a wait that may have grown to half a minute.
   */
  retryNow(): void {
    this.#wake?.();
  }

  /** The server refused the key: shut until `keyChanged`. Nothing is marked failed meanwhile. */
  noteKeyRejected(): void {
    if (this.#connection.kind === 'key-rejected') return;
    this.#connection = { kind: 'key-rejected' };
    this.#publish();
  }

  /**
   * The queue could not be saved: hold everything, and try `canWrite` with growing waits until it
   * succeeds (space was freed), then open again.
   */
  holdForStorage(problem: StorageProblem, canWrite: () => Promise<boolean>): void {
    const probing = this.#storage !== null;
    this.#storage = problem;
    this.#publish();
    if (!probing) void this.#probeStorage(canWrite);
  }

  /** True while the queue cannot be saved. */
  get holdsForStorage(): boolean {
    return this.#storage !== null;
  }

  async #probeStorage(canWrite: () => Promise<boolean>): Promise<void> {
    const { probeMinMs = 1000, probeMaxMs = 30_000 } = this.#options;
    let wait = probeMinMs;
    while (!this.#closed && this.#storage) {
      await sleep(wait);
      if (await canWrite().catch(() => false)) {
        this.#storage = null;
        this.#publish();
        return;
      }
      wait = Math.min(probeMaxMs, wait * 2);
    }
  }

  /** A new key was stored (and checked): open again. */
  keyChanged(): void {
    if (this.#connection.kind === 'key-rejected') this.#open();
  }

  /** 1 normally; less right after a rate-limit pause, so the queue ramps back up instead of stampeding. */
  concurrencyFactor(): number {
    const { rampMs = 30_000 } = this.#options;
    if (this.#rampFrom >= 1 || this.#connection.kind !== 'online')
      return this.#connection.kind === 'online' ? 1 : this.#rampFrom;
    const progress = Math.min(1, (this.#now() - this.#openedAt) / rampMs);
    if (progress >= 1) this.#rampFrom = 1;
    return this.#rampFrom + (1 - this.#rampFrom) * progress;
  }

  close(): void {
    this.#closed = true;
    for (const held of this.#held.values()) clearTimeout(held.timer);
  }

  /** Ends the probe's current wait (see `retryNow`). */
  #wake: (() => void) | null = null;

  async #probe(): Promise<void> {
    if (this.#probing) return;
    this.#probing = true;
    const { probeMinMs = 1000, probeMaxMs = 30_000 } = this.#options;
    let wait = probeMinMs;
    try {
      while (!this.#closed && (this.#connection.kind === 'offline' || this.#connection.kind === 'blocked')) {
        await new Promise<void>((woken) => {
          const timer = setTimeout(woken, wait);
          this.#wake = () => {
            clearTimeout(timer);
            woken();
          };
        });
        this.#wake = null;
        const result = await this.#options.probe(this.#target).catch((): ProbeResult => 'offline');
        if (typeof result === 'object') {
          this.noteBlocked(result);
          wait = Math.min(probeMaxMs, wait * 2);
          continue;
        }
        switch (result) {
          case 'ok':
            this.#open();
            break;
          case 'key-rejected':
            this.noteKeyRejected();
            break;
          case 'offline':
            // Blocked before, and now no route at all: that is what people are told.
            if (this.#connection.kind === 'blocked') {
              this.#connection = { kind: 'offline', since: this.#connection.since };
              this.#publish();
            }
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
    this.#target = { hop: 'api' };
    this.#openedAt = this.#now();
    this.#connection = { kind: 'online' };
    this.#publish();
  }
}

function sameProblem(a: NetworkProblem, b: NetworkProblem): boolean {
  return (
    a.code === b.code &&
    a.host === b.host &&
    a.hop === b.hop &&
    a.by === b.by &&
    a.software === b.software &&
    a.windowsLogin === b.windowsLogin
  );
}

/**
 * An API client and the gate it reports to, wired both ways: the client waits at the gate and
 * tells it what went wrong; the gate probes through the client.
 */
export function connect(
  options: Omit<ApiClientOptions, 'gate'> & Pick<GateOptions, 'probeMinMs' | 'probeMaxMs' | 'rampMs' | 'now'>,
): { client: ApiClient; gate: ConnectionGate } {
  const holder: { client?: ApiClient } = {};
  const gate = new ConnectionGate({ ...options, probe: (target) => holder.client!.probe(target) });
  const client = new ApiClient({ ...options, gate });
  holder.client = client;
  return { client, gate };
}
