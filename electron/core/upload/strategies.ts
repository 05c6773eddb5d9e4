import { type PartsSent, type UploadStrategy } from '../../shared/uploads';
import { m } from '../../shared/i18n';
import { LIMITS } from '../../shared/limits';
import type { ApiClient } from '../api/client';
import { ApiError } from '../api/errors';
import { retrying, type RetryPolicy } from '../api/retry';
import type { Limiter } from '../util/limiter';
import type { Journal, JournalItem } from './journal';
import { FileProblem, readFacts, sameFacts } from './file-facts';
import type { ItemTable } from './item-table';
import { uploadMultipart } from './multipart';
import { fileRange, type BandwidthLimiter, type ChunkBuffers } from './throughput';

/** Sends one item's content and resolves to the asset it became; `controller` stops it. */
export type Strategy = (item: JournalItem, controller: AbortController) => Promise<string>;

/** What every strategy shares with the engine around it. */
export interface StrategyContext {
  readonly client: ApiClient;
  readonly journal: Journal;
  /** The queue in memory: the create attempt is kept there too, and claimed assets are read. */
  readonly items: ItemTable;
  readonly settings: () => { readonly enableHls: boolean; readonly enableThumbnail: boolean };
  readonly retry: RetryPolicy;
  readonly now: () => number;
  readonly bandwidth: BandwidthLimiter;
  readonly buffers: ChunkBuffers;
  /** Chunks in flight across every upload. */
  readonly chunkSlots: Limiter;
  readonly reportBatchSize: number;
  readonly stallMs: number;
  readonly urlMarginMs: number | undefined;
  readonly progress: (id: string, bytes: number, parts?: PartsSent) => void;
  readonly notice: (id: string, notice: string) => Promise<void>;
}

/**
 * The three ways content reaches TwelveLabs, behind one seam: the scheduler looks up the item's
 * strategy and awaits the asset id, whatever the route.
 */
export function strategies(context: StrategyContext): Record<UploadStrategy, Strategy> {
  const direct: Strategy = (item, controller) =>
    createOnce(context, item, controller, async (attempt) => {
      const { enableHls, enableThumbnail } = context.settings();
      let sent = 0;
      const asset = await context.client.createAssetDirect({
        filename: item.name,
        mime: item.mime,
        size: item.size,
        enableHls,
        enableThumbnail,
        userMetadata: item.userMetadata,
        signal: attempt.signal,
        file: () =>
          fileRange(item.path, 0, item.size, {
            onBytes: (bytes) => {
              sent += bytes;
              context.progress(item.id, sent);
            },
            limiter: context.bandwidth,
            controller: attempt,
            stallMs: context.stallMs,
          }),
      });
      const after = await readFacts(item.path);
      if (!after || !sameFacts(after, item)) {
        // The bytes sent may mix two versions of the file: the asset made from them is removed,
        // and never taken for this file's on a later try.
        await context.journal.setAttemptStarted(item.id, null);
        await context.client.deleteAsset(asset._id, true).catch(() => undefined);
        throw new FileProblem(after ? 'file_changed' : 'file_missing');
      }
      return asset._id;
    });

  /**
   * A resumable upload; when TwelveLabs refuses the multipart routes themselves (a 403 before any
   * session exists) and the file is within the direct limit, it goes in one request instead.
   */
  const multipart: Strategy = async (item, controller) => {
    const { enableHls, enableThumbnail } = context.settings();
    try {
      return await uploadMultipart({
        item,
        client: context.client,
        journal: context.journal,
        signal: controller.signal,
        retry: context.retry,
        limiter: context.bandwidth,
        buffers: context.buffers,
        now: context.now,
        enableHls,
        enableThumbnail,
        reportBatchSize: context.reportBatchSize,
        stallMs: context.stallMs,
        urlMarginMs: context.urlMarginMs,
        acquireChunkSlot: (signal) => context.chunkSlots.acquire(signal),
        onProgress: (bytes, parts) => context.progress(item.id, bytes, parts),
        onNotice: (notice) => void context.notice(item.id, notice),
      });
    } catch (error) {
      const refused = error instanceof ApiError && error.status === 403 && !controller.signal.aborted;
      if (!refused || item.size > LIMITS.directMediaMaxBytes || (await context.journal.session(item.id))) throw error;
      await context.notice(
        item.id,
        'TwelveLabs did not allow a resumable upload for this file, so it was sent in one piece.',
      );
      return direct(item, controller);
    }
  };

  /**
   * A direct upload refused as too large by something on the way (a proxy capping request bodies
   * answers 413; the API's own limit is checked before sending) goes again in parts, whose chunks
   * are small. Refused before anything was made, so no asset can come of the first try.
   */
  const directOrParts: Strategy = async (item, controller) => {
    try {
      return await direct(item, controller);
    } catch (error) {
      const capped = error instanceof ApiError && error.status === 413 && !controller.signal.aborted;
      if (!capped || (item.kind !== 'video' && item.kind !== 'audio')) throw error;
      await context.journal.setAttemptStarted(item.id, null);
      await context.notice(item.id, m.notice_sent_in_parts());
      return multipart(item, controller);
    }
  };

  /**
   * `POST /assets` with method=url: TwelveLabs fetches the link itself, so nothing streams from
   * here; from the moment it answers, the asset is processing on TwelveLabs' side.
   */
  const url: Strategy = (item, controller) =>
    createOnce(context, item, controller, async (attempt) => {
      const { enableHls, enableThumbnail } = context.settings();
      const asset = await context.client.createAssetFromUrl({
        url: item.path,
        filename: item.name,
        enableHls,
        enableThumbnail,
        userMetadata: item.userMetadata,
        signal: attempt.signal,
      });
      return asset._id;
    });

  return { direct: directOrParts, multipart, url };
}

/**
 * One `POST /assets`, made exactly once across retries and restarts: the start of each attempt
 * is journalled, and before a retry after a lost response the library is asked whether the
 * earlier attempt created the asset after all. `create` gets a controller for this attempt
 * alone (a stalled body aborts the attempt, not the item).
 */
async function createOnce(
  context: StrategyContext,
  item: JournalItem,
  controller: AbortController,
  create: (attempt: AbortController) => Promise<string>,
): Promise<string> {
  const { items, journal } = context;
  const since = item.attemptStartedAt;
  if (since !== null) {
    const existing = await findCreated(context, item, since, controller.signal);
    if (existing) return existing;
  }
  return retrying(
    async (attempt) => {
      if (attempt > 0) {
        const existing = await findCreated(
          context,
          item,
          items.get(item.id)?.attemptStartedAt ?? context.now(),
          controller.signal,
        );
        if (existing) return existing;
      }
      const startedAt = context.now();
      await journal.setAttemptStarted(item.id, startedAt);
      const current = items.get(item.id);
      if (current) items.set(item.id, { ...current, attemptStartedAt: startedAt });
      const attemptController = new AbortController();
      const forward = () => attemptController.abort(controller.signal.reason);
      controller.signal.addEventListener('abort', forward, { once: true });
      // Stopped before this attempt began: a listener added now would never fire.
      if (controller.signal.aborted) forward();
      try {
        return await create(attemptController);
      } catch (error) {
        if (attemptController.signal.aborted && !controller.signal.aborted) throw attemptController.signal.reason;
        throw error;
      } finally {
        controller.signal.removeEventListener('abort', forward);
      }
    },
    context.retry,
    controller.signal,
    () => context.progress(item.id, 0),
  );
}

/** An asset with this file's name created since the attempt began, not claimed by another item. */
async function findCreated(
  context: StrategyContext,
  item: JournalItem,
  since: number,
  signal: AbortSignal,
): Promise<string | null> {
  // Two seconds of slack for a server clock that runs slightly behind ours.
  const after = since - 2000;
  const page = await retrying(
    () => context.client.listAssets({ filename: item.name, pageLimit: 50 }, signal),
    context.retry,
    signal,
  );
  for (const asset of page.data) {
    if (asset.filename !== item.name || Date.parse(asset.created_at) < after) continue;
    // An asset is written to the journal as sent before memory moves, so the journal knows every claim.
    const claimed = await context.journal.itemForAsset(asset._id);
    if (!claimed || claimed.itemId === item.id) return asset._id;
  }
  return null;
}
