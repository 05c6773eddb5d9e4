import { z } from 'zod';
import { ApiError } from './errors';
import type {
  WireAsset,
  WireAssetDetail,
  WireAssetIndex,
  WireIndex,
  WireIndexedAsset,
  WireIncompleteUpload,
  WireMultipartSession,
  WirePageInfo,
  WirePresignedUrl,
  WireReportResponse,
  WireUploadStatus,
} from './types';

/**
 * Every response body is read here, against what the official SDK's types allow (they are
 * generated from the API's OpenAPI definition, and mark nearly every field optional): lists sent
 * as `null` or left out (a Go server's nil slice), `page_info` left out, unknown fields, and enum
 * values this app does not know yet (a status, a method such as `connector`, a type such as
 * `document`). Each gets a sensible default, and each unknown value is reported once through
 * `onUnknown` so it reaches the log. Only what the app cannot do without (an asset's id) is an
 * error, in words.
 */
export type UnknownReporter = (what: string) => void;

/** `null` or absent becomes an empty list. */
const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((value) => value ?? []);

/*
 * A tolerant reader: a field of a type this app does not expect is never the whole answer's
 * failure (an upload that succeeded must not be called failed for it). Text that came as a
 * number is kept as its text; a number that came as text is kept when it reads as one; anything
 * else is left out, as if not sent.
 */
const text = z
  .unknown()
  .transform((value) =>
    typeof value === 'string'
      ? value
      : typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : undefined,
  )
  .optional();
const count = z
  .unknown()
  .transform((value) =>
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))
        ? Number(value)
        : undefined,
  )
  .optional();
/** A metadata value as it came: a string, number or boolean as such; anything else as its JSON. */
const metadataValue = z
  .unknown()
  .transform((value) =>
    value === null || value === undefined
      ? null
      : typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? value
        : JSON.stringify(value),
  );

const rendition = z
  .object({ status: text, manifest_url: text, representative_url: text })
  .passthrough()
  .nullish()
  .catch(() => undefined);

const assetShape = z
  .object({
    _id: z.string().nullish(),
    method: text,
    status: text,
    filename: text,
    file_type: text,
    created_at: text,
    user_metadata: z
      .record(z.string(), metadataValue)
      .nullish()
      .catch(() => undefined),
    size: count,
    duration: count,
    hls: rendition,
    thumbnail: rendition,
    technical_metadata: z
      .record(z.string(), z.unknown())
      .nullish()
      .catch(() => undefined),
    error: z
      .object({ message: text })
      .passthrough()
      .nullish()
      .catch(() => undefined),
  })
  .passthrough();

const pageInfoShape = z
  .object({ limit_per_page: count, page: count, total_page: count, total_results: count })
  .passthrough()
  .nullish();

const presignedShape = z.object({ chunk_index: count, url: text, expires_at: text }).passthrough();

const KNOWN = {
  assetStatus: ['processing', 'ready', 'failed'],
  method: ['direct', 'url', 'multipart'],
  rendition: ['pending', 'processing', 'ready', 'error'],
  session: ['active', 'completed', 'failed', 'expired'],
  chunk: ['completed', 'pending', 'failed'],
  indexedAsset: ['pending', 'queued', 'indexing', 'ready', 'failed'],
} as const;

/** A value from a known set, or `fallback` (and a note) for one this app has not seen. */
function known<T extends string>(
  value: string | null | undefined,
  set: readonly T[],
  fallback: T,
  what: string,
  onUnknown: UnknownReporter,
): T {
  if (value === null || value === undefined) return fallback;
  if ((set as readonly string[]).includes(value)) return value as T;
  onUnknown(`${what} "${value}"`);
  return fallback;
}

function malformed(what: string): ApiError {
  return new ApiError('http', `TwelveLabs sent ${what} this app could not read.`, 502, 'bad_response');
}

function parse<T extends z.ZodType>(schema: T, body: unknown, what: string): z.output<T> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw malformed(what);
  return result.data;
}

function renditionOf(
  value: z.output<typeof rendition>,
  onUnknown: UnknownReporter,
): WireAssetDetail['hls'] & WireAssetDetail['thumbnail'] {
  if (!value) return undefined;
  return {
    status: known(value.status, KNOWN.rendition, 'pending', 'rendition status', onUnknown),
    ...(value.manifest_url && { manifest_url: value.manifest_url }),
    ...(value.representative_url && { representative_url: value.representative_url }),
  };
}

function assetOf(body: unknown, onUnknown: UnknownReporter): WireAssetDetail {
  const raw = parse(assetShape, body, 'an asset');
  if (!raw._id) throw malformed('an asset without an id');
  const metadata = Object.fromEntries(
    Object.entries(raw.user_metadata ?? {}).filter(
      (entry): entry is [string, string | number | boolean] => entry[1] !== null,
    ),
  );
  const hls = renditionOf(raw.hls, onUnknown);
  const thumbnail = renditionOf(raw.thumbnail, onUnknown);
  return {
    _id: raw._id,
    // An unknown method (`connector`: a file TwelveLabs fetched from a linked service) is only shown.
    method: known(raw.method, KNOWN.method, 'direct', 'asset method', onUnknown),
    // A status this app does not know yet is treated as still processing: it is asked again later.
    status: known(raw.status, KNOWN.assetStatus, 'processing', 'asset status', onUnknown),
    filename: raw.filename ?? '',
    file_type: raw.file_type ?? '',
    created_at: raw.created_at ?? new Date(0).toISOString(),
    ...(Object.keys(metadata).length > 0 && { user_metadata: metadata }),
    ...(typeof raw.size === 'number' && { size: raw.size }),
    ...(typeof raw.duration === 'number' && { duration: raw.duration }),
    ...(hls && { hls }),
    ...(thumbnail && { thumbnail }),
    ...(raw.technical_metadata && { technical_metadata: raw.technical_metadata }),
    ...(raw.error && { error: { message: raw.error.message ?? '' } }),
  };
}

/** `page_info` as sent, or worked out from the page itself when it was left out. */
function pageInfoOf(
  raw: z.output<typeof pageInfoShape>,
  page: { readonly requested: number; readonly limit: number; readonly length: number },
): WirePageInfo {
  const limit = raw?.limit_per_page ?? page.limit;
  const number = raw?.page ?? page.requested;
  // Without page_info, a full page may have more after it; a short one is the last.
  const more = page.length >= limit && page.length > 0;
  return {
    limit_per_page: limit,
    page: number,
    total_page: raw?.total_page ?? (more ? number + 1 : number),
    total_results: raw?.total_results ?? (number - 1) * limit + page.length,
  };
}

export interface PageRequest {
  readonly page: number;
  readonly limit: number;
}

export function parseAsset(body: unknown, onUnknown: UnknownReporter): WireAsset {
  return assetOf(body, onUnknown);
}

export function parseAssetDetail(body: unknown, onUnknown: UnknownReporter): WireAssetDetail {
  return assetOf(body, onUnknown);
}

/** One page of a list whose entries `entryOf` reads, with its `page_info` (or one worked out). */
function pageOf<T>(
  body: unknown,
  request: PageRequest,
  what: string,
  entryOf: (entry: unknown) => T,
): { data: T[]; pageInfo: WirePageInfo } {
  const raw = parse(z.object({ data: list(z.unknown()), page_info: pageInfoShape }).passthrough(), body, what);
  const data = raw.data.map(entryOf);
  return {
    data,
    pageInfo: pageInfoOf(raw.page_info, { requested: request.page, limit: request.limit, length: data.length }),
  };
}

export function parseAssetPage(
  body: unknown,
  request: PageRequest,
  onUnknown: UnknownReporter,
): { data: WireAssetDetail[]; pageInfo: WirePageInfo } {
  return pageOf(body, request, 'a list of assets', (asset) => assetOf(asset, onUnknown));
}

function presignedOf(raw: z.output<typeof presignedShape>[]): WirePresignedUrl[] {
  return raw.flatMap((entry) =>
    typeof entry.chunk_index === 'number' && entry.url
      ? [{ chunk_index: entry.chunk_index, url: entry.url, expires_at: entry.expires_at ?? new Date(0).toISOString() }]
      : [],
  );
}

export function parseMultipartSession(body: unknown): WireMultipartSession {
  const raw = parse(
    z
      .object({
        upload_id: text,
        asset_id: text,
        upload_urls: list(presignedShape),
        upload_headers: z.record(z.string(), z.string()).nullish(),
        chunk_size: count,
        total_chunks: count,
        expires_at: text,
      })
      .passthrough(),
    body,
    'an upload session',
  );
  if (!raw.upload_id || !raw.asset_id || !raw.chunk_size || !raw.total_chunks)
    throw malformed('an incomplete upload session');
  return {
    upload_id: raw.upload_id,
    asset_id: raw.asset_id,
    upload_urls: presignedOf(raw.upload_urls),
    ...(raw.upload_headers && { upload_headers: raw.upload_headers }),
    chunk_size: raw.chunk_size,
    total_chunks: raw.total_chunks,
    // Without an expiry the API's documented 24 hours apply.
    expires_at: raw.expires_at ?? new Date(Date.now() + 24 * 3600_000).toISOString(),
  };
}

export function parseUploadStatus(body: unknown, request: PageRequest, onUnknown: UnknownReporter): WireUploadStatus {
  const raw = parse(
    z
      .object({
        upload_id: text,
        status: text,
        uploaded_chunks: list(z.object({ index: count, chunk_index: count, status: text }).passthrough()),
        chunks_completed: count,
        page_info: pageInfoShape,
      })
      .passthrough(),
    body,
    'the state of an upload',
  );
  const chunks = raw.uploaded_chunks.flatMap((chunk) => {
    const index = chunk.index ?? chunk.chunk_index;
    return typeof index === 'number'
      ? [{ index, status: known(chunk.status, KNOWN.chunk, 'pending', 'chunk status', onUnknown) }]
      : [];
  });
  return {
    upload_id: raw.upload_id ?? '',
    status: known(raw.status, KNOWN.session, 'active', 'upload status', onUnknown),
    uploaded_chunks: chunks,
    chunks_completed: raw.chunks_completed ?? chunks.filter((chunk) => chunk.status === 'completed').length,
    page_info: pageInfoOf(raw.page_info, { requested: request.page, limit: request.limit, length: chunks.length }),
  };
}

export function parseReport(body: unknown): WireReportResponse {
  const raw = parse(
    z
      .object({ asset_id: text, processed_chunks: count, duplicate_chunks: count, total_completed: count, url: text })
      .passthrough(),
    body,
    'a chunk report',
  );
  return {
    ...(raw.asset_id && { asset_id: raw.asset_id }),
    ...(typeof raw.processed_chunks === 'number' && { processed_chunks: raw.processed_chunks }),
    ...(typeof raw.duplicate_chunks === 'number' && { duplicate_chunks: raw.duplicate_chunks }),
    ...(typeof raw.total_completed === 'number' && { total_completed: raw.total_completed }),
    ...(raw.url && { url: raw.url }),
  };
}

export function parsePresignedUrls(body: unknown): WirePresignedUrl[] {
  return presignedOf(
    parse(z.object({ upload_urls: list(presignedShape) }).passthrough(), body, 'upload addresses').upload_urls,
  );
}

export function parseIncompletePage(
  body: unknown,
  request: PageRequest,
): { data: WireIncompleteUpload[]; pageInfo: WirePageInfo } {
  const raw = parse(
    z
      .object({
        data: list(
          z
            .object({
              upload_id: text,
              status: text,
              total_size: count,
              chunk_size: count,
              total_chunks: count,
              created_at: text,
              expires_at: text,
            })
            .passthrough(),
        ),
        page_info: pageInfoShape,
      })
      .passthrough(),
    body,
    'a list of upload sessions',
  );
  const data = raw.data.flatMap((entry) =>
    entry.upload_id
      ? [
          {
            upload_id: entry.upload_id,
            status: entry.status ?? 'active',
            total_size: entry.total_size ?? 0,
            chunk_size: entry.chunk_size ?? 0,
            total_chunks: entry.total_chunks ?? 0,
            ...(entry.created_at && { created_at: entry.created_at }),
            ...(entry.expires_at && { expires_at: entry.expires_at }),
          },
        ]
      : [],
  );
  return {
    data,
    pageInfo: pageInfoOf(raw.page_info, { requested: request.page, limit: request.limit, length: data.length }),
  };
}

const indexShape = z
  .object({
    _id: z.string().nullish(),
    index_name: text,
    created_at: text,
    expires_at: text,
    video_count: count,
    total_duration: count,
    models: list(z.object({ model_name: text, model_options: list(z.unknown()) }).passthrough()).catch(() => []),
    addons: list(z.unknown()).catch(() => []),
  })
  .passthrough();

function indexOf(body: unknown): WireIndex {
  const raw = parse(indexShape, body, 'an index');
  if (!raw._id) throw malformed('an index without an id');
  return {
    _id: raw._id,
    index_name: raw.index_name ?? raw._id,
    ...(raw.created_at && { created_at: raw.created_at }),
    ...(raw.expires_at && { expires_at: raw.expires_at }),
    video_count: raw.video_count ?? 0,
    total_duration: raw.total_duration ?? 0,
    models: raw.models.map((model) => ({
      model_name: model.model_name ?? '',
      model_options: model.model_options.filter((option): option is string => typeof option === 'string'),
    })),
    addons: raw.addons.filter((addon): addon is string => typeof addon === 'string'),
  };
}

export function parseIndex(body: unknown): WireIndex {
  return indexOf(body);
}

export function parseIndexPage(body: unknown, request: PageRequest): { data: WireIndex[]; pageInfo: WirePageInfo } {
  return pageOf(body, request, 'a list of indexes', indexOf);
}

/** The id a create answered with (`{_id}` for an index, `{_id, asset_id}` for an index job). */
export function parseCreated(body: unknown, what: string): string {
  const raw = parse(z.object({ _id: z.string().nullish() }).passthrough(), body, what);
  if (!raw._id) throw malformed(`${what} without an id`);
  return raw._id;
}

const indexedAssetShape = z
  .object({
    _id: z.string().nullish(),
    asset_id: text,
    status: text,
    created_at: text,
    updated_at: text,
    indexed_at: text,
  })
  .passthrough();

function indexedAssetOf(body: unknown, onUnknown: UnknownReporter): WireIndexedAsset {
  const raw = parse(indexedAssetShape, body, 'an indexed asset');
  if (!raw._id) throw malformed('an indexed asset without an id');
  return {
    _id: raw._id,
    ...(raw.asset_id && { asset_id: raw.asset_id }),
    // A status this app does not know yet is taken as still indexing: it is asked again later.
    status: known(raw.status, KNOWN.indexedAsset, 'indexing', 'indexed asset status', onUnknown),
    ...(raw.created_at && { created_at: raw.created_at }),
    ...(raw.updated_at && { updated_at: raw.updated_at }),
    ...(raw.indexed_at && { indexed_at: raw.indexed_at }),
  };
}

export function parseIndexedAsset(body: unknown, onUnknown: UnknownReporter): WireIndexedAsset {
  return indexedAssetOf(body, onUnknown);
}

export function parseIndexedAssetPage(
  body: unknown,
  request: PageRequest,
  onUnknown: UnknownReporter,
): { data: WireIndexedAsset[]; pageInfo: WirePageInfo } {
  return pageOf(body, request, 'a list of indexed assets', (entry) => indexedAssetOf(entry, onUnknown));
}

export function parseAssetIndexes(body: unknown): WireAssetIndex[] {
  const raw = parse(
    z
      .object({
        data: list(
          z
            .object({
              _id: z.string().nullish(),
              index: z.object({ _id: z.string().nullish(), name: text }).passthrough().nullish(),
            })
            .passthrough(),
        ),
      })
      .passthrough(),
    body,
    "an asset's indexes",
  );
  return raw.data.flatMap((entry) =>
    entry._id && entry.index?._id
      ? [{ _id: entry._id, index: { _id: entry.index._id, name: entry.index.name ?? entry.index._id } }]
      : [],
  );
}
