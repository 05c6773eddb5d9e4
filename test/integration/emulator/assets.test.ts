import { describe, expect, it } from 'vitest';
import {
  api,
  control,
  fixture,
  indexAsset,
  sha256File,
  uploadFixture,
  useEmulator,
  waitForAsset,
} from '../../helpers/emulator';
import { closeAfter } from '../../helpers/cleanup';

describe('emulator: assets', () => {
  const emulator = useEmulator();

  it('refuses a missing or unknown API key with api_key_invalid', async () => {
    for (const key of [null, 'tlk_not_a_real_key']) {
      const { status, body } = await api(emulator.current, '/assets', { key });
      expect(status).toBe(401);
      expect(body.code).toBe('api_key_invalid');
    }
  });

  it('creates an asset in processing, then makes it ready with facts from a real probe', async () => {
    const created = await uploadFixture(emulator.current, 'video-h264.mp4', {
      method: 'direct',
      user_metadata: JSON.stringify({ project: 'alpha', take: 3, approved: false, empty: '' }),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      method: 'direct',
      status: 'processing',
      filename: 'video-h264.mp4',
      file_type: 'video/mp4',
      user_metadata: { project: 'alpha', take: 3, approved: false },
    });
    expect(created.body._id).toMatch(/^[0-9a-f]{24}$/);
    expect(created.body.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(created.body).not.toHaveProperty('size');

    const ready = await waitForAsset(emulator.current, created.body._id);
    expect(ready).toMatchObject({ status: 'ready', size: 134913, duration: 5 });
    expect(ready.technical_metadata).toMatchObject({
      video_codec: 'h264',
      video_width: 640,
      video_height: 360,
      video_fps: 15,
      has_audio: true,
      audio_codec: 'aac',
    });
    expect(ready).not.toHaveProperty('hls');
    expect(ready).not.toHaveProperty('error');

    const stored = await control(emulator.current, `/assets/${created.body._id}`);
    expect(stored.sha256).toBe(await sha256File(fixture('video-h264.mp4')));
  });

  it('makes a thumbnail and an HLS rendition only when asked, and serves them', async () => {
    const created = await uploadFixture(emulator.current, 'video-h264.mov', {
      method: 'direct',
      enable_hls: 'TRUE',
      enable_thumbnail: 'true',
    });
    expect(created.body.file_type).toBe('video/quicktime');
    const ready = await waitForAsset(emulator.current, created.body._id, 60_000);
    expect(ready.hls.status).toBe('ready');
    expect(ready.thumbnail.status).toBe('ready');
    const manifest = await fetch(ready.hls.manifest_url);
    expect(await manifest.text()).toMatch(/^#EXTM3U[\s\S]*#EXT-X-ENDLIST/);
    const thumbnail = Buffer.from(await (await fetch(ready.thumbnail.representative_url)).arrayBuffer());
    expect(thumbnail.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
  });

  it('lists newest first, filters, and answers a page past the end with empty data', async () => {
    const ids: string[] = [];
    for (const name of ['image.jpg', 'audio.mp3', 'image.png', 'audio.wav']) {
      ids.push((await uploadFixture(emulator.current, name)).body._id);
    }
    const mine = ids.map((id) => `asset_ids=${id}`).join('&');
    const first = await api(emulator.current, `/assets?${mine}&page_limit=3`);
    expect(first.body.data.map((a: { _id: string }) => a._id)).toEqual([ids[3], ids[2], ids[1]]);
    expect(first.body.page_info).toEqual({ limit_per_page: 3, page: 1, total_page: 2, total_results: 4 });
    const second = await api(emulator.current, `/assets?${mine}&page_limit=3&page=2`);
    expect(second.body.data.map((a: { _id: string }) => a._id)).toEqual([ids[0]]);
    const past = await api(emulator.current, `/assets?${mine}&page_limit=3&page=3`);
    expect(past.status).toBe(200);
    expect(past.body.data).toEqual([]);

    const images = await api(emulator.current, `/assets?${mine}&asset_types=image`);
    expect(images.body.data.map((a: { filename: string }) => a.filename).sort()).toEqual(['image.jpg', 'image.png']);
    const both = await api(emulator.current, `/assets?${mine}&asset_types=image&asset_types=audio`);
    expect(both.body.page_info.total_results).toBe(4);
    const byName = await api(emulator.current, `/assets?${mine}&filename=AUDIO.W`);
    expect(byName.body.data.map((a: { filename: string }) => a.filename)).toEqual(['audio.wav']);
  });

  it.each([
    ['page_limit=51', 'page_limit'],
    ['page=0', 'page'],
    ['asset_types=spreadsheet', 'asset_types'],
  ])('refuses the list query %s', async (query, parameter) => {
    const { status, body } = await api(emulator.current, `/assets?${query}`);
    expect(status).toBe(400);
    expect(body.code).toBe('parameter_invalid');
    expect(body.message).toContain(`The ${parameter} parameter is invalid.`);
  });

  it('answers an unknown id with 404 resource_not_exist on every asset route', async () => {
    const id = '0123456789abcdef01234567';
    for (const [method, path] of [
      ['GET', `/assets/${id}`],
      ['DELETE', `/assets/${id}`],
      ['DELETE', `/assets/${id}/user-metadata`],
    ] as const) {
      const { status, body } = await api(emulator.current, path, { method });
      expect(status).toBe(404);
      expect(body).toEqual({ code: 'resource_not_exist', message: `Resource with id ${id} does not exist in assets.` });
    }
  });

  it('deletes with 204, and answers 409 for an indexed asset unless forced', async () => {
    const plain = (await uploadFixture(emulator.current, 'image.jpg')).body._id;
    expect((await api(emulator.current, `/assets/${plain}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(emulator.current, `/assets/${plain}`)).status).toBe(404);

    const indexed = (await uploadFixture(emulator.current, 'video-h264.mp4')).body._id;
    await waitForAsset(emulator.current, indexed);
    await indexAsset(emulator.current, indexed);
    const conflict = await api(emulator.current, `/assets/${indexed}`, { method: 'DELETE' });
    expect(conflict.status).toBe(409);
    expect(conflict.body.code).toBe('asset_in_use');
    expect((await api(emulator.current, `/assets/${indexed}?force=false`, { method: 'DELETE' })).status).toBe(409);
    expect((await api(emulator.current, `/assets/${indexed}?force=true`, { method: 'DELETE' })).status).toBe(204);
  });

  it('keeps asset records across a restart of the emulator', async () => {
    const { startEmulator } = await import('../../emulator/server');
    const first = closeAfter(await startEmulator({ processingDelayMs: 10 }));
    const id = (await uploadFixture(first, 'image.jpg')).body._id;
    await waitForAsset(first, id);
    await first.close();
    const second = closeAfter(await startEmulator({ dataDir: first.dataDir }));
    expect((await api(second, `/assets/${id}`)).body).toMatchObject({ _id: id, status: 'ready', size: 21739 });
  });
});

describe('emulator: user metadata', () => {
  const emulator = useEmulator();

  async function withMetadata(metadata: Record<string, unknown>): Promise<string> {
    const created = await uploadFixture(emulator.current, 'image.jpg', {
      method: 'direct',
      user_metadata: JSON.stringify(metadata),
    });
    return created.body._id;
  }

  async function metadataOf(id: string) {
    return (await api(emulator.current, `/assets/${id}`)).body.user_metadata;
  }

  function send(id: string, method: string, body?: unknown) {
    return api(emulator.current, `/assets/${id}/user-metadata`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  }

  it('PATCH merges: a value sets, null deletes, "" is ignored, omitted keys stay', async () => {
    const id = await withMetadata({ a: 'x', b: 1, c: true });
    const result = await send(id, 'PATCH', { user_metadata: { a: 'y', b: null, c: '', d: 4.5 } });
    expect(result.status).toBe(204);
    expect(await metadataOf(id)).toEqual({ a: 'y', c: true, d: 4.5 });
  });

  it('PUT replaces: omitted keys go, "" and null are ignored, {} clears', async () => {
    const id = await withMetadata({ a: 'x', b: 1 });
    expect((await send(id, 'PUT', { user_metadata: { b: 2, e: '', f: null, g: false } })).status).toBe(204);
    expect(await metadataOf(id)).toEqual({ b: 2, g: false });
    expect((await send(id, 'PUT', { user_metadata: {} })).status).toBe(204);
    expect(await metadataOf(id)).toBeUndefined();
  });

  it('DELETE clears everything, and the field is then absent', async () => {
    const id = await withMetadata({ a: 'x' });
    expect((await send(id, 'DELETE')).status).toBe(204);
    expect(await metadataOf(id)).toBeUndefined();
  });

  it.each([
    ['an object value', { user_metadata: { nested: { a: 1 } } }],
    ['an array value', { user_metadata: { list: [1, 2] } }],
    ['a list instead of an object', { user_metadata: ['a'] }],
  ])('refuses %s with 400 and changes nothing', async (_name, body) => {
    const id = await withMetadata({ keep: 'me' });
    const result = await send(id, 'PATCH', body);
    expect(result.status).toBe(400);
    expect(result.body.code).toBe('parameter_invalid');
    expect(await metadataOf(id)).toEqual({ keep: 'me' });
  });

  it('refuses a body without user_metadata', async () => {
    const id = await withMetadata({ keep: 'me' });
    const result = await send(id, 'PUT', {});
    expect(result.status).toBe(400);
    expect(result.body.code).toBe('parameter_not_provided');
  });

  it('refuses nested values on create too', async () => {
    const result = await uploadFixture(emulator.current, 'image.jpg', {
      method: 'direct',
      user_metadata: '{"nested":{"a":1}}',
    });
    expect(result.status).toBe(400);
    expect(result.body.code).toBe('parameter_invalid');
  });
});
