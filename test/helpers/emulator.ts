import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, openAsBlob } from 'node:fs';
import { readFile } from 'node:fs/promises';

import { basename, join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../emulator/server';

export const FIXTURES = join(import.meta.dirname, '../fixtures/media');

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

/** Starts an emulator for the enclosing describe block; read `.current` inside tests. */
export function useEmulator(options: EmulatorOptions = {}): { current: RunningEmulator } {
  const holder = {} as { current: RunningEmulator };
  beforeAll(async () => {
    holder.current = await startEmulator({ processingDelayMs: 50, ...options });
  });
  // A test that fails half-way must not leave its faults to the next one.
  afterEach(() => holder.current?.setFaults({}));
  afterAll(() => holder.current?.close());
  return holder;
}

/** A raw API call with the sandbox key, returning status, headers and parsed JSON (if any). */
export async function api(
  emulator: RunningEmulator,
  path: string,
  init: RequestInit & { key?: string | null } = {},
): Promise<{ status: number; headers: Headers; body: any }> {
  const headers = new Headers(init.headers);
  if (init.key !== null) headers.set('x-api-key', init.key ?? emulator.apiKey);
  const response = await fetch(path.startsWith('http') ? path : `${emulator.baseUrl}${path}`, { ...init, headers });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body };
}

/** `POST /assets` with a fixture file and extra form fields. */
export async function uploadFixture(
  emulator: RunningEmulator,
  name: string | null,
  fields: Record<string, string> = { method: 'direct' },
  /** The file name to send, when it should differ from the fixture's. */
  filename?: string,
) {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  if (name) form.append('file', await openAsBlob(fixture(name)), filename ?? basename(name));
  return api(emulator, '/assets', { method: 'POST', body: form });
}

/** Polls `GET /assets/{id}` until the asset leaves `processing` (and its renditions settle). */
export async function waitForAsset(emulator: RunningEmulator, id: string, timeoutMs = 20_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await api(emulator, `/assets/${id}`);
    const settled = (part?: { status: string }) => !part || part.status === 'ready' || part.status === 'error';
    if (body.status !== 'processing' && settled(body.hls) && settled(body.thumbnail)) return body;
    if (Date.now() > deadline) throw new Error(`asset ${id} still ${JSON.stringify(body)}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function control(emulator: RunningEmulator, path: string, init: RequestInit = {}): Promise<any> {
  const response = await fetch(`${emulator.origin}/__emulator${path}`, init);
  return response.json();
}

/**
 * A fixture sent through `/assets/multipart-uploads` (one request per chunk, then one report):
 * media checks there run after the upload, so a file the direct route refuses ends as a `failed`
 * asset with TwelveLabs' reason, as it does on the real service.
 */
export async function uploadInParts(emulator: RunningEmulator, name: string, filename: string): Promise<string> {
  const bytes = await readFile(fixture(name));
  const created = await api(emulator, '/assets/multipart-uploads', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ filename, type: 'video', total_size: bytes.length }),
  });
  const { upload_id: uploadId, chunk_size: chunkSize, upload_urls: urls, asset_id: assetId } = created.body;
  const completed = [];
  for (const { chunk_index: index, url } of urls as { chunk_index: number; url: string }[]) {
    const chunk = bytes.subarray((index - 1) * chunkSize, index * chunkSize);
    const response = await fetch(url, { method: 'PUT', body: chunk });
    completed.push({
      chunk_index: index,
      proof: response.headers.get('etag')!.replaceAll('"', ''),
      proof_type: 'etag',
      chunk_size: chunk.length,
    });
  }
  await api(emulator, `/assets/multipart-uploads/${uploadId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ completed_chunks: completed }),
  });
  return assetId;
}

/** An index made through the API (Marengo 3.0, visual and audio); its id. */
export async function createIndex(emulator: RunningEmulator, name: string): Promise<string> {
  const { status, body } = await api(emulator, '/indexes', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      index_name: name,
      models: [{ model_name: 'marengo3.0', model_options: ['visual', 'audio'] }],
    }),
  });
  if (status !== 201) throw new Error(`index not made: ${status} ${JSON.stringify(body)}`);
  return body._id;
}

/**
 * Puts a ready video asset into an index (made for it, unless given), as another client would:
 * the asset is then referenced by an indexed asset, and a delete without `force` answers 409.
 */
export async function indexAsset(emulator: RunningEmulator, assetId: string, indexId?: string): Promise<string> {
  const index = indexId ?? (await createIndex(emulator, `Index ${randomUUID().slice(0, 8)}`));
  const { status, body } = await api(emulator, `/indexes/${index}/indexed-assets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ asset_id: assetId }),
  });
  if (status !== 202) throw new Error(`asset not indexed: ${status} ${JSON.stringify(body)}`);
  return index;
}
