/**
 * Links people paste, drop or list in a file: found in text, one per line or per CSV cell,
 * normalised so the same link added twice is one row.
 */

/** What a piece of text held: web links to queue, and anything else that looked like a link. */
export interface FoundLinks {
  readonly links: readonly string[];
  /** Addresses that are not http(s) (`file:`, `ftp:`), kept so they get a row with the reason. */
  readonly other: readonly string[];
}

/** Longest text of links taken at once (a paste or a list file): about 10,000 long links. */
export const LINK_TEXT_MAX_CHARS = 5_000_000;

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** `https://Example.org/a.mp4#t=3` → `https://example.org/a.mp4`: the fragment never reaches a server. */
export function normaliseLink(text: string): string | null {
  if (!URL.canParse(text)) return null;
  const url = new URL(text);
  url.hash = '';
  return url.href;
}

export function isWebLink(text: string): boolean {
  return /^https?:\/\//i.test(text.trim());
}

/**
 * Every link in `text`: one per line, or per comma/semicolon/tab-separated cell (a CSV export),
 * with quotes and surrounding spaces removed. Lines starting with `#` are comments. Duplicates
 * are kept once, in the order first seen.
 */
export function findLinks(text: string): FoundLinks {
  const links = new Set<string>();
  const other = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    if (line.trim().startsWith('#')) continue;
    for (const cell of line.split(/[,;\t]/)) {
      const value = cell
        .trim()
        .replace(/^["']|["']$/g, '')
        .trim();
      if (!value || !SCHEME.test(value) || /\s/.test(value)) continue;
      if (isWebLink(value)) {
        const normal = normaliseLink(value);
        if (normal) links.add(normal);
      } else if (!/^(mailto|tel|javascript|data):/i.test(value)) {
        other.add(value);
      }
    }
  }
  return { links: [...links], other: [...other] };
}

/** "example.org/clips/a.mp4": the host and path, shown where a file would show its folder. */
export function linkRelativePath(link: string): string {
  const url = new URL(link);
  let path = url.pathname;
  try {
    path = decodeURIComponent(path);
  } catch {
    // keep the raw path
  }
  return `${url.host}${path}`.replace(/\/+$/, '');
}
