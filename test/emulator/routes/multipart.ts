import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApiError, intParam, newId, readJson, seedError, sendJson, timestamp } from '../http';
import { findViolation, probeFile } from '../media';
import { pageInfo, sessionSummaryJson } from '../serialize';
import type { AssetRecord, SessionRecord } from '../state';
import { parseUserMetadata, storeStream } from './assets';
import type { EmulatorCore, Route, RouteContext } from './context';
import { apiErrorMessage } from '../../../electron/shared/api-errors';

const TYPES = new Set(['video', 'audio', 'image']);

/** The expected size of chunk `index` (1-based): full chunks, then whatever is left. */
function expectedChunkSize(session: SessionRecord, index: number): number {
  return index < session.totalChunks
    ? session.chunkSize
    : session.totalSize - session.chunkSize * (session.totalChunks - 1);
}

/** A session past its 24 h is `expired` from then on, whatever it was doing. */
function refreshStatus(core: EmulatorCore, session: SessionRecord): SessionRecord {
  if (session.status === 'active' && core.now() >= session.expiresAt) session.status = 'expired';
  return session;
}

function findSession(core: EmulatorCore, id: string | undefined): SessionRecord {
  const session = id ? core.state.sessions.get(id) : undefined;
  if (!session) throw new ApiError(404, 'resource_not_exist', 'Upload not found');
  return refreshStatus(core, session);
}

function requireActive(session: SessionRecord): void {
  if (session.status === 'expired') {
    throw seedError(400, 'upload_session_expired', { id: session.uploadId, expires_at: timestamp(session.expiresAt) });
  }
  if (session.status !== 'active') {
    throw seedError(400, 'parameter_invalid', {
      parameter: 'upload_id',
      detail: `The upload is already ${session.status}.`,
    });
  }
}

/** Presigned URLs for chunks `start`..`start+count-1`: single-use tokens that expire. */
function presign(core: EmulatorCore, session: SessionRecord, start: number, count: number) {
  const expiresAt = core.now() + core.options.urlTtlMs;
  const urls = [];
  for (let index = start; index < start + count && index <= session.totalChunks; index += 1) {
    const token = randomBytes(16).toString('hex');
    core.state.tokens.set(token, { uploadId: session.uploadId, index, expiresAt });
    urls.push({
      chunk_index: index,
      url: `${core.storageOrigin()}/__s3/${session.uploadId}/${index}?X-Amz-Signature=${token}`,
      expires_at: timestamp(expiresAt),
    });
  }
  return { urls, expiresAt };
}

async function createSession(context: RouteContext): Promise<void> {
  const core = context.emulator;
  const body = (await readJson(context.body)) as Record<string, unknown>;
  const { filename, type, total_size: totalSize } = body;
  if (typeof filename !== 'string' || filename.length === 0) {
    throw seedError(400, 'parameter_not_provided', { parameter: 'filename', detail: '' });
  }
  if (filename.length > 255) {
    throw seedError(400, 'parameter_invalid', {
      parameter: 'filename',
      detail: 'It must be 1 to 255 characters long.',
    });
  }
  if (typeof type !== 'string' || !TYPES.has(type)) {
    throw seedError(400, 'parameter_invalid', { parameter: 'type', detail: 'Use video, audio or image.' });
  }
  if (typeof totalSize !== 'number' || !Number.isInteger(totalSize) || totalSize < 1) {
    throw seedError(400, 'parameter_invalid', {
      parameter: 'total_size',
      detail: 'It must be a whole number of bytes.',
    });
  }
  const max = type === 'image' ? core.limits.imageMaxBytes : core.limits.multipartMaxBytes;
  if (totalSize > max) {
    const code =
      type === 'video'
        ? 'video_filesize_too_large'
        : type === 'audio'
          ? 'audio_filesize_too_large'
          : 'media_filesize_too_large';
    throw seedError(400, code, { maximum_size: `${max} bytes`, current_size: `${totalSize} bytes` });
  }
  const userMetadata = body.user_metadata === undefined ? {} : parseUserMetadata(body.user_metadata, false);
  const now = core.now();
  // S3 allows at most 10,000 parts, so very large files get bigger chunks.
  const chunkSize = Math.max(core.options.chunkSize, Math.ceil(totalSize / 10_000));
  const totalChunks = Math.ceil(totalSize / chunkSize);
  const assetId = newId(now);
  const uploadId = newId(now);
  core.state.seq += 1;
  const asset: AssetRecord = {
    id: assetId,
    seq: core.state.seq,
    method: 'multipart',
    status: 'processing',
    filename,
    fileType: `${type}/*`,
    createdAt: now,
    userMetadata: Object.fromEntries(
      Object.entries(userMetadata).filter(([, v]) => v !== ''),
    ) as AssetRecord['userMetadata'],
    enableHls: body.enable_hls === true,
    enableThumbnail: body.enable_thumbnail === true,
  };
  const session: SessionRecord = {
    uploadId,
    assetId,
    filename,
    type: type as SessionRecord['type'],
    totalSize,
    chunkSize,
    totalChunks,
    createdAt: now,
    updatedAt: now,
    expiresAt: now + core.options.sessionTtlMs,
    status: 'active',
    chunks: {},
  };
  core.state.assets.set(assetId, asset);
  core.state.sessions.set(uploadId, session);
  const { urls } = presign(core, session, 1, Math.min(core.options.initialUrlCount, totalChunks));
  await core.state.save();
  sendJson(context.response, 201, {
    upload_id: uploadId,
    asset_id: assetId,
    upload_urls: urls,
    upload_headers: {},
    chunk_size: chunkSize,
    total_chunks: totalChunks,
    expires_at: timestamp(session.expiresAt),
  });
}

/** S3-style refusal of a presigned URL: 403 with an XML body, as a real bucket answers. */
function accessDenied(message: string): ApiError {
  return new ApiError(403, 'AccessDenied', message);
}

/** The fake presigned endpoint: stores one chunk, answers with its quoted MD5 as the ETag. */
async function putChunk(context: RouteContext): Promise<void> {
  const core = context.emulator;
  const [uploadId = '', indexText = ''] = context.params;
  const tokenId = context.query.get('X-Amz-Signature') ?? '';
  const token = core.state.tokens.get(tokenId);
  if (!token || token.uploadId !== uploadId || token.index !== Number(indexText)) {
    throw accessDenied('Invalid or already used signature');
  }
  if (core.now() >= token.expiresAt) throw accessDenied('Request has expired');
  const session = core.state.sessions.get(uploadId);
  if (!session || refreshStatus(core, session).status !== 'active')
    throw accessDenied('The upload is no longer active');
  const dir = join(core.state.dataDir, 'uploads', uploadId);
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${token.index}.part`);
  const temp = `${path}.${tokenId}.tmp`;
  const md5 = createHash('md5');
  let size = 0;
  const startedAt = Date.now();
  try {
    await pipeline(
      context.body,
      new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          md5.update(chunk);
          size += chunk.length;
          callback(null, chunk);
        },
      }),
      createWriteStream(temp),
    );
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  // Only a chunk received in full is kept, and only then is its URL used up.
  await rename(temp, path);
  core.state.tokens.delete(tokenId);
  const etag = md5.digest('hex');
  const now = core.now();
  const previous = session.chunks[token.index];
  session.chunks[token.index] = {
    index: token.index,
    size,
    etag,
    path,
    reported: previous?.reported === true && previous.etag === etag,
    uploadedAt: now,
    updatedAt: now,
  };
  session.updatedAt = now;
  core.stats.chunkPuts += 1;
  core.stats.chunkBytes += size;
  const times = core.stats.chunkTimes.get(uploadId);
  core.stats.chunkTimes.set(uploadId, {
    firstAt: Math.min(times?.firstAt ?? startedAt, startedAt),
    lastAt: Date.now(),
    bytes: (times?.bytes ?? 0) + size,
  });
  await core.state.save();
  context.response.writeHead(200, { etag: `"${etag}"`, 'content-length': 0 });
  context.response.end();
}

/** Joins the parts into the asset's file in one streaming pass, hashing as it goes. */
async function assemble(core: EmulatorCore, session: SessionRecord, asset: AssetRecord): Promise<void> {
  const dir = join(core.state.dataDir, 'assets', asset.id);
  await mkdir(dir, { recursive: true });
  const target = join(dir, 'original');
  const parts = Array.from({ length: session.totalChunks }, (_, i) => session.chunks[i + 1]?.path ?? '');
  async function* concatenated() {
    for (const part of parts) yield* createReadStream(part, { highWaterMark: 1024 * 1024 });
  }
  const stored = await storeStream(Readable.from(concatenated()), target);
  asset.storedPath = target;
  asset.size = stored.size;
  asset.sha256 = stored.sha256;
  await rm(join(core.state.dataDir, 'uploads', session.uploadId), { recursive: true, force: true });
  if (!core.options.mediaChecks) return;
  const outcome = await probeFile(target, asset.filename);
  if (!outcome.ok) {
    const kind = outcome.problem === 'broken' ? outcome.kind : session.type;
    asset.errorMessage = apiErrorMessage(kind === 'audio' ? 'audio_file_broken' : 'video_file_broken');
    return;
  }
  asset.probe = outcome.probe;
  asset.fileType = outcome.probe.mime;
  const violation = findViolation(
    outcome.probe,
    stored.size,
    'multipart',
    core.limits,
    core.options.modelRulesAtUpload,
  );
  if (violation) asset.errorMessage = apiErrorMessage(violation.code, violation.values);
}

async function reportChunks(context: RouteContext): Promise<void> {
  const core = context.emulator;
  const session = findSession(core, context.params[0]);
  const body = (await readJson(context.body)) as { completed_chunks?: unknown };
  requireActive(session);
  if (!Array.isArray(body.completed_chunks) || body.completed_chunks.length === 0) {
    throw seedError(400, 'parameter_not_provided', { parameter: 'completed_chunks', detail: '' });
  }
  let processed = 0;
  let duplicates = 0;
  const accepted: number[] = [];
  for (const entry of body.completed_chunks as Record<string, unknown>[]) {
    const index = entry.chunk_index;
    const invalid = (detail: string) => seedError(400, 'parameter_invalid', { parameter: 'completed_chunks', detail });
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 1 || index > session.totalChunks) {
      throw invalid(`chunk_index must be between 1 and ${session.totalChunks}.`);
    }
    if (entry.proof_type !== 'etag') throw invalid('proof_type must be etag.');
    const stored = session.chunks[index];
    const proof = typeof entry.proof === 'string' ? entry.proof.replace(/^"|"$/g, '') : '';
    if (!stored || stored.etag !== proof)
      throw invalid(`The proof for chunk ${index} does not match the uploaded data.`);
    if (stored.failed) throw invalid(`Chunk ${index} failed: ${stored.failed}`);
    if (entry.chunk_size !== stored.size || stored.size !== expectedChunkSize(session, index)) {
      throw invalid(
        `Chunk ${index} must be ${expectedChunkSize(session, index)} bytes; ${stored.size} bytes were uploaded.`,
      );
    }
    if (stored.reported || accepted.includes(index)) {
      duplicates += 1;
    } else {
      accepted.push(index);
      processed += 1;
    }
  }
  const now = core.now();
  const failing = context.faults.failChunksNext;
  for (const index of accepted) {
    const chunk = session.chunks[index];
    if (!chunk) continue;
    chunk.updatedAt = now;
    if (failing && failing.count > 0) {
      failing.count -= 1;
      chunk.failed = 'The chunk could not be verified. Upload it again.';
      processed -= 1;
    } else {
      chunk.reported = true;
    }
  }
  session.updatedAt = now;
  const totalCompleted = Object.values(session.chunks).filter((chunk) => chunk.reported).length;
  let url: string | undefined;
  const asset = core.state.assets.get(session.assetId);
  if (totalCompleted === session.totalChunks && asset) {
    await assemble(core, session, asset);
    session.status = 'completed';
    url = `${core.origin()}/__files/${asset.id}/original`;
    core.process(asset.id);
  }
  await core.state.save();
  sendJson(context.response, 200, {
    asset_id: session.assetId,
    processed_chunks: processed,
    duplicate_chunks: duplicates,
    total_completed: totalCompleted,
    ...(url && { url }),
  });
}

async function sessionStatus(context: RouteContext): Promise<void> {
  const core = context.emulator;
  const session = findSession(core, context.params[0]);
  const page = intParam(context.query, 'page', 1, 1, Number.MAX_SAFE_INTEGER);
  const limit = intParam(context.query, 'page_limit', 10, 1, core.limits.pageLimitMax);
  const listed = Object.values(session.chunks)
    .filter((chunk) => chunk.reported || chunk.failed)
    .sort((a, b) => a.index - b.index);
  const reported = listed.filter((chunk) => chunk.reported);
  const failed = listed.length - reported.length;
  sendJson(context.response, 200, {
    upload_id: session.uploadId,
    status: session.status,
    uploaded_chunks: listed.slice((page - 1) * limit, page * limit).map((chunk) => ({
      index: chunk.index,
      status: chunk.reported ? 'completed' : 'failed',
      ...(!chunk.reported && { error: chunk.failed }),
      uploaded_at: timestamp(chunk.uploadedAt),
      updated_at: timestamp(chunk.updatedAt),
    })),
    chunks_completed: reported.length,
    chunks_failed: failed,
    chunks_pending: session.totalChunks - reported.length - failed,
    page_info: pageInfo(page, limit, listed.length),
    total_size: session.totalSize,
    uploaded_size: reported.reduce((sum, chunk) => sum + chunk.size, 0),
    created_at: timestamp(session.createdAt),
    updated_at: timestamp(session.updatedAt),
  });
}

async function morePresignedUrls(context: RouteContext): Promise<void> {
  const core = context.emulator;
  const session = findSession(core, context.params[0]);
  const body = (await readJson(context.body)) as { start?: unknown; count?: unknown };
  requireActive(session);
  const { start, count } = body;
  if (typeof start !== 'number' || !Number.isInteger(start) || start < 1 || start > session.totalChunks) {
    throw seedError(400, 'parameter_invalid', {
      parameter: 'start',
      detail: `It must be between 1 and ${session.totalChunks}.`,
    });
  }
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > core.limits.presignedUrlBatchMax) {
    throw seedError(400, 'parameter_invalid', {
      parameter: 'count',
      detail: `It must be between 1 and ${core.limits.presignedUrlBatchMax}.`,
    });
  }
  const generatedAt = core.now();
  const { urls, expiresAt } = presign(core, session, start, count);
  await core.state.save();
  sendJson(context.response, 200, {
    upload_id: session.uploadId,
    start_index: start,
    count: urls.length,
    upload_urls: urls,
    generated_at: timestamp(generatedAt),
    expires_at: timestamp(expiresAt),
  });
}

async function listIncomplete(context: RouteContext): Promise<void> {
  const core = context.emulator;
  const page = intParam(context.query, 'page', 1, 1, Number.MAX_SAFE_INTEGER);
  const limit = intParam(context.query, 'page_limit', 10, 1, core.limits.pageLimitMax);
  const active = [...core.state.sessions.values()]
    .map((session) => refreshStatus(core, session))
    .filter((session) => session.status === 'active')
    .sort((a, b) => b.createdAt - a.createdAt);
  sendJson(context.response, 200, {
    data: active.slice((page - 1) * limit, page * limit).map(sessionSummaryJson),
    page_info: pageInfo(page, limit, active.length),
  });
}

const BASE = '^/v1\\.3/assets/multipart-uploads';

export const multipartRoutes: readonly Route[] = [
  {
    name: 'POST /assets/multipart-uploads',
    method: 'POST',
    pattern: new RegExp(`${BASE}/?$`),
    family: 'multipart',
    auth: true,
    handle: createSession,
  },
  {
    name: 'GET /assets/multipart-uploads',
    method: 'GET',
    pattern: new RegExp(`${BASE}/?$`),
    family: 'multipart',
    auth: true,
    handle: listIncomplete,
  },
  {
    name: 'POST /assets/multipart-uploads/{id}/presigned-urls',
    method: 'POST',
    pattern: new RegExp(`${BASE}/([^/]+)/presigned-urls$`),
    family: 'multipart',
    auth: true,
    handle: morePresignedUrls,
  },
  {
    name: 'POST /assets/multipart-uploads/{id}',
    method: 'POST',
    pattern: new RegExp(`${BASE}/([^/]+)$`),
    family: 'multipart',
    auth: true,
    handle: reportChunks,
  },
  {
    name: 'GET /assets/multipart-uploads/{id}',
    method: 'GET',
    pattern: new RegExp(`${BASE}/([^/]+)$`),
    family: 'multipart',
    auth: true,
    handle: sessionStatus,
  },
  {
    name: 'PUT chunk',
    method: 'PUT',
    pattern: /^\/__s3\/([^/]+)\/(\d+)$/,
    family: 'chunks',
    auth: false,
    handle: putChunk,
  },
];
