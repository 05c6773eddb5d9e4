import type { Limits } from '../../shared/limits';
import type { MediaKind } from '../../shared/media-kind';
import type { CopyFormat, CopyPart, UploadCopy } from '../../shared/upload-copy';
import type { MediaFacts } from './facts';
import { X264, type H264Encoder } from './h264-encoders';

/** What a copy is planned from: the file as its check found it, and the rule it does not pass. */
export interface CopyInput {
  readonly kind: MediaKind;
  readonly facts: MediaFacts;
  readonly size: number;
  /** The refusal or model problem's code, from `judge`. */
  readonly code: string;
  /** The longest programme the model the files are for takes, in seconds: longer ones go in parts. */
  readonly longest: number;
}

/**
 * A frame as large as search needs and no larger: the copy is for finding and analysing the
 * footage, not for watching it, so 1080p (either way up) is the box, and a smaller original
 * keeps its own frame.
 */
const BOX = { long: 1920, short: 1080 };
/** What a quality-led 1080p H.264 copy averages, per pixel per second, for the estimate. */
const BITS_PER_PIXEL_SECOND = 5_000_000 / (1920 * 1080);
const AUDIO_BITRATE = 192_000;
/** The copy aims this far under a size limit: an encoder's rate control overshoots a little. */
const SIZE_MARGIN = 0.9;
/** Below this the picture is not worth searching. */
const LOWEST_VIDEO_BITRATE = 300_000;
/** Parts aim this far under the longest, so each cut can move to a scene change nearby. */
const PART_MARGIN = 0.97;
/** The most a cut moves from the even split to find a scene change or a pause, in seconds. */
const LEEWAY_MAX = 30;
/**
 * Seconds of work per second of 1080p picture, on the processor (x264 "fast", decoding a 4K
 * ProRes master included): the copy-speed benchmark's pace on a 2-core machine. Only the first
 * guess: time left while copies are made is scaled by how the one being made is doing.
 */
const VIDEO_WORK = 1.2;
/** Sound alone encodes about a hundred times faster than it plays. */
const AUDIO_WORK = 0.01;

/** About how long making a copy takes, in seconds. */
function workOf(format: CopyFormat, width: number | null, height: number | null, played: number | null): number {
  if (format === 'png' || format === 'jpeg') return 1;
  if (format !== 'h264-mp4') return (played ?? 0) * AUDIO_WORK;
  return (played ?? 0) * (((width ?? 1920) * (height ?? 1080)) / (1920 * 1080)) * VIDEO_WORK;
}

/** The codes a copy can answer, for each kind. */
const COPYABLE: Partial<Record<MediaKind, readonly string[]>> = {
  video: ['video_resolution_too_high', 'video_filesize_too_large', 'video_duration_too_long'],
  audio: ['audio_format_unsupported', 'audio_filesize_too_large', 'audio_duration_too_long'],
  image: ['image_format_unsupported', 'media_filesize_too_large'],
};

/**
 * The smallest copy that passes every rule the original fails, or null when no copy would (a
 * picture too small, a shape too wide, a kind nothing can be made of). A programme longer than
 * the model takes is planned as its first part, of as many as it needs (see `partsOf`).
 */
export function planCopy(input: CopyInput, limits: Limits): UploadCopy | null {
  const { kind, facts, code } = input;
  if (!COPYABLE[kind]?.includes(code)) return null;
  const copy = (
    because: string,
    format: CopyFormat,
    width: number | null,
    height: number | null,
    durationSeconds: number | null,
    estimateBytes: number,
    videoBitrate: number | null = null,
    part?: CopyPart,
  ): UploadCopy => ({
    because,
    format,
    width,
    height,
    videoBitrate,
    durationSeconds,
    estimateBytes: Math.round(estimateBytes),
    estimateSeconds: Math.max(
      1,
      Math.round(workOf(format, width, height, part ? part.end - part.start : durationSeconds)),
    ),
    original: originalWords(kind, facts),
    ...(part && { part }),
  });
  const duration = facts.durationSeconds;
  const part = duration !== null ? firstPart(duration, input.longest) : undefined;
  // What one copy plays for: the whole, or a part at its longest once its cuts have moved.
  const seconds = duration === null ? 0 : part ? part.end - part.start + 2 * part.leeway : duration;
  if (kind === 'audio' && duration !== null && facts.hasAudio) {
    // Lossless where the size allows (FLAC comes to about 90 kB a second), MP3 where it does not.
    return code === 'audio_filesize_too_large'
      ? copy(code, 'mp3', null, null, duration, (seconds * AUDIO_BITRATE) / 8, null, part)
      : copy(code, 'flac', null, null, duration, seconds * 90_000, null, part);
  }
  if (kind === 'image' && facts.width !== null && facts.height !== null) {
    if (code === 'image_format_unsupported') {
      return copy(code, 'png', facts.width, facts.height, null, facts.width * facts.height * 2);
    }
    if (code === 'media_filesize_too_large') {
      // A JPEG at high quality comes to about a third of a byte per pixel; larger frames shrink to fit.
      const scale = Math.min(1, Math.sqrt((limits.imageMaxBytes * SIZE_MARGIN) / (facts.width * facts.height * 0.35)));
      const width = even(facts.width * scale);
      const height = even(facts.height * scale);
      return copy(code, 'jpeg', width, height, null, width * height * 0.35);
    }
    return null;
  }
  if (kind !== 'video' || duration === null || duration <= 0 || facts.width === null || facts.height === null) {
    return null;
  }
  const { width, height } = fit(facts.width, facts.height);
  // The most a copy may carry per second and stay under the limit, sound included.
  const ceiling = (limits.multipartMaxBytes * SIZE_MARGIN * 8) / seconds - (facts.hasAudio ? AUDIO_BITRATE : 0);
  const quality = width * height * BITS_PER_PIXEL_SECOND;
  if (ceiling < LOWEST_VIDEO_BITRATE) return null;
  // Quality-led when that fits under the limit; held to the limit's rate when it would not.
  const videoBitrate = quality <= ceiling ? null : Math.floor(ceiling);
  const rate = (videoBitrate ?? quality) + (facts.hasAudio ? AUDIO_BITRATE : 0);
  const played = part ? part.end - part.start : duration;
  return copy(code, 'h264-mp4', width, height, duration, (rate * played) / 8, videoBitrate, part);
}

/**
 * The first of the even parts a programme longer than `longest` needs, or undefined when it fits.
 * Each part aims a little under the longest, so a cut can move up to `leeway` either way (to a
 * scene change or a pause) and every part still fits.
 */
function firstPart(duration: number, longest: number): CopyPart | undefined {
  if (duration <= longest) return undefined;
  const of = Math.ceil(duration / (longest * PART_MARGIN));
  const even = duration / of;
  return { index: 1, of, start: 0, end: even, leeway: Math.min(LEEWAY_MAX, (longest * 0.99 - even) / 2) };
}

/** Every part of a split copy, from its first: the same recipe, each over its own even stretch. */
export function partsOf(copy: UploadCopy): UploadCopy[] {
  const { part } = copy;
  if (!part || copy.durationSeconds === null) return [copy];
  return Array.from({ length: part.of }, (_, at) => ({
    ...copy,
    part: { ...part, index: at + 1, ...evenStretch(copy, at + 1) },
  }));
}

/**
 * Where part `index` of a split copy starts and ends before its cuts move: the programme divided
 * evenly. Worked out from the whole each time, so a part already cut is never cut again around
 * its own cuts.
 */
export function evenStretch(copy: UploadCopy, index: number): { start: number; end: number } {
  const duration = copy.durationSeconds ?? 0;
  const of = copy.part?.of ?? 1;
  return { start: ((index - 1) * duration) / of, end: index === of ? duration : (index * duration) / of };
}

/** "ProRes, 3840×2160", "AAC", "TIFF, 640×480": what the original is, in the probe's names. */
function originalWords(kind: MediaKind, facts: MediaFacts): string {
  const name = (kind === 'audio' ? facts.audioCodec : kind === 'video' ? facts.videoCodec : null) ?? facts.container;
  const frame =
    kind !== 'audio' && facts.width !== null && facts.height !== null ? `${facts.width}×${facts.height}` : null;
  return [name, frame].filter((part) => part !== null).join(', ');
}

/** Seconds as FFmpeg reads them, to the millisecond. */
const seconds = (value: number) => value.toFixed(3);

/** H.264 in 4:2:0 wants even sides. */
const even = (value: number) => Math.max(2, Math.round(value / 2) * 2);

/** The frame within the box, either way up, keeping the picture's shape. */
function fit(width: number, height: number): { width: number; height: number } {
  const landscape = width >= height;
  const scale = Math.min(1, (landscape ? BOX.long : BOX.short) / width, (landscape ? BOX.short : BOX.long) / height);
  return { width: even(width * scale), height: even(height * scale) };
}

/**
 * FFmpeg's arguments to make `copy` of `input` at `output` (written whole, then renamed by the
 * caller), reporting progress as key=value lines on stdout. The original's metadata and timecode
 * go with it; only its first picture and first sound are kept. Video is encoded with `encoder`.
 */
export function copyArguments(copy: UploadCopy, input: string, output: string, encoder: H264Encoder = X264): string[] {
  // A part is read from its start (a seek before the input lands on the exact frame when encoding).
  const stretch = copy.part
    ? { from: ['-ss', seconds(copy.part.start)], length: ['-t', seconds(copy.part.end - copy.part.start)] }
    : { from: [], length: [] };
  const video = copy.format === 'h264-mp4';
  const head = [
    ...['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', ...(video ? encoder.input : [])],
    ...[...stretch.from, '-i', input, ...stretch.length, '-map_metadata', '0'],
    // A part's first frame carries the original's timecode at that point, not at its start.
    ...(copy.part?.timecode ? ['-timecode', copy.part.timecode] : []),
  ];
  const tail = ['-progress', 'pipe:1', '-nostats', output];
  const frame = copy.width !== null && copy.height !== null ? [`scale=${copy.width}:${copy.height}`] : [];
  switch (copy.format) {
    case 'h264-mp4': {
      const played = copy.part ? copy.part.end - copy.part.start : (copy.durationSeconds ?? 1);
      const rate = copy.videoBitrate ?? Math.round((copy.estimateBytes * 8) / played);
      const control =
        copy.videoBitrate !== null
          ? { quality: false as const, bitrate: rate }
          : { quality: true as const, typical: rate };
      return [
        ...head,
        ...['-map', '0:v:0', '-map', '0:a:0?', '-vf', [...frame, ...encoder.upload].join(',')],
        ...['-c:v', encoder.name, ...encoder.rate(control)],
        ...['-c:a', 'aac', '-b:a', `${AUDIO_BITRATE}`, '-movflags', '+faststart', '-f', 'mp4'],
        ...tail,
      ];
    }
    case 'flac':
      return [...head, '-map', '0:a:0', '-c:a', 'flac', '-f', 'flac', ...tail];
    case 'mp3':
      return [...head, '-map', '0:a:0', '-c:a', 'libmp3lame', '-b:a', `${AUDIO_BITRATE}`, '-f', 'mp3', ...tail];
    case 'png':
    case 'jpeg': {
      const codec = copy.format === 'png' ? ['-c:v', 'png'] : ['-c:v', 'mjpeg', '-q:v', '3', '-pix_fmt', 'yuvj444p'];
      const filters = frame.length > 0 ? ['-vf', frame.join(',')] : [];
      return [
        ...head,
        '-map',
        '0:v:0',
        '-frames:v',
        '1',
        ...filters,
        ...codec,
        '-f',
        'image2',
        '-update',
        '1',
        ...tail,
      ];
    }
  }
}
