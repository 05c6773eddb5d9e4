import { formatBytes, m } from './i18n';
import { COPY_METADATA } from './metadata';

/**
 * What happens to a file TwelveLabs will not take as it is (a 12 GB master, 8K footage, AAC audio,
 * a TIFF): skipped with the reason, offered as an upload copy for a person to choose, or copied.
 */
export type CopyPolicy = 'skip' | 'ask' | 'copy';

/** The formats upload copies are made in: each passes TwelveLabs' rules for its kind. */
export type CopyFormat = 'h264-mp4' | 'flac' | 'mp3' | 'png' | 'jpeg';

export const COPY_FORMATS: Readonly<
  Record<CopyFormat, { readonly extension: string; readonly mime: string; readonly label: string }>
> = {
  'h264-mp4': { extension: '.mp4', mime: 'video/mp4', label: 'H.264 MP4' },
  flac: { extension: '.flac', mime: 'audio/flac', label: 'FLAC' },
  mp3: { extension: '.mp3', mime: 'audio/mpeg', label: 'MP3' },
  png: { extension: '.png', mime: 'image/png', label: 'PNG' },
  jpeg: { extension: '.jpg', mime: 'image/jpeg', label: 'JPEG' },
};

/**
 * An upload copy: planned at the file's check from what the probe found, made in the data
 * folder's cache, and uploaded in the original's place (the original is never changed).
 */
export interface UploadCopy {
  /** The rule the original does not pass ('video_resolution_too_high'), which the copy does. */
  readonly because: string;
  readonly format: CopyFormat;
  /** The copy's frame, for video and images; null keeps the original's. */
  readonly width: number | null;
  readonly height: number | null;
  /** The video bitrate (bits per second) that keeps the copy under the size limit; null: quality-led. */
  readonly videoBitrate: number | null;
  /** How long the original plays, for progress (null for images). */
  readonly durationSeconds: number | null;
  /** What the copy should come to, for the plan and the free-space check. */
  readonly estimateBytes: number;
  /** What the original is, as its probe named it ("ProRes, 3840×2160"), for the Library's link back. */
  readonly original: string;
  /** Once made: the copy in the cache, with the size and time it was made with. */
  readonly made?: { readonly path: string; readonly size: number; readonly mtimeMs: number };
}

/** How far an upload copy is being made, while it is. */
export interface CopyProgress {
  /** 0 to 1. */
  readonly fraction: number;
  readonly secondsLeft: number | null;
}

/** Upload copies still to be made, and the one being made now: how far, and the time left. */
export interface CopyingTally {
  readonly count: number;
  readonly progress: CopyProgress | null;
}

/** "H.264 MP4, 1920×1080, about 2.1 GB": what a copy will be, in one phrase. */
export function copyWords(copy: UploadCopy): string {
  const frame = copy.width !== null && copy.height !== null ? `, ${copy.width}×${copy.height}` : '';
  return m.copy_what({ format: `${COPY_FORMATS[copy.format].label}${frame}`, size: formatBytes(copy.estimateBytes) });
}

/** The copy's file name: the original's, with the copy's extension ("master.mov" → "master.mp4"). */
export function copyName(name: string, format: CopyFormat): string {
  const dot = name.lastIndexOf('.');
  return `${dot > 0 ? name.slice(0, dot) : name}${COPY_FORMATS[format].extension}`;
}

/** An upload copy's original, as its asset's metadata names it; null for an asset that is not a copy. */
export function copyOf(
  metadata: Readonly<Record<string, string | number | boolean>>,
): { readonly name: string; readonly format: string | null; readonly size: number | null } | null {
  const name = metadata[COPY_METADATA.of];
  if (typeof name !== 'string') return null;
  const format = metadata[COPY_METADATA.format];
  const size = metadata[COPY_METADATA.size];
  return { name, format: typeof format === 'string' ? format : null, size: typeof size === 'number' ? size : null };
}

/** "Upload copy of A001.mov (ProRes, 3840×2160, 12 GB)". */
export function copyOfWords(of: NonNullable<ReturnType<typeof copyOf>>): string {
  const about = [of.format, of.size !== null ? formatBytes(of.size) : null].filter((part) => part !== null);
  return about.length > 0 ? m.copy_of_about({ name: of.name, about: about.join(', ') }) : m.copy_of({ name: of.name });
}

/** The recipe as stored on the asset: stable words, not the person's language. */
export function copyRecipe(copy: UploadCopy): string {
  const frame = copy.width !== null && copy.height !== null ? `, ${copy.width}x${copy.height}` : '';
  const rate = copy.videoBitrate !== null ? `, ${Math.round(copy.videoBitrate / 1000)} kb/s` : '';
  return `${COPY_FORMATS[copy.format].label}${frame}${rate}`;
}
