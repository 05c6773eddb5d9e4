import { m } from './i18n';
import type { CopyPolicy } from './upload-copy';

/**
 * The one table of upload limits and model requirements. Values follow the API page this product
 * was specified from (seed/ in the design notes), except where the API itself changed since: each
 * such value says both facts and where they come from.
 */
const MB = 1000 * 1000;
const GB = 1000 * MB;

export const LIMITS = {
  /** Local audio/video sent with `POST /assets` (method=direct). */
  directMediaMaxBytes: 200 * MB,
  /** Audio/video fetched by TwelveLabs from a public URL (method=url). */
  urlMediaMaxBytes: 4 * GB,
  /**
   * Images, by file or URL: 32 MB today (the official SDK 1.3.4 and the API's own specification
   * since 2026-07-07); the seed page said 5 MB, from before that change.
   */
  imageMaxBytes: 32 * MB,
  /**
   * Documents (PDF, plain text, Markdown) sent as a file; documents have no multipart route
   * (official SDK 1.3.4, API specification since 2026-07).
   */
  documentMaxBytes: 200 * MB,
  /** Documents fetched by TwelveLabs from a public URL. */
  documentUrlMaxBytes: 512 * MB,
  /** Audio/video through `/assets/multipart-uploads`. */
  multipartMaxBytes: 10 * GB,
  /** Presigned URLs asked for in one call. */
  presignedUrlBatchMax: 50,
  /** Page size ceiling of every list route. */
  pageLimitMax: 50,
  /** Video frame size accepted by the models: 360x360 up to 5184x2160. */
  videoMinWidth: 360,
  videoMinHeight: 360,
  videoMaxWidth: 5184,
  videoMaxHeight: 2160,
  /** Widest aspect ratio either way (2.4:1 and 1:2.4). */
  maxAspectRatio: 2.4,
  /** Shortest video or audio the models accept, in seconds. */
  minDurationSeconds: 4,
  /** Longest video or audio Marengo takes (4 hours); Pegasus stops earlier, see below. */
  maxDurationSeconds: 4 * 60 * 60,
  /** Longest video or audio Pegasus (analysis) takes. */
  pegasusMaxDurationSeconds: 2 * 60 * 60,
  /** Smallest image side the models accept. */
  imageMinSide: 128,
} as const;

export type Limits = { -readonly [K in keyof typeof LIMITS]: number };

/**
 * What the files are for decides which model's requirements they are checked against: TwelveLabs'
 * Assets API takes a file whatever its length or frame size, and each model applies its own.
 */
export type Purpose = 'search' | 'analysis' | 'embeddings' | 'entities';

/** What files are for, in the words rows and Settings use (Marengo serves all but analysis, Pegasus's). */
export const PURPOSES: Readonly<Record<Purpose, { readonly label: () => string; readonly choice: () => string }>> = {
  search: { label: m.purpose_search, choice: m.purpose_choice_search },
  analysis: { label: m.purpose_analysis, choice: m.purpose_choice_analysis },
  embeddings: { label: m.purpose_embeddings, choice: m.purpose_choice_embeddings },
  entities: { label: m.purpose_entities, choice: m.purpose_choice_entities },
};

/**
 * What the files are for, whether those its model cannot use are skipped or uploaded anyway, and
 * what becomes of a file TwelveLabs will not take as it is (see `shared/upload-copy.ts`).
 */
export interface FileUse {
  readonly for: Purpose;
  readonly skipUnusable: boolean;
  readonly copies: CopyPolicy;
}

export const DEFAULT_FILE_USE: FileUse = { for: 'search', skipUnusable: false, copies: 'skip' };

/** Audio containers the models accept. */
export const SUPPORTED_AUDIO_FORMATS = ['WAV', 'MP3', 'FLAC'] as const;

/** Documents by type, with the names they must end in: TwelveLabs refuses a name that does not match. */
export const DOCUMENT_TYPES: Readonly<
  Record<string, { readonly label: string; readonly extensions: readonly string[] }>
> = {
  'application/pdf': { label: 'PDF', extensions: ['.pdf'] },
  'text/plain': { label: 'text', extensions: ['.txt'] },
  'text/markdown': { label: 'Markdown', extensions: ['.md', '.markdown'] },
};

/** Image formats the models accept. */
export const SUPPORTED_IMAGE_FORMATS = ['JPEG', 'PNG'] as const;
