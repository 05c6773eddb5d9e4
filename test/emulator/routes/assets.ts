import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { ApiError, drain, formatSize, intParam, newId, readJson, seedError, sendEmpty, sendJson } from '../http';
import { findViolation, probeFile, type MediaProbe } from '../media';
import { assetDetailJson, assetJson, pageInfo } from '../serialize';
import { referencedByIndex, type AssetRecord, type UserMetadata } from '../state';
import type { EmulatorCore, Route, RouteContext } from './context';

const ASSET_TYPES = new Set(['image', 'video', 'audio', 'document']);

/** The asset type a file type belongs to, as `asset_types` filters name them. */
function assetType(fileType: string): string {
  if (fileType === 'application/pdf' || fileType.startsWith('text/')) return 'document';
  return fileType.split('/')[0] ?? '';
}

const MIME_BY_EXTENSION: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.mov': 'video/quicktime',
  '.mkv': 'video/x-matroska',
  '.webm': 'video/webm',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.flac': 'audio/flac',
  '.m4a': 'audio/mp4',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain',
  '.md': 'text/markdown',
};

/** Streams bytes to a file while hashing them; never holds the file in memory. */
export async function storeStream(source: Readable, path: string): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  await pipeline(source, meter, createWriteStream(path));
  return { size, sha256: hash.digest('hex') };
}

/** Metadata values must be scalars; `allowNull` is for PATCH, where null deletes a key. */
export function parseUserMetadata(
  value: unknown,
  allowNull: boolean,
): Record<string, string | number | boolean | null> {
  const invalid = seedError(400, 'parameter_invalid', {
    parameter: 'user_metadata',
    detail: 'It must be a JSON object whose values are strings, numbers or booleans.',
  });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid;
  for (const entry of Object.values(value)) {
    const ok = ['string', 'number', 'boolean'].includes(typeof entry) || (allowNull && entry === null);
    if (!ok || (typeof entry === 'number' && !Number.isFinite(entry))) throw invalid;
  }
  return value as Record<string, string | number | boolean | null>;
}

/** Form booleans arrive as text; anything but true/false gets the API's raw bind error. */
function formBool(fields: Map<string, string>, name: string): boolean {
  const raw = fields.get(name);
  if (raw === undefined || raw === '') return false;
  const lower = raw.toLowerCase();
  if (lower === 'true' || lower === '1') return true;
  if (lower === 'false' || lower === '0') return false;
  throw new ApiError(400, 'parameter_invalid', `strconv.ParseBool: parsing "${raw}": invalid syntax`);
}

interface ParsedForm {
  fields: Map<string, string>;
  file?: { path: string; filename: string; size: number; sha256: string };
}

/** Parses the multipart/form-data body, streaming the `file` part to the data dir's incoming folder. */
async function parseForm(context: RouteContext): Promise<ParsedForm> {
  const contentType = context.request.headers['content-type'] ?? '';
  if (!/^multipart\/form-data/i.test(contentType)) {
    await drain(context.body);
    throw seedError(400, 'content_type_invalid', { content_type: contentType.split(';')[0] || '(none)' });
  }
  if (!/boundary=/i.test(contentType)) {
    await drain(context.body);
    throw seedError(400, 'multipart_boundary_missing');
  }
  const incoming = join(context.emulator.state.dataDir, 'incoming');
  await mkdir(incoming, { recursive: true });
  const form: ParsedForm = { fields: new Map() };
  const writes: Promise<void>[] = [];
  await new Promise<void>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: context.request.headers, defParamCharset: 'utf8' });
    } catch {
      reject(seedError(400, 'invalid_multipart'));
      return;
    }
    parser.on('field', (name, value) => form.fields.set(name, value));
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || form.file) {
        stream.resume();
        return;
      }
      const path = join(incoming, randomUUID());
      writes.push(
        storeStream(stream, path).then((stored) => {
          form.file = { path, filename: info.filename ?? 'upload', ...stored };
        }),
      );
    });
    parser.on('error', () => reject(seedError(400, 'invalid_multipart')));
    parser.on('close', () => resolve());
    context.body.on('error', reject);
    context.body.pipe(parser);
  });
  await Promise.all(writes);
  return form;
}

/** How long the emulator waits for a linked site's answer, and for each part of its body. */
const URL_TIMEOUT_MS = 15_000;

/**
 * Downloads a `url` upload to the incoming folder, streamed to disk as TwelveLabs would fetch it:
 * redirects followed, a stated or streamed size over the URL limit refused, a site that stops
 * answering timed out. Any failure to fetch is `media_url_not_accessible`.
 */
async function fetchUrl(
  core: EmulatorCore,
  url: string,
): Promise<{ path: string; size: number; sha256: string; filename: string }> {
  const notAccessible = seedError(400, 'media_url_not_accessible', { url });
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) throw notAccessible;
  const controller = new AbortController();
  let idle = setTimeout(() => controller.abort(), URL_TIMEOUT_MS);
  const maxBytes = core.limits.urlMediaMaxBytes;
  const tooLarge = (size: number) =>
    seedError(400, 'media_filesize_too_large', { maximum_size: formatSize(maxBytes), current_size: formatSize(size) });
  try {
    const response = await fetch(url, { signal: controller.signal, redirect: 'follow' }).catch(() => null);
    if (!response?.ok || !response.body) throw notAccessible;
    const stated = Number(response.headers.get('content-length') ?? NaN);
    if (stated > maxBytes) {
      await response.body.cancel();
      throw tooLarge(stated);
    }
    const incoming = join(core.state.dataDir, 'incoming');
    await mkdir(incoming, { recursive: true });
    const path = join(incoming, randomUUID());
    let received = 0;
    const guard = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        clearTimeout(idle);
        idle = setTimeout(() => controller.abort(), URL_TIMEOUT_MS);
        received += chunk.length;
        callback(received > maxBytes ? tooLarge(received) : null, chunk);
      },
    });
    try {
      const body = Readable.fromWeb(response.body as never);
      body.on('error', (error) => guard.destroy(error));
      const stored = await storeStream(body.pipe(guard), path);
      return {
        path,
        ...stored,
        filename: decodeURIComponent(basename(new URL(response.url || url).pathname)) || 'download',
      };
    } catch (error) {
      await rm(path, { force: true });
      throw error instanceof ApiError ? error : notAccessible;
    }
  } finally {
    clearTimeout(idle);
  }
}

/** Judges a stored upload like the API's ingest, throwing the seed's error when it breaks a rule. */
async function checkUpload(core: EmulatorCore, path: string, filename: string, size: number, method: 'direct' | 'url') {
  if (!core.options.mediaChecks) return undefined;
  const outcome = await probeFile(path, filename);
  if (!outcome.ok) {
    if (outcome.problem === 'mismatch') {
      throw seedError(400, 'parameter_invalid', {
        parameter: 'file',
        detail: `The file extension ${outcome.extension || '(none)'} does not match its content (${outcome.detected}).`,
      });
    }
    if (method === 'url') {
      if (outcome.problem === 'live') throw seedError(400, 'video_file_live');
      if (outcome.problem === 'unsupported')
        throw seedError(400, 'media_url_unsupported_format', { detected_format: outcome.detected });
      throw seedError(400, 'media_url_file_broken');
    }
    if (outcome.problem === 'unsupported' || outcome.problem === 'live') {
      const detected = outcome.problem === 'live' ? 'application/vnd.apple.mpegurl' : outcome.detected;
      throw seedError(400, 'parameter_invalid', { parameter: 'file', detail: `Unsupported asset type: ${detected}.` });
    }
    if (outcome.kind === 'video') throw seedError(400, 'video_file_broken');
    if (outcome.kind === 'audio') throw seedError(400, 'audio_file_broken');
    throw seedError(400, 'parameter_invalid', {
      parameter: 'image',
      detail: 'Invalid image file. Please check the format and dimensions.',
    });
  }
  const violation = findViolation(outcome.probe, size, method, core.limits, core.options.modelRulesAtUpload);
  if (violation) throw seedError(violation.status, violation.code, violation.values);
  return outcome.probe;
}

/** Creates an asset record for bytes already stored in the incoming folder, and starts processing. */
async function createAsset(
  core: EmulatorCore,
  init: {
    method: 'direct' | 'url';
    filename: string;
    stored: { path: string; size: number; sha256: string };
    probe: MediaProbe | undefined;
    userMetadata: UserMetadata;
    enableHls: boolean;
    enableThumbnail: boolean;
  },
): Promise<AssetRecord> {
  const now = core.now();
  const id = newId(now);
  const dir = join(core.state.dataDir, 'assets', id);
  await mkdir(dir, { recursive: true });
  const storedPath = join(dir, 'original');
  await rename(init.stored.path, storedPath);
  core.state.seq += 1;
  const asset: AssetRecord = {
    id,
    seq: core.state.seq,
    method: init.method,
    status: 'processing',
    filename: init.filename,
    fileType: init.probe?.mime ?? MIME_BY_EXTENSION[extname(init.filename).toLowerCase()] ?? 'application/octet-stream',
    createdAt: now,
    userMetadata: init.userMetadata,
    enableHls: init.enableHls,
    enableThumbnail: init.enableThumbnail,
    storedPath,
    size: init.stored.size,
    sha256: init.stored.sha256,
    probe: init.probe,
  };
  core.state.assets.set(id, asset);
  await core.state.save();
  core.process(id);
  return asset;
}

async function createAssetRoute(context: RouteContext): Promise<void> {
  const core = context.emulator;
  const form = await parseForm(context);
  const incomingFile = form.file?.path;
  try {
    const method = form.fields.get('method');
    if (method === 'multipart') {
      throw seedError(400, 'parameter_invalid', {
        parameter: 'method',
        detail: 'To upload in parts, use the /assets/multipart-uploads endpoint.',
      });
    }
    if (method !== 'direct' && method !== 'url') {
      throw new ApiError(
        400,
        'parameter_invalid',
        "Key: 'CreateAssetRequest.Method' Error:Field validation for 'Method' failed on the 'oneof' tag",
      );
    }
    const enableHls = formBool(form.fields, 'enable_hls');
    const enableThumbnail = formBool(form.fields, 'enable_thumbnail');
    let userMetadata: UserMetadata = {};
    const rawMetadata = form.fields.get('user_metadata');
    if (rawMetadata !== undefined && rawMetadata !== '') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(rawMetadata);
      } catch {
        parsed = undefined;
      }
      userMetadata = withoutEmpty(parseUserMetadata(parsed, false));
    }
    let stored: { path: string; size: number; sha256: string; filename: string };
    if (method === 'direct') {
      if (!form.file) {
        throw seedError(400, 'parameter_not_provided', {
          parameter: 'file',
          detail: 'file is required when method is direct.',
        });
      }
      if (form.file.size === 0) {
        throw seedError(400, 'parameter_invalid', {
          parameter: 'file',
          detail: 'Unable to process the uploaded file. Please try uploading again.',
        });
      }
      stored = form.file;
    } else {
      const url = form.fields.get('url');
      if (!url)
        throw seedError(400, 'parameter_not_provided', {
          parameter: 'url',
          detail: 'url is required when method is url.',
        });
      stored = await fetchUrl(core, url);
    }
    const filename = form.fields.get('filename') || stored.filename;
    try {
      const probe = await checkUpload(core, stored.path, filename, stored.size, method);
      const asset = await createAsset(core, {
        method,
        filename,
        stored,
        probe,
        userMetadata,
        enableHls,
        enableThumbnail,
      });
      sendJson(context.response, 201, assetJson(asset));
    } finally {
      if (stored.path !== incomingFile) await rm(stored.path, { force: true });
    }
  } finally {
    if (incomingFile) await rm(incomingFile, { force: true });
  }
}

function withoutEmpty(metadata: Record<string, string | number | boolean | null>): UserMetadata {
  return Object.fromEntries(
    Object.entries(metadata).filter(([, value]) => value !== null && value !== ''),
  ) as UserMetadata;
}

function findAsset(core: EmulatorCore, id: string | undefined): AssetRecord {
  const asset = id ? core.state.assets.get(id) : undefined;
  if (!asset) throw seedError(404, 'resource_not_exist', { id: id ?? '', collection: 'assets' });
  return asset;
}

async function listAssets(context: RouteContext): Promise<void> {
  const { query, emulator: core } = context;
  const page = intParam(query, 'page', 1, 1, Number.MAX_SAFE_INTEGER);
  const limit = intParam(query, 'page_limit', 10, 1, core.limits.pageLimitMax);
  const ids = new Set(query.getAll('asset_ids'));
  const types = query.getAll('asset_types');
  for (const type of types) {
    if (!ASSET_TYPES.has(type)) {
      throw seedError(400, 'parameter_invalid', {
        parameter: 'asset_types',
        detail: 'Use image, video, audio or document.',
      });
    }
  }
  const filename = query.get('filename')?.toLowerCase();
  // As the SDK documents it: the asset a multipart session reserves is not listed until the
  // upload is complete.
  const reserved = new Set(
    [...core.state.sessions.values()].filter((session) => session.status !== 'completed').map((s) => s.assetId),
  );
  const lag = context.faults.notFoundLagMs;
  const now = core.now();
  // The map holds assets in the order they were made (each takes the next seq as it is added), so
  // newest first is that order reversed: no sort per page, which a 100,000-asset read would feel.
  const matching = [...core.state.assets.values()].reverse().filter(
    (asset) =>
      !reserved.has(asset.id) &&
      // A replica that has not seen a new asset yet leaves it out of lists too.
      (!lag || now - asset.createdAt >= lag) &&
      (ids.size === 0 || ids.has(asset.id)) &&
      (types.length === 0 || types.includes(assetType(asset.fileType))) &&
      (!filename || asset.filename.toLowerCase().includes(filename)),
  );
  const data = matching.slice((page - 1) * limit, page * limit).map((asset) => assetDetailJson(asset, core.origin()));
  sendJson(context.response, 200, { data, page_info: pageInfo(page, limit, matching.length) });
}

async function deleteAsset(context: RouteContext): Promise<void> {
  const core = context.emulator;
  const asset = findAsset(core, context.params[0]);
  if (referencedByIndex(core.state, asset.id).length > 0) {
    if (context.query.get('force')?.toLowerCase() !== 'true') throw seedError(409, 'asset_in_use', { id: asset.id });
    for (const job of core.state.indexedAssets.values()) {
      if (job.assetId === asset.id) core.state.indexedAssets.delete(job.id);
    }
  }
  core.state.assets.delete(asset.id);
  await core.state.save();
  await rm(join(core.state.dataDir, 'assets', asset.id), { recursive: true, force: true });
  sendEmpty(context.response, 204);
}

async function metadataBody(context: RouteContext, allowNull: boolean) {
  const body = (await readJson(context.body)) as { user_metadata?: unknown };
  if (body.user_metadata === undefined) {
    throw seedError(400, 'parameter_not_provided', { parameter: 'user_metadata', detail: '' });
  }
  return parseUserMetadata(body.user_metadata, allowNull);
}

async function mergeMetadata(context: RouteContext): Promise<void> {
  const asset = findAsset(context.emulator, context.params[0]);
  const patch = await metadataBody(context, true);
  const next: UserMetadata = { ...asset.userMetadata };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else if (value !== '') next[key] = value;
  }
  asset.userMetadata = next;
  await context.emulator.state.save();
  sendEmpty(context.response, 204);
}

async function replaceMetadata(context: RouteContext): Promise<void> {
  const asset = findAsset(context.emulator, context.params[0]);
  asset.userMetadata = withoutEmpty(await metadataBody(context, true));
  await context.emulator.state.save();
  sendEmpty(context.response, 204);
}

async function clearMetadata(context: RouteContext): Promise<void> {
  const asset = findAsset(context.emulator, context.params[0]);
  asset.userMetadata = {};
  await context.emulator.state.save();
  sendEmpty(context.response, 204);
}

const ID = '([^/]+)';

export const assetRoutes: readonly Route[] = [
  {
    name: 'POST /assets',
    method: 'POST',
    pattern: /^\/v1\.3\/assets\/?$/,
    family: 'assets.create',
    auth: true,
    handle: createAssetRoute,
  },
  {
    name: 'GET /assets',
    method: 'GET',
    pattern: /^\/v1\.3\/assets\/?$/,
    family: 'assets.read',
    auth: true,
    handle: listAssets,
  },
  {
    name: 'GET /assets/{id}',
    method: 'GET',
    pattern: /^\/v1\.3\/assets\/([^/]+)$/,
    family: 'assets.read',
    auth: true,
    handle: async (context) =>
      sendJson(
        context.response,
        200,
        assetDetailJson(findAsset(context.emulator, context.params[0]), context.emulator.origin()),
      ),
  },
  {
    name: 'DELETE /assets/{id}',
    method: 'DELETE',
    pattern: /^\/v1\.3\/assets\/([^/]+)$/,
    family: 'assets.write',
    auth: true,
    handle: deleteAsset,
  },
  {
    name: 'PATCH /assets/{id}/user-metadata',
    method: 'PATCH',
    pattern: new RegExp(`^/v1\\.3/assets/${ID}/user-metadata$`),
    family: 'assets.write',
    auth: true,
    handle: mergeMetadata,
  },
  {
    name: 'PUT /assets/{id}/user-metadata',
    method: 'PUT',
    pattern: new RegExp(`^/v1\\.3/assets/${ID}/user-metadata$`),
    family: 'assets.write',
    auth: true,
    handle: replaceMetadata,
  },
  {
    name: 'DELETE /assets/{id}/user-metadata',
    method: 'DELETE',
    pattern: new RegExp(`^/v1\\.3/assets/${ID}/user-metadata$`),
    family: 'assets.write',
    auth: true,
    handle: clearMetadata,
  },
];
