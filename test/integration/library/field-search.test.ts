import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LibraryCache } from '../../../electron/core/library/library-cache';
import { Database } from '../../../electron/core/store/database';
import { DEFAULT_LIBRARY_QUERY, queryMatcher, type LibraryAsset } from '../../../electron/shared/library';
import { parseSearch, searchHint } from '../../../electron/shared/library-search';
import { closeAfter } from '../../helpers/cleanup';
import { libraryAsset } from '../../helpers/library-asset';
import { tempDir } from '../../helpers/temp-dir';

function asset(id: string, filename: string, metadata: LibraryAsset['metadata'], extra: Partial<LibraryAsset> = {}) {
  const createdAt = Date.UTC(2026, 0, 1) + Number(id.slice(1)) * 1000;
  return libraryAsset(id, { filename, size: 1000, durationSeconds: 10, createdAt, metadata, ...extra });
}

const ASSETS: LibraryAsset[] = [
  asset('a1', 'Launch_Day1.mov', { project: 'Apollo', rating: 4, draft: false, content_sha256: 'x1' }),
  asset('a2', 'launch_day2.mov', { Project: 'apollo 11', rating: 2.5, draft: true }),
  asset('a3', 'Mercury.wav', { project: 'Mercury', rating: 5, notes: 'Draft cut' }, { kind: 'audio' }),
  asset('a4', 'ÉCLAIR.jpg', { project: 'Éclair', rating: '5' }, { kind: 'image', status: 'failed', error: 'bad' }),
  asset('a5', 'untagged.mp4', {}),
  asset('a6', 'big.mp4', { rating: 1e21, take: -3 }, { status: 'processing' }),
];

describe('field search: the local copy and the window agree', () => {
  it('says how to write a search people often write another way', () => {
    expect(searchHint('project = apollo')).toBe('Fields are written without spaces: try project=apollo.');
    expect(searchHint('day2 rating > 3')).toBe('Fields are written without spaces: try rating>3.');
    expect(searchHint('approved:yes')).toBe('Yes-or-no fields hold true or false: try approved:true.');
    expect(searchHint('-approved:no')).toBe('Yes-or-no fields hold true or false: try -approved:false.');
    for (const fine of ['project:apollo', 'rating>3', 'apollo day2', '"a = b"', 'approved:true']) {
      expect(searchHint(fine)).toBeNull();
    }
  });

  it('reads words, quoted phrases, fields, comparisons and negation', () => {
    expect(parseSearch('  Apollo  "Day 2" project:"Moon shot" rating>=3 -draft -status:failed take: a>b ')).toEqual([
      { kind: 'text', value: 'apollo', negate: false },
      { kind: 'text', value: 'day 2', negate: false },
      { kind: 'field', field: 'project', op: ':', value: 'moon shot', negate: false },
      { kind: 'field', field: 'rating', op: '>=', value: '3', negate: false },
      { kind: 'text', value: 'draft', negate: true },
      { kind: 'field', field: 'status', op: ':', value: 'failed', negate: true },
      { kind: 'field', field: 'take', op: ':', value: '', negate: false },
      // Not a number: searched for as it is written.
      { kind: 'text', value: 'a>b', negate: false },
    ]);
    expect(parseSearch('-')).toEqual([{ kind: 'text', value: '-', negate: false }]);
    expect(parseSearch('')).toEqual([]);
  });

  it('gives the same answer from SQLite as from the matcher a window patches with', async () => {
    const cache = closeAfter(await LibraryCache.open(join(await tempDir(), 'library.sqlite')));
    await cache.replaceAll(ASSETS, Date.now());
    const cases: [string, string[]][] = [
      ['project:apollo', ['a1', 'a2']],
      ['project=apollo', ['a1']],
      ['PROJECT:éclair', ['a4']],
      ['rating>3', ['a1', 'a3', 'a6']],
      ['rating<=2.5', ['a2']],
      ['rating>=5', ['a3', 'a6']],
      // Words look in names and values, not field names: a2's draft is true, a3's notes say "Draft".
      ['-draft', ['a1', 'a2', 'a4', 'a5', 'a6']],
      ['draft:true', ['a2']],
      ['draft:false', ['a1']],
      ['-project:apollo', ['a3', 'a4', 'a5', 'a6']],
      ['take:', ['a6']],
      ['-take:', ['a1', 'a2', 'a3', 'a4', 'a5']],
      ['take<0', ['a6']],
      ['name:launch', ['a1', 'a2']],
      ['name=mercury.wav', ['a3']],
      ['type:audio', ['a3']],
      ['status:failed', ['a4']],
      ['-status:ready', ['a4', 'a6']],
      ['launch day2', ['a2']],
      ['"apollo 11"', ['a2']],
      ['éclair', ['a4']],
      ['rating:1e+21', ['a6']],
      ['status>1', []],
      ['100%_', []],
    ];
    for (const [search, expected] of cases) {
      const query = { ...DEFAULT_LIBRARY_QUERY, search, sort: 'oldest' as const };
      const fromCopy = (await cache.query(query)).map((a) => a.id);
      expect(fromCopy, search).toEqual(expected);
      expect(
        ASSETS.filter(queryMatcher(query)).map((a) => a.id),
        search,
      ).toEqual(expected);
      expect(await cache.countMatching(query), search).toBe(expected.length);
    }
  });

  it('finds a name macOS stored decomposed by the word as typed, and shows it as it came', async () => {
    const cache = closeAfter(await LibraryCache.open(join(await tempDir(), 'library.sqlite')));
    // "서울" and "Café" as a Mac's file system writes them: jamo and a combining accent.
    const decomposed = asset('k1', '서울_인터뷰.mov'.normalize('NFD'), { place: 'Café'.normalize('NFD') });
    await cache.replaceAll([decomposed, asset('k2', 'Busan.mov', {})], Date.now());
    for (const search of ['서울', '인터뷰', 'place:café', 'CAFÉ']) {
      const query = { ...DEFAULT_LIBRARY_QUERY, search };
      expect(
        (await cache.query(query)).map((a) => a.id),
        search,
      ).toEqual(['k1']);
      expect(
        [decomposed].filter(queryMatcher(query)).map((a) => a.id),
        search,
      ).toEqual(['k1']);
    }
    expect((await cache.query({ ...DEFAULT_LIBRARY_QUERY, search: '서울' }))[0]!.filename).toBe(decomposed.filename);
  });

  it('fills in what field search needs for assets a copy kept from before it existed', async () => {
    const path = join(await tempDir(), 'library.sqlite');
    const first = await LibraryCache.open(path);
    await first.replaceAll(ASSETS, Date.now());
    await first.close();
    // As a copy written by the version before: no search fields, no fingerprints.
    const db = await Database.open(path);
    await db.run('UPDATE assets SET fields = NULL, fingerprint = NULL');
    await db.close();
    const cache = closeAfter(await LibraryCache.open(path));
    expect(
      (await cache.query({ ...DEFAULT_LIBRARY_QUERY, search: 'rating>3', sort: 'oldest' })).map((a) => a.id),
    ).toEqual(['a1', 'a3', 'a6']);
    // And the next full read finds nothing changed.
    expect(await cache.replaceAll(ASSETS, Date.now())).toEqual({ changed: [], removed: [] });
  });
});
