import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../emulator/server';
import { api, control, useEmulator, waitForAsset } from '../../helpers/emulator';

const CHUNK = 64 * 1024;

function json(body: unknown): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

async function createSession(emulator: RunningEmulator, totalSize: number, extra: Record<string, unknown> = {}) {
  return api(
    emulator,
    '/assets/multipart-uploads',
    json({ filename: 'big.bin', type: 'video', total_size: totalSize, ...extra }),
  );
}

async function putChunk(url: string, bytes: Buffer) {
  const response = await fetch(url, {
    method: 'PUT',
    body: bytes,
    headers: { 'content-type': 'application/octet-stream' },
  });
  await response.arrayBuffer();
  return response;
}

function report(emulator: RunningEmulator, uploadId: string, chunks: { index: number; etag: string; size: number }[]) {
  return api(
    emulator,
    `/assets/multipart-uploads/${uploadId}`,
    json({
      completed_chunks: chunks.map((c) => ({
        chunk_index: c.index,
        proof: c.etag,
        proof_type: 'etag',
        chunk_size: c.size,
      })),
    }),
  );
}

describe('emulator: multipart uploads', () => {
  // No media checks: these tests send random bytes, which is what the chunk routes care about.
  const emulator = useEmulator({ chunkSize: CHUNK, initialUrlCount: 2, mediaChecks: false });

  it('runs a whole session: partial URLs, more on request, ETags, reports, completion', async () => {
    const data = randomBytes(CHUNK * 4 + 1000);
    const created = await createSession(emulator.current, data.length, { user_metadata: { shoot: 'day 2' } });
    expect(created.status).toBe(201);
    const session = created.body;
    expect(session).toMatchObject({ chunk_size: CHUNK, total_chunks: 5, upload_headers: {} });
    expect(session.upload_urls.map((u: { chunk_index: number }) => u.chunk_index)).toEqual([1, 2]);
    expect(Date.parse(session.expires_at) - Date.now()).toBeGreaterThan(23.9 * 3600 * 1000);

    const more = await api(
      emulator.current,
      `/assets/multipart-uploads/${session.upload_id}/presigned-urls`,
      json({ start: 3, count: 10 }),
    );
    expect(more.status).toBe(200);
    expect(more.body).toMatchObject({ upload_id: session.upload_id, start_index: 3, count: 3 });
    const urls = new Map<number, string>(
      [...session.upload_urls, ...more.body.upload_urls].map((u: { chunk_index: number; url: string }) => [
        u.chunk_index,
        u.url,
      ]),
    );

    const chunks = [];
    for (let index = 1; index <= 5; index += 1) {
      const bytes = data.subarray((index - 1) * CHUNK, index * CHUNK);
      const response = await putChunk(urls.get(index)!, bytes);
      expect(response.status).toBe(200);
      const etag = response.headers.get('etag')!;
      expect(etag).toBe(`"${createHash('md5').update(bytes).digest('hex')}"`);
      chunks.push({ index, etag: etag.replaceAll('"', ''), size: bytes.length });
    }

    const listed = await api(emulator.current, '/assets/multipart-uploads?page_limit=50');
    expect(listed.body.data.map((s: { upload_id: string }) => s.upload_id)).toContain(session.upload_id);

    const firstReport = await report(emulator.current, session.upload_id, [chunks[0]!, chunks[1]!, chunks[1]!]);
    expect(firstReport.body).toEqual({
      asset_id: session.asset_id,
      processed_chunks: 2,
      duplicate_chunks: 1,
      total_completed: 2,
    });

    const status = await api(emulator.current, `/assets/multipart-uploads/${session.upload_id}?page_limit=1&page=2`);
    expect(status.body).toMatchObject({
      status: 'active',
      chunks_completed: 2,
      chunks_pending: 3,
      uploaded_size: 2 * CHUNK,
      total_size: data.length,
      page_info: { page: 2, limit_per_page: 1, total_results: 2, total_page: 2 },
    });
    expect(status.body.uploaded_chunks).toEqual([expect.objectContaining({ index: 2, status: 'completed' })]);
    const pastEnd = await api(emulator.current, `/assets/multipart-uploads/${session.upload_id}?page=3&page_limit=1`);
    expect(pastEnd.body.uploaded_chunks).toEqual([]);

    const last = await report(emulator.current, session.upload_id, chunks.slice(1));
    expect(last.body).toMatchObject({ processed_chunks: 3, duplicate_chunks: 1, total_completed: 5 });
    expect(last.body.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);

    const done = await api(emulator.current, `/assets/multipart-uploads/${session.upload_id}`);
    expect(done.body.status).toBe('completed');
    const asset = await waitForAsset(emulator.current, session.asset_id);
    expect(asset).toMatchObject({
      method: 'multipart',
      status: 'ready',
      size: data.length,
      user_metadata: { shoot: 'day 2' },
    });
    const stored = await control(emulator.current, `/assets/${session.asset_id}`);
    expect(stored.sha256).toBe(createHash('sha256').update(data).digest('hex'));
    const after = await api(emulator.current, '/assets/multipart-uploads?page_limit=50');
    expect(after.body.data.map((s: { upload_id: string }) => s.upload_id)).not.toContain(session.upload_id);
  });

  it('makes each presigned URL single-use', async () => {
    const { body } = await createSession(emulator.current, CHUNK);
    const url = body.upload_urls[0].url;
    expect((await putChunk(url, randomBytes(CHUNK))).status).toBe(200);
    expect((await putChunk(url, randomBytes(CHUNK))).status).toBe(403);
  });

  it('refuses an expired URL, and a fresh one works', async () => {
    const { body } = await createSession(emulator.current, CHUNK);
    emulator.current.advanceClock(61 * 60 * 1000);
    expect((await putChunk(body.upload_urls[0].url, randomBytes(CHUNK))).status).toBe(403);
    const fresh = await api(
      emulator.current,
      `/assets/multipart-uploads/${body.upload_id}/presigned-urls`,
      json({ start: 1, count: 1 }),
    );
    expect((await putChunk(fresh.body.upload_urls[0].url, randomBytes(CHUNK))).status).toBe(200);
  });

  it('checks each reported proof and size against what was uploaded', async () => {
    const { body } = await createSession(emulator.current, CHUNK * 2);
    const bytes = randomBytes(CHUNK);
    const etag = (await putChunk(body.upload_urls[0].url, bytes)).headers.get('etag')!.replaceAll('"', '');
    const wrongProof = await report(emulator.current, body.upload_id, [
      { index: 1, etag: 'f'.repeat(32), size: CHUNK },
    ]);
    expect(wrongProof.status).toBe(400);
    expect(wrongProof.body.message).toContain('does not match');
    const wrongSize = await report(emulator.current, body.upload_id, [{ index: 1, etag, size: CHUNK - 1 }]);
    expect(wrongSize.status).toBe(400);
    const notUploaded = await report(emulator.current, body.upload_id, [{ index: 2, etag, size: CHUNK }]);
    expect(notUploaded.status).toBe(400);
    const outOfRange = await report(emulator.current, body.upload_id, [{ index: 3, etag, size: CHUNK }]);
    expect(outOfRange.status).toBe(400);
    const short = randomBytes(100);
    const shortEtag = (await putChunk(body.upload_urls[1].url, short)).headers.get('etag')!.replaceAll('"', '');
    const shortMiddle = await report(emulator.current, body.upload_id, [{ index: 2, etag: shortEtag, size: 100 }]);
    expect(shortMiddle.status).toBe(400);
    expect(shortMiddle.body.message).toBe(
      `The completed_chunks parameter is invalid. Chunk 2 must be ${CHUNK} bytes; 100 bytes were uploaded.`,
    );
  });

  it.each([
    [{ start: 0, count: 1 }, 'start'],
    [{ start: 1, count: 51 }, 'count'],
    [{ start: 1, count: 0 }, 'count'],
    [{ start: 99, count: 1 }, 'start'],
  ])('refuses presigned-url requests like %j', async (request, parameter) => {
    const { body } = await createSession(emulator.current, CHUNK * 3);
    const result = await api(
      emulator.current,
      `/assets/multipart-uploads/${body.upload_id}/presigned-urls`,
      json(request),
    );
    expect(result.status).toBe(400);
    expect(result.body.message).toContain(`The ${parameter} parameter is invalid.`);
  });

  it.each([
    [{ filename: 'a.mp4', type: 'document', total_size: 10 }, 'type'],
    [{ filename: 'a.mp4', type: 'video', total_size: -1 }, 'total_size'],
    [{ filename: 'x'.repeat(256), type: 'video', total_size: 10 }, 'filename'],
  ])('refuses a session create like %j', async (request, parameter) => {
    const result = await api(emulator.current, '/assets/multipart-uploads', json(request));
    expect(result.status).toBe(400);
    expect(result.body.message).toContain(`The ${parameter} parameter is invalid.`);
  });

  it('expires a session after 24 hours: status says so, reports are refused, it leaves the list', async () => {
    const { body } = await createSession(emulator.current, CHUNK);
    const etag = (await putChunk(body.upload_urls[0].url, randomBytes(CHUNK))).headers.get('etag')!.replaceAll('"', '');
    emulator.current.advanceClock(24 * 60 * 60 * 1000 + 1000);
    const status = await api(emulator.current, `/assets/multipart-uploads/${body.upload_id}`);
    expect(status.body.status).toBe('expired');
    const late = await report(emulator.current, body.upload_id, [{ index: 1, etag, size: CHUNK }]);
    expect(late.status).toBe(400);
    expect(late.body.code).toBe('upload_session_expired');
    const listed = await api(emulator.current, '/assets/multipart-uploads?page_limit=50');
    expect(listed.body.data.map((s: { upload_id: string }) => s.upload_id)).not.toContain(body.upload_id);
  });

  it('answers an unknown upload id with 404', async () => {
    const result = await api(emulator.current, '/assets/multipart-uploads/0123456789abcdef01234567');
    expect(result.status).toBe(404);
  });
});

describe('emulator: multipart media checks', () => {
  // The seed's answer to a video the model cannot use: the assembled asset fails.
  const emulator = useEmulator({ chunkSize: 16 * 1024, modelRulesAtUpload: true });

  it('fails the asset with the seed message when the assembled file is not usable', async () => {
    const { readFile } = await import('node:fs/promises');
    const { fixture } = await import('../../helpers/emulator');
    const bytes = await readFile(fixture('too-short.mp4'));
    const { body } = await createSession(emulator.current, bytes.length);
    const more = await api(
      emulator.current,
      `/assets/multipart-uploads/${body.upload_id}/presigned-urls`,
      json({ start: 1, count: 50 }),
    );
    const chunks = [];
    for (const { chunk_index: index, url } of more.body.upload_urls) {
      const part = bytes.subarray((index - 1) * body.chunk_size, index * body.chunk_size);
      const etag = (await putChunk(url, part)).headers.get('etag')!.replaceAll('"', '');
      chunks.push({ index, etag, size: part.length });
    }
    expect((await report(emulator.current, body.upload_id, chunks)).body.url).toBeDefined();
    const asset = await waitForAsset(emulator.current, body.asset_id);
    expect(asset.status).toBe('failed');
    expect(asset.error.message).toBe(
      'The video is too short. Please use a video with a duration of at least 4 seconds. Current duration is 2 seconds.',
    );
  });
});
