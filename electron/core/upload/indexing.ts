import { isIndexable, type ItemIndex } from '../../shared/indexes';
import type { ApiClient } from '../api/client';
import { ApiError } from '../api/errors';
import type { ConnectionGate } from '../api/gate';
import { sleep } from '../api/retry';
import { liveJob } from '../api/indexes';
import type { JournalItem } from './journal';

/** Jobs asked about in one list call: the API's page ceiling. */
const PER_PAGE = 50;
/** Pages of an index's jobs read in one round, at most, before the rest wait a round. */
const PAGES_PER_ROUND = 10;
/** Clocks differ: a job is looked for among jobs changed up to this long before it was asked for. */
const CLOCK_MARGIN_MS = 5 * 60_000;

export interface IndexingOptions {
  readonly client: Pick<
    ApiClient,
    'indexAsset' | 'assetIndexes' | 'listIndexedAssets' | 'getIndexedAsset' | 'getIndex'
  >;
  readonly gate: Pick<ConnectionGate, 'wait'>;
  /** First wait between rounds of one index; it grows by half each round up to `maxMs`. */
  readonly intervalMs: number;
  readonly maxMs: number;
  /** The item as the queue holds it now (undefined once it left the list). */
  readonly item: (id: string) => JournalItem | undefined;
  /**
   * Records where an item stands with its index: in the journal first, then in memory. Rejects
   * when it could not be recorded; see `held`.
   */
  readonly save: (id: string, index: ItemIndex) => Promise<void>;
  /** Whether a failure to record is the queue's (a full disk): the work is tried again later. */
  readonly held: (error: unknown) => boolean;
}

/** An asset the item's upload made or found, once there is one. */
function assetOf(item: JournalItem): string | null {
  const { status } = item;
  if (status.kind === 'ready') return status.assetId;
  if (status.kind === 'duplicate') return status.assetId;
  return null;
}

/**
 * Puts uploaded videos into the index chosen for them, exactly once, and follows each job to
 * "searchable" or "failed". Each request is billed by the video minute, so it is recorded as
 * `requesting` before it is sent, and after a lost answer or a restart TwelveLabs is asked which
 * indexes hold the asset before any request goes again. Jobs are followed per index, many in few
 * calls: one list of the index's finished jobs, newest change first, per round, with growing
 * waits, as follow-through does for assets. An index that is gone holds its items with a reason
 * (looked at again each round), never fails them; a rate limit on the index routes waits on its own.
 */
export class Indexing {
  readonly #options: IndexingOptions;
  /** Items whose request is being made or reconciled now. */
  readonly #requesting = new Set<string>();
  /** Per asset, the request in flight: two copies of one file never ask twice for the same index. */
  readonly #byAsset = new Map<string, Promise<void>>();
  /** The job each asset got in each index here ("index\0asset"), for copies of one file. */
  readonly #jobs = new Map<string, string>();
  /** Per index: the items being followed and the loop following them. */
  readonly #indexes = new Map<string, { items: Map<string, number>; loop: Promise<void>; wake: () => void }>();
  /** The clock the jobs' times are compared with. */
  readonly #now = Date.now;
  readonly #closing = new AbortController();

  constructor(options: IndexingOptions) {
    this.#options = options;
  }

  /** Takes up the item's index work where it stands (a new upload, or one from before a restart). */
  start(id: string): void {
    const item = this.#options.item(id);
    const index = item?.index;
    if (!item || !index || this.#closing.signal.aborted) return;
    switch (index.state) {
      case 'waiting':
      case 'requesting':
      case 'held':
        if (assetOf(item) !== null) this.#requestSoon(id);
        return;
      case 'indexing':
        this.#follow(index.id, id);
        return;
      default:
        return;
    }
  }

  /** Stops following an item (it left the list); a request already sent is not taken back. */
  forget(id: string): void {
    for (const entry of this.#indexes.values()) entry.items.delete(id);
  }

  async close(): Promise<void> {
    this.#closing.abort();
    for (const entry of this.#indexes.values()) entry.wake();
    await Promise.all([...this.#indexes.values()].map((entry) => entry.loop));
    await Promise.all([...this.#byAsset.values()]);
  }

  /**
   * Starts an item's request in the background. What cannot be recorded, when it is not the
   * queue's storage (the journal closed as the app quits), is dropped, as follow-through drops it:
   * the item stays as the journal last has it and is taken up again at the next start.
   */
  #requestSoon(id: string): void {
    this.#request(id).catch(() => undefined);
  }

  async #save(id: string, index: ItemIndex): Promise<boolean> {
    try {
      await this.#options.save(id, index);
      return true;
    } catch (error) {
      if (!this.#options.held(error)) throw error;
      return false;
    }
  }

  /** Sends the item's request once, or finds that it arrived, then follows the job. */
  async #request(id: string): Promise<void> {
    if (this.#requesting.has(id)) return;
    this.#requesting.add(id);
    try {
      let wait = this.#options.intervalMs;
      for (let round = 0; !this.#closing.signal.aborted; round += 1) {
        const item = this.#options.item(id);
        const index = item?.index;
        const assetId = item && assetOf(item);
        if (!item || !index || !assetId) return;
        if (!isIndexable(item.kind)) {
          await this.#save(id, {
            ...index,
            state: 'skipped',
            message: `only videos go into an index, and this is ${article(item.kind)}`,
          });
          return;
        }
        // One asset, one request at a time: a copy of the same file waits for the other's
        // answer, then asks which indexes hold the asset before it would request again.
        const previous = this.#byAsset.get(assetId);
        const again = previous !== undefined || round > 0 || index.state !== 'waiting';
        const attempt = (previous ?? Promise.resolve()).then(() => this.#attempt(id, assetId, again));
        const settled = attempt.then(
          () => undefined,
          () => undefined,
        );
        this.#byAsset.set(assetId, settled);
        const outcome = await attempt.finally(() => {
          if (this.#byAsset.get(assetId) === settled) this.#byAsset.delete(assetId);
        });
        if (outcome === 'done') return;
        await sleep(wait, this.#closing.signal).catch(() => undefined);
        wait = Math.min(this.#options.maxMs, Math.round(wait * 1.5));
      }
    } finally {
      this.#requesting.delete(id);
    }
  }

  /**
   * One try: reconcile when an earlier request may have arrived, else record and send. `again`
   * tells that one may have (a lost answer, a restart, a copy of the same file).
   */
  async #attempt(id: string, assetId: string, again: boolean): Promise<'done' | 'later'> {
    const { client } = this.#options;
    const signal = this.#closing.signal;
    const item = this.#options.item(id);
    const index = item?.index;
    if (!item || !index || signal.aborted) return 'done';
    const key = `${index.id}\0${assetId}`;
    try {
      // A copy of a file already indexed here takes its job (a failed one being retried does not).
      const known = this.#jobs.get(key);
      if (known !== undefined && known !== index.jobId) {
        if (!(await this.#save(id, { ...index, state: 'indexing', jobId: known }))) return 'later';
        this.#follow(index.id, id);
        return 'done';
      }
      if (again || item.status.kind === 'duplicate') {
        // Asked before any second request: is the asset in this index already (and not failed)?
        const holding = await liveJob(this.#options.client, assetId, index.id, this.#closing.signal);
        if (holding) {
          this.#jobs.set(key, holding);
          if (!(await this.#save(id, { ...index, state: 'indexing', jobId: holding }))) return 'later';
          this.#follow(index.id, id);
          return 'done';
        }
      }
      if (!(await this.#save(id, { ...index, state: 'requesting' }))) return 'later';
      const jobId = await client.indexAsset(index.id, assetId, item.userMetadata, signal);
      this.#jobs.set(key, jobId);
      if (!(await this.#save(id, { ...index, state: 'indexing', jobId }))) return 'later';
      this.#follow(index.id, id);
      return 'done';
    } catch (error) {
      if (signal.aborted) return 'done';
      if (!(error instanceof ApiError) || error.kind !== 'http' || error.transient) return 'later';
      if (error.status === 404) {
        // The index is gone (or not visible yet): held, never failed; looked at again each round.
        await this.#save(id, {
          ...index,
          state: 'held',
          message: `the index ${index.name} is not there. It may have been deleted: choose another index, then Retry indexing`,
        });
        return 'later';
      }
      if (error.code === 'asset_not_ready') return 'later';
      await this.#save(id, { ...index, state: 'failed', message: `TwelveLabs said: ${error.message}` });
      return 'done';
    }
  }

  /** A job of `indexId` for the asset that has not failed (a failed one is asked again), or null. */
  #follow(indexId: string, id: string): void {
    if (this.#closing.signal.aborted) return;
    const entry = this.#indexes.get(indexId);
    // Joins the next round of its index's loop: files finishing one by one cost no extra calls.
    if (entry) {
      entry.items.set(id, this.#now());
      return;
    }
    let wake = () => undefined as void;
    const items = new Map([[id, this.#now()]]);
    const created = { items, wake: () => wake(), loop: Promise.resolve() };
    // A round that cannot record what it learned ends the loop (see `#requestSoon`).
    created.loop = this.#followIndex(indexId, items, (waker) => (wake = waker))
      .catch(() => undefined)
      .finally(() => {
        this.#indexes.delete(indexId);
        // An item added as the loop ended is followed by a loop of its own.
        for (const left of items.keys()) this.#follow(indexId, left);
      });
    this.#indexes.set(indexId, created);
  }

  /**
   * Follows an index's jobs until none is left. Each round lists the index's jobs, the most
   * recently changed first, until every followed job is seen or the list reaches jobs changed
   * before any of them was asked for; a job not seen then is asked about alone, which says whether
   * it is gone. `items` maps each followed item to when it was followed.
   */
  async #followIndex(indexId: string, items: Map<string, number>, onWake: (wake: () => void) => void): Promise<void> {
    const { client, intervalMs, maxMs } = this.#options;
    const signal = this.#closing.signal;
    let wait = intervalMs;
    while (items.size > 0 && !signal.aborted) {
      await new Promise<void>((resume) => {
        const timer = setTimeout(resume, wait);
        onWake(() => {
          clearTimeout(timer);
          resume();
        });
      });
      if (signal.aborted) return;
      try {
        const jobs = new Map<string, string>();
        for (const [id] of items) {
          const jobId = this.#options.item(id)?.index?.jobId;
          if (jobId) jobs.set(jobId, id);
          else items.delete(id);
        }
        const oldest = Math.min(...items.values()) - CLOCK_MARGIN_MS;
        const seen = new Set<string>();
        let listedAll = false;
        for (let page = 1; page <= PAGES_PER_ROUND && seen.size < jobs.size; page += 1) {
          const result = await client.listIndexedAssets(
            indexId,
            { statuses: ['pending', 'queued', 'indexing', 'ready', 'failed'], page, pageLimit: PER_PAGE },
            signal,
          );
          for (const job of result.data) {
            const id = jobs.get(job._id);
            if (!id) continue;
            seen.add(job._id);
            if (job.status !== 'ready' && job.status !== 'failed') continue;
            await this.#finish(id, job.status, job.indexed_at);
            items.delete(id);
          }
          const last = result.data.at(-1)?.updated_at;
          const pastOldest = last !== undefined && Date.parse(last) < oldest;
          if (result.data.length < PER_PAGE || page >= result.pageInfo.total_page || pastOldest) {
            listedAll = true;
            break;
          }
        }
        // Not among the index's jobs at all: asked about alone, which also says whether it is gone.
        for (const [jobId, id] of listedAll ? jobs : []) {
          if (seen.has(jobId) || !items.has(id)) continue;
          const job = await client.getIndexedAsset(indexId, jobId, signal).catch((error: unknown) => {
            if (error instanceof ApiError && error.status === 404) return null;
            throw error;
          });
          if (job === null) {
            // The job (or its index) is gone: asked again from the start, which reconciles first.
            items.delete(id);
            const index = this.#options.item(id)?.index;
            if (index) await this.#save(id, { ...index, state: 'requesting' });
            this.#requestSoon(id);
          } else if (job.status === 'ready' || job.status === 'failed') {
            await this.#finish(id, job.status, job.indexed_at);
            items.delete(id);
          }
        }
      } catch (error) {
        if (signal.aborted) return;
        // Not the API's and not the queue's storage (the journal closed): see `#requestSoon`.
        if (!(error instanceof ApiError) && !this.#options.held(error)) return;
        // The index is gone while its jobs were followed: those items are asked again (and held).
        if (error instanceof ApiError && error.status === 404) {
          for (const [id] of items) {
            const index = this.#options.item(id)?.index;
            if (index) await this.#save(id, { ...index, state: 'requesting' });
            this.#requestSoon(id);
          }
          items.clear();
        }
      }
      wait = Math.min(maxMs, Math.round(wait * 1.5));
    }
  }

  async #finish(id: string, status: 'ready' | 'failed', indexedAt: string | undefined): Promise<void> {
    const item = this.#options.item(id);
    const index = item?.index;
    if (!item || !index) return;
    if (status === 'ready') {
      const at = indexedAt ? Date.parse(indexedAt) : NaN;
      await this.#save(id, { ...index, state: 'searchable', ...(Number.isFinite(at) && { indexedAt: at }) });
      return;
    }
    // TwelveLabs gives no reason; what the check found against Marengo's rules is the likely one.
    await this.#save(id, {
      ...index,
      state: 'failed',
      message: item.notice ?? 'TwelveLabs did not say why. Check that the video plays, then Retry indexing',
    });
  }
}

function article(kind: string): string {
  return kind === 'image' ? 'an image' : kind === 'audio' ? 'audio' : `a ${kind}`;
}
