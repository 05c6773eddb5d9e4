/**
 * The app's words and regional formats, for every surface: the window, main's tray, menus, dialogs
 * and notifications, the CLI's human output and the human columns of reports.
 *
 * Words come from one message catalogue (`messages/<language>.json`, ICU-style plurals and
 * selects), compiled by Paraglide JS into one typed function per message (`m.some_message({...})`):
 * a message that does not exist, or a placeholder left out, is a type error. Numbers, sizes, dates
 * and times follow the system's regional setting through `Intl`, which may differ from the
 * language (English words with German numbers is a common choice): they are written the way the
 * language is written in the region's country.
 *
 * Each process holds one current locale: main sets it from Settings and the system, the window from
 * what main says (`app:locale`), the CLI from LC_ALL / LC_MESSAGES / LANG. The renderer makes it
 * reactive by giving `useLocaleSource` a function that reads Svelte state.
 */
import { m } from './generated/messages.js';
import { overwriteGetLocale, type Locale } from './generated/runtime.js';

export { m };

/** The languages a person can choose, in the order Settings lists them (names in themselves). */
export const LANGUAGES = ['en', 'ko', 'ja', 'es', 'fr', 'de', 'pt-BR'] as const satisfies readonly Locale[];
export type Language = (typeof LANGUAGES)[number];

/** Accented, 40% longer and bracketed English: for tests that look for clipped or untranslated words. */
export const PSEUDO_LANGUAGE = 'en-XA' satisfies Locale;

/** Each language named as its speakers name it, for the Settings list. */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = {
  en: 'English',
  ko: '한국어',
  ja: '日本語',
  es: 'Español',
  fr: 'Français',
  de: 'Deutsch',
  'pt-BR': 'Português (Brasil)',
};

/** What a process speaks: the language of its words and the region of its numbers and dates. */
export interface AppLocale {
  readonly language: Locale;
  /** A BCP 47 tag for `Intl` ("de-DE", "ko-KR"); the language's own when the system says nothing. */
  readonly region: string;
}

export const ENGLISH: AppLocale = { language: 'en', region: 'en-US' };

let source: () => AppLocale = () => ENGLISH;
overwriteGetLocale(() => source().language);

/** Makes every message and format in this process follow `read` (called on each use). */
export function useLocaleSource(read: () => AppLocale): void {
  source = read;
}

/** Sets this process's locale. */
export function useLocale(locale: AppLocale): void {
  useLocaleSource(() => locale);
}

export function currentLocale(): AppLocale {
  return source();
}

/**
 * The supported language nearest to the person's preferred ones, in their order: an exact tag,
 * then the same language in any region ("pt-PT" reads Brazilian Portuguese, "de-AT" German).
 */
export function pickLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const wanted = tag.replace('_', '-').toLowerCase();
    const exact = LANGUAGES.find((language) => language.toLowerCase() === wanted);
    if (exact) return exact;
    const base = wanted.split('-')[0];
    const near = LANGUAGES.find((language) => language.split('-')[0]!.toLowerCase() === base);
    if (near) return near;
  }
  return 'en';
}

/** A locale tag `Intl` accepts, or null ("C", "POSIX" and empty say nothing about a region). */
function regionTag(tag: string | undefined): string | null {
  if (!tag) return null;
  const name = tag.split('.')[0]!.split('@')[0]!.replace('_', '-');
  if (name === '' || name === 'C' || name === 'POSIX') return null;
  try {
    return Intl.getCanonicalLocales(name)[0] ?? null;
  } catch {
    return null;
  }
}

/** What the system says: its preferred languages, in order, and its regional setting. */
export interface SystemLocale {
  readonly languages: readonly string[];
  readonly region: string;
}

/** The system as a POSIX environment describes it (the CLI, and the app when Electron cannot say). */
export function systemLocaleFromEnvironment(env: Readonly<Record<string, string | undefined>>): SystemLocale {
  const tag = regionTag(env.LC_ALL || env.LC_MESSAGES || env.LANG);
  return { languages: tag ? [tag] : [], region: tag ?? '' };
}

/**
 * The locale a chosen setting gives: the person's choice of language, or the system's preferred
 * languages; numbers and dates always follow the system's region.
 */
export function resolveLocale(choice: Language | typeof PSEUDO_LANGUAGE | 'system', system: SystemLocale): AppLocale {
  const language = choice === 'system' ? pickLanguage(system.languages) : choice;
  return { language, region: regionTag(system.region) ?? (language.startsWith('en') ? ENGLISH.region : language) };
}

/** The language and region a POSIX environment asks for (`LC_ALL`, then `LC_MESSAGES`, then `LANG`). */
export function localeFromEnvironment(env: Readonly<Record<string, string | undefined>>): AppLocale {
  return resolveLocale('system', systemLocaleFromEnvironment(env));
}

const formatTags = new Map<string, string>();

/**
 * The tag numbers, units and dates are written with: the words' language in the region's country
 * ("en-DE": "3 seconds", "1.234,5"; "ja-DE"), as CLDR knows people there write them, so a unit or
 * a month is never a word of another language beside the sentence it is in.
 */
function formatTag(): string {
  const { language, region } = source();
  const key = `${language} ${region}`;
  let tag = formatTags.get(key);
  if (tag === undefined) {
    try {
      const country = new Intl.Locale(region).maximize().region;
      tag = country ? (Intl.getCanonicalLocales(`${language.split('-')[0]}-${country}`)[0] ?? region) : region;
    } catch {
      tag = region;
    }
    formatTags.set(key, tag);
  }
  return tag;
}

const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const tag = formatTag();
  const key = `${tag} ${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(tag, options);
    numberFormats.set(key, format);
  }
  return format;
}

/** A count or amount in the region's digits and grouping ("1,234", "1.234", "1 234"). */
export function formatNumber(value: number, options: Intl.NumberFormatOptions = {}): string {
  return numberFormat(options).format(value);
}

/** A percentage from 0..100 ("42%", "42 %"). */
export function formatPercent(percent: number): string {
  return numberFormat({ style: 'percent', maximumFractionDigits: 0 }).format(percent / 100);
}

/** A count for a plural message: `count` chooses the form, `n` is how it is written. */
export function counted(count: number): { count: number; n: string } {
  return { count, n: formatNumber(count) };
}

const BYTE_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

/** "1.8 GB", "1,8 Go", "84 MB": decimal units, as file managers show sizes, in the region's form. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  // Every language's short name for a byte is a word ("byte", "Byte", "bytes"); B is understood.
  if (unit === 0) return `${formatNumber(value)} B`;
  const digits = value >= 100 ? 0 : 1;
  const rounded = Number(value.toFixed(digits));
  return numberFormat({
    style: 'unit',
    unit: BYTE_UNITS[unit],
    unitDisplay: 'short',
    maximumFractionDigits: digits,
  }).format(rounded);
}

function unit(value: number, name: 'second' | 'minute' | 'hour'): string {
  return numberFormat({ style: 'unit', unit: name, unitDisplay: 'short' }).format(value);
}

/** A length of time to the minute ("41 min", "2 hr 5 min"); under a minute is said by the caller. */
export function formatMinutes(seconds: number): string {
  const minutes = Math.max(1, Math.round(seconds / 60));
  if (minutes < 60) return unit(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? unit(hours, 'hour') : `${unit(hours, 'hour')} ${unit(rest, 'minute')}`;
}

/** "less than a minute left", "about 2 hr 5 min left": the words for a time left, everywhere. */
export function timeLeft(seconds: number): string {
  return seconds < 60 ? m.time_left_under_a_minute() : m.time_left_about({ duration: formatMinutes(seconds) });
}

/** How long something took, exactly enough to compare ("38 seconds", "1 min 52 sec", "2 hr 5 min"). */
export function formatElapsed(seconds: number): string {
  const whole = Math.round(seconds);
  if (whole < 60) return numberFormat({ style: 'unit', unit: 'second', unitDisplay: 'long' }).format(whole);
  if (whole < 3600) return `${unit(Math.floor(whole / 60), 'minute')} ${unit(whole % 60, 'second')}`;
  return `${unit(Math.floor(whole / 3600), 'hour')} ${unit(Math.floor((whole % 3600) / 60), 'minute')}`;
}

/** A clock time the way the region writes it ("14:32", "2:32 PM"). */
export function clockTime(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString(formatTag(), { hour: '2-digit', minute: '2-digit' });
}

/** A day and time the way the region writes them ("5 Dec 2026, 14:32", "2026. 12. 5. 오후 2:32"). */
export function formatDateTime(epochMs: number): string {
  return new Date(epochMs).toLocaleString(formatTag(), { dateStyle: 'medium', timeStyle: 'short' });
}

/** A day the way the region writes it ("5 Dec 2026"). */
export function formatDate(epochMs: number): string {
  return new Date(epochMs).toLocaleDateString(formatTag(), { dateStyle: 'medium' });
}

/** Parts of one sentence in a row ("3 uploaded, 1 cancelled"; "3件、1件"), in the words' language. */
export function joinParts(parts: readonly string[]): string {
  return parts.join(m.list_separator());
}

/** "a, b and c" / "a, b und c" / "a、b、c", in the words' language. */
export function formatList(items: readonly string[]): string {
  return new Intl.ListFormat(source().language, { type: 'conjunction' }).format(items);
}
