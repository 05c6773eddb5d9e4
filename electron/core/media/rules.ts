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
import type { MediaFacts } from './facts';
import type { UploadCopy } from '../../shared/upload-copy';
import { formatBytes, formatList, formatMinutes, formatNumber, m } from '../../shared/i18n';

/** A file that cannot be used as it is: a code for Details, and the reason with the real numbers. */
export interface Rejection {
  readonly code: string;
  /** What is wrong and what to do, in one or two short sentences. */
  readonly message: string;
}

/** The outcome of the rules for one file: fine (perhaps with warnings) or refused. */
export type RulesVerdict =
  | {
      readonly ok: true;
      readonly warnings: readonly string[];
      /** The code of what the model cannot use, when that is the warning (an upload copy may fix it). */
      readonly problem?: string;
    }
  | ({ readonly ok: false } & Rejection);

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

const spoken = (value: number, unit: 'second' | 'minute' | 'hour') =>
  formatNumber(value, { style: 'unit', unit, unitDisplay: 'long' });

/** "2 seconds", "1 hr 12 min", "4 hours": durations the way people say them, in their language. */
export function spokenDuration(seconds: number): string {
  if (seconds < 90) return spoken(seconds < 10 ? Math.round(seconds * 10) / 10 : Math.round(seconds), 'second');
  if (seconds < 3600) return spoken(Math.round(seconds / 60), 'minute');
  const hours = Math.floor(seconds / 3600);
  return Math.round((seconds % 3600) / 60) === 0 ? spoken(hours, 'hour') : formatMinutes(seconds);
}

const reject = (code: string, message: string): { readonly ok: false } & Rejection => ({ ok: false, code, message });

/** Plain names for what a text or binary file is, when it is not media. */
export function notMedia(mime: string): string {
  return mime === 'text/plain' ? m.rule_text_file() : m.error_unsupported_type();
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
  if (kind === null) return reject('unsupported_type', m.rule_remove_it({ problem: notMedia(input.mime) }));
  if (kind === 'document') return judgeDocument(input, limits);
  if (kind === 'image') {
    const refused = judgeImage(input, limits);
    if (refused) return refused;
    const small = facts!.width! < limits.imageMinSide || facts!.height! < limits.imageMinSide;
    return decide(
      small
        ? {
            code: 'image_too_small',
            reason: m.rule_image_too_small({
              size: `${facts!.width}×${facts!.height}`,
              min: `${limits.imageMinSide}×${limits.imageMinSide}`,
            }),
            fix: m.rule_larger_image(),
          }
        : null,
      use,
    );
  }
  const tooLarge = judgeSize(kind, size, limits);
  if (tooLarge) return tooLarge;
  const playable = facts && facts.durationSeconds !== null && (kind === 'audio' ? facts.hasAudio : facts.hasVideo);
  if (!facts || !playable) {
    return reject(`${kind}_file_broken`, m.rule_broken({ kind }));
  }
  if (kind === 'audio') {
    const format = audioFormatOf(facts);
    if (!SUPPORTED_AUDIO_FORMATS.includes(format as (typeof SUPPORTED_AUDIO_FORMATS)[number])) {
      return reject(
        'audio_format_unsupported',
        m.rule_audio_format({ format, formats: SUPPORTED_AUDIO_FORMATS.join(', ') }),
      );
    }
  } else if (facts.width === null || facts.height === null) {
    return reject('video_file_broken', m.rule_no_picture());
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
    return reject(problem.code, m.rule_skipped({ purpose, reason: problem.reason, fix: problem.fix }));
  }
  return {
    ok: true,
    warnings: [m.rule_warning({ finding: m.rule_cannot_use({ purpose, reason: problem.reason }) })],
    problem: problem.code,
  };
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
          m.rule_image_too_large({ size: formatBytes(size), max: formatBytes(limits.imageMaxBytes) }),
        )
      : null;
  }
  if (kind === 'document') {
    return size > limits.documentMaxBytes
      ? reject(
          'document_filesize_too_large',
          m.rule_document_too_large({ size: formatBytes(size), max: formatBytes(limits.documentMaxBytes) }),
        )
      : null;
  }
  return size > limits.multipartMaxBytes
    ? reject(
        `${kind}_filesize_too_large`,
        m.rule_file_too_large({ kind, size: formatBytes(size), max: formatBytes(limits.multipartMaxBytes) }),
      )
    : null;
}

function frameProblem(facts: MediaFacts, limits: Limits): ModelProblem | null {
  const width = facts.width!;
  const height = facts.height!;
  const frame = `${width}×${height}`;
  const smallest = `${limits.videoMinWidth}×${limits.videoMinHeight}`;
  if (width < limits.videoMinWidth || height < limits.videoMinHeight) {
    return {
      code: 'video_resolution_too_low',
      reason: m.rule_frame_too_small({ frame, min: smallest }),
      fix: m.rule_larger_size(),
    };
  }
  if (width > limits.videoMaxWidth || height > limits.videoMaxHeight) {
    return {
      code: 'video_resolution_too_high',
      reason: m.rule_frame_too_big({ frame, min: smallest, max: `${limits.videoMaxWidth}×${limits.videoMaxHeight}` }),
      fix: m.rule_smaller_size(),
    };
  }
  const ratio = Math.max(width, height) / Math.min(width, height);
  if (ratio > limits.maxAspectRatio + 1e-9) {
    return {
      code: 'video_resolution_invalid_aspect_ratio',
      reason: (width > height ? m.rule_too_wide : m.rule_too_tall)({
        frame,
        ratio: formatNumber(ratio, { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
        max: formatNumber(limits.maxAspectRatio),
      }),
      fix: m.rule_crop(),
    };
  }
  return null;
}

/** The longest programme the model the files are for takes: Pegasus (analysis) stops at 2 hours; Marengo at 4. */
export function longestFor(use: FileUse, limits: Limits): number {
  return use.for === 'analysis' ? limits.pegasusMaxDurationSeconds : limits.maxDurationSeconds;
}

function durationProblem(kind: 'video' | 'audio', seconds: number, limits: Limits, use: FileUse): ModelProblem | null {
  const longest = longestFor(use, limits);
  if (seconds < limits.minDurationSeconds) {
    return {
      code: `${kind}_duration_too_short`,
      reason: m.rule_too_short({
        kind,
        length: spokenDuration(seconds),
        min: spokenDuration(limits.minDurationSeconds),
      }),
      fix: m.rule_longer_clip(),
    };
  }
  if (seconds > longest) {
    return {
      code: `${kind}_duration_too_long`,
      reason: m.rule_too_long({ kind, length: spokenDuration(seconds), max: spokenDuration(longest) }),
      fix: m.error_action_split(),
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
      m.rule_image_format({ format, formats: formatList(SUPPORTED_IMAGE_FORMATS) }),
    );
  }
  const tooLarge = judgeSize('image', size, limits);
  if (tooLarge) return tooLarge;
  if (!facts || facts.width === null || facts.height === null || input.complete === false) {
    return reject('image_file_broken', m.rule_image_broken());
  }
  return null;
}

/** A PDF, text or Markdown file: within the size limit, and named the way its content is. */
function judgeDocument(input: RulesInput, limits: Limits): RulesVerdict {
  const tooLarge = judgeSize('document', input.size, limits);
  if (tooLarge) return tooLarge;
  const type = DOCUMENT_TYPES[input.mime];
  if (!type) return reject('unsupported_type', m.rule_remove_it({ problem: notMedia(input.mime) }));
  const extension = extname(input.name ?? '').toLowerCase();
  if (input.name !== undefined && !type.extensions.includes(extension)) {
    return reject(
      'document_extension_mismatch',
      m.rule_document_name({
        type: type.label === 'text' ? m.doc_type_text() : type.label,
        extension: extension || m.rule_no_extension(),
        expected: type.extensions[0]!,
      }),
    );
  }
  return { ok: true, warnings: [] };
}

/** MediaInfo's names for the supported audio containers, in the words of the limits table. */
function audioFormatOf(facts: MediaFacts): string {
  const names: Record<string, string> = { Wave: 'WAV', 'MPEG Audio': 'MP3', FLAC: 'FLAC' };
  const container = facts.container ?? '';
  if (container in names) return names[container] ?? container;
  return facts.audioCodec && container === 'MPEG-4'
    ? `${facts.audioCodec} (${container})`
    : container || m.rule_unknown_format();
}

/** What the check of one file found. */
export type PreflightResult =
  | {
      readonly ok: true;
      /** By content: an MP4 with sound and no picture is audio, whatever its name says. */
      readonly kind: MediaKind;
      readonly mime: string;
      /** Null only for a link whose site allows no ranged reads (its type and size were checked). */
      readonly facts: MediaFacts | null;
      /** Worth knowing, not a reason to stop ("too long for Pegasus analysis"). */
      readonly warnings: readonly string[];
      /** Present when duplicate detection is on (for a copy, the original's). */
      readonly sha256: string | null;
      /** An upload copy goes in the file's place: the original fails a rule the copy passes. */
      readonly copy?: UploadCopy;
    }
  | ({
      readonly ok: false;
      readonly kind: MediaKind | null;
      readonly mime: string;
      readonly facts: MediaFacts | null;
      /** An upload copy that would pass, offered for a person to choose. */
      readonly copy?: UploadCopy;
      /**
       * With a copy on offer and duplicate detection on, the original's: a copy already uploaded is
       * not offered again.
       */
      readonly sha256?: string | null;
    } & Rejection);
