import { extname } from 'node:path';
import {
  DEFAULT_FILE_USE,
  DOCUMENT_TYPES,
  LIMITS,
  PURPOSES,
  SUPPORTED_AUDIO_FORMATS,
  SUPPORTED_IMAGE_FORMATS,
  type FileUse,
  type Limits,
} from '../../shared/limits';
import type { MediaKind } from '../../shared/uploads';
import type { MediaFacts } from './probe';
import { formatBytes } from '../../shared/i18n';

/** A file that cannot be used as it is: a code for Details, and the reason with the real numbers. */
export interface Rejection {
  readonly code: string;
  /** What is wrong and what to do, in one or two short sentences. */
  readonly message: string;
}

/** The outcome of the rules for one file: fine (perhaps with warnings) or refused. */
export type RulesVerdict =
  { readonly ok: true; readonly warnings: readonly string[] } | ({ readonly ok: false } & Rejection);

/** What the rules look at: the sniffed type, the size, and what a probe found (null: unreadable). */
export interface RulesInput {
  readonly kind: MediaKind | null;
  readonly mime: string;
  readonly size: number;
  readonly facts: MediaFacts | null;
  /** For images: whether the file ends the way its format requires (a cut-off download does not). */
  readonly complete?: boolean;
  /** The file's name: a document's must end the way its content says (TwelveLabs checks). */
  readonly name?: string;
}

/** What is known of a document without opening it further: its type, in the facts' shape. */
export function documentFacts(mime: string): MediaFacts {
  return {
    container: DOCUMENT_TYPES[mime]?.label ?? mime,
    videoCodec: null,
    audioCodec: null,
    durationSeconds: null,
    width: null,
    height: null,
    frameRate: null,
    hasVideo: false,
    hasAudio: false,
    isImage: false,
  };
}

/** "2 seconds", "1 h 12 min", "4 hours": durations the way people say them. */
export function spokenDuration(seconds: number): string {
  if (seconds < 90) {
    const rounded = seconds < 10 ? Math.round(seconds * 10) / 10 : Math.round(seconds);
    return `${rounded} ${rounded === 1 ? 'second' : 'seconds'}`;
  }
  if (seconds < 3600) return `${Math.round(seconds / 60)} minutes`;
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.round((seconds % 3600) / 60);
  if (minutes === 0) return `${hours} ${hours === 1 ? 'hour' : 'hours'}`;
  return `${hours} h ${minutes} min`;
}

const reject = (code: string, message: string): { readonly ok: false } & Rejection => ({ ok: false, code, message });

/** Plain names for what a text or binary file is, when it is not media. */
export function notMedia(mime: string): string {
  return mime === 'text/plain'
    ? 'This is a text file, not a video, audio or image file, and not named as a document (.txt or .md).'
    : 'This is not a video, audio, image or document file.';
}

/**
 * A requirement of the model the files are for (Marengo for search, embeddings and entities,
 * Pegasus for analysis), not of TwelveLabs' Assets API, which takes the file regardless.
 */
interface ModelProblem {
  readonly code: string;
  /** "this video is 2 seconds long; the shortest that can be used is 4 seconds" */
  readonly reason: string;
  /** What to do about it. */
  readonly fix: string;
}

/**
 * The checks made before a byte is sent. What TwelveLabs' Assets API itself refuses (type, size
 * per upload method, damaged files, audio and image formats) is a refusal. What only the model the
 * files are for cannot use (frame size, aspect ratio, duration, image dimensions) is a warning
 * that still uploads, or a refusal when the person chose to skip such files. Every number comes
 * from the one limits table, and every message names the file's own number beside the limit.
 */
export function judge(input: RulesInput, limits: Limits = LIMITS, use: FileUse = DEFAULT_FILE_USE): RulesVerdict {
  const { kind, facts, size } = input;
  if (kind === null) return reject('unsupported_type', `${notMedia(input.mime)} Remove it from the list.`);
  if (kind === 'document') return judgeDocument(input, limits);
  if (kind === 'image') {
    const refused = judgeImage(input, limits);
    if (refused) return refused;
    const small = facts!.width! < limits.imageMinSide || facts!.height! < limits.imageMinSide;
    return decide(
      small
        ? {
            code: 'image_too_small',
            reason: `this image is ${facts!.width}×${facts!.height}; the smallest that can be used is ${limits.imageMinSide}×${limits.imageMinSide}`,
            fix: 'Use a larger image.',
          }
        : null,
      use,
    );
  }
  const noun = kind === 'video' ? 'video' : 'audio file';
  const tooLarge = judgeSize(kind, size, limits);
  if (tooLarge) return tooLarge;
  const playable = facts && facts.durationSeconds !== null && (kind === 'audio' ? facts.hasAudio : facts.hasVideo);
  if (!facts || !playable) {
    return reject(
      `${kind}_file_broken`,
      `This ${noun} is damaged or incomplete, so it cannot be played. Export it again, or remove it from the list.`,
    );
  }
  if (kind === 'audio') {
    const format = audioFormatOf(facts);
    if (!SUPPORTED_AUDIO_FORMATS.includes(format as (typeof SUPPORTED_AUDIO_FORMATS)[number])) {
      return reject(
        'audio_format_unsupported',
        `This audio is ${format}; TwelveLabs takes ${SUPPORTED_AUDIO_FORMATS.join(', ')}. Convert it to one of those.`,
      );
    }
  } else if (facts.width === null || facts.height === null) {
    return reject(
      'video_file_broken',
      'This video has no readable picture size, so it cannot be used. Export it again.',
    );
  }
  const problem =
    (kind === 'video' ? frameProblem(facts, limits) : null) ??
    durationProblem(kind, facts.durationSeconds ?? 0, limits, use);
  return decide(problem, use);
}

/** A model problem becomes a warning (the file still uploads) or, when asked, a refusal. */
function decide(problem: ModelProblem | null, use: FileUse): RulesVerdict {
  if (!problem) return { ok: true, warnings: [] };
  const purpose = PURPOSES[use.for].label();
  if (use.skipUnusable) {
    return reject(problem.code, `Skipped, as it can't be used for ${purpose}: ${problem.reason}. ${problem.fix}`);
  }
  return { ok: true, warnings: [`Can't be used for ${purpose}: ${problem.reason}. It uploads all the same.`] };
}

/**
 * The size limit alone, for what cannot be probed (a link whose site refuses partial reads).
 * `limits.multipartMaxBytes` is the largest audio or video for the upload method in use.
 */
export function judgeSize(
  kind: MediaKind,
  size: number,
  limits: Limits = LIMITS,
): ({ readonly ok: false } & Rejection) | null {
  if (kind === 'image') {
    return size > limits.imageMaxBytes
      ? reject(
          'media_filesize_too_large',
          `This image is ${formatBytes(size)}; TwelveLabs takes images up to ${formatBytes(limits.imageMaxBytes)}. Save it smaller.`,
        )
      : null;
  }
  if (kind === 'document') {
    return size > limits.documentMaxBytes
      ? reject(
          'document_filesize_too_large',
          `This document is ${formatBytes(size)}; TwelveLabs takes documents up to ${formatBytes(limits.documentMaxBytes)}. Split it into smaller files.`,
        )
      : null;
  }
  const noun = kind === 'video' ? 'video' : 'audio file';
  return size > limits.multipartMaxBytes
    ? reject(
        `${kind}_filesize_too_large`,
        `This ${noun} is ${formatBytes(size)}; TwelveLabs takes files up to ${formatBytes(limits.multipartMaxBytes)}. Split it into shorter parts.`,
      )
    : null;
}

function frameProblem(facts: MediaFacts, limits: Limits): ModelProblem | null {
  const width = facts.width!;
  const height = facts.height!;
  const frame = `${width}×${height}`;
  const range = `${limits.videoMinWidth}×${limits.videoMinHeight} to ${limits.videoMaxWidth}×${limits.videoMaxHeight}`;
  if (width < limits.videoMinWidth || height < limits.videoMinHeight) {
    return {
      code: 'video_resolution_too_low',
      reason: `this video is ${frame}; the smallest frame that can be used is ${limits.videoMinWidth}×${limits.videoMinHeight}`,
      fix: 'Export it at a larger size.',
    };
  }
  if (width > limits.videoMaxWidth || height > limits.videoMaxHeight) {
    return {
      code: 'video_resolution_too_high',
      reason: `this video is ${frame}; frames from ${range} can be used`,
      fix: 'Export it at a smaller size.',
    };
  }
  const ratio = Math.max(width, height) / Math.min(width, height);
  if (ratio > limits.maxAspectRatio + 1e-9) {
    return {
      code: 'video_resolution_invalid_aspect_ratio',
      reason: `this video is ${frame}, ${ratio.toFixed(1)} times as ${width > height ? 'wide as it is tall' : 'tall as it is wide'}; up to ${limits.maxAspectRatio}:1 can be used`,
      fix: 'Crop it to a narrower frame.',
    };
  }
  return null;
}

function durationProblem(kind: 'video' | 'audio', seconds: number, limits: Limits, use: FileUse): ModelProblem | null {
  const noun = kind === 'video' ? 'video' : 'audio';
  // Pegasus (analysis) stops at 2 hours; Marengo at 4.
  const longest = use.for === 'analysis' ? limits.pegasusMaxDurationSeconds : limits.maxDurationSeconds;
  if (seconds < limits.minDurationSeconds) {
    return {
      code: `${kind}_duration_too_short`,
      reason: `this ${noun} is ${spokenDuration(seconds)} long; the shortest that can be used is ${spokenDuration(limits.minDurationSeconds)}`,
      fix: 'Use a longer clip.',
    };
  }
  if (seconds > longest) {
    return {
      code: `${kind}_duration_too_long`,
      reason: `this ${noun} is ${spokenDuration(seconds)} long; the longest that can be used is ${spokenDuration(longest)}`,
      fix: 'Split it into shorter parts.',
    };
  }
  return null;
}

/** What the Assets API refuses of an image: its format, its size, a damaged file. */
function judgeImage(input: RulesInput, limits: Limits): ({ readonly ok: false } & Rejection) | null {
  const { facts, size } = input;
  const format = facts?.container ?? input.mime.replace('image/', '').toUpperCase();
  if (!SUPPORTED_IMAGE_FORMATS.includes(format as (typeof SUPPORTED_IMAGE_FORMATS)[number])) {
    return reject(
      'image_format_unsupported',
      `This image is ${format}; TwelveLabs takes ${SUPPORTED_IMAGE_FORMATS.join(' and ')}. Save it as one of those.`,
    );
  }
  const tooLarge = judgeSize('image', size, limits);
  if (tooLarge) return tooLarge;
  if (!facts || facts.width === null || facts.height === null || input.complete === false) {
    return reject('image_file_broken', 'This image is damaged or cut off. Save it again, or remove it from the list.');
  }
  return null;
}

/** A PDF, text or Markdown file: within the size limit, and named the way its content is. */
function judgeDocument(input: RulesInput, limits: Limits): RulesVerdict {
  const tooLarge = judgeSize('document', input.size, limits);
  if (tooLarge) return tooLarge;
  const type = DOCUMENT_TYPES[input.mime];
  if (!type) return reject('unsupported_type', `${notMedia(input.mime)} Remove it from the list.`);
  const extension = extname(input.name ?? '').toLowerCase();
  if (input.name !== undefined && !type.extensions.includes(extension)) {
    return reject(
      'document_extension_mismatch',
      `This is a ${type.label} file named “${extension || 'without an extension'}”; TwelveLabs refuses documents whose name does not match their content. Rename it to end in ${type.extensions[0]}.`,
    );
  }
  return { ok: true, warnings: [] };
}

/** MediaInfo's names for the supported audio containers, in the words of the limits table. */
function audioFormatOf(facts: MediaFacts): string {
  const names: Record<string, string> = { Wave: 'WAV', 'MPEG Audio': 'MP3', FLAC: 'FLAC' };
  const container = facts.container ?? '';
  if (container in names) return names[container] ?? container;
  return facts.audioCodec && container === 'MPEG-4' ? `${facts.audioCodec} (${container})` : container || 'unknown';
}
