import { open, type FileHandle } from 'node:fs/promises';
import { m } from '../../shared/i18n';
import type { ApiClient } from '../api/client';
import { ApiError } from '../api/errors';
import type { WirePresignedUrl } from '../api/types';
import type { Journal, JournalItem, MultipartSession } from './journal';
import type { MediaKind, PartsSent } from '../../shared/uploads';
import { retrying, sleep, type RetryPolicy } from '../api/retry';
import { fileRange, readFully, sliced, type BandwidthLimiter, type ChunkBuffers } from './throughput';
import { assertUnchanged } from './file-facts';
import { UrlSupply } from './url-supply';
import { mapLimited, type Release } from '../util/limiter';

/** What the multipart strategy needs from the engine around it. */
export interface MultipartContext {
  readonly item: JournalItem;
  readonly client: ApiClient;
  readonly journal: Journal;
  readonly signal: AbortSignal;
  readonly retry: RetryPolicy;
  readonly limiter: BandwidthLimiter;
  /** Where chunks are read to before they are sent; shared by every upload. */
  readonly buffers: ChunkBuffers;
  readonly now: () => number;
  readonly enableHls: boolean;
  readonly enableThumbnail: boolean;
  /** Chunks reported per call. Reporting is cheap but not free; see the engine's default. */
  readonly reportBatchSize: number;
  readonly stallMs: number;
  /** A presigned URL with less than this left is replaced before use (default one minute). */
  readonly urlMarginMs?: number | undefined;
  /** Waits for one of the global chunk slots; resolves to its release. */
  readonly acquireChunkSlot: (signal: AbortSignal) => Promise<Release>;
  /**
   * Bytes confirmed so far (chunks with an ETag) plus bytes of chunks in flight, and the parts
   * confirmed of all: a slow line then reads "part 7 of 15" while a part is on its way.
   */
  readonly onProgress: (bytes: number, parts: PartsSent) => void;
  /** A notice for the item, such as a session that expired and restarted. */
  readonly onNotice: (notice: string) => void;
}

/**
 * Finds a session this item created whose create response never arrived: an incomplete session of
 * the same size created since the attempt began, and the asset it reserved under the same name.
 */
async function findLostSession(context: MultipartContext, since: number): Promise<MultipartSession | null> {
  const { client, item, journal } = context;
  // Two seconds of slack for a server clock slightly behind ours.
  const after = since - 2000;
  const known = await journal.sessionUploadIds();
  const sessions = await client.listIncompleteUploads(1, 50, context.signal);
  const session = sessions.data.find(
    (s) => s.total_size === item.size && !known.has(s.upload_id) && Date.parse(s.created_at ?? '') >= after,
  );
  if (!session) return null;
  // The asset a session reserves is not listed until the upload completes, so the session is
  // adopted without it; the first report's answer names it (see `uploadMultipart`).
  return {
    itemId: item.id,
    uploadId: session.upload_id,
    assetId: '',
    chunkSize: session.chunk_size,
    totalChunks: session.total_chunks,
    expiresAt: Date.parse(session.expires_at ?? '') || context.now() + 23 * 60 * 60 * 1000,
    createdAt: context.now(),
  };
}

/** Presigned URLs are single-use and expire; one with less than this left is not used. */
const URL_MARGIN_MS = 60_000;
/** The longest a pause or quit waits to report what was sent. */
const FLUSH_LIMIT_MS = 10_000;
/**
 * S3's answers that are about the request, not the file: sent again with a fresh address.
 * (`RequestTimeout` comes as a 400 when a body was too slow; the others when a URL went stale.)
 */
const STORAGE_RETRY = /<Code>(RequestTimeout|ExpiredToken|SignatureDoesNotMatch|RequestTimeTooSkewed|SlowDown)<\/Code>/;

/** How many URLs to ask for at once (the API's ceiling is 50). */
const URL_BATCH = 20;

/**
 * Uploads a file through `/assets/multipart-uploads`, resuming from whatever the journal and the
 * server already have. Every ETag is journalled the moment it arrives; reports go out in batches
 * and are flushed before returning, whether the upload finished, paused or failed.
 * Returns the asset id once the server confirms the upload is complete.
 */
export async function uploadMultipart(context: MultipartContext): Promise<string> {
  // Opened by the first chunk read into a buffer, and closed when this upload ends.
  let handle: Promise<FileHandle> | undefined;
  try {
    return await sendInParts(context, () => (handle ??= open(context.item.path, 'r')));
  } finally {
    await handle?.then((opened) => opened.close()).catch(() => undefined);
  }
}

async function sendInParts(context: MultipartContext, file: () => Promise<FileHandle>): Promise<string> {
  const { item, client, journal, signal, retry } = context;
  const call = <T>(operation: () => Promise<T>) => retrying(operation, retry, signal);

  let session = await journal.session(item.id);
  if (session && context.now() >= session.expiresAt) {
    await journal.dropSession(item.id);
    session = undefined;
    context.onNotice(m.notice_session_expired_day());
  }
  // Filled from the create answer's first addresses once there is a session; see `UrlSupply`.
  const firstUrls: WirePresignedUrl[] = [];
  if (!session) {
    // A create whose answer was lost still made a session: find it before making another.
    let attemptStartedAt = item.attemptStartedAt;
    session = await retrying(
      async (attempt) => {
        if (attempt > 0 || attemptStartedAt !== null) {
          const found = await findLostSession(context, attemptStartedAt ?? context.now());
          if (found) return found;
        }
        attemptStartedAt = context.now();
        await journal.setAttemptStarted(item.id, attemptStartedAt);
        const created = await client.createMultipart({
          filename: item.name,
          type: multipartType(item.kind),
          totalSize: item.size,
          enableHls: context.enableHls,
          enableThumbnail: context.enableThumbnail,
          userMetadata: item.userMetadata,
          signal,
        });
        firstUrls.push(...(created.upload_urls ?? []));
        return {
          itemId: item.id,
          uploadId: created.upload_id,
          assetId: created.asset_id,
          chunkSize: created.chunk_size,
          totalChunks: created.total_chunks,
          expiresAt: Date.parse(created.expires_at),
          createdAt: context.now(),
        } satisfies MultipartSession;
      },
      retry,
      signal,
    );
    await journal.saveSession(session);
    await journal.setAttemptStarted(item.id, null);
  } else {
    const server = await call(() => client.confirmedChunks(session!.uploadId, signal));
    if (server.status === 'completed') return session.assetId || completedAsset(context);
    if (server.status === 'expired' || server.status === 'failed') {
      await journal.dropSession(item.id);
      context.onNotice(m.notice_session_expired());
      return sendInParts(context, file);
    }
    const local = await journal.chunks(item.id);
    await journal.markReported(
      item.id,
      local.filter((chunk) => server.indexes.has(chunk.index)).map((chunk) => chunk.index),
    );
  }
  const active: MultipartSession = session;
  let assetId = active.assetId;
  const chunkBytes = (index: number) =>
    index < active.totalChunks ? active.chunkSize : item.size - active.chunkSize * (active.totalChunks - 1);

  const known = await journal.chunks(item.id);
  const done = new Set(known.map((chunk) => chunk.index));
  let confirmedBytes = known.reduce((sum, chunk) => sum + chunk.size, 0);
  let confirmedParts = known.length;
  const inFlight = new Map<number, number>();
  const progress = () =>
    context.onProgress(confirmedBytes + [...inFlight.values()].reduce((a, b) => a + b, 0), {
      done: confirmedParts,
      total: active.totalChunks,
    });
  progress();

  // Chunks with an ETag the server has not confirmed yet are reported first, not sent again.
  let batch = known.filter((chunk) => !chunk.reported).map(({ index, etag, size }) => ({ index, etag, size }));
  let reported = known.filter((chunk) => chunk.reported).length;
  let completedUrl: string | undefined;
  let reporting: Promise<void> = Promise.resolve();
  /**
   * Reports what is batched; one report per session at a time, never cancelled half-way. The
   * report that would complete the session is held back unless `complete` is set, because the
   * server assembles the file the moment every chunk is in: the file is checked for changes first.
   */
  const flush = (complete = false, until?: AbortSignal): Promise<void> => {
    // A report that failed before leaves its chunks in the batch; the next flush sends them again.
    reporting = reporting
      .catch(() => undefined)
      .then(async () => {
        while (batch.length > 0) {
          const room = complete ? 50 : Math.min(50, active.totalChunks - reported - 1);
          if (room <= 0) return;
          const sending = batch.slice(0, room);
          const response = await retrying(() => client.reportChunks(active.uploadId, sending, until), retry, until);
          await journal.markReported(
            item.id,
            sending.map((chunk) => chunk.index),
          );
          reported += sending.length;
          batch = batch.filter((chunk) => !sending.includes(chunk));
          if (response.url) completedUrl = response.url;
          // A session adopted after a lost create learns its asset from the first report.
          if (response.asset_id && !assetId) {
            assetId = response.asset_id;
            await journal.saveSession({ ...active, assetId });
          }
        }
      });
    return reporting;
  };

  const pending = Array.from({ length: active.totalChunks }, (_, i) => i + 1).filter((index) => !done.has(index));

  const urls = new UrlSupply({
    fetch: (start, count) => call(() => client.presignedUrls(active.uploadId, start, count, signal)),
    order: pending,
    now: context.now,
    marginMs: context.urlMarginMs ?? URL_MARGIN_MS,
    batch: URL_BATCH,
  });
  urls.add(firstUrls);

  /** One chunk, sent until it has an ETag; `chunkSignal` stops it (the whole upload's, or the pool's). */
  async function sendChunk(index: number, chunkSignal: AbortSignal): Promise<void> {
    const start = (index - 1) * active.chunkSize;
    const size = chunkBytes(index);
    const etag = await retrying(
      async () => {
        const release = await context.acquireChunkSlot(chunkSignal);
        const attempt = new AbortController();
        const forward = () => attempt.abort(chunkSignal.reason);
        chunkSignal.addEventListener('abort', forward, { once: true });
        // Stopped before this attempt began: a listener added now would never fire.
        if (chunkSignal.aborted) forward();
        inFlight.set(index, 0);
        try {
          const url = await urls.take(index);
          const meter = {
            onBytes: (bytes: number) => {
              inFlight.set(index, (inFlight.get(index) ?? 0) + bytes);
              progress();
            },
            limiter: context.limiter,
            controller: attempt,
            stallMs: context.stallMs,
          };
          const buffer = context.buffers.take(size);
          let body;
          try {
            if (buffer) await readFully(await file(), buffer.subarray(0, size), start);
            body = buffer ? sliced(buffer.subarray(0, size), meter) : fileRange(item.path, start, start + size, meter);
          } catch (error) {
            if (buffer) context.buffers.give(buffer);
            throw error;
          }
          const sent = context.client.putChunk(url, body, size, attempt.signal);
          // The buffer is reused once the request is over and only then; after a failure a write
          // might still hold it, so it is left to the garbage collector.
          if (buffer)
            sent.then(
              () => context.buffers.give(buffer),
              () => context.buffers.discard(buffer),
            );
          return await sent.catch((error: unknown) => {
            if (attempt.signal.aborted && !chunkSignal.aborted) throw attempt.signal.reason;
            // A refused presigned URL (expired, used, or a storage error about the request itself)
            // is replaced, not counted as the file's failure.
            if (error instanceof ApiError && (error.status === 403 || STORAGE_RETRY.test(error.message))) {
              throw new ApiError('network', m.notice_address_refused(), null, 'url_refused');
            }
            throw error;
          });
        } finally {
          chunkSignal.removeEventListener('abort', forward);
          inFlight.delete(index);
          release();
        }
      },
      retry,
      chunkSignal,
    );
    await journal.recordChunk(item.id, { index, etag, size });
    // Checked after every chunk: a file that changes mid-upload is stopped at once, not at the end.
    await assertUnchanged(item.path, item);
    confirmedBytes += size;
    confirmedParts += 1;
    progress();
    batch.push({ index, etag, size });
    // Reported in the background; a refused or failed report is tried again by the final flush.
    if (batch.length >= context.reportBatchSize) flush().catch(() => undefined);
  }

  /** Lines the journal up with what the server says it holds, and sends what it lacks. */
  async function reconcile(): Promise<void> {
    const server = await call(() => client.confirmedChunks(active.uploadId, signal));
    if (server.status === 'completed') {
      batch = [];
      return;
    }
    const local = await journal.chunks(item.id);
    const missing = local.filter((chunk) => !server.indexes.has(chunk.index)).map((chunk) => chunk.index);
    await journal.markReported(item.id, [...server.indexes]);
    await journal.forgetChunks(item.id, missing);
    batch = [];
    reported = server.indexes.size;
    const held = local.filter((chunk) => server.indexes.has(chunk.index));
    confirmedBytes = held.reduce((sum, chunk) => sum + chunk.size, 0);
    confirmedParts = held.length;
    for (const index of missing) await sendChunk(index, signal);
  }

  try {
    // The first chunk that fails stops the others before this upload ends, so none goes on
    // sending for an upload that is over: a later run of the same file (a retry, the queue going
    // on after a full disk) would otherwise race it on the same session. The chunk slots are
    // shared by every upload, so 32 is just an upper bound per file.
    await mapLimited(pending, 32, (index, _, stopped) => sendChunk(index, stopped), signal);
  } finally {
    // Paused, failed or finished: what has an ETag is reported now, so nothing is sent twice later.
    // Behind a shut gate (offline, key rejected) this gives up after a while: the ETags are in the
    // journal and are reported first thing on resume.
    await flush(false, AbortSignal.timeout(FLUSH_LIMIT_MS)).catch(() => undefined);
  }
  if (signal.aborted) throw signal.reason;

  // Never let the server assemble a file that is half old, half new: the session is dropped.
  await assertUnchanged(item.path, item).catch(async (error: unknown) => {
    await journal.dropSession(item.id);
    throw error;
  });
  await flush(true).catch(async (error: unknown) => {
    if (!(error instanceof ApiError) || error.transient || signal.aborted) throw error;
    // Refused (400/403/404): the server's own list says what it lacks. Chunks it has count as
    // reported; the rest are sent again, with fresh addresses, and reported once more.
    await reconcile();
    await flush(true);
  });
  if (!completedUrl) {
    // The last report came back without the asset's URL: the server may still be assembling the
    // file. Asked again a few times, a second apart, before saying it is incomplete.
    let server = await call(() => client.confirmedChunks(active.uploadId, signal));
    // Short of chunks: the server marked some failed ("upload it again") or lost them. Those are
    // sent again with fresh addresses and reported again, a few rounds at most.
    for (
      let round = 0;
      round < 3 && server.status === 'active' && server.indexes.size < active.totalChunks;
      round += 1
    ) {
      await reconcile();
      await flush(true);
      server = await call(() => client.confirmedChunks(active.uploadId, signal));
    }
    for (let wait = 0; wait < 3 && server.status === 'active' && server.indexes.size >= active.totalChunks; wait += 1) {
      await sleep(1000, signal);
      server = await call(() => client.confirmedChunks(active.uploadId, signal));
    }
    if (server.status !== 'completed') {
      throw new ApiError(
        'http',
        `The server holds ${server.indexes.size} of ${active.totalChunks} chunks.`,
        null,
        'incomplete',
      );
    }
  }
  return assetId || completedAsset(context);
}

/**
 * The asset of a completed upload whose id was never heard (its create answer was lost and no
 * report answered since): once complete it is listed, the newest multipart asset of that name.
 */
async function completedAsset(context: MultipartContext): Promise<string> {
  const { client, item } = context;
  const found = await retrying(
    () => client.listAssets({ filename: item.name, pageLimit: 50 }, context.signal),
    context.retry,
    context.signal,
  );
  const asset = found.data.find((entry) => entry.method === 'multipart' && entry.filename === item.name);
  if (!asset)
    throw new ApiError(
      'http',
      'The upload is complete, but TwelveLabs does not list its asset yet.',
      503,
      'asset_not_listed',
    );
  return asset._id;
}

/** The multipart routes take video, audio and images; documents always go in one request. */
function multipartType(kind: MediaKind): 'video' | 'audio' | 'image' {
  if (kind === 'document') throw new Error('Documents are not sent in parts.');
  return kind;
}
