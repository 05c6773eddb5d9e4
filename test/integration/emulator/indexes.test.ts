import { describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { closeAfter } from '../../helpers/cleanup';
import { api, control, createIndex, uploadFixture, useEmulator, waitForAsset } from '../../helpers/emulator';
import { until } from '../../helpers/until';

const json = (body: unknown, method = 'POST') => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

async function readyVideo(emulator: RunningEmulator, fixture = 'video-h264.mp4'): Promise<string> {
  const { status, body } = await uploadFixture(emulator, fixture);
  expect(status).toBe(201);
  await waitForAsset(emulator, body._id);
  return body._id;
}

const job = (emulator: RunningEmulator, index: string, id: string) =>
  api(emulator, `/indexes/${index}/indexed-assets/${id}`).then((answer) => answer.body);

describe('emulator: indexes and indexed assets', () => {
  const emulator = useEmulator({ processingDelayMs: 10, indexingDelayMs: 60 });

  it('makes indexes with unique names and fixed models, and lists them newest first', async () => {
    const first = await createIndex(emulator.current, 'Shoot 2026-10');
    const clash = await api(
      emulator.current,
      '/indexes',
      json({ index_name: 'Shoot 2026-10', models: [{ model_name: 'marengo3.0', model_options: ['visual'] }] }),
    );
    expect(clash).toMatchObject({ status: 400, body: { code: 'index_name_already_exists' } });
    const badModel = await api(
      emulator.current,
      '/indexes',
      json({ index_name: 'Other', models: [{ model_name: 'marengo9', model_options: ['visual'] }] }),
    );
    expect(badModel.status).toBe(400);
    const second = await createIndex(emulator.current, 'Archive');
    const { body } = await api(emulator.current, '/indexes?page_limit=50');
    expect(body.data.slice(0, 2).map((index: { _id: string }) => index._id)).toEqual([second, first]);
    expect(body.data[1]).toMatchObject({
      index_name: 'Shoot 2026-10',
      video_count: 0,
      total_duration: 0,
      models: [{ model_name: 'marengo3.0', model_options: ['visual', 'audio'] }],
      expires_at: expect.any(String),
    });
    expect((await api(emulator.current, '/indexes?page_limit=51')).status).toBe(400);
  });

  it('indexes a ready video with 202, moves it through pending, queued and indexing to ready', async () => {
    const index = await createIndex(emulator.current, 'Moves');
    const asset = await readyVideo(emulator.current);
    const created = await api(
      emulator.current,
      `/indexes/${index}/indexed-assets`,
      json({ asset_id: asset, user_metadata: { reel: 4 } }),
    );
    expect(created).toMatchObject({ status: 202, body: { _id: expect.any(String), asset_id: asset } });
    const seen = new Set<string>();
    await until(async () => {
      const { status } = await job(emulator.current, index, created.body._id);
      seen.add(status);
      return status === 'ready';
    });
    expect([...seen].every((status) => ['pending', 'queued', 'indexing', 'ready'].includes(status))).toBe(true);
    expect(await job(emulator.current, index, created.body._id)).toMatchObject({
      asset_id: asset,
      indexed_at: expect.any(String),
      user_metadata: { reel: 4 },
      system_metadata: { filename: 'video-h264.mp4', duration: 5, width: 640, height: 360 },
    });
    const byAsset = await api(emulator.current, `/assets/${asset}/indexed-assets`);
    expect(byAsset.body.data).toEqual([{ _id: created.body._id, index: { _id: index, name: 'Moves' } }]);
    expect((await api(emulator.current, `/indexes/${index}`)).body).toMatchObject({
      video_count: 1,
      total_duration: 5,
    });
    // In an index, the asset is kept unless the delete is forced.
    expect((await api(emulator.current, `/assets/${asset}`, { method: 'DELETE' })).status).toBe(409);
    expect((await control(emulator.current, `/assets/${asset}`)).indexes).toEqual([index]);
  });

  it('takes a video too short for the model at upload, and fails its index job instead', async () => {
    const index = await createIndex(emulator.current, 'Too short');
    const asset = await readyVideo(emulator.current, 'too-short.mp4');
    expect((await api(emulator.current, `/assets/${asset}`)).body.status).toBe('ready');
    const created = await api(emulator.current, `/indexes/${index}/indexed-assets`, json({ asset_id: asset }));
    await until(async () => (await job(emulator.current, index, created.body._id)).status === 'failed');
    // The API documents no reason for a failed job: none is sent.
    expect(Object.keys(await job(emulator.current, index, created.body._id))).not.toContain('error');
  });

  it('refuses what cannot be indexed: an image, an asset not ready, an index that is gone', async () => {
    const index = await createIndex(emulator.current, 'Refusals');
    const image = (await uploadFixture(emulator.current, 'image.jpg')).body._id;
    await waitForAsset(emulator.current, image);
    expect((await api(emulator.current, `/indexes/${index}/indexed-assets`, json({ asset_id: image }))).status).toBe(
      400,
    );
    const slow = closeAfter(await startEmulator({ processingDelayMs: 5_000 }));
    const slowIndex = await createIndex(slow, 'Waits');
    const processing = (await uploadFixture(slow, 'video-h264.mp4')).body._id;
    expect(await api(slow, `/indexes/${slowIndex}/indexed-assets`, json({ asset_id: processing }))).toMatchObject({
      status: 400,
      body: { code: 'asset_not_ready' },
    });
    const video = await readyVideo(emulator.current);
    expect((await api(emulator.current, `/indexes/${index}`, { method: 'DELETE' })).status).toBe(204);
    expect(await api(emulator.current, `/indexes/${index}/indexed-assets`, json({ asset_id: video }))).toMatchObject({
      status: 404,
      body: { code: 'resource_not_exist' },
    });
  });

  it('lists an index’s jobs by status, newest change first, and pages them', async () => {
    const index = await createIndex(emulator.current, 'Lists');
    const video = await readyVideo(emulator.current);
    emulator.current.setFaults({ indexes: { failJobsNext: { count: 1 } } });
    const failed = (await api(emulator.current, `/indexes/${index}/indexed-assets`, json({ asset_id: video }))).body
      ._id;
    const ready = (await api(emulator.current, `/indexes/${index}/indexed-assets`, json({ asset_id: video }))).body._id;
    emulator.current.setFaults({});
    await until(async () => (await job(emulator.current, index, ready)).status === 'ready');
    const listed = await api(
      emulator.current,
      `/indexes/${index}/indexed-assets?status=ready&status=failed&sort_by=updated_at&page_limit=1`,
    );
    expect(listed.body.page_info).toMatchObject({ total_results: 2, total_page: 2 });
    const both = await api(emulator.current, `/indexes/${index}/indexed-assets?status=failed`);
    expect(both.body.data.map((entry: { _id: string }) => entry._id)).toEqual([failed]);
    expect((await api(emulator.current, `/indexes/${index}/indexed-assets?status=done`)).status).toBe(400);
  });

  it('answers a second request for the same asset as configured: another billed job, or a refusal', async () => {
    const index = await createIndex(emulator.current, 'Twice');
    const video = await readyVideo(emulator.current);
    const once = await api(emulator.current, `/indexes/${index}/indexed-assets`, json({ asset_id: video }));
    const twice = await api(emulator.current, `/indexes/${index}/indexed-assets`, json({ asset_id: video }));
    expect(twice.status).toBe(202);
    expect(twice.body._id).not.toBe(once.body._id);
    const strict = closeAfter(await startEmulator({ processingDelayMs: 10, indexAgain: 'refuse' }));
    const strictIndex = await createIndex(strict, 'Strict');
    const strictVideo = await readyVideo(strict);
    expect((await api(strict, `/indexes/${strictIndex}/indexed-assets`, json({ asset_id: strictVideo }))).status).toBe(
      202,
    );
    expect(await api(strict, `/indexes/${strictIndex}/indexed-assets`, json({ asset_id: strictVideo }))).toMatchObject({
      status: 400,
      body: { code: 'asset_already_indexed' },
    });
  });

  it('rate-limits the index routes on their own, with and without Retry-After', async () => {
    emulator.current.setFaults({ indexes: { burst429: { count: 2, retryAfterSeconds: null } } });
    const first = await api(emulator.current, '/indexes');
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBeNull();
    // Uploads are another family: not held.
    expect((await api(emulator.current, '/assets')).status).toBe(200);
    expect((await api(emulator.current, '/indexes')).status).toBe(429);
    expect((await api(emulator.current, '/indexes')).status).toBe(200);
    emulator.current.setFaults({ indexes: { burst429: { count: 1, retryAfterSeconds: 3 } } });
    expect((await api(emulator.current, '/indexes')).headers.get('retry-after')).toBe('3');
    emulator.current.setFaults({});
  });

  it('keeps indexes and jobs across a restart, and finishes jobs it was doing', async () => {
    const first = await startEmulator({ processingDelayMs: 10, indexingDelayMs: 600 });
    const index = await createIndex(first, 'Survives');
    const video = await readyVideo(first);
    const created = await api(first, `/indexes/${index}/indexed-assets`, json({ asset_id: video }));
    await first.close();
    const again = closeAfter(
      await startEmulator({ dataDir: first.dataDir, processingDelayMs: 10, indexingDelayMs: 60 }),
    );
    await until(async () => (await job(again, index, created.body._id)).status === 'ready');
  });
});
