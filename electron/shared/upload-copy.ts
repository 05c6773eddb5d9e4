import { formatBytes, formatMinutes, m } from './i18n';
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
  /** About how long making it takes, in seconds (absent from copies planned before it was). */
  readonly estimateSeconds?: number;
  /** What the original is, as its probe named it ("ProRes, 3840×2160"), for the Library's link back. */
  readonly original: string;
  /** For a programme longer than the model takes: which part of it this copy is. */
  readonly part?: CopyPart;
  /** Once made: the copy in the cache, with the size and time it was made with. */
  readonly made?: { readonly path: string; readonly size: number; readonly mtimeMs: number };
}

/**
 * One part of a programme split to fit the model's longest: each part is its own file in the
 * queue and its own asset, tagged with its place ("1/3") and where it starts in the original.
 */
export interface CopyPart {
  /** 1 for the first part. */
  readonly index: number;
  readonly of: number;
  /**
   * Where the part starts and ends in the original, in seconds: the even split until the copy
   * is made, then the cuts it was made at (moved to a scene change or a pause nearby).
   */
  readonly start: number;
  readonly end: number;
  /** How far a cut may move from the even split and leave every part within the longest. */
  readonly leeway: number;
  /** The original's timecode where the part starts, once known (for an original that has one). */
  readonly timecode?: string;
}

/** "1/3": a part's place, as the asset's metadata and its identity carry it. */
export const partTag = (part: Pick<CopyPart, 'index' | 'of'>): string => `${part.index}/${part.of}`;

/** The place an asset's metadata gives a part ("2/3"), or null for an asset that is not one. */
export function placeOf(tag: unknown): { readonly index: number; readonly of: number } | null {
  const place = typeof tag === 'string' ? /^(\d+)\/(\d+)$/.exec(tag) : null;
  return place ? { index: Number(place[1]), of: Number(place[2]) } : null;
}

/**
 * What a file is known by for duplicates: its content's SHA-256, and for one part of a split
 * programme which part, so the parts of one original are not each other's duplicates.
 */
export function identityOf(sha256: string, part: Pick<CopyPart, 'index' | 'of'> | undefined | null): string {
  return part ? `${sha256}#part=${partTag(part)}` : sha256;
}

/** The FFmpeg copies are made with, and the encoder it found for video, as Settings and `doctor` show them. */
export interface FfmpegFound {
  readonly path: string;
  readonly version: string;
  /** FFmpeg's name for the H.264 encoder ("libx264", "h264_nvenc") and what people call it. */
  readonly encoder: { readonly name: string; readonly label: string };
}

/** "Made with FFmpeg 6.1 (/usr/bin/ffmpeg); video is encoded with NVIDIA NVENC". */
export function ffmpegWords(found: FfmpegFound): string {
  const encoder = found.encoder.name === 'libx264' ? m.copy_encoder_processor() : found.encoder.label;
  return m.copy_ffmpeg_encoder({ version: found.version, path: found.path, encoder });
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
  /** Until every copy is made; null while nothing is known. */
  readonly secondsLeft: number | null;
}

/**
 * How long the copies still to be made will take: those being made by their own pace, the others
 * by their plans, scaled by how the ones being made are doing against theirs (a faster machine,
 * a hardware encoder) and shared among the copies made at once.
 */
export function copySecondsLeft(
  items: readonly { readonly copy?: UploadCopy; readonly copyProgress?: CopyProgress }[],
): number | null {
  let left = 0;
  let planned = 0;
  let actual = 0;
  let making = 0;
  let waiting = 0;
  for (const { copy, copyProgress } of items) {
    if (copyProgress) {
      making += 1;
      if (copyProgress.secondsLeft === null) continue;
      left += copyProgress.secondsLeft;
      if (copy?.estimateSeconds && copyProgress.fraction < 1) {
        planned += copy.estimateSeconds;
        actual += copyProgress.secondsLeft / (1 - copyProgress.fraction);
      }
    } else if (copy?.estimateSeconds) waiting += copy.estimateSeconds;
    else return null;
  }
  const pace = planned > 0 ? actual / planned : 1;
  const total = left + (waiting * pace) / Math.max(1, making);
  return total > 0 ? Math.round(total) : null;
}

/** "about 12 min to make": how long a copy (or all of an offer's parts) should take. */
export function copyTimeWords(copy: UploadCopy, whole = false): string | null {
  if (!copy.estimateSeconds) return null;
  return m.copy_takes({ time: formatMinutes(copy.estimateSeconds * (whole ? offeredParts(copy) : 1)) });
}

/**
 * "H.264 MP4, 1920×1080, about 2.1 GB" (or "…, part 2 of 3, about 2.1 GB"): what a copy will be,
 * in one phrase. `whole` speaks of every part at once, for an offer not yet taken ("…, in 3 parts,
 * about 6.3 GB in all").
 */
export function copyWords(copy: UploadCopy, whole = false): string {
  const frame = copy.width !== null && copy.height !== null ? `, ${copy.width}×${copy.height}` : '';
  const format = `${COPY_FORMATS[copy.format].label}${frame}`;
  const { part } = copy;
  if (!part) return m.copy_what({ format, size: formatBytes(copy.estimateBytes) });
  return whole && part.index === 1
    ? m.copy_what_parts({ format, parts: part.of, size: formatBytes(copyBytes(copy)) })
    : m.copy_what_part({ format, part: part.index, parts: part.of, size: formatBytes(copy.estimateBytes) });
}

/**
 * What an offer comes to: every part of a programme offered as its first (before its other parts
 * are listed), else the copy itself.
 */
export const copyBytes = (copy: UploadCopy): number => copy.estimateBytes * offeredParts(copy);

/** How many copies an offer of `copy` makes: all the parts, for a first part, else one. */
export const offeredParts = (copy: UploadCopy): number => (copy.part?.index === 1 ? copy.part.of : 1);

/**
 * The copy's file name: the original's, with the copy's extension ("master.mov" → "master.mp4"),
 * and a part's place ("master (part 2 of 3).mp4"). Stable words: it is the asset's name anywhere.
 */
export function copyName(name: string, format: CopyFormat, part?: Pick<CopyPart, 'index' | 'of'>): string {
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  return `${stem}${part ? ` (part ${part.index} of ${part.of})` : ''}${COPY_FORMATS[format].extension}`;
}

/** An upload copy's original, as its asset's metadata names it; null for an asset that is not a copy. */
export function copyOf(metadata: Readonly<Record<string, string | number | boolean>>): {
  readonly name: string;
  readonly format: string | null;
  readonly size: number | null;
  readonly part: { readonly index: number; readonly of: number; readonly start: number | null } | null;
} | null {
  const name = metadata[COPY_METADATA.of];
  if (typeof name !== 'string') return null;
  const format = metadata[COPY_METADATA.format];
  const size = metadata[COPY_METADATA.size];
  const place = placeOf(metadata[COPY_METADATA.part]);
  const start = metadata[COPY_METADATA.partStart];
  return {
    name,
    format: typeof format === 'string' ? format : null,
    size: typeof size === 'number' ? size : null,
    part: place && { ...place, start: typeof start === 'number' ? start : null },
  };
}

/** "Upload copy of A001.mov (ProRes, 3840×2160, 12 GB)", or "Part 2 of 3 of A001.mov, from 1:58:12 (…)". */
export function copyOfWords(of: NonNullable<ReturnType<typeof copyOf>>): string {
  const about = [of.format, of.size !== null ? formatBytes(of.size) : null].filter((part) => part !== null);
  const name = of.part
    ? of.part.start !== null
      ? m.copy_of_part_from({ index: of.part.index, of: of.part.of, name: of.name, start: clock(of.part.start) })
      : m.copy_of_part({ index: of.part.index, of: of.part.of, name: of.name })
    : of.name;
  return about.length > 0 ? m.copy_of_about({ name, about: about.join(', ') }) : m.copy_of({ name });
}

/** "1:58:12", "4:05": a place in a programme, as players show it. */
export function clock(seconds: number): string {
  const whole = Math.floor(seconds);
  const [h, min, s] = [Math.floor(whole / 3600), Math.floor((whole % 3600) / 60), whole % 60];
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(min)}:${two(s)}` : `${min}:${two(s)}`;
}

/** The recipe as stored on the asset: stable words, not the person's language. */
export function copyRecipe(copy: UploadCopy): string {
  const frame = copy.width !== null && copy.height !== null ? `, ${copy.width}x${copy.height}` : '';
  const rate = copy.videoBitrate !== null ? `, ${Math.round(copy.videoBitrate / 1000)} kb/s` : '';
  const part = copy.part ? `, part ${partTag(copy.part)}` : '';
  return `${COPY_FORMATS[copy.format].label}${frame}${rate}${part}`;
}
