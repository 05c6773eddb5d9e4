import { openAsBlob } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { libraryPath, journalPath } from '../../../electron/core/store/data-folder';
import { Library } from '../../../electron/core/library/library';
import { Journal } from '../../../electron/core/upload/journal';
import { LibraryCache } from '../../../electron/core/library/library-cache';
import { connect } from '../../../electron/core/api/gate';
import {
  DEFAULT_LIBRARY_QUERY,
  patchList,
  type LibraryAsset,
  type LibraryChanged,
  type LibraryQuery,
} from '../../../electron/shared/library';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { api, control, createIndex, fixture, indexAsset, uploadFixture, waitForAsset } from '../../helpers/emulator';
import { openTestApp } from '../../helpers/app';
import { tempDir } from '../../helpers/temp-dir';
import { until } from '../../helpers/until';
import { SCRIPT_CSV } from '../../../electron/shared/csv';

/** Closed after each test, however it ended. */
const opened: (() => Promise<void>)[] = [];

async function openLibrary(emulator: RunningEmulator, dataDir: string, now?: () => number) {
  const { client, gate } = connect({ baseUrl: emulator.baseUrl, apiKey: () => emulator.apiKey, probeMinMs: 50 });
  const cache = await LibraryCache.open(libraryPath(dataDir));
  const journal = await Journal.open(journalPath(dataDir));
  const library = new Library({ cache, client, gate, journal, ...(now && { now }) });
  opened.push(async () => {
    await library.close();
    gate.close();
    await cache.close();
    await journal.close();
  });
  return { library };
}

/** `count` assets named 000-..., every tenth with metadata (none when `plain`). */
async function seed(emulator: RunningEmulator, count: number, plain = false): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const name = i % 3 === 0 ? 'audio.mp3' : 'image.png';
    const fields: Record<string, string> = { method: 'direct' };
    if (i % 10 === 0 && !plain)
      fields.user_metadata = JSON.stringify({ project: i % 20 === 0 ? 'Apollo' : 'Gemini', take: i });
    const filename = `${String(i).padStart(3, '0')}-${name}`;
    const { body } = await uploadFixture(emulator, name, fields, filename);
    ids.push(body._id);
  }
  return ids;
}

describe('the library: a local copy kept fresh from TwelveLabs', () => {
  // A fresh, empty emulator per test: counts and orders below are exact.
  const emulator = {} as { current: RunningEmulator };
  beforeEach(async () => {
    emulator.current = await startEmulator({ processingDelayMs: 5, mediaChecks: false });
  });
  afterEach(async () => {
    for (const close of opened.splice(0)) await close();
    await emulator.current.close();
  });

  it('reads every page, searches names and metadata values, filters and sorts, and says when it last read', async () => {
    const ids = await seed(emulator.current, 112);
    const { library } = await openLibrary(emulator.current, await tempDir());
    const before = Date.now();
    await library.refresh();
    const stats = await control(emulator.current, '/stats');
    expect(stats.requests['GET /assets']).toBe(3);
    const all = await library.page(DEFAULT_LIBRARY_QUERY);
    expect(all.assets).toHaveLength(112);
    expect(all.sync).toMatchObject({ syncing: false, offline: false, total: 112 });
    expect(all.sync.syncedAt).toBeGreaterThanOrEqual(before);
    // Newest first, as TwelveLabs lists them.
    expect(all.assets[0]?.id).toBe(ids.at(-1));

    const search = async (text: string, extra = {}) =>
      (await library.page({ ...DEFAULT_LIBRARY_QUERY, ...extra, search: text })).assets.map((a) => a.filename);
    expect(await search('apollo')).toHaveLength(6);
    expect(await search('GEMINI', { sort: 'name' })).toEqual([
      '010-image.png',
      '030-audio.mp3',
      '050-image.png',
      '070-image.png',
      '090-audio.mp3',
      '110-image.png',
    ]);
    expect(await search('050-')).toEqual(['050-image.png']);
    expect(await search('100%')).toEqual([]);
    expect((await library.page({ ...DEFAULT_LIBRARY_QUERY, kind: 'audio' })).assets).toHaveLength(38);
    expect((await library.page({ ...DEFAULT_LIBRARY_QUERY, sort: 'oldest' })).assets[0]?.filename).toBe(
      '000-audio.mp3',
    );
  });

  it('asks TwelveLabs too when searching a name, so an asset newer than the last read is found', async () => {
    await seed(emulator.current, 2);
    const { library } = await openLibrary(emulator.current, await tempDir());
    await library.refresh();
    const { body } = await uploadFixture(emulator.current, 'image.png', { method: 'direct' }, 'late-arrival.png');
    const announced = new Promise((resolve) => library.once('changed', resolve));
    const query = { ...DEFAULT_LIBRARY_QUERY, search: 'late-arr' };
    expect((await library.page(query)).assets).toEqual([]);
    await announced;
    expect((await library.page(query)).assets.map((asset) => asset.id)).toEqual([body._id]);
  });

  it('edits metadata three ways, each as TwelveLabs stores it', async () => {
    const [id] = await seed(emulator.current, 1);
    const { library } = await openLibrary(emulator.current, await tempDir());
    await library.refresh();
    const stored = async () => (await control(emulator.current, `/assets/${id}`)).user_metadata ?? {};

    expect(await library.updateMetadata(id!, 'merge', { project: 'Apollo', take: 2 })).toMatchObject({ ok: true });
    expect(await library.updateMetadata(id!, 'merge', { take: null, approved: true })).toMatchObject({
      ok: true,
      value: { metadata: { project: 'Apollo', approved: true } },
    });
    expect(await stored()).toEqual({ project: 'Apollo', approved: true });
    await library.updateMetadata(id!, 'replace', { reel: 4, project: null });
    expect(await stored()).toEqual({ reel: 4 });
    // The cache follows, so a search finds the new value at once.
    expect((await library.page({ ...DEFAULT_LIBRARY_QUERY, search: '4' })).assets.map((a) => a.id)).toContain(id);
    await library.updateMetadata(id!, 'clear', {});
    expect(await stored()).toEqual({});
    expect((await library.detail(id!)).ok && (await library.detail(id!))).toMatchObject({
      value: { asset: { metadata: {} }, stale: false },
    });

    const many = await seed(emulator.current, 3, true);
    expect(await library.setKey(many, 'reviewed', true)).toEqual({ ok: true, value: { changed: 3, failed: [] } });
    for (const other of many)
      expect((await control(emulator.current, `/assets/${other}`)).user_metadata).toEqual({ reviewed: true });
  });

  it('says what changed, so a list patched with it is the list read again, for every query', async () => {
    const ids = await seed(emulator.current, 30);
    // Reads happen two minutes on, so an asset gone from TwelveLabs is not one that may be too new to list.
    const { library } = await openLibrary(emulator.current, await tempDir(), () => Date.now() + 120_000);
    const changes: LibraryChanged[] = [];
    library.on('changed', (change) => changes.push(change));
    const readEnded = () => changes.some((change) => !change.sync.syncing);
    await library.refresh();
    await expect.poll(readEnded).toBe(true);
    changes.length = 0;
    const queries: LibraryQuery[] = [
      DEFAULT_LIBRARY_QUERY,
      { ...DEFAULT_LIBRARY_QUERY, sort: 'oldest' },
      { ...DEFAULT_LIBRARY_QUERY, sort: 'name' },
      { ...DEFAULT_LIBRARY_QUERY, search: 'apollo' },
      { ...DEFAULT_LIBRARY_QUERY, search: 'audio', sort: 'name' },
      { ...DEFAULT_LIBRARY_QUERY, kind: 'image', status: 'ready' },
      { ...DEFAULT_LIBRARY_QUERY, search: 'project:apollo' },
      { ...DEFAULT_LIBRARY_QUERY, search: '-project:apollo take<25', sort: 'name' },
    ];
    const read = (query: LibraryQuery) => library.page(query, { askServer: false }).then((page) => page.assets);
    let lists: (readonly LibraryAsset[])[] = await Promise.all(queries.map(read));
    /** Applies what arrived to every list, as the window does: patched, or read again. */
    const settled = async (count: number) => {
      await expect.poll(() => changes.length).toBeGreaterThanOrEqual(count);
      const batch = changes.splice(0);
      const reread: LibraryQuery[] = [];
      lists = await Promise.all(
        lists.map((list, i) => {
          const query = queries[i]!;
          const patched = batch.reduce<readonly LibraryAsset[] | null>(
            (at, change) => at && patchList(at, change, query),
            list,
          );
          if (patched) return patched;
          reread.push(query);
          return read(query);
        }),
      );
      return { batch, reread };
    };
    // An edit: the edited asset comes with the event, nothing else. Every list it was in is
    // patched; only the two Apollo searches, which it joins, are read again.
    await library.updateMetadata(ids[3]!, 'merge', { project: 'Apollo' });
    const edit = await settled(1);
    expect(edit.batch).toHaveLength(1);
    expect(edit.batch[0]).toMatchObject({ removed: [], sync: { total: 30 } });
    expect(edit.batch[0]!.assets.map((asset) => [asset.id, asset.metadata.project])).toEqual([[ids[3], 'Apollo']]);
    expect(edit.reread).toEqual([queries[3], queries[6]]);
    // An edit that takes assets out of a search is a patch, as is a delete.
    await library.updateMetadata(ids[0]!, 'replace', {});
    await library.setKey([ids[10]!], 'project', null);
    expect((await settled(2)).reread).toEqual([]);
    await library.delete([ids[5]!, ids[9]!], false);
    const deleted = await settled(1);
    expect(deleted.batch[0]).toMatchObject({ assets: [], removed: [ids[5], ids[9]] });
    expect(deleted.reread).toEqual([]);
    // A bulk edit bringing assets into a search, and an asset that arrives.
    await library.setKey([ids[1]!, ids[2]!, ids[6]!], 'project', 'Apollo');
    await settled(3);
    const { body } = await uploadFixture(emulator.current, 'audio.mp3', { method: 'direct' }, 'Zulu-audio.mp3');
    await waitForAsset(emulator.current, body._id);
    expect(await library.detail(body._id)).toMatchObject({ ok: true });
    await settled(1);
    for (const [i, query] of queries.entries()) {
      expect(
        lists[i]!.map((asset) => asset.id),
        JSON.stringify(query),
      ).toEqual((await read(query)).map((a) => a.id));
    }
    // A full read with nothing new says nothing changed; one after changes made elsewhere (another
    // machine edits one asset and deletes another) carries just those, and patching with them
    // gives every list as a fresh read would.
    await library.refresh();
    await expect.poll(readEnded).toBe(true);
    expect(changes.splice(0).at(-1)).toMatchObject({ assets: [], removed: [] });
    await api(emulator.current, `/assets/${ids[4]}/user-metadata`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user_metadata: { project: 'Apollo' } }),
    });
    await api(emulator.current, `/assets/${ids[7]}`, { method: 'DELETE' });
    await library.refresh();
    await expect.poll(readEnded).toBe(true);
    const last = (await settled(1)).batch.at(-1)!;
    expect(last.assets.map((asset) => asset.id)).toEqual([ids[4]]);
    expect(last.removed).toEqual([ids[7]]);
    for (const [i, query] of queries.entries()) {
      expect(
        lists[i]!.map((asset) => asset.id),
        JSON.stringify(query),
      ).toEqual((await read(query)).map((a) => a.id));
    }
  });

  it('says only "read again" when a full read changed more than is worth sending', async () => {
    await control(emulator.current, '/assets/bulk', { method: 'POST', body: JSON.stringify({ count: 600 }) });
    const { library } = await openLibrary(emulator.current, await tempDir());
    const changes: LibraryChanged[] = [];
    library.on('changed', (change) => changes.push(change));
    await library.refresh();
    await expect.poll(() => changes.some((change) => !change.sync.syncing)).toBe(true);
    expect(changes.at(-1)).toMatchObject({ assets: [], removed: [], reset: true, sync: { total: 600 } });
    const page = await library.page(
      { ...DEFAULT_LIBRARY_QUERY, search: 'project:artemis rating>3' },
      { askServer: false, offset: 0, limit: 10 },
    );
    // i ≡ 11 (mod 12) of 0..599: 50 match, 10 sent.
    expect([page.matched, page.assets.length]).toEqual([50, 10]);
  });

  it("never changes or drops an asset's content fingerprint, which duplicate detection relies on", async () => {
    const form = new FormData();
    form.append('method', 'direct');
    form.append('user_metadata', JSON.stringify({ content_sha256: 'abc123', project: 'Apollo' }));
    form.append('file', await openAsBlob(fixture('image.png')), 'fingerprinted.png');
    const { body } = await api(emulator.current, '/assets', { method: 'POST', body: form });
    const id = body._id as string;
    const { library } = await openLibrary(emulator.current, await tempDir());
    await library.refresh();
    const stored = async () => (await control(emulator.current, `/assets/${id}`)).user_metadata ?? {};

    for (const attempt of [
      () => library.updateMetadata(id, 'merge', { content_sha256: 'forged' }),
      () => library.updateMetadata(id, 'merge', { content_sha256: null }),
      () => library.setKey([id], 'content_sha256', null),
    ]) {
      expect(await attempt()).toMatchObject({ ok: false, code: 'reserved_key' });
    }
    await library.updateMetadata(id, 'replace', { reel: 4 });
    expect(await stored()).toEqual({ reel: 4, content_sha256: 'abc123' });
    await library.updateMetadata(id, 'clear', {});
    expect(await stored()).toEqual({ content_sha256: 'abc123' });
  });

  it('deletes, reporting assets used by an index until deleted anyway', async () => {
    const [plain] = await seed(emulator.current, 1);
    const indexed = (await uploadFixture(emulator.current, 'video-h264.mp4')).body._id as string;
    await waitForAsset(emulator.current, indexed);
    await indexAsset(emulator.current, indexed);
    const { library } = await openLibrary(emulator.current, await tempDir());
    await library.refresh();
    const indexId = (await control(emulator.current, `/assets/${indexed}`)).indexes[0];
    const indexName = (await api(emulator.current, `/indexes/${indexId}`)).body.index_name;
    // Its details say which index keeps it, and so does the refusal to delete it.
    expect(await library.detail(indexed)).toMatchObject({ ok: true, value: { indexes: [indexName] } });
    expect(await library.delete([plain!, indexed!], false)).toEqual({
      ok: true,
      value: { deleted: [plain], inUse: [indexed], indexes: [indexName] },
    });
    expect((await library.page(DEFAULT_LIBRARY_QUERY)).assets.map((a) => a.id)).toEqual([indexed]);
    expect(await library.delete([indexed!], true)).toEqual({
      ok: true,
      value: { deleted: [indexed], inUse: [], indexes: [] },
    });
    expect((await library.page(DEFAULT_LIBRARY_QUERY)).assets).toEqual([]);
    expect((await control(emulator.current, '/stats')).assets).toBe(0);
  });

  it('adds library assets to an index: ready videos once each, never twice, others said', async () => {
    const [image] = await seed(emulator.current, 2);
    const video = (await uploadFixture(emulator.current, 'video-h264.mp4')).body._id as string;
    await waitForAsset(emulator.current, video);
    const index = { id: await createIndex(emulator.current, 'From the library'), name: 'From the library' };
    const { library } = await openLibrary(emulator.current, await tempDir());
    await library.refresh();
    expect(await library.addToIndex([video, image!], index)).toEqual({
      ok: true,
      value: { sent: 1, alreadyThere: 0, notIndexable: 1, failed: [] },
    });
    // Asked again (a second click, a retry): nothing is sent twice.
    expect(await library.addToIndex([video], index)).toEqual({
      ok: true,
      value: { sent: 0, alreadyThere: 1, notIndexable: 0, failed: [] },
    });
    const jobs = (await api(emulator.current, `/indexes/${index.id}/indexed-assets`)).body.data;
    expect(jobs).toHaveLength(1);
  });

  it('knows which indexes hold each asset: filtered by index or none, kept when the lists cannot be read', async () => {
    await seed(emulator.current, 1);
    const videos: string[] = [];
    for (const name of ['a.mp4', 'b.mp4', 'c.mp4']) {
      const id = (await uploadFixture(emulator.current, 'video-h264.mp4', { method: 'direct' }, name)).body
        ._id as string;
      await waitForAsset(emulator.current, id);
      videos.push(id);
    }
    const [a, b, c] = videos as [string, string, string];
    const shoot = await createIndex(emulator.current, 'Shoot');
    const archive = await createIndex(emulator.current, 'Archive');
    await indexAsset(emulator.current, a, shoot);
    await indexAsset(emulator.current, a, archive);
    await indexAsset(emulator.current, b, archive);
    // A failed job does not put c in Shoot.
    emulator.current.setFaults({ indexes: { failJobsNext: { count: 1 } } });
    await indexAsset(emulator.current, c, shoot);
    emulator.current.setFaults({});
    await until(async () =>
      (await api(emulator.current, `/indexes/${shoot}/indexed-assets`)).body.data.every(
        (job: { status: string }) => job.status === 'ready' || job.status === 'failed',
      ),
    );
    const { library } = await openLibrary(emulator.current, await tempDir());
    await library.refresh();
    const names = async (index: string) =>
      (await library.page({ ...DEFAULT_LIBRARY_QUERY, index, sort: 'name' })).assets.map((asset) => asset.filename);
    const page = await library.page({ ...DEFAULT_LIBRARY_QUERY, sort: 'name' });
    expect(page.sync.indexes).toEqual([
      { id: archive, name: 'Archive' },
      { id: shoot, name: 'Shoot' },
    ]);
    expect(page.assets.find((asset) => asset.id === a)?.indexes.map((index) => index.name)).toEqual([
      'Archive',
      'Shoot',
    ]);
    expect(await names(shoot)).toEqual(['a.mp4']);
    expect(await names(archive)).toEqual(['a.mp4', 'b.mp4']);
    expect(await names('none')).toEqual(['000-audio.mp3', 'c.mp4']);
    expect(await library.ids({ ...DEFAULT_LIBRARY_QUERY, index: 'none' })).toHaveLength(2);

    // Added from the library: the copy and the screen know at once, without another read.
    const changes: LibraryChanged[] = [];
    library.on('changed', (change) => changes.push(change));
    await library.addToIndex([c], { id: shoot, name: 'Shoot' });
    await until(() => changes.some((change) => change.assets.some((asset) => asset.id === c)));
    expect(changes.flatMap((change) => change.assets).find((asset) => asset.id === c)?.indexes).toEqual([
      { id: shoot, name: 'Shoot' },
    ]);
    expect(await names(shoot)).toEqual(['a.mp4', 'c.mp4']);

    // The indexes' lists cannot be read: the copy keeps what it knew rather than "in no index".
    emulator.current.setFaults({ indexes: { refuseNext: { count: 1, route: 'GET /indexes', status: 500 } } });
    await library.refresh();
    expect(await names(shoot)).toEqual(['a.mp4', 'c.mp4']);
    // An asset edited (read again on its own) keeps its indexes too.
    await library.updateMetadata(a, 'merge', { reel: 1 });
    expect(await names(archive)).toEqual(['a.mp4', 'b.mp4']);
    // Indexed elsewhere (a script, another machine): its details, read fresh, correct the copy.
    await indexAsset(emulator.current, b, shoot);
    expect(await library.detail(b)).toMatchObject({ ok: true, value: { indexes: ['Archive', 'Shoot'] } });
    expect(await names(shoot)).toEqual(['a.mp4', 'b.mp4', 'c.mp4']);
  });

  it('shows an upload in its index as soon as the upload is indexed, without another read', async () => {
    const index = { id: await createIndex(emulator.current, 'Shoot'), name: 'Shoot' };
    const app = await openTestApp(await tempDir(), { emulator: emulator.current });
    opened.push(() => app.close());
    await app.secrets.set(emulator.current.apiKey);
    expect(app.settings.update({ uploadIndex: index })).toMatchObject({ ok: true });
    await app.contract.addPaths([fixture('video-h264.mp4')]);
    await until(async () => (await app.engine.items())[0]?.index?.state === 'searchable');
    const page = async () => (await app.library.page({ ...DEFAULT_LIBRARY_QUERY, index: index.id })).assets;
    await until(async () => (await page()).length === 1);
    expect((await page())[0]).toMatchObject({ filename: 'video-h264.mp4', indexes: [index] });
  });

  it('exports the selection as CSV and JSON with every promised field', async () => {
    const ids = await seed(emulator.current, 11);
    await waitForAsset(emulator.current, ids[10]!);
    const { library } = await openLibrary(emulator.current, await tempDir());
    await library.refresh();
    const dir = await tempDir();
    const chosen = [ids[10]!, ids[1]!];
    expect(await library.exportTo(chosen, 'json', join(dir, 'out.json'), SCRIPT_CSV)).toBe(2);
    const json = JSON.parse(await readFile(join(dir, 'out.json'), 'utf8'));
    expect(json[0]).toEqual({
      id: ids[10],
      filename: '010-image.png',
      type: 'image',
      size: 8828,
      duration: null,
      status: 'ready',
      created: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      indexes: [],
      metadata: { project: 'Gemini', take: 10 },
    });
    await library.exportTo(chosen, 'csv', join(dir, 'out.csv'), SCRIPT_CSV);
    const lines = (await readFile(join(dir, 'out.csv'), 'utf8')).trimEnd().split('\r\n');
    // One column per metadata key either asset has; empty where an asset has none.
    expect(lines[0]).toBe('id,filename,type,size,duration,status,created,indexes,project,take');
    expect(lines[1]).toMatch(new RegExp(`^${ids[10]},010-image\\.png,image,8828,,ready,\\d{4}-[^,]+,,Gemini,10$`));
    expect(lines[2]).toMatch(new RegExp(`^${ids[1]},001-image\\.png,image,8828,,ready,\\d{4}-[^,]+,,,$`));
    expect(lines).toHaveLength(3);
    // Everything a search matches, as well as a selection.
    expect(
      await library.exportTo(
        { ...DEFAULT_LIBRARY_QUERY, search: 'project:gemini' },
        'json',
        join(dir, 'q.json'),
        SCRIPT_CSV,
      ),
    ).toBe(1);
  });

  it('saves CSV for a region’s spreadsheets: a byte-order mark, its separator, names in any script intact', async () => {
    const { body } = await uploadFixture(
      emulator.current,
      'image.png',
      { method: 'direct', user_metadata: JSON.stringify({ 촬영지: '서울; 강남', note: 'Café' }) },
      '서울_촬영.png',
    );
    await waitForAsset(emulator.current, body._id);
    const dir = await tempDir();
    const app = await openTestApp(await tempDir(), {
      emulator: emulator.current,
      systemLocale: { languages: ['ko-KR'], region: 'de-DE' },
      pick: { saveTo: join(dir, 'assets.csv') },
    });
    opened.push(() => app.close());
    await app.secrets.set(emulator.current.apiKey);
    await app.library.refresh();
    expect(await app.contract.handlers['library:export']([body._id], 'csv')).toMatchObject({ ok: true });
    const bytes = await readFile(join(dir, 'assets.csv'));
    // EF BB BF: Excel reads UTF-8, not the system's code page; ";" where the decimal mark is ",".
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, row] = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(header).toBe('id;filename;type;size;duration;status;created;indexes;note;촬영지');
    expect(row).toMatch(/^[^;]+;서울_촬영\.png;image;8828;;ready;\d{4}-\d\d-\d\dT[^;]+Z;;Café;"서울; 강남"$/);
    // The person's choice wins over the region.
    app.settings.update({ csvSeparator: 'tab' });
    await app.contract.handlers['library:export']([body._id], 'csv');
    expect((await readFile(join(dir, 'assets.csv'), 'utf8')).split('\r\n')[0]).toBe(
      '\uFEFFid\tfilename\ttype\tsize\tduration\tstatus\tcreated\tindexes\tnote\t촬영지',
    );
  });

  it('keeps working from the local copy when TwelveLabs cannot be reached, and says so', async () => {
    const [id] = await seed(emulator.current, 2);
    const { library } = await openLibrary(emulator.current, await tempDir());
    await library.refresh();
    await emulator.current.close();
    await library.refresh();
    const page = await library.page(DEFAULT_LIBRARY_QUERY);
    expect(page.sync).toMatchObject({ offline: true, total: 2 });
    expect(page.assets).toHaveLength(2);
    expect(await library.detail(id!)).toMatchObject({ ok: true, value: { stale: true, asset: { id } } });
    expect(await library.updateMetadata(id!, 'merge', { a: 1 })).toMatchObject({ ok: false, code: 'offline' });
  });
});
