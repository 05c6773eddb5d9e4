import { fail, ok, type Result } from './result';
import { formatNumber, m } from './i18n';
import { folderOf, nameOf } from './paths';

/** The user metadata key an uploaded file's content hash travels under, so any machine can match it. */
export const CONTENT_HASH_KEY = 'content_sha256';

/** The metadata keys an upload copy's asset carries, naming its original and how it was made. */
export const COPY_METADATA = {
  /** The original's file name. */
  of: 'upload_copy_of',
  /** Where the original is, on the machine that made the copy. */
  path: 'upload_copy_of_path',
  /** How long the original plays, in seconds. */
  duration: 'upload_copy_of_duration',
  /** The original's size in bytes. */
  size: 'upload_copy_of_size',
  /** What the original is ("ProRes, 3840×2160"). */
  format: 'upload_copy_of_format',
  /** What the copy is ("H.264 MP4, 1920×1080"). */
  recipe: 'upload_copy_recipe',
  /** Which part of a split programme the copy is ("1/3"). */
  part: 'upload_copy_part',
  /** Where the part starts and ends in the original, in seconds. */
  partStart: 'upload_copy_part_start',
  partEnd: 'upload_copy_part_end',
} as const;

/** Keys the app writes itself: a template or a person may not set them. */
export const RESERVED_KEYS: readonly string[] = [CONTENT_HASH_KEY, ...Object.values(COPY_METADATA)];

/** The value types TwelveLabs accepts in `user_metadata`. */
export type MetadataValue = string | number | boolean;
export type UserMetadata = Readonly<Record<string, MetadataValue>>;

/** How a field's text is read: the API's string, integer, float and boolean. */
export type MetadataType = 'text' | 'integer' | 'number' | 'boolean';

export const METADATA_TYPES: Readonly<Record<MetadataType, () => string>> = {
  text: m.meta_type_text,
  integer: m.meta_type_integer,
  number: m.meta_type_number,
  boolean: m.meta_type_boolean,
};

/** One row of a batch's metadata template: a key and a value that may contain tokens. */
export interface TemplateField {
  readonly key: string;
  readonly value: string;
  readonly type: MetadataType;
}

/** Tokens a template value may use, resolved per file, with what each becomes. */
export const TEMPLATE_TOKENS = {
  folder: m.token_folder,
  path: m.token_path,
  name: m.token_name,
  ext: m.token_ext,
  date: m.token_date,
  host: m.token_host,
} as const;

export type TemplateToken = keyof typeof TEMPLATE_TOKENS;

/** What a template is resolved against. */
export interface TemplateFile {
  /** "Day 2/A-cam/clip.mov", from the folder that was added. */
  readonly relativePath: string;
  readonly addedAt: number;
  /** For a link: its host; `relativePath` is then the host followed by the link's path. */
  readonly host?: string;
}

const TOKEN = /\{(\w+)\}/g;
const MAX_KEY_LENGTH = 64;

/** Reads a field's text as its type, or says why it cannot be. */
export function parseMetadataValue(type: MetadataType, text: string, key: string): Result<MetadataValue> {
  const trimmed = text.trim();
  switch (type) {
    case 'text':
      return ok(text);
    case 'integer':
      return /^[-+]?\d+$/.test(trimmed) && Number.isSafeInteger(Number(trimmed))
        ? ok(Number(trimmed))
        : fail('metadata_type', m.meta_needs_integer({ key, text }));
    case 'number':
      return trimmed !== '' && Number.isFinite(Number(trimmed))
        ? ok(Number(trimmed))
        : fail('metadata_type', m.meta_needs_number({ key, text }));
    case 'boolean': {
      const lower = trimmed.toLowerCase();
      if (['true', 'yes', '1'].includes(lower)) return ok(true);
      if (['false', 'no', '0'].includes(lower)) return ok(false);
      return fail('metadata_type', m.meta_needs_boolean({ key, text }));
    }
  }
}

/** Why a key cannot be used, or null when it can. */
export function metadataKeyProblem(key: string, reserved: readonly string[] = []): string | null {
  if (key.trim() === '') return m.meta_key_empty();
  if (key !== key.trim()) return m.meta_key_spaces({ key });
  if (key.length > MAX_KEY_LENGTH) return m.meta_key_long({ key: key.slice(0, 20), max: formatNumber(MAX_KEY_LENGTH) });
  if (reserved.includes(key)) return m.meta_key_reserved({ key });
  return null;
}

/**
 * Problems with rows of metadata fields, found before anything is sent: names, repeated names,
 * values that do not fit their type. With `tokens` (a template) a value may hold tokens, checked
 * against the known ones and typed per file later; without (an asset's own values) every value is
 * literal, and an empty text value is a problem because TwelveLabs would ignore it.
 */
export function fieldProblems(
  fields: readonly TemplateField[],
  options: { readonly reserved?: readonly string[]; readonly tokens?: boolean } = {},
): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const field of fields) {
    const keyProblem = metadataKeyProblem(field.key, options.reserved);
    if (keyProblem) problems.push(keyProblem);
    else if (seen.has(field.key)) problems.push(m.meta_key_twice({ key: field.key }));
    seen.add(field.key);
    const tokens = options.tokens ? [...field.value.matchAll(TOKEN)].map(([, token]) => token!) : [];
    for (const token of tokens) {
      if (!(token in TEMPLATE_TOKENS)) problems.push(m.meta_unknown_token({ token: `{${token}}`, key: field.key }));
    }
    if (tokens.length > 0) continue;
    if (!options.tokens && field.type === 'text' && field.value === '') {
      problems.push(m.meta_give_value({ key: field.key }));
    }
    const parsed = parseMetadataValue(field.type, field.value, field.key);
    if (!parsed.ok) problems.push(parsed.message);
  }
  return problems;
}

/** Problems with a batch template itself, found before any file is added. */
export function templateProblems(template: readonly TemplateField[], reserved: readonly string[] = []): string[] {
  return fieldProblems(template, { reserved, tokens: true });
}

function tokenValues(file: TemplateFile): Record<TemplateToken, string> {
  const fileName = nameOf(file.relativePath);
  const dot = fileName.lastIndexOf('.');
  const added = new Date(file.addedAt);
  const pad = (n: number) => String(n).padStart(2, '0');
  const host = file.host ?? '';
  return {
    // The folder the file is in, by its own name ("A-cam" of "Day 2/A-cam/clip.mp4").
    folder: nameOf(folderOf(file.relativePath)),
    path: host && file.relativePath.startsWith(host) ? file.relativePath.slice(host.length) : file.relativePath,
    host,
    name: dot > 0 ? fileName.slice(0, dot) : fileName,
    ext: dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '',
    date: `${added.getFullYear()}-${pad(added.getMonth() + 1)}-${pad(added.getDate())}`,
  };
}

/**
 * A template resolved for one file into typed `user_metadata`. A field whose value comes out
 * empty is left out (the API ignores empty strings anyway); a value that does not fit its type is
 * an error naming the field and the file's own value.
 */
export function resolveTemplate(template: readonly TemplateField[], file: TemplateFile): Result<UserMetadata> {
  const values = tokenValues(file);
  const metadata: Record<string, MetadataValue> = {};
  for (const field of template) {
    const text = field.value.replace(TOKEN, (whole, token: string) =>
      token in TEMPLATE_TOKENS ? values[token as TemplateToken] : whole,
    );
    if (text === '') continue;
    const parsed = parseMetadataValue(field.type, text, field.key);
    if (!parsed.ok) return fail('metadata_invalid', m.meta_fix_template({ problem: parsed.message }));
    metadata[field.key] = parsed.value;
  }
  return ok(metadata);
}
