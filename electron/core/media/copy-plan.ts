import type { Limits } from '../../shared/limits';
import type { MediaKind } from '../../shared/media-kind';
import type { CopyFormat, UploadCopy } from '../../shared/upload-copy';
import type { MediaFacts } from './facts';

/** What a copy is planned from: the file as its check found it, and the rule it does not pass. */
export interface CopyInput {
  readonly kind: MediaKind;
  readonly facts: MediaFacts;
  readonly size: number;
  /** The refusal or model problem's code, from `judge`. */
  readonly code: string;
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
/** Below this the picture is not worth searching: a programme that long waits for splitting. */
const LOWEST_VIDEO_BITRATE = 300_000;

/**
 * The smallest copy that passes every rule the original fails, or null when no copy would (a
 * programme too long to fit, which needs splitting, or a kind nothing can be made of).
 */
export function planCopy(input: CopyInput, limits: Limits): UploadCopy | null {
  const { kind, facts, code } = input;
  const copy = (
    because: string,
    format: CopyFormat,
    width: number | null,
    height: number | null,
    durationSeconds: number | null,
    estimateBytes: number,
    videoBitrate: number | null = null,
  ): UploadCopy => ({
    because,
    format,
    width,
    height,
    videoBitrate,
    durationSeconds,
    estimateBytes: Math.round(estimateBytes),
    original: originalWords(kind, facts),
  });
  const duration = facts.durationSeconds;
  if (kind === 'audio' && duration !== null && facts.hasAudio) {
    if (code === 'audio_format_unsupported') return copy(code, 'flac', null, null, duration, duration * 90_000);
    if (code === 'audio_filesize_too_large') {
      return copy(code, 'mp3', null, null, duration, (duration * AUDIO_BITRATE) / 8);
    }
    return null;
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
  if (code !== 'video_resolution_too_high' && code !== 'video_filesize_too_large') return null;
  const { width, height } = fit(facts.width, facts.height);
  // The most a copy may carry per second and stay under the limit, sound included.
  const ceiling = (limits.multipartMaxBytes * SIZE_MARGIN * 8) / duration - (facts.hasAudio ? AUDIO_BITRATE : 0);
  const quality = width * height * BITS_PER_PIXEL_SECOND;
  if (ceiling < LOWEST_VIDEO_BITRATE) return null;
  // Quality-led when that fits under the limit; held to the limit's rate when it would not.
  const videoBitrate = quality <= ceiling ? null : Math.floor(ceiling);
  const rate = (videoBitrate ?? quality) + (facts.hasAudio ? AUDIO_BITRATE : 0);
  return copy(code, 'h264-mp4', width, height, duration, (rate * duration) / 8, videoBitrate);
}

/** "ProRes, 3840×2160", "AAC", "TIFF, 640×480": what the original is, in the probe's names. */
function originalWords(kind: MediaKind, facts: MediaFacts): string {
  const name = (kind === 'audio' ? facts.audioCodec : kind === 'video' ? facts.videoCodec : null) ?? facts.container;
  const frame =
    kind !== 'audio' && facts.width !== null && facts.height !== null ? `${facts.width}×${facts.height}` : null;
  return [name, frame].filter((part) => part !== null).join(', ');
}

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
 * go with it; only its first picture and first sound are kept.
 */
export function copyArguments(copy: UploadCopy, input: string, output: string): string[] {
  const head = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', '-i', input, '-map_metadata', '0'];
  const tail = ['-progress', 'pipe:1', '-nostats', output];
  const frame = copy.width !== null && copy.height !== null ? [`scale=${copy.width}:${copy.height}`] : [];
  switch (copy.format) {
    case 'h264-mp4': {
      // A quality-led copy still has a ceiling, so an unusually busy picture cannot outgrow it.
      const rate = copy.videoBitrate ?? Math.round((copy.estimateBytes * 8) / (copy.durationSeconds ?? 1));
      const control =
        copy.videoBitrate !== null
          ? ['-b:v', `${rate}`, '-maxrate', `${Math.round(rate * 1.2)}`, '-bufsize', `${rate * 2}`]
          : ['-crf', '21', '-maxrate', `${rate * 2}`, '-bufsize', `${rate * 4}`];
      return [
        ...head,
        ...['-map', '0:v:0', '-map', '0:a:0?', '-vf', [...frame, 'format=yuv420p'].join(',')],
        ...['-c:v', 'libx264', '-preset', 'fast', ...control],
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
