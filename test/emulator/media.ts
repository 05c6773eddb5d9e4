import { execFile } from 'node:child_process';
import { mkdir, open, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { promisify } from 'node:util';
import type { Limits } from '../../electron/shared/limits';
import { SUPPORTED_AUDIO_FORMATS } from '../../electron/shared/limits';
import type { ApiErrorCode } from '../../electron/shared/api-errors';
import { formatSize } from './http';

const run = promisify(execFile);

/** What the emulator learned about a stored file from ffprobe (its independent oracle). */
export interface MediaProbe {
  readonly kind: 'video' | 'audio' | 'image' | 'document';
  readonly mime: string;
  /** WAV, MP3, FLAC, AAC, JPEG, PNG, ...: the name the seed's messages use. */
  readonly format: string;
  readonly container: string;
  readonly width?: number | undefined;
  readonly height?: number | undefined;
  readonly duration?: number | undefined;
  readonly fps?: number | undefined;
  readonly videoCodec?: string | undefined;
  readonly audioCodec?: string | undefined;
  readonly audioSampleRate?: number | undefined;
  readonly audioChannels?: number | undefined;
  readonly hasAudio: boolean;
  readonly bitrate?: number | undefined;
  /** Documents: pages of a PDF. */
  readonly pages?: number | undefined;
}

export type ProbeOutcome =
  | { readonly ok: true; readonly probe: MediaProbe }
  | { readonly ok: false; readonly problem: 'unsupported'; readonly detected: string }
  /** A document whose name does not end the way its content is (the API refuses those). */
  | { readonly ok: false; readonly problem: 'mismatch'; readonly detected: string; readonly extension: string }
  | { readonly ok: false; readonly problem: 'broken'; readonly kind: 'video' | 'audio' | 'image' }
  | { readonly ok: false; readonly problem: 'live' };

/** A rule the stored file broke: the seed's code with its placeholder values. */
export interface Violation {
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly values: Record<string, string | number>;
}

let ffmpegPresent: Promise<boolean> | undefined;

/** Whether ffprobe/ffmpeg are on PATH; without them uploads are stored but not checked. */
export function hasFfmpeg(): Promise<boolean> {
  ffmpegPresent ??= run('ffprobe', ['-version']).then(
    () => true,
    () => false,
  );
  return ffmpegPresent;
}

/** The kind a file claims by its first bytes, used to tell a broken media file from a non-media one. */
async function sniff(path: string): Promise<{ kind: 'video' | 'audio' | 'image' | 'playlist' | null; label: string }> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(64), 0, 64, 0);
    const head = buffer.subarray(0, bytesRead);
    const ascii = head.toString('latin1');
    if (head[0] === 0xff && head[1] === 0xd8) return { kind: 'image', label: 'image/jpeg' };
    if (ascii.startsWith('\x89PNG')) return { kind: 'image', label: 'image/png' };
    if (ascii.startsWith('RIFF') && ascii.slice(8, 12) === 'WEBP') return { kind: 'image', label: 'image/webp' };
    if (ascii.startsWith('GIF8')) return { kind: 'image', label: 'image/gif' };
    if (ascii.startsWith('RIFF') && ascii.slice(8, 12) === 'WAVE') return { kind: 'audio', label: 'audio/wav' };
    if (ascii.startsWith('ID3') || (head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0))
      return { kind: 'audio', label: 'audio/mpeg' };
    if (ascii.startsWith('fLaC')) return { kind: 'audio', label: 'audio/flac' };
    if (ascii.startsWith('OggS')) return { kind: 'audio', label: 'audio/ogg' };
    if (ascii.slice(4, 8) === 'ftyp') {
      return ascii.slice(8, 12) === 'M4A '
        ? { kind: 'audio', label: 'audio/mp4' }
        : { kind: 'video', label: 'video/mp4' };
    }
    if (ascii.startsWith('\x1a\x45\xdf\xa3')) return { kind: 'video', label: 'video/x-matroska' };
    if (ascii.startsWith('#EXTM3U')) return { kind: 'playlist', label: 'application/vnd.apple.mpegurl' };
    if (ascii.startsWith('%PDF-')) return { kind: null, label: 'application/pdf' };
    const printable = [...head].every((byte) => byte === 9 || byte === 10 || byte === 13 || byte >= 32);
    return { kind: null, label: printable && bytesRead > 0 ? 'text/plain' : 'application/octet-stream' };
  } finally {
    await handle.close();
  }
}

interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  sample_rate?: string;
  channels?: number;
  disposition?: { attached_pic?: number };
}

function frameRate(rate: string | undefined): number | undefined {
  const [num, den] = (rate ?? '').split('/').map(Number);
  return num && den ? Math.round((num / den) * 1000) / 1000 : undefined;
}

const AUDIO_FORMAT: Record<string, string> = { wav: 'WAV', mp3: 'MP3', flac: 'FLAC', ogg: 'OGG' };
const AUDIO_MIME: Record<string, string> = { WAV: 'audio/wav', MP3: 'audio/mpeg', FLAC: 'audio/flac' };

function videoMime(container: string, filename: string): string {
  const ext = extname(filename).toLowerCase();
  if (container.includes('webm') && ext === '.webm') return 'video/webm';
  if (container.includes('matroska')) return 'video/x-matroska';
  if (ext === '.mov') return 'video/quicktime';
  if (container.includes('avi')) return 'video/x-msvideo';
  return 'video/mp4';
}

/** Errors ffmpeg reports while decoding the first seconds: a truncated image or audio file shows here. */
async function decodes(path: string): Promise<boolean> {
  try {
    const { stderr } = await run('ffmpeg', ['-v', 'error', '-t', '10', '-i', path, '-f', 'null', '-'], {
      maxBuffer: 1024 * 1024,
    });
    return stderr.trim() === '';
  } catch {
    return false;
  }
}

/** Documents by type and the extensions each may have (the SDK: PDF, text and Markdown). */
const DOCUMENT_EXTENSIONS: Record<string, readonly string[]> = {
  'application/pdf': ['.pdf'],
  'text/plain': ['.txt'],
  'text/markdown': ['.md', '.markdown'],
};

/** A document by its bytes (a PDF) or, for text, by its name; null when it is none. */
async function probeDocument(path: string, filename: string, claimed: { label: string }): Promise<ProbeOutcome | null> {
  const extension = extname(filename).toLowerCase();
  const mime =
    claimed.label === 'application/pdf'
      ? 'application/pdf'
      : claimed.label === 'text/plain'
        ? extension === '.md' || extension === '.markdown'
          ? 'text/markdown'
          : 'text/plain'
        : null;
  if (!mime) return null;
  if (!DOCUMENT_EXTENSIONS[mime]!.includes(extension)) {
    // Text named like something else is not a document at all; a PDF named wrongly is refused as such.
    return mime === 'application/pdf' ? { ok: false, problem: 'mismatch', detected: mime, extension } : null;
  }
  const pages =
    mime === 'application/pdf'
      ? ((await readFile(path, 'latin1')).match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length
      : undefined;
  return {
    ok: true,
    probe: {
      kind: 'document',
      mime,
      format: mime === 'application/pdf' ? 'PDF' : mime === 'text/plain' ? 'TXT' : 'MD',
      container: mime,
      hasAudio: false,
      ...(pages !== undefined && { pages }),
    },
  };
}

/** Probes a stored file the way the API's ingest would judge it. */
export async function probeFile(path: string, filename: string): Promise<ProbeOutcome> {
  const claimed = await sniff(path);
  if (claimed.kind === 'playlist') return { ok: false, problem: 'live' };
  const document = await probeDocument(path, filename, claimed);
  if (document) return document;
  let data: { format?: { format_name?: string; duration?: string; bit_rate?: string }; streams?: FfprobeStream[] };
  try {
    const { stdout } = await run(
      'ffprobe',
      ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path],
      {
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    data = JSON.parse(stdout);
  } catch {
    return claimed.kind
      ? { ok: false, problem: 'broken', kind: claimed.kind }
      : { ok: false, problem: 'unsupported', detected: claimed.label };
  }
  const container = data.format?.format_name ?? '';
  const streams = data.streams ?? [];
  const video = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  const audio = streams.find((s) => s.codec_type === 'audio');
  const duration = data.format?.duration ? Number(data.format.duration) : undefined;
  const bitrate = data.format?.bit_rate ? Number(data.format.bit_rate) : undefined;

  if (container === 'image2' || container.endsWith('_pipe')) {
    if (!video) return { ok: false, problem: 'broken', kind: 'image' };
    const format = video.codec_name === 'mjpeg' ? 'JPEG' : (video.codec_name ?? 'unknown').toUpperCase();
    if (!(await decodes(path))) return { ok: false, problem: 'broken', kind: 'image' };
    return {
      ok: true,
      probe: {
        kind: 'image',
        mime: format === 'JPEG' ? 'image/jpeg' : `image/${format.toLowerCase()}`,
        format,
        container,
        width: video.width,
        height: video.height,
        hasAudio: false,
      },
    };
  }
  if (video) {
    if (duration === undefined || Number.isNaN(duration)) return { ok: false, problem: 'broken', kind: 'video' };
    return {
      ok: true,
      probe: {
        kind: 'video',
        mime: videoMime(container, filename),
        format: container,
        container,
        width: video.width,
        height: video.height,
        duration,
        fps: frameRate(video.avg_frame_rate),
        videoCodec: video.codec_name,
        audioCodec: audio?.codec_name,
        audioSampleRate: audio?.sample_rate ? Number(audio.sample_rate) : undefined,
        audioChannels: audio?.channels,
        hasAudio: audio !== undefined,
        bitrate,
      },
    };
  }
  if (audio) {
    if (duration === undefined || !(await decodes(path))) return { ok: false, problem: 'broken', kind: 'audio' };
    const format = AUDIO_FORMAT[container] ?? (audio.codec_name ?? container).toUpperCase();
    return {
      ok: true,
      probe: {
        kind: 'audio',
        mime: AUDIO_MIME[format] ?? (claimed.label.startsWith('audio/') ? claimed.label : 'audio/mp4'),
        format,
        container,
        duration,
        audioCodec: audio.codec_name,
        audioSampleRate: audio.sample_rate ? Number(audio.sample_rate) : undefined,
        audioChannels: audio.channels,
        hasAudio: true,
        bitrate,
      },
    };
  }
  return { ok: false, problem: 'unsupported', detected: claimed.label };
}

const seconds = (value: number) => Number(value.toFixed(2));

const too = (code: ApiErrorCode, values: Record<string, string | number>): Violation => ({
  status: 400,
  code,
  values,
});

/**
 * The first rule a probed file breaks, in the order the seed lists them, or null. `method` decides
 * the size ceiling: direct uploads of audio/video stop at 200 MB, URL and multipart go further.
 * A video's frame size, shape and length are the model's rules: the Assets API takes such a file
 * and the index job fails (`modelViolation`), unless `modelRules` asks for the seed's 400 at upload.
 */
export function findViolation(
  probe: MediaProbe,
  size: number,
  method: 'direct' | 'url' | 'multipart',
  limits: Limits,
  modelRules = false,
): Violation | null {
  if (probe.kind === 'document') {
    const maximum = method === 'url' ? limits.documentUrlMaxBytes : limits.documentMaxBytes;
    return size > maximum
      ? too('media_filesize_too_large', { maximum_size: formatSize(maximum), current_size: formatSize(size) })
      : null;
  }
  if (probe.kind === 'image') {
    if (probe.format !== 'JPEG' && probe.format !== 'PNG') {
      return too('parameter_invalid', { parameter: 'file', detail: `Unsupported asset type: ${probe.mime}.` });
    }
    if (size > limits.imageMaxBytes) {
      return too('media_filesize_too_large', {
        maximum_size: formatSize(limits.imageMaxBytes),
        current_size: formatSize(size),
      });
    }
    const minimum = `${limits.imageMinSide}x${limits.imageMinSide}`;
    if ((probe.width ?? 0) < limits.imageMinSide || (probe.height ?? 0) < limits.imageMinSide) {
      return too('parameter_invalid', {
        parameter: 'image',
        detail: `Image dimensions ${probe.width}x${probe.height} are below the minimum ${minimum}.`,
      });
    }
    return null;
  }
  const maxBytes =
    method === 'direct'
      ? limits.directMediaMaxBytes
      : method === 'url'
        ? limits.urlMediaMaxBytes
        : limits.multipartMaxBytes;
  const duration = probe.duration ?? 0;
  const durationValues = {
    minimum_duration: limits.minDurationSeconds,
    maximum_duration: limits.maxDurationSeconds,
    current_duration: seconds(duration),
  };
  if (probe.kind === 'audio') {
    if (size > maxBytes) {
      return too('audio_filesize_too_large', { maximum_size: formatSize(maxBytes), current_size: formatSize(size) });
    }
    if (!(SUPPORTED_AUDIO_FORMATS as readonly string[]).includes(probe.format)) {
      return too('audio_format_unsupported', {
        format: probe.format,
        supported_formats: SUPPORTED_AUDIO_FORMATS.join(', '),
      });
    }
    if (duration < limits.minDurationSeconds) return too('audio_duration_too_short', durationValues);
    if (duration > limits.maxDurationSeconds) return too('audio_duration_too_long', durationValues);
    return null;
  }
  if (size > maxBytes) {
    return too('video_filesize_too_large', { maximum_size: formatSize(maxBytes), current_size: formatSize(size) });
  }
  return modelRules ? modelViolation(probe, limits) : null;
}

/** The first Marengo requirement a video breaks (frame size, shape, length), or null. */
export function modelViolation(probe: MediaProbe, limits: Limits): Violation | null {
  if (probe.kind !== 'video') return null;
  const duration = probe.duration ?? 0;
  const durationValues = {
    minimum_duration: limits.minDurationSeconds,
    maximum_duration: limits.maxDurationSeconds,
    current_duration: seconds(duration),
  };
  const width = probe.width ?? 0;
  const height = probe.height ?? 0;
  const resolution = {
    minimum_resolution: `${limits.videoMinWidth}x${limits.videoMinHeight}`,
    maximum_resolution: `${limits.videoMaxWidth}x${limits.videoMaxHeight}`,
    current_resolution: `${width}x${height}`,
  };
  const ratio = Math.max(width, height) / Math.max(1, Math.min(width, height));
  if (ratio > limits.maxAspectRatio) {
    return too('video_resolution_invalid_aspect_ratio', {
      maximum_aspect_ratio: `${limits.maxAspectRatio}:1`,
      current_resolution: resolution.current_resolution,
    });
  }
  if (width < limits.videoMinWidth || height < limits.videoMinHeight)
    return too('video_resolution_too_low', resolution);
  if (Math.max(width, height) > limits.videoMaxWidth || Math.min(width, height) > limits.videoMaxHeight) {
    return too('video_resolution_too_high', resolution);
  }
  if (duration < limits.minDurationSeconds) return too('video_duration_too_short', durationValues);
  if (duration > limits.maxDurationSeconds) return too('video_duration_too_long', durationValues);
  return null;
}

/** The `technical_metadata` object of AssetDetail, from the probe. Keys that do not apply are absent. */
export function technicalMetadata(probe: MediaProbe, size: number): Record<string, unknown> {
  const meta: Record<string, unknown> = {
    file_size_bytes: size,
    file_mime_type: probe.mime,
    file_container_format: probe.container,
  };
  if (probe.kind === 'document') {
    if (probe.pages !== undefined) meta.document_page_count = probe.pages;
    return meta;
  }
  if (probe.kind === 'image') {
    Object.assign(meta, {
      image_width: probe.width,
      image_height: probe.height,
      image_format: probe.format.toLowerCase(),
    });
    return meta;
  }
  if (probe.kind === 'video') {
    Object.assign(meta, {
      video_codec: probe.videoCodec,
      video_width: probe.width,
      video_height: probe.height,
      video_fps: probe.fps,
      video_duration_seconds: probe.duration,
      total_video_streams: 1,
      storage_aspect_ratio: probe.width && probe.height ? Number((probe.width / probe.height).toFixed(4)) : undefined,
    });
  }
  Object.assign(meta, {
    has_audio: probe.hasAudio,
    total_audio_streams: probe.hasAudio ? 1 : 0,
    ...(probe.hasAudio && {
      audio_codec: probe.audioCodec,
      audio_sample_rate: probe.audioSampleRate,
      audio_channels: probe.audioChannels,
      audio_duration_seconds: probe.duration,
    }),
  });
  return Object.fromEntries(Object.entries(meta).filter(([, value]) => value !== undefined));
}

/** A 320 px wide JPEG from one second in (or the image itself). */
export async function makeThumbnail(source: string, outDir: string, kind: MediaProbe['kind']): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const target = join(outDir, 'thumbnail.jpg');
  const seek = kind === 'video' ? ['-ss', '0.5'] : [];
  await run('ffmpeg', ['-v', 'error', '-y', ...seek, '-i', source, '-frames:v', '1', '-vf', 'scale=320:-2', target]);
  return target;
}

/** A VOD HLS rendition (H.264/AAC, 2-second segments) that hls.js can play. */
export async function makeHls(source: string, outDir: string, kind: MediaProbe['kind']): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const video = kind === 'video' ? ['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p'] : ['-vn'];
  await run('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-i',
    source,
    ...video,
    '-c:a',
    'aac',
    '-f',
    'hls',
    '-hls_time',
    '2',
    '-hls_playlist_type',
    'vod',
    '-hls_segment_filename',
    join(outDir, 'segment-%03d.ts'),
    join(outDir, 'index.m3u8'),
  ]);
  return join(outDir, 'index.m3u8');
}
