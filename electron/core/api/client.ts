import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { request, type Dispatcher } from 'undici';
import { isSecureUrl } from '../../shared/settings';
import { SEARCH_MODEL } from '../../shared/indexes';
import { routeGroup, type RouteGroup } from './route-group';
import { ApiError } from './errors';
import { networkProblemWords, type NetworkProblem } from '../../shared/network';
import { networkProblem, presentedIssuer, proxyAnswer, type ProxyAnswer } from '../network/diagnose';
import { shownProxy } from '../network/proxy';
import { ENVIRONMENT_ROUTES, type NetworkRoutes } from '../network/routes';
import { parseRateLimit, retryAfterMs, type RateLimitInfo } from './rate-limit';
import type {
  WireAsset,
  WireAssetDetail,
  WireAssetIndex,
  WireIncompleteUpload,
  WireIndex,
  WireIndexedAsset,
  WireMultipartSession,
  WirePageInfo,
  WirePresignedUrl,
  WireReportResponse,
  WireUploadStatus,
} from './types';
import {
  parseAsset,
  parseAssetDetail,
  parseAssetIndexes,
  parseAssetPage,
  parseCreated,
  parseIncompletePage,
  parseIndex,
  parseIndexedAsset,
  parseIndexedAssetPage,
  parseIndexPage,
  parseMultipartSession,
  parsePresignedUrls,
  parseReport,
  parseUploadStatus,
} from './wire';

export type ProbeResult = 'ok' | 'offline' | 'key-rejected' | NetworkProblem;

/** What a probe tries: the API (with the key), or a storage host files could not reach (without it). */
export type ProbeTarget = { readonly hop: 'api' } | { readonly hop: 'storage'; readonly origin: string };

/** What the client needs of the engine's connection gate (see `ConnectionGate`). */
export interface RequestGate {
  wait(signal?: AbortSignal, group?: RouteGroup): Promise<void>;
  noteRateLimited(waitMs: number, group?: RouteGroup): void;
  noteOffline(target?: ProbeTarget): void;
  noteBlocked(problem: NetworkProblem, target?: ProbeTarget): void;
  noteKeyRejected(): void;
}

/** With no Retry-After and no reset header, a 429 waits this long. */
const DEFAULT_RATE_LIMIT_WAIT_MS = 30_000;

type Query = Record<string, string | number | boolean | readonly string[] | undefined>;
type Scalar = string | number | boolean;

export interface ApiClientOptions {
  /**
   * Base URL including `/v1.3`, or a function read per request (the app's setting can change).
   * Plain http is refused except on loopback (the local emulator).
   */
  readonly baseUrl: string | (() => string);
  /** Read per request, so a key replaced in Settings applies to the next call. */
  readonly apiKey: () => Promise<string | null> | string | null;
  /** Told about every response that carries rate-limit headers. */
  readonly onRateLimit?: (info: RateLimitInfo) => void;
  /** Every request waits here first, and tells it about rate limits, outages and rejected keys. */
  readonly gate?: RequestGate;
  readonly dispatcher?: Dispatcher;
  /** Which way each request goes (direct, or which proxy); the process's default when absent. */
  readonly routes?: NetworkRoutes;
  readonly now?: () => number;
  /** Longest wait for response headers once a request is sent (a stalled server). */
  readonly headersTimeoutMs?: number;
  /** Told once about each value TwelveLabs sent that this app does not know (see `wire.ts`). */
  readonly onUnknown?: (what: string) => void;
}

export interface Page<T> {
  readonly data: T[];
  readonly pageInfo: WirePageInfo;
}

export interface CreateOptions {
  readonly filename: string;
  readonly enableHls?: boolean;
  readonly enableThumbnail?: boolean;
  readonly userMetadata?: Readonly<Record<string, Scalar>>;
  readonly signal?: AbortSignal;
}

/** Percent-encodes what would break a quoted multipart header parameter, as browsers do. */
function quoteParam(value: string): string {
  return value.replace(/["\r\n%]/g, (ch) => encodeURIComponent(ch));
}

/** Fails fast on a base URL that would send the key in clear text over a network. */
export function checkBaseUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  if (!isSecureUrl(url)) {
    throw new Error(`Refusing ${url.origin}: the API must be reached over https (plain http only on this computer).`);
  }
  return baseUrl.replace(/\/+$/, '');
}

/**
 * The TwelveLabs Assets API over undici: every asset and multipart route, streaming uploads,
 * typed errors with the server's code and message, and rate-limit headers read on every response.
 */
export class ApiClient {
  readonly #options: ApiClientOptions;
  readonly #routes: NetworkRoutes;
  readonly #now: () => number;
  readonly #unknown = new Set<string>();
  /** Who issued the certificate each host presented, when it was not trusted (read once a host). */
  readonly #issuers = new Map<string, Promise<string | null>>();
  /** What each proxy that refused says of itself (see `proxyAnswer`), asked once per proxy. */
  readonly #proxyAnswers = new Map<string, Promise<ProxyAnswer>>();
  /** Each unknown value once per process, so a list of 10,000 new-style assets logs one line. */
  readonly #onUnknown = (what: string): void => {
    if (this.#unknown.has(what)) return;
    this.#unknown.add(what);
    this.#options.onUnknown?.(what);
  };

  constructor(options: ApiClientOptions) {
    this.#options = options;
    this.#routes = options.routes ?? ENVIRONMENT_ROUTES;
    this.#now = options.now ?? Date.now;
    checkBaseUrl(this.baseUrl);
  }

  get baseUrl(): string {
    const { baseUrl } = this.#options;
    return checkBaseUrl(typeof baseUrl === 'function' ? baseUrl() : baseUrl);
  }

  async #send(
    method: Dispatcher.HttpMethod,
    path: string,
    init: {
      query?: Query;
      json?: unknown;
      body?: Readable | AsyncIterable<Buffer>;
      headers?: Record<string, string>;
      signal?: AbortSignal | undefined;
      absoluteUrl?: string;
      auth?: boolean;
      /** For the connectivity probe and key checks, which must not wait behind the gate they open. */
      bypassGate?: boolean;
    } = {},
  ): Promise<{ body: unknown; headers: Record<string, string | string[] | undefined> }> {
    const url = new URL(init.absoluteUrl ?? `${this.baseUrl}${path}`);
    for (const [key, value] of Object.entries(init.query ?? {})) {
      if (value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(item));
    }
    const headers: Record<string, string> = { ...init.headers };

    let body: string | Readable | AsyncIterable<Buffer> | undefined = init.body;
    if (init.json !== undefined) {
      body = JSON.stringify(init.json);
      headers['content-type'] = 'application/json';
    }
    const gate = init.bypassGate ? undefined : this.#options.gate;
    const group = routeGroup(method, path, init.absoluteUrl !== undefined);
    await gate?.wait(init.signal, group);
    if (init.auth !== false) {
      const key = await this.#options.apiKey();
      if (!key) {
        // No key is the same situation as a rejected one: wait for the person to set one.
        gate?.noteKeyRejected();
        throw new ApiError('http', 'No API key is set.', 401, 'api_key_missing');
      }
      headers['x-api-key'] = key;
    }
    let response: Dispatcher.ResponseData;
    try {
      const dispatcher = this.#options.dispatcher ?? (await this.#routes.dispatcherFor(url));
      response = await request(url, {
        method,
        headers,
        // undici sends an async iterable as it sends a stream (its types leave iterables out).
        body: (body ?? null) as string | Readable | null,
        signal: init.signal ?? null,
        ...(dispatcher && { dispatcher }),
        headersTimeout: this.#options.headersTimeoutMs ?? 120_000,
        bodyTimeout: 120_000,
      });
    } catch (error) {
      if (init.signal?.aborted) {
        const reason = init.signal.reason;
        throw reason instanceof ApiError ? reason : new ApiError('aborted', 'The request was stopped.');
      }
      const hop = init.absoluteUrl === undefined ? 'api' : 'storage';
      const problem = await this.#problemOf(error, url, hop);
      const target: ProbeTarget = hop === 'api' ? { hop } : { hop, origin: url.origin };
      if (problem) gate?.noteBlocked(problem, target);
      else gate?.noteOffline(target);
      throw new ApiError(
        'network',
        problem ? networkProblemWords(problem).label : `Could not reach ${url.host}: ${(error as Error).message}`,
        null,
        null,
        null,
        problem,
      );
    }
    const info = parseRateLimit(response.headers);
    if (info) this.#options.onRateLimit?.(info);
    let text: string;
    try {
      text = await response.body.text();
    } catch (error) {
      throw new ApiError('network', `The connection to ${url.host} broke: ${(error as Error).message}`);
    }
    // A redirect is not an answer: the API never sends one, and following it could take the key
    // elsewhere.
    if (response.statusCode >= 300) {
      let code: string | null = null;
      let message = `The server answered ${response.statusCode}.`;
      try {
        const parsed = JSON.parse(text) as { code?: unknown; message?: unknown };
        if (typeof parsed.code === 'string') code = parsed.code;
        if (typeof parsed.message === 'string') message = parsed.message;
      } catch {
        if (text.trim()) message = text.trim().slice(0, 500);
      }
      // A server that echoes the request back must not put the key into a row or a log.
      if (headers['x-api-key']) message = message.split(headers['x-api-key']).join('[API key]');
      const wait = retryAfterMs(response.headers, this.#now());
      if (response.statusCode === 429) gate?.noteRateLimited(wait ?? DEFAULT_RATE_LIMIT_WAIT_MS, group);
      if (response.statusCode === 401 && init.auth !== false) gate?.noteKeyRejected();
      throw new ApiError('http', message, response.statusCode, code, wait);
    }
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      throw new ApiError('http', `${url.host} answered with something that is not JSON.`, 502, 'bad_response');
    }
    return { body: parsed, headers: response.headers };
  }

  /** Checks a key with the cheapest authenticated call there is, without storing or using it elsewhere. */
  async verifyKey(key: string): Promise<void> {
    await this.#send('GET', '/assets', {
      query: { page: 1, page_limit: 1 },
      headers: { 'x-api-key': key },
      auth: false,
      bypassGate: true,
    });
  }

  /**
   * Why a request that never got an answer failed, when something on the network stands in the
   * way (a certificate's issuer is read once per host, for the words); null for a lost connection.
   */
  async #problemOf(error: unknown, url: URL, hop: NetworkProblem['hop']): Promise<NetworkProblem | null> {
    const proxy = await this.#routes.proxyOf(url).catch(() => null);
    const problem = networkProblem(error, url, hop, shownProxy(proxy));
    if (proxy && (problem?.code === 'proxy-refused' || problem?.code === 'proxy-login')) {
      let answer = this.#proxyAnswers.get(proxy.host);
      if (!answer) {
        answer = proxyAnswer(proxy, url);
        this.#proxyAnswers.set(proxy.host, answer);
      }
      const { software, login } = await answer;
      return {
        ...problem,
        ...(software && { software }),
        ...(problem.code === 'proxy-login' && login === 'windows' && { windowsLogin: true }),
      };
    }
    if (problem?.code !== 'certificate') return problem;
    let issuer = this.#issuers.get(url.host);
    if (!issuer) {
      issuer = presentedIssuer(url, proxy);
      this.#issuers.set(url.host, issuer);
    }
    const by = await issuer;
    return by ? { ...problem, by } : problem;
  }

  /**
   * The connectivity probe: can we reach TwelveLabs with the stored key right now, or the storage
   * host files go to (asked without the key, which is never sent there)? A problem on the way is
   * returned as such.
   */
  async probe(target: ProbeTarget = { hop: 'api' }): Promise<ProbeResult> {
    try {
      if (target.hop === 'api')
        await this.#send('GET', '/assets', { query: { page: 1, page_limit: 1 }, bypassGate: true });
      else await this.#send('GET', '', { absoluteUrl: `${target.origin}/`, auth: false, bypassGate: true });
      return 'ok';
    } catch (error) {
      if (error instanceof ApiError && error.status === 401 && target.hop === 'api') return 'key-rejected';
      // Any answer at all (a 429 or 5xx included) means the network is back.
      if (error instanceof ApiError && error.kind === 'http') return 'ok';
      return error instanceof ApiError && error.problem ? error.problem : 'offline';
    }
  }

  /** One page of assets, newest first. */
  async listAssets(
    query: { page?: number; pageLimit?: number; assetIds?: string[]; assetTypes?: string[]; filename?: string } = {},
    signal?: AbortSignal,
  ): Promise<Page<WireAssetDetail>> {
    const { body } = await this.#send('GET', '/assets', {
      query: {
        page: query.page,
        page_limit: query.pageLimit,
        asset_ids: query.assetIds,
        asset_types: query.assetTypes,
        filename: query.filename,
      },
      signal,
    });
    return parseAssetPage(body, { page: query.page ?? 1, limit: query.pageLimit ?? 10 }, this.#onUnknown);
  }

  async getAsset(id: string, signal?: AbortSignal): Promise<WireAssetDetail> {
    const { body } = await this.#send('GET', `/assets/${encodeURIComponent(id)}`, { signal });
    return parseAssetDetail(body, this.#onUnknown);
  }

  async deleteAsset(id: string, force = false): Promise<void> {
    await this.#send('DELETE', `/assets/${encodeURIComponent(id)}`, { query: { force: force || undefined } });
  }

  /** PATCH: merge; a key set to null is removed. */
  async updateMetadata(id: string, metadata: Readonly<Record<string, Scalar | null>>): Promise<void> {
    await this.#send('PATCH', `/assets/${encodeURIComponent(id)}/user-metadata`, { json: { user_metadata: metadata } });
  }

  /** PUT: replace everything. */
  async replaceMetadata(id: string, metadata: Readonly<Record<string, Scalar>>): Promise<void> {
    await this.#send('PUT', `/assets/${encodeURIComponent(id)}/user-metadata`, { json: { user_metadata: metadata } });
  }

  async clearMetadata(id: string): Promise<void> {
    await this.#send('DELETE', `/assets/${encodeURIComponent(id)}/user-metadata`);
  }

  /** One page of indexes, newest first. */
  async listIndexes(page = 1, pageLimit = 50, signal?: AbortSignal): Promise<Page<WireIndex>> {
    const { body } = await this.#send('GET', '/indexes', { query: { page, page_limit: pageLimit }, signal });
    return parseIndexPage(body, { page, limit: pageLimit });
  }

  async getIndex(id: string, signal?: AbortSignal): Promise<WireIndex> {
    const { body } = await this.#send('GET', `/indexes/${encodeURIComponent(id)}`, { signal });
    return parseIndex(body);
  }

  /** Makes an index for search (Marengo 3.0); its models and add-ons cannot change later. */
  async createIndex(options: {
    readonly name: string;
    readonly options: readonly ('visual' | 'audio')[];
    readonly thumbnails: boolean;
  }): Promise<string> {
    const { body } = await this.#send('POST', '/indexes', {
      json: {
        index_name: options.name,
        models: [{ model_name: SEARCH_MODEL, model_options: options.options }],
        ...(options.thumbnails && { addons: ['thumbnail'] }),
      },
    });
    return parseCreated(body, 'a new index');
  }

  /**
   * `POST /indexes/{id}/indexed-assets`: starts indexing a ready asset; the job's id. Billed by
   * the minute: callers make sure it is asked once (see `Indexing`).
   */
  async indexAsset(
    indexId: string,
    assetId: string,
    userMetadata: Readonly<Record<string, Scalar>> | undefined,
    signal?: AbortSignal,
  ): Promise<string> {
    const { body } = await this.#send('POST', `/indexes/${encodeURIComponent(indexId)}/indexed-assets`, {
      json: {
        asset_id: assetId,
        ...(userMetadata && Object.keys(userMetadata).length > 0 && { user_metadata: userMetadata }),
      },
      signal,
    });
    return parseCreated(body, 'an index job');
  }

  async getIndexedAsset(indexId: string, id: string, signal?: AbortSignal): Promise<WireIndexedAsset> {
    const { body } = await this.#send(
      'GET',
      `/indexes/${encodeURIComponent(indexId)}/indexed-assets/${encodeURIComponent(id)}`,
      { signal },
    );
    return parseIndexedAsset(body, this.#onUnknown);
  }

  /** One page of an index's jobs in these states, the most recently changed first. */
  async listIndexedAssets(
    indexId: string,
    query: {
      readonly statuses: readonly WireIndexedAsset['status'][];
      readonly page?: number;
      readonly pageLimit?: number;
    },
    signal?: AbortSignal,
  ): Promise<Page<WireIndexedAsset>> {
    const page = query.page ?? 1;
    const pageLimit = query.pageLimit ?? 50;
    const { body } = await this.#send('GET', `/indexes/${encodeURIComponent(indexId)}/indexed-assets`, {
      query: { page, page_limit: pageLimit, sort_by: 'updated_at', sort_option: 'desc', status: query.statuses },
      signal,
    });
    return parseIndexedAssetPage(body, { page, limit: pageLimit }, this.#onUnknown);
  }

  /** Which indexes hold an asset (every page). */
  async assetIndexes(assetId: string, signal?: AbortSignal): Promise<WireAssetIndex[]> {
    const found: WireAssetIndex[] = [];
    for (let page = 1; page <= 100; page += 1) {
      const { body } = await this.#send('GET', `/assets/${encodeURIComponent(assetId)}/indexed-assets`, {
        query: { page, page_limit: 50 },
        signal,
      });
      const entries = parseAssetIndexes(body);
      found.push(...entries);
      if (entries.length < 50) break;
    }
    return found;
  }

  /**
   * `POST /assets` with method=direct, streaming the file as multipart/form-data with an exact
   * Content-Length. `file()` supplies the bytes; it is called once, when the body is sent.
   */
  async createAssetDirect(
    options: CreateOptions & { readonly mime: string; readonly size: number; readonly file: () => Readable },
  ): Promise<WireAsset> {
    const boundary = `----tl-uploader-${randomBytes(12).toString('hex')}`;
    const fields: [string, string][] = [
      ['method', 'direct'],
      ['filename', options.filename],
      ['enable_hls', String(options.enableHls ?? false)],
      ['enable_thumbnail', String(options.enableThumbnail ?? false)],
    ];
    if (options.userMetadata && Object.keys(options.userMetadata).length > 0) {
      fields.push(['user_metadata', JSON.stringify(options.userMetadata)]);
    }
    const preamble = Buffer.from(
      fields
        .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
        .join('') +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${quoteParam(options.filename)}"\r\n` +
        `Content-Type: ${options.mime}\r\n\r\n`,
    );
    const epilogue = Buffer.from(`\r\n--${boundary}--\r\n`);
    async function* body() {
      yield preamble;
      yield* options.file();
      yield epilogue;
    }
    const { body: asset } = await this.#send('POST', '/assets', {
      body: Readable.from(body(), { objectMode: false }),
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(preamble.length + options.size + epilogue.length),
      },
      signal: options.signal,
    });
    return parseAsset(asset, this.#onUnknown);
  }

  /** `POST /assets` with method=url: TwelveLabs fetches the file itself. */
  async createAssetFromUrl(options: CreateOptions & { readonly url: string }): Promise<WireAsset> {
    const form = new FormData();
    form.set('method', 'url');
    form.set('url', options.url);
    form.set('filename', options.filename);
    form.set('enable_hls', String(options.enableHls ?? false));
    form.set('enable_thumbnail', String(options.enableThumbnail ?? false));
    if (options.userMetadata && Object.keys(options.userMetadata).length > 0) {
      form.set('user_metadata', JSON.stringify(options.userMetadata));
    }
    const encoded = new Response(form);
    const { body } = await this.#send('POST', '/assets', {
      body: Readable.from(Buffer.from(await encoded.arrayBuffer())),
      headers: { 'content-type': encoded.headers.get('content-type') ?? 'multipart/form-data' },
      signal: options.signal,
    });
    return parseAsset(body, this.#onUnknown);
  }

  async createMultipart(
    options: CreateOptions & { readonly type: 'video' | 'audio' | 'image'; readonly totalSize: number },
  ): Promise<WireMultipartSession> {
    const { body } = await this.#send('POST', '/assets/multipart-uploads', {
      json: {
        filename: options.filename,
        type: options.type,
        total_size: options.totalSize,
        enable_hls: options.enableHls ?? false,
        enable_thumbnail: options.enableThumbnail ?? false,
        ...(options.userMetadata &&
          Object.keys(options.userMetadata).length > 0 && { user_metadata: options.userMetadata }),
      },
      signal: options.signal,
    });
    return parseMultipartSession(body);
  }

  async uploadStatus(uploadId: string, page = 1, pageLimit = 50, signal?: AbortSignal): Promise<WireUploadStatus> {
    const { body } = await this.#send('GET', `/assets/multipart-uploads/${encodeURIComponent(uploadId)}`, {
      query: { page, page_limit: pageLimit },
      signal,
    });
    return parseUploadStatus(body, { page, limit: pageLimit }, this.#onUnknown);
  }

  /** Every chunk index the server has confirmed for a session, across all status pages. */
  async confirmedChunks(
    uploadId: string,
    signal?: AbortSignal,
  ): Promise<{ status: WireUploadStatus['status']; indexes: Set<number> }> {
    const indexes = new Set<number>();
    let status: WireUploadStatus['status'] = 'active';
    for (let page = 1; ; page += 1) {
      const result = await this.uploadStatus(uploadId, page, 50, signal);
      status = result.status;
      for (const chunk of result.uploaded_chunks) if (chunk.status === 'completed') indexes.add(chunk.index);
      if (result.uploaded_chunks.length === 0 || page >= result.page_info.total_page) break;
    }
    return { status, indexes };
  }

  async reportChunks(
    uploadId: string,
    chunks: readonly { index: number; etag: string; size: number }[],
    signal?: AbortSignal,
  ): Promise<WireReportResponse> {
    const { body } = await this.#send('POST', `/assets/multipart-uploads/${encodeURIComponent(uploadId)}`, {
      json: {
        completed_chunks: chunks.map((c) => ({
          chunk_index: c.index,
          proof: c.etag,
          proof_type: 'etag',
          chunk_size: c.size,
        })),
      },
      signal,
    });
    return parseReport(body);
  }

  async presignedUrls(
    uploadId: string,
    start: number,
    count: number,
    signal?: AbortSignal,
  ): Promise<WirePresignedUrl[]> {
    const { body } = await this.#send(
      'POST',
      `/assets/multipart-uploads/${encodeURIComponent(uploadId)}/presigned-urls`,
      { json: { start, count }, signal },
    );
    return parsePresignedUrls(body);
  }

  async listIncompleteUploads(page = 1, pageLimit = 50, signal?: AbortSignal): Promise<Page<WireIncompleteUpload>> {
    const { body } = await this.#send('GET', '/assets/multipart-uploads', {
      query: { page, page_limit: pageLimit },
      signal,
    });
    return parseIncompletePage(body, { page, limit: pageLimit });
  }

  /** PUTs one chunk to its presigned URL (no API key: the URL is the credential). Returns the unquoted ETag. */
  async putChunk(
    url: string,
    bytes: Readable | AsyncIterable<Buffer>,
    size: number,
    signal?: AbortSignal,
  ): Promise<string> {
    if (!isSecureUrl(new URL(url))) {
      throw new ApiError(
        'http',
        'TwelveLabs gave an upload address that is not secure (http); nothing was sent to it.',
        null,
        'insecure_upload_url',
      );
    }
    const { headers } = await this.#send('PUT', '', {
      absoluteUrl: url,
      auth: false,
      body: bytes,
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
      signal,
    });
    const etag = headers.etag;
    const value = Array.isArray(etag) ? etag[0] : etag;
    if (!value)
      throw new ApiError('http', 'The storage server did not confirm the chunk (no ETag).', 502, 'etag_missing');
    return value.replace(/^"|"$/g, '');
  }
}
