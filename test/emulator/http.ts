import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { apiErrorMessage, type ApiErrorCode } from '../../electron/shared/api-errors';

/** An API error on its way to the client as `{ code, message }` with an HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** An error whose message is the seed's template for `code`, filled with `values`. */
export function seedError(status: number, code: ApiErrorCode, values: Record<string, string | number> = {}): ApiError {
  return new ApiError(status, code, apiErrorMessage(code, values));
}

/**
 * Responses answered the way a Go server may send them, within what the official SDK's types
 * allow: empty lists as `null` (a nil slice), `page_info` left out, a field this app has never
 * seen on every object, and on every asset a metadata value that is an object. Set per response by the server when it runs with `shapes: 'go'`.
 */
export const GO_SHAPED = new WeakSet<ServerResponse>();

export function goShape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? null : value.map(goShape);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).filter(([key]) => key !== 'page_info');
  const shaped: Record<string, unknown> = {
    ...Object.fromEntries(entries.map(([key, item]) => [key, goShape(item)])),
    x_trace: 'go',
  };
  // The SDK types metadata values as `unknown`: one set by another client may be an object.
  if ('_id' in shaped) {
    shaped.user_metadata = { ...(shaped.user_metadata as object | undefined), ingest: { tool: 'go-client', v: 2 } };
  }
  return shaped;
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(status < 400 && GO_SHAPED.has(response) ? goShape(body) : body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-api-version': '1.3',
    ...headers,
  });
  response.end(text);
}

export function sendEmpty(response: ServerResponse, status: number): void {
  response.writeHead(status, { 'x-api-version': '1.3' });
  response.end();
}

/** Reads a small JSON body; a body that is not JSON is the client's error, not a crash. */
export async function readJson(request: Readable, limit = 1024 * 1024): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new ApiError(413, 'parameter_invalid', 'The request body is too large.');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, 'parameter_invalid', 'The request body is not valid JSON.');
  }
}

/** Reads and discards whatever is left of a request body so the connection can be reused. */
export async function drain(request: Readable): Promise<void> {
  if (request.readableEnded || request.destroyed) return;
  request.resume();
  await new Promise<void>((done) => {
    request.once('end', done);
    request.once('close', done);
    request.once('error', () => done());
  });
}

/** Positive integer from a query parameter, or the default when it is absent. */
export function intParam(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw seedError(400, 'parameter_invalid', {
      parameter: name,
      detail: `It must be a whole number between ${min} and ${max}.`,
    });
  }
  return value;
}

/** ObjectId-like 24-hex ids, as in every docs example: 4 bytes of time, then a counter and randomness. */
let idCounter = Math.floor(Math.random() * 0xffffff);
export function newId(nowMs: number): string {
  idCounter = (idCounter + 1) % 0xffffff;
  const time = Math.floor(nowMs / 1000)
    .toString(16)
    .padStart(8, '0');
  const random = Math.floor(Math.random() * 0xffffffffff)
    .toString(16)
    .padStart(10, '0');
  return `${time}${random}${idCounter.toString(16).padStart(6, '0')}`;
}

/** RFC 3339 without milliseconds, as the API writes timestamps. */
export function timestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** "200 MB", "4.3 GB": how the seed's size messages read. */
export function formatSize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${Number(value.toFixed(1))} ${units[unit]}`;
}
