import { createReadStream } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TwelveLabs } from 'twelvelabs-js';
import { control, fixture, sha256File, useEmulator, waitForAsset } from '../../helpers/emulator';

/**
 * The official SDK, unchanged, pointed at the emulator the documented way (TWELVELABS_BASE_URL).
 * If the emulator drifted from the real wire format, these calls would fail to parse or page.
 */
describe('the official twelvelabs-js SDK against the emulator', () => {
  const emulator = useEmulator({ chunkSize: 32 * 1024, initialUrlCount: 2 });
  let client: TwelveLabs;
  const savedBaseUrl = process.env.TWELVELABS_BASE_URL;

  beforeAll(() => {
    process.env.TWELVELABS_BASE_URL = emulator.current.baseUrl;
    client = new TwelveLabs({ apiKey: emulator.current.apiKey });
    // The SDK's upload helper narrates to the console; keep the test output readable.
    vi.spyOn(console, 'log').mockImplementation(() => {});
  });
  afterAll(() => {
    process.env.TWELVELABS_BASE_URL = savedBaseUrl;
    vi.restoreAllMocks();
  });

  it('creates, lists every page, retrieves, edits metadata on and deletes assets', async () => {
    const created = await client.assets.create({
      method: 'direct',
      file: createReadStream(fixture('image.jpg')),
      filename: 'sdk-image.jpg',
      userMetadata: JSON.stringify({ source: 'sdk', take: 1 }),
    });
    expect(created).toMatchObject({
      status: 'processing',
      filename: 'sdk-image.jpg',
      userMetadata: { source: 'sdk', take: 1 },
    });
    const id = created.id!;
    await waitForAsset(emulator.current, id);

    for (let i = 0; i < 11; i += 1) {
      await client.assets.create({
        method: 'direct',
        file: createReadStream(fixture('image.png')),
        filename: `page-${i}.png`,
      });
    }
    const seen: string[] = [];
    for await (const asset of await client.assets.list({ pageLimit: 5 })) seen.push(asset.filename!);
    expect(seen).toHaveLength(12);
    expect(seen[0]).toBe('page-10.png');
    expect(seen.at(-1)).toBe('sdk-image.jpg');

    const retrieved = await client.assets.retrieve(id);
    expect(retrieved).toMatchObject({ id, status: 'ready', size: 21739 });

    await client.assets.updateUserMetadata(id, { userMetadata: { take: null, reviewer: 'kim' } });
    expect((await client.assets.retrieve(id)).userMetadata).toEqual({ source: 'sdk', reviewer: 'kim' });
    await client.assets.replaceUserMetadata(id, { userMetadata: { approved: true } });
    expect((await client.assets.retrieve(id)).userMetadata).toEqual({ approved: true });
    await client.assets.deleteUserMetadata(id);
    expect((await client.assets.retrieve(id)).userMetadata).toBeUndefined();

    await client.assets.delete(id);
    await expect(client.assets.retrieve(id)).rejects.toMatchObject({ statusCode: 404 });
  });

  it('makes an index, indexes a video into it, follows the job and lists it by asset', async () => {
    const video = await client.assets.create({
      method: 'direct',
      file: createReadStream(fixture('video-h264.mp4')),
      filename: 'sdk-video.mp4',
    });
    await waitForAsset(emulator.current, video.id!);
    const index = await client.indexes.create({
      indexName: 'SDK shoot',
      models: [{ modelName: 'marengo3.0', modelOptions: ['visual', 'audio'] }],
      addons: ['thumbnail'],
    });
    await expect(
      client.indexes.create({
        indexName: 'SDK shoot',
        models: [{ modelName: 'marengo3.0', modelOptions: ['visual'] }],
      }),
    ).rejects.toMatchObject({ statusCode: 400 });
    const job = await client.indexes.indexedAssets.create(index.id!, { assetId: video.id! });
    expect(job).toEqual({ id: expect.any(String), assetId: video.id });
    let status: string | undefined;
    for (let i = 0; i < 200 && status !== 'ready'; i += 1) {
      status = (await client.indexes.indexedAssets.retrieve(index.id!, job.id!)).status;
      await new Promise((done) => setTimeout(done, 25));
    }
    expect(status).toBe('ready');
    const listed = [];
    for await (const entry of await client.indexes.indexedAssets.list(index.id!, { status: ['ready', 'failed'] }))
      listed.push(entry);
    expect(listed).toMatchObject([{ id: job.id, assetId: video.id, status: 'ready', indexedAt: expect.any(String) }]);
    const byAsset = [];
    for await (const entry of await client.indexes.indexedAssets.listByAsset(video.id!)) byAsset.push(entry);
    expect(byAsset).toEqual([{ id: job.id, index: { id: index.id, name: 'SDK shoot' } }]);
    expect(await client.indexes.retrieve(index.id!)).toMatchObject({ indexName: 'SDK shoot', videoCount: 1 });
    // In an index, the asset is not deleted without force.
    await expect(client.assets.delete(video.id!)).rejects.toMatchObject({ statusCode: 409 });
    await client.assets.delete(video.id!, { force: true });
  });

  it('completes a multipart upload with its own helper, byte for byte', async () => {
    const result = await client.multipartUpload.uploadFile(fixture('video-h264.mp4'), {
      fileType: 'video',
      batchSize: 3,
    });
    expect(result.assetUrl).toMatch(/^http:\/\/127\.0\.0\.1/);
    const asset = await waitForAsset(emulator.current, result.assetId);
    expect(asset).toMatchObject({ method: 'multipart', status: 'ready', duration: 5 });
    const stored = await control(emulator.current, `/assets/${result.assetId}`);
    expect(stored.sha256).toBe(await sha256File(fixture('video-h264.mp4')));
  });

  it('reads session status and the incomplete list through the SDK', async () => {
    const session = await client.multipartUpload.create({ filename: 'later.mp4', type: 'video', totalSize: 100_000 });
    expect(session.totalChunks).toBe(4);
    expect(session.uploadUrls).toHaveLength(2);
    const status = await client.multipartUpload.getStatus(session.uploadId!);
    expect(status.data).toEqual([]);
    const incomplete = [];
    for await (const item of await client.multipartUpload.listIncompleteUploads({ pageLimit: 1 }))
      incomplete.push(item.uploadId);
    expect(incomplete).toContain(session.uploadId);
    const urls = await client.multipartUpload.getAdditionalPresignedUrls(session.uploadId!, { start: 3, count: 2 });
    expect(urls.uploadUrls?.map((u) => u.chunkIndex)).toEqual([3, 4]);
  });
});
