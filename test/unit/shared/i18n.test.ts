import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ENGLISH,
  LANGUAGES,
  PSEUDO_LANGUAGE,
  formatBytes,
  formatElapsed,
  formatMinutes,
  formatNumber,
  localeFromEnvironment,
  m,
  pickLanguage,
  resolveLocale,
  useLocale,
} from '../../../electron/shared/i18n';

type Variant = { declarations?: string[]; selectors: string[]; match: Record<string, string> };
type Message = string | Variant[];

function catalogue(language: string): Record<string, Message> {
  const { $schema: _, ...messages } = JSON.parse(
    readFileSync(new URL(`../../../electron/shared/i18n/messages/${language}.json`, import.meta.url), 'utf8'),
  ) as Record<string, Message>;
  return messages;
}

function patterns(message: Message): string[] {
  return typeof message === 'string' ? [message] : message.flatMap((variant) => Object.values(variant.match));
}

/** The placeholders a message's text uses, whatever form it takes. */
function placeholders(message: Message): string[] {
  return [
    ...new Set(patterns(message).flatMap((text) => [...text.matchAll(/\{(\w+)\}/g)].map((hit) => hit[1]!))),
  ].sort();
}

/** The inputs a message selects on (a plural's count, a select's kind). */
function selectors(message: Message): string[] {
  if (typeof message === 'string') return [];
  return message
    .flatMap((variant) => variant.declarations ?? variant.selectors.map((selector) => `input ${selector}`))
    .filter((declaration) => declaration.startsWith('input '))
    .sort();
}

const english = catalogue('en');

afterEach(() => useLocale(ENGLISH));

describe('the message catalogue', () => {
  it.each(LANGUAGES.filter((language) => language !== 'en'))(
    '%s has every message English has, none empty, with the same placeholders',
    (language) => {
      const messages = catalogue(language);
      expect(Object.keys(messages).sort()).toEqual(Object.keys(english).sort());
      for (const [key, message] of Object.entries(english)) {
        const translated = messages[key]!;
        expect(
          patterns(translated).every((text) => text.trim() !== ''),
          key,
        ).toBe(true);
        expect(placeholders(translated), key).toEqual(placeholders(message));
        // A plural in English chooses its form by count in every language, even those with one form.
        expect(selectors(translated), key).toEqual(selectors(message));
      }
    },
  );

  it('English messages read as written; another language as translated', () => {
    expect(m.banner_missing_drive({ count: 1, n: '1' })).toMatch(/^1 file waits for its drive/);
    expect(m.banner_missing_drive({ count: 3, n: '3' })).toMatch(/^3 files wait for their drive/);
    useLocale({ language: 'ko', region: 'ko-KR' });
    expect(m.connection_offline()).toBe('네트워크 대기 중');
    useLocale({ language: 'fr', region: 'fr-FR' });
    // French counts 0 and 1 as one.
    expect(m.watch_waiting({ count: 0, n: '0' })).toBe('0 en attente');
    expect(m.action_show_missing({ count: 1 })).toBe('Le montrer');
  });

  it('the pseudo-locale is every English message, accented, longer and bracketed', () => {
    useLocale({ language: PSEUDO_LANGUAGE, region: 'en-US' });
    const words = m.time_left_about({ duration: '5 min' });
    expect(words).toMatch(/^\[.*5 min.*~+\]$/);
    expect(words).not.toContain('about');
  });
});

describe('choosing a language', () => {
  it('takes the first preferred language it has, then the same language from another region', () => {
    expect(pickLanguage(['ko-KR', 'en-US'])).toBe('ko');
    expect(pickLanguage(['it-IT', 'de-AT'])).toBe('de');
    expect(pickLanguage(['pt-PT'])).toBe('pt-BR');
    expect(pickLanguage(['pt_BR'])).toBe('pt-BR');
    expect(pickLanguage(['zh-CN'])).toBe('en');
    expect(pickLanguage([])).toBe('en');
  });

  it('reads LC_ALL, then LC_MESSAGES, then LANG, as POSIX tools do', () => {
    expect(localeFromEnvironment({ LANG: 'ko_KR.UTF-8' })).toEqual({ language: 'ko', region: 'ko-KR' });
    expect(localeFromEnvironment({ LANG: 'en_US.UTF-8', LC_ALL: 'de_DE.UTF-8' })).toEqual({
      language: 'de',
      region: 'de-DE',
    });
    expect(localeFromEnvironment({ LANG: 'C.UTF-8' })).toEqual(ENGLISH);
    expect(localeFromEnvironment({})).toEqual(ENGLISH);
  });

  it("a chosen language keeps the system's regional formats", () => {
    const system = { languages: ['de-DE'], region: 'de-DE' };
    expect(resolveLocale('system', system)).toEqual({ language: 'de', region: 'de-DE' });
    expect(resolveLocale('ja', system)).toEqual({ language: 'ja', region: 'de-DE' });
    expect(resolveLocale('system', { languages: [], region: '' })).toEqual(ENGLISH);
  });
});

describe('regional formats', () => {
  it("sizes, counts and durations follow the region's decimal mark, grouping and units", () => {
    useLocale({ language: 'en', region: 'en-US' });
    expect([formatBytes(1_800_000_000), formatBytes(84_000_000), formatBytes(150), formatNumber(12345)]).toEqual([
      '1.8 GB',
      '84 MB',
      '150 B',
      '12,345',
    ]);
    useLocale({ language: 'de', region: 'de-DE' });
    expect([formatBytes(1_800_000_000), formatNumber(12345), formatMinutes(125 * 60)]).toEqual([
      '1,8\u00a0GB', // a space that does not break
      '12.345',
      '2 Std. 5 Min.',
    ]);
    // English words, German numbers: units in the words' language, never a German word in English.
    useLocale({ language: 'en', region: 'de-DE' });
    expect([formatNumber(1234.5), formatElapsed(3)]).toEqual(['1.234,5', '3 seconds']);
    useLocale({ language: 'fr', region: 'fr-FR' });
    expect(formatBytes(1_800_000_000)).toBe('1,8\u202fGo');
    useLocale({ language: 'ko', region: 'ko-KR' });
    expect(formatElapsed(112)).toBe('1분 52초');
    expect(formatElapsed(38)).toBe('38초');
  });
});
