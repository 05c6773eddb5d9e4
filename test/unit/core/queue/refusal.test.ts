import { afterEach, describe, expect, it } from 'vitest';
import { callerMismatch, refusalWords, type Caller } from '../../../../electron/core/queue/handover';
import { ENGLISH, useLocale } from '../../../../electron/shared/i18n';
import { DEFAULT_FILE_USE } from '../../../../electron/shared/limits';

const OWNER = { origin: 'https://api.twelvelabs.io', keyFingerprint: 'a1', fileUse: DEFAULT_FILE_USE };
const CALLER: Caller = { origin: OWNER.origin, keyFingerprint: null, fileUse: {} };
const PLACES = { home: '/home/ana', dataDir: '/home/ana/.config/TwelveLabs Uploader' };

afterEach(() => useLocale(ENGLISH));

describe('why the owner of the queue will not take work', () => {
  it('takes work for its own account, checked its own way', () => {
    expect(callerMismatch(CALLER, OWNER)).toBeNull();
    expect(
      callerMismatch({ ...CALLER, keyFingerprint: 'a1', fileUse: { for: 'search', copies: 'skip' } }, OWNER),
    ).toBeNull();
    // --strict asks to skip; an owner that skips already does what it asks.
    const skipping = { ...OWNER, fileUse: { ...DEFAULT_FILE_USE, skipUnusable: true } };
    expect(callerMismatch({ ...CALLER, fileUse: { skipUnusable: true } }, skipping)).toBeNull();
  });

  it.each([
    [{ origin: 'http://127.0.0.1:4010' }, { reason: 'origin', owner: OWNER.origin, caller: 'http://127.0.0.1:4010' }],
    [{ keyFingerprint: 'b2' }, { reason: 'key' }],
    [{ fileUse: { for: 'analysis' as const } }, { reason: 'purpose', owner: 'search', caller: 'analysis' }],
    [{ fileUse: { skipUnusable: true } }, { reason: 'strict' }],
    [{ fileUse: { copies: 'copy' as const } }, { reason: 'copies', owner: 'skip', caller: 'copy' }],
  ])('refuses %o as facts (%o), not words', (change, refusal) => {
    expect(callerMismatch({ ...CALLER, ...change }, OWNER)).toEqual(refusal);
  });

  it("is said in the caller's language, whatever language the owner speaks", () => {
    const refusal = callerMismatch({ ...CALLER, keyFingerprint: 'b2' }, OWNER)!;
    expect(refusalWords(refusal, PLACES)).toMatch(/^The process that owns the queue uploads with another API key/);
    useLocale({ language: 'ko', region: 'ko-KR' });
    expect(refusalWords(refusal, PLACES)).toContain('다른 API 키로 올립니다');
    useLocale({ language: 'de', region: 'de-DE' });
    expect(refusalWords({ reason: 'copies', owner: 'ask', caller: 'skip' }, PLACES)).toContain('--no-copies');
  });

  it('says why a folder is not watched, and what a request it could not read was', () => {
    expect(refusalWords({ reason: 'folder', path: '/home/ana' }, PLACES)).toContain('home folder');
    expect(refusalWords({ reason: 'request' }, PLACES)).toBe('The process that owns the queue refused this request.');
    expect(refusalWords({ reason: 'request', issue: 'Too big: expected 100000 paths' }, PLACES)).toBe(
      'The process that owns the queue refused this request: Too big: expected 100000 paths',
    );
  });
});
