import { stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIBRARY_QUERY } from '../../../electron/shared/library';
import { parseAssetDetail, parseAssetPage, parseUploadStatus } from '../../../electron/core/api/wire';
import { startEmulator } from '../../emulator/server';
import { openTestApp } from '../../helpers/app';
import { runCli } from '../../helpers/cli';
import { control, fixture, sha256File, useEmulator } from '../../helpers/emulator';
import { openEngine, randomFile } from '../../helpers/engine';
import { tempDir } from '../../helpers/temp-dir';
import { until } from '../../helpers/until';
import { closeAfter } from '../../helpers/cleanup';

const KiB = 1024;

describe('answers within what the SDK allows, read in one place', () => {
  it('takes null or missing lists and page_info, unknown fields and unknown enum values', () => {
    const unknown: string[] = [];
    const note = (what: string) => unknown.push(what);
    expect(parseAssetPage({ data: null }, { page: 1, limit: 10 }, note)).toEqual({
      data: [],
      pageInfo: { limit_per_page: 10, page: 1, total_page: 1, total_results: 0 },
    });
    // No page_info after a full page: there may be another.
    const full = { data: Array.from({ length: 2 }, (_, i) => ({ _id: `a${i}` })) };
    expect(parseAssetPage(full, { page: 3, limit: 2 }, note).pageInfo).toMatchObject({ page: 3, total_page: 4 });
    const asset = parseAssetDetail(
      {
        _id: 'a1',
        method: 'connector',
        status: 'queued_for_indexing',
        filename: 'brief.pdf',
        file_type: 'application/pdf',
        created_at: '2026-11-30T10:00:00Z',
        user_metadata: { project: 'Apollo', gone: null },
        source: { type: 'drive' },
        hls: null,
      },
      note,
    );
    expect(asset).toMatchObject({
      _id: 'a1',
      method: 'direct',
      status: 'processing',
      user_metadata: { project: 'Apollo' },
    });
    expect(unknown).toEqual(['asset method "connector"', 'asset status "queued_for_indexing"']);
    expect(
      parseUploadStatus({ upload_id: 'u', status: 'active', uploaded_chunks: null }, { page: 1, limit: 50 }, note),
    ).toMatchObject({ uploaded_chunks: [], chunks_completed: 0, page_info: { total_page: 1 } });
    expect(() => parseAssetDetail({ filename: 'x' }, note)).toThrow(
      'TwelveLabs sent an asset without an id this app could not read.',
    );
  });
});

describe('a Go-shaped API: null lists, no page_info, unknown fields', () => {
  const emulator = useEmulator({ shapes: 'go' });

  it('an empty account lists as empty in the CLI instead of crashing', async () => {
    const result = await runCli(emulator.current, await tempDir(), ['assets', 'list']);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('Page 1 of 1 (0 assets)');
  });

  it('uploads and reads the Library back', async () => {
    const app = closeAfter(await openTestApp(await tempDir(), { emulator: emulator.current }));
    await app.secrets.set(emulator.current.apiKey);
    await app.contract.addPaths([fixture('image.png')]);
    await until(async () => (await app.engine.items())[0]?.status.kind === 'ready');
    await app.library.refresh();
    const page = await app.library.page(DEFAULT_LIBRARY_QUERY);
    expect(page.assets.map((asset) => asset.filename)).toEqual(['image.png']);
  });
});

describe('refused chunk reports', () => {
  it.each([
    ['one background report', 1],
    ['every report, the last included', 20],
  ])('%s refused with a 400: the upload finishes once, byte for byte', async (_, count) => {
    const emulator = closeAfter(
      await startEmulator({
        chunkSize: 32 * KiB,
        mediaChecks: false,
        processingDelayMs: 20,
        faults: { multipart: { refuseNext: { count, route: 'POST /assets/multipart-uploads/{id}', status: 400 } } },
      }),
    );
    const { engine } = closeAfter(await openEngine(emulator, await tempDir(), {}, { reportBatchSize: 2 }));
    const path = await randomFile(await tempDir(), 'take.mov', 20 * 32 * KiB);
    const { size, mtimeMs } = await stat(path);
    engine.start();
    const {
      ids: [id],
    } = await engine.add([{ path, relativePath: 'take.mov', size, mtimeMs, kind: 'video', mime: 'video/mp4' }]);
    await engine.whenIdle();
    const item = (await engine.item(id!))!;
    expect(item.status.kind, JSON.stringify(item.status)).toBe('ready');
    const stored = await control(emulator, `/assets/${(item.status as { assetId: string }).assetId}`);
    expect(stored.sha256).toBe(await sha256File(path));
    expect((await control(emulator, '/stats')).assets).toBe(1);
  });
});
