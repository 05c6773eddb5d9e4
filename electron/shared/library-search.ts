import type { UserMetadata } from './metadata';
import { m } from './i18n';

/**
 * The Library's search language, read the same way by the local copy's SQL and by the window
 * patching a list it shows:
 *
 * - words: each must be in the name or a metadata value (`apollo day2`); `"two words"` together
 * - `key:value`: the field holds the value (`project:apollo`); `key=value`: it is exactly that
 * - `key>3`, `key<3`, `key>=3`, `key<=3`: a number field compared (`rating>3`)
 * - `key:` alone: the asset has that field at all
 * - `-` before any of these leaves out what it matches (`-draft`, `-project:apollo`)
 * - `name:`, `type:` and `status:` look at the file name, the kind (video, audio, image,
 *   document) and the status (ready, processing, failed) instead of metadata
 *
 * Field names and values ignore case. Text that fits none of these is searched for as it is.
 */
export type Comparison = ':' | '=' | '>' | '<' | '>=' | '<=';

export type SearchTerm =
  | { readonly kind: 'text'; readonly value: string; readonly negate: boolean }
  | {
      readonly kind: 'field';
      /** Lower-cased; `name`, `type` and `status` are the asset's own, any other a metadata key. */
      readonly field: string;
      readonly op: Comparison;
      /** Lower-cased text, or for `>` and the like, the number as written. */
      readonly value: string;
      readonly negate: boolean;
    };

// A run of characters and quoted parts: `project:"Day 2"` is one term.
const TOKEN = /(?:[^\s"]+|"[^"]*(?:"|$))+/g;
// A field, its comparison, and the rest. Longest comparisons first, so `>=` is not `>` then `=3`.
const FIELD = /^([^:=<>"]+)(>=|<=|:|=|>|<)(.*)$/s;

const unquote = (text: string): string => text.replaceAll('"', '');

const YES_NO: Readonly<Record<string, 'true' | 'false'>> = { yes: 'true', y: 'true', no: 'false', n: 'false' };

/**
 * What to try instead when a search found nothing and was written the way people often write
 * one: a field with spaces around its sign (`project = apollo`), or yes/no for a field that holds
 * true or false (`approved:yes`). Null when the search reads as meant.
 */
export function searchHint(text: string): string | null {
  const spaced = /(?:^|\s)(-?[^\s:=<>"]+)\s+(>=|<=|:|=|>|<)\s+(\S+)/.exec(text);
  if (spaced) {
    return m.search_hint_spaces({ example: `${spaced[1]}${spaced[2]}${spaced[3]}` });
  }
  for (const term of parseSearch(text)) {
    const bool = term.kind === 'field' ? YES_NO[term.value] : undefined;
    if (term.kind === 'field' && bool) {
      return m.search_hint_boolean({ example: `${term.negate ? '-' : ''}${term.field}${term.op}${bool}` });
    }
  }
  return null;
}

export function parseSearch(text: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  for (const [token] of foldForSearch(text).matchAll(TOKEN)) {
    const negate = token.length > 1 && token.startsWith('-');
    const body = negate ? token.slice(1) : token;
    const field = FIELD.exec(body);
    const op = field?.[2] as Comparison | undefined;
    const numeric = op === '>' || op === '<' || op === '>=' || op === '<=';
    if (field && op && (!numeric || (Number.isFinite(Number(unquote(field[3]!))) && field[3]!.trim() !== ''))) {
      const value = unquote(field[3]!);
      terms.push({
        kind: 'field',
        field: field[1]!,
        op,
        value,
        negate,
      });
      continue;
    }
    const value = unquote(body);
    if (value !== '') terms.push({ kind: 'text', value, negate });
  }
  return terms;
}

/**
 * What field terms look in, lower-cased, as the local copy stores it beside each asset: the name,
 * every metadata value as text by lower-cased key, and the number values again as numbers. When
 * two keys differ only in case, the first one listed is the one searched.
 */
export interface SearchFields {
  readonly n: string;
  readonly m: Readonly<Record<string, string>>;
  readonly v: Readonly<Record<string, number>>;
}

export function searchFields(asset: { readonly filename: string; readonly metadata: UserMetadata }): SearchFields {
  const m: Record<string, string> = {};
  const v: Record<string, number> = {};
  for (const [key, value] of Object.entries(asset.metadata)) {
    const lower = foldForSearch(key);
    if (Object.hasOwn(m, lower)) continue;
    m[lower] = foldForSearch(String(value));
    if (typeof value === 'number') v[lower] = value;
  }
  return { n: foldForSearch(asset.filename), m, v };
}

/**
 * Text as search compares it: one form for one word however it was typed or stored (macOS names
 * files with decomposed Hangul and accents, "한" as ᄒ+ᅡ+ᆫ; a keyboard types them composed), and
 * lower case. What is shown stays as it came.
 */
export function foldForSearch(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

export interface Searchable {
  /** The name and metadata values, lower-cased (see `searchText`). */
  readonly text: string;
  readonly fields: SearchFields;
  readonly kind: string;
  readonly status: string;
}

function fieldMatches(term: Extract<SearchTerm, { kind: 'field' }>, asset: Searchable): boolean {
  const { field, op, value } = term;
  if (field === 'name') return op === '=' ? asset.fields.n === value : asset.fields.n.includes(value);
  if (field === 'type' || field === 'status') {
    const own = field === 'type' ? asset.kind : asset.status;
    return op === ':' || op === '=' ? own === value : false;
  }
  if (op === ':' || op === '=') {
    const text = asset.fields.m[field];
    if (text === undefined) return false;
    return op === '=' ? text === value : text.includes(value);
  }
  const number = asset.fields.v[field];
  if (number === undefined) return false;
  const against = Number(value);
  return op === '>'
    ? number > against
    : op === '<'
      ? number < against
      : op === '>='
        ? number >= against
        : number <= against;
}

/** Whether an asset matches every term. */
export function matchesSearch(terms: readonly SearchTerm[], asset: Searchable): boolean {
  return terms.every((term) => {
    const hit = term.kind === 'text' ? asset.text.includes(term.value) : fieldMatches(term, asset);
    return hit !== term.negate;
  });
}

/**
 * The same terms as an SQL condition over the local copy's `search` (text), `fields` (JSON of
 * `SearchFields`), `kind` and `status` columns. Every part is 0 or 1, never NULL, so `NOT` leaves
 * out exactly what the term matches (an asset without the field included).
 */
export function searchSql(terms: readonly SearchTerm[]): { where: string[]; params: (string | number)[] } {
  const where: string[] = [];
  const params: (string | number)[] = [];
  for (const term of terms) {
    let clause: string;
    if (term.kind === 'text') {
      // instr, not LIKE: a % or _ typed by a person is just a character.
      clause = 'instr(search, ?) > 0';
      params.push(term.value);
    } else if (term.field === 'name') {
      clause = term.op === '=' ? "json_extract(fields, '$.n') = ?" : "instr(json_extract(fields, '$.n'), ?) > 0";
      params.push(term.value);
    } else if (term.field === 'type' || term.field === 'status') {
      clause = term.op === ':' || term.op === '=' ? `${term.field === 'type' ? 'kind' : 'status'} = ?` : '0';
      if (clause !== '0') params.push(term.value);
    } else if (term.op === ':' || term.op === '=') {
      // The key travels as a parameter inside a quoted path; the search language has no `"` in a key.
      clause =
        term.op === '=' ? 'IFNULL(json_extract(fields, ?) = ?, 0)' : 'IFNULL(instr(json_extract(fields, ?), ?) > 0, 0)';
      params.push(`$.m."${term.field}"`, term.value);
    } else {
      clause = `IFNULL(json_extract(fields, ?) ${term.op} ?, 0)`;
      params.push(`$.v."${term.field}"`, Number(term.value));
    }
    where.push(term.negate ? `NOT (${clause})` : `(${clause})`);
  }
  return { where, params };
}
