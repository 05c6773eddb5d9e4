import { z } from 'zod';
import { RESERVED_KEYS, templateProblems } from './metadata';
import { LANGUAGES, PSEUDO_LANGUAGE, formatNumber, m } from './i18n';

/** A refusal said in the language of the moment it is made, not of when the schema was built. */
const say = (words: () => string) => ({ error: words });

/** The public TwelveLabs API; tests and the emulator override it. */
export const DEFAULT_API_BASE_URL = 'https://api.twelvelabs.io/v1.3';

const MiB = 1024 * 1024;
const MB = 1_000_000;

/**
 * True for the loopback addresses plain `http:` is allowed on (the local emulator). Anything else
 * must be `https:` so the API key never crosses a network in clear text.
 */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** https anywhere, plain http only on this computer: where the key or a file's bytes may go. */
export function isSecureUrl(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}

/** TwelveLabs' own addresses: https on twelvelabs.io or a subdomain of it. */
export function isTwelveLabsAddress(address: string): boolean {
  if (!URL.canParse(address)) return false;
  const { protocol, hostname } = new URL(address);
  return protocol === 'https:' && (hostname === 'twelvelabs.io' || hostname.endsWith('.twelvelabs.io'));
}

const apiBaseUrl = z
  .string()
  .trim()
  .refine((value) => URL.canParse(value), say(m.set_full_address))
  .refine((value) => {
    if (!URL.canParse(value)) return true; // reported by the check above
    return isSecureUrl(new URL(value));
  }, say(m.set_https))
  .transform((value) => value.replace(/\/+$/, ''));

const templateField = z.object({
  key: z.string().max(200),
  value: z.string().max(2000),
  type: z.enum(['text', 'integer', 'number', 'boolean']),
});

/** An index chosen for uploads: its id, and its name as the person knows it. */
const indexChoice = z.object({ id: z.string().min(1).max(200), name: z.string().min(1).max(500) });

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, say(m.set_clock));

/** When uploads may run (a window) and how fast (a timetable); see `shared/schedule.ts`. */
const schedule = z.object({
  window: z.object({ from: clock, to: clock }).nullable(),
  bandwidth: z.array(z.object({ from: clock, limit: z.number().int().min(0, say(m.set_speed)) })).max(
    24,
    say(() => m.set_max_times({ n: formatNumber(24) })),
  ),
});

/** Fields added to every new batch's metadata; checked as a whole (names, tokens, typed values). */
const metadataTemplate = z
  .array(templateField)
  .max(
    50,
    say(() => m.set_max_fields({ n: formatNumber(50) })),
  )
  .superRefine((fields, context) => {
    for (const message of templateProblems(fields, RESERVED_KEYS)) context.addIssue({ code: 'custom', message });
  });

/** A proxy typed in Settings, as a URL: `http://` is assumed when no scheme is given. */
export function proxyAddressUrl(address: string): URL | null {
  const text = address.trim();
  const full = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  if (!URL.canParse(full)) return null;
  const url = new URL(full);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' ? url : null;
}

/**
 * How requests reach the internet, for the app and the command line alike (see `NetworkRoutes`):
 * as this computer's settings say (the default, as browsers do), straight out, through one proxy,
 * or as a PAC file says. A proxy's login is never here: it is kept in the keychain.
 */
const proxySetting = z
  .object({
    mode: z.enum(['system', 'none', 'manual', 'pac']),
    /** Manual: the proxy, "proxy.example.com:8080" or a full http(s) address. */
    address: z.string().trim().max(2000),
    /** Manual: names reached without the proxy, comma-separated (NO_PROXY's form). */
    bypass: z.string().trim().max(4000),
    /** PAC: the address of the automatic configuration file. */
    pac: z.string().trim().max(2000),
  })
  .superRefine((proxy, context) => {
    if (proxy.mode === 'manual') {
      const url = proxyAddressUrl(proxy.address);
      if (/^socks/i.test(proxy.address)) {
        context.addIssue({
          code: 'custom',
          path: ['address'],
          message: m.set_proxy_socks(),
        });
      } else if (!url) {
        context.addIssue({
          code: 'custom',
          path: ['address'],
          message: m.set_proxy_form(),
        });
      } else if (url.username || url.password) {
        context.addIssue({
          code: 'custom',
          path: ['address'],
          message: m.set_proxy_login(),
        });
      }
    }
    if (proxy.mode === 'pac') {
      const ok = URL.canParse(proxy.pac) && ['http:', 'https:', 'file:'].includes(new URL(proxy.pac).protocol);
      if (!ok) {
        context.addIssue({
          code: 'custom',
          path: ['pac'],
          message: m.set_pac(),
        });
      }
    }
  });

export type ProxySetting = z.infer<typeof proxySetting>;

/** A whole number from `min` to `max`, refused in the words of `range` ("Choose 1 to 16 files…"). */
/** Files read at once from one disk: 'auto' (a few from a spinning or removable disk), or a number. */
export type ReadersPerDisk = 'auto' | number;

/** How many files 'auto' reads at once from a spinning or removable disk. */
export const SLOW_DISK_READERS = 2;

function wholeNumber(min: number, max: number, range: (bounds: { min: string; max: string }) => string) {
  const refused = say(() => range({ min: formatNumber(min), max: formatNumber(max) }));
  return z.number().int().min(min, refused).max(max, refused);
}

/**
 * Every user setting with its bounds. The main process stores these with electron-store, the CLI
 * and tests with `conf`; both validate through this one schema.
 */
export const settingsSchema = z.object({
  apiBaseUrl,
  /** Files uploading at the same time. */
  filesInFlight: wholeNumber(1, 16, m.set_files_range),
  /** Multipart chunks in flight across all files; with the chunk size this bounds memory. */
  chunksInFlight: wholeNumber(1, 32, m.set_parts_range),
  /** Bytes per second across all uploads; 0 means no limit. */
  bandwidthLimit: z.number().int().min(0, say(m.set_speed)),
  /**
   * Audio and video at or above this size go through multipart uploads, which resume after a
   * crash. Capped below the 200 MB direct-upload limit so a direct upload is never refused for size.
   */
  multipartThreshold: z
    .number()
    .int()
    .min(5 * MiB, say(m.set_multipart_range))
    .max(190 * MiB, say(m.set_multipart_max)),
  enableHls: z.boolean(),
  enableThumbnail: z.boolean(),
  duplicateDetection: z.boolean(),
  /** Which model's requirements files are checked against (TwelveLabs takes them regardless). */
  filesAreFor: z.enum(['search', 'analysis', 'embeddings', 'entities']),
  /** Skip files that model cannot use, instead of uploading them with a warning. */
  skipUnusable: z.boolean(),
  /** Files TwelveLabs will not take as they are: skipped, offered as an upload copy, or copied. */
  uploadCopies: z.enum(['skip', 'ask', 'copy']),
  /** Upload copies made at once: one by default, so the computer stays usable while they are made. */
  copiesAtOnce: wholeNumber(1, 4, m.set_copies_range),
  /**
   * Files checked at once from one disk: 'auto' reads two at a time from a spinning or USB disk
   * (more only makes it seek) and as many as the checks go from any other.
   */
  readersPerDisk: z.union([z.literal('auto'), wholeNumber(1, 8, m.set_readers_range)]),
  metadataTemplate,
  /** The index new batches go into once uploaded, so they can be searched; null: none. */
  uploadIndex: indexChoice.nullable(),
  /**
   * Folders whose new files upload by themselves. Only main changes this list, from the native
   * folder dialog: page script never names a path.
   */
  watchedFolders: z
    .array(
      z.object({
        path: z.string().min(1).max(4096),
        paused: z.boolean(),
        subfolders: z.boolean(),
        polling: z.enum(['auto', 'on', 'off']),
        metadataTemplate,
        /** What this folder's files are for; null or absent: what Settings says for all. */
        filesAreFor: z.enum(['search', 'analysis', 'embeddings', 'entities']).nullable().optional(),
        /** What becomes of this folder's files TwelveLabs cannot take; null or absent: as Settings says. */
        uploadCopies: z.enum(['skip', 'ask', 'copy']).nullable().optional(),
        /** The index this folder's files go into; absent: the one new batches go into. */
        index: indexChoice.nullable().optional(),
      }),
    )
    .max(
      50,
      say(() => m.set_max_folders({ n: formatNumber(50) })),
    ),
  schedule,
  notifications: z.boolean(),
  keepAwake: z.boolean(),
  startAtLogin: z.boolean(),
  proxy: proxySetting,
  /**
   * A company's root certificate (PEM) trusted beyond the system's: only main sets it, from the
   * file dialog (or IT, in the settings file). It only ever adds trust; nothing turns checking off.
   */
  certificateFile: z.string().min(1).max(4096).nullable(),
  /** The language of every word; 'system' follows the system's preferred languages. */
  language: z.enum(['system', ...LANGUAGES, PSEUDO_LANGUAGE]),
  /** What separates the columns of the CSV files the app saves; 'region' follows the system's numbers. */
  csvSeparator: z.enum(['region', 'comma', 'semicolon', 'tab']),
});

export type Settings = z.infer<typeof settingsSchema>;
export type SettingsPatch = Partial<Settings>;

/** A patch from the renderer: only known keys, each validated; unknown keys are an error. */
export const settingsPatchSchema = settingsSchema.partial().strict();

export const DEFAULT_SETTINGS: Settings = {
  apiBaseUrl: DEFAULT_API_BASE_URL,
  // From `npm run bench -- baselines` (README, "Speed"): with a 40 ms round trip, 500 small files
  // went 6: 70.7 / 82.7 / 83.2 and 8: 73.7 / 102.7 / 90.9 files/s in three runs (1: 19, 3: 48-51):
  // 8 came out ahead each time once checks moved to worker threads. A rate limit still holds
  // them back (the gate lowers concurrency after a 429). Large files are bounded by chunks in
  // flight instead.
  filesInFlight: 8,
  // The same run's sweep on a 256 MiB file over loopback: 2: 189, 4: 188, 6: 215, 8: 212 MiB/s.
  // Memory is at most this many 5 MiB chunks in flight.
  chunksInFlight: 6,
  bandwidthLimit: 0,
  // In the MB people see (1,000,000 bytes), so Settings shows "64", not "67.1".
  multipartThreshold: 64 * MB,
  enableHls: true,
  enableThumbnail: true,
  duplicateDetection: true,
  filesAreFor: 'search',
  skipUnusable: false,
  // A copy costs minutes of the computer's time: offered, and made when a person says so.
  uploadCopies: 'ask',
  copiesAtOnce: 1,
  readersPerDisk: 'auto',
  metadataTemplate: [],
  uploadIndex: null,
  watchedFolders: [],
  schedule: { window: null, bandwidth: [] },
  notifications: true,
  keepAwake: true,
  startAtLogin: false,
  proxy: { mode: 'system', address: '', bypass: '', pac: '' },
  certificateFile: null,
  language: 'system',
  csvSeparator: 'region',
};
