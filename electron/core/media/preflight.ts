import { availableParallelism } from 'node:os';
import { m } from '../../shared/i18n';
import { basename } from 'node:path';
import { DEFAULT_FILE_USE, LIMITS, type FileUse, type Limits } from '../../shared/limits';
import { planCopy } from './copy-plan';
import { mapLimited } from '../util/limiter';
import type { MediaKind, UploadStrategy } from '../../shared/uploads';
import { checkLink } from './link-check';
import type { NetworkRoutes } from '../network/routes';
import { hashFile } from './hash';
import { MediaThreads } from './media-threads';
import { Prober } from './probe';
import type { MediaFacts } from './facts';
import { lookAt, type Look } from './look';
import { documentFacts, judge, longestFor, type PreflightResult } from './rules';

/** A check's result as the engine takes it: a link's check also says the size its site gave. */
export type CheckResult = PreflightResult & { readonly size?: number };

/** What decides what a file is for: where it came from. */
export interface FileFor {
  readonly path: string;
  /** The watched folder it came from, which may have its own purpose. */
  readonly watchFolder?: string;
}

export interface PreflightOptions {
  readonly prober: Prober;
  /** Read live, so turning duplicate detection off applies to the next file. */
  readonly hashing: () => boolean;
  /** How a file is looked at (`lookAt`, here, with `prober`, unless given: in worker threads, say). */
  readonly look?: (path: string, signal?: AbortSignal) => Promise<Look>;
  /** How a file's SHA-256 is taken (`hashFile`, here, unless given: in worker threads, say). */
  readonly hash?: (path: string, signal?: AbortSignal) => Promise<string>;
  /**
   * What a file is for (read live, like `hashing`; a watched folder may say its own); search,
   * uploading what it cannot use, if not given.
   */
  readonly use?: (file: FileFor) => FileUse;
  /** The limits files are held to: TwelveLabs' own unless given (tests lower them). */
  readonly limits?: Limits;
}

/**
 * The whole check of one file before upload: sniff the real type, probe it, apply the rules, and
 * (for files that pass) hash the content for duplicate detection. The hash is the only step that
 * reads the whole file, and it runs last so refused files cost a few kilobytes.
 */
export class Preflight {
  readonly #options: PreflightOptions;

  constructor(options: PreflightOptions) {
    this.#options = options;
  }

  readonly #lookHere = (path: string): Promise<Look> => lookAt(path, (file) => this.#options.prober.probe(file));

  async check(file: FileFor & { readonly size: number }, signal?: AbortSignal): Promise<PreflightResult> {
    if (file.size === 0) {
      return {
        ok: false,
        kind: null,
        mime: 'application/octet-stream',
        facts: null,
        code: 'empty_file',
        message: m.check_empty_file(),
      };
    }
    const looked = await (this.#options.look ?? this.#lookHere)(file.path, signal);
    const { sniffed, complete: whole } = looked;
    const facts = sniffed.kind === 'document' ? documentFacts(sniffed.mime) : looked.facts;
    const kind = kindOf(sniffed.kind, facts);
    const complete = kind === 'image' ? (whole ?? true) : undefined;
    const use = this.#options.use?.(file) ?? DEFAULT_FILE_USE;
    const limits = this.#options.limits ?? LIMITS;
    const input = {
      kind,
      mime: sniffed.mime,
      size: file.size,
      facts,
      name: basename(file.path),
      ...(complete !== undefined && { complete }),
    };
    const verdict = judge(input, limits, use);
    const hash = () => (this.#options.hashing() ? (this.#options.hash ?? hashFile)(file.path, signal) : null);
    // What TwelveLabs will not take (or, with copies on, what its model cannot use) may be copied.
    const problem = verdict.ok ? (use.copies === 'copy' ? verdict.problem : undefined) : verdict.code;
    const copy =
      problem !== undefined && use.copies !== 'skip' && kind !== null && facts !== null
        ? planCopy({ kind, facts, size: file.size, code: problem, longest: longestFor(use, limits) }, limits)
        : null;
    if (copy && use.copies === 'copy' && kind !== null && facts !== null) {
      // The original's fingerprint: a copy made again of it, here or elsewhere, is known by it.
      return { ok: true, kind, mime: sniffed.mime, facts, warnings: [], sha256: await hash(), copy };
    }
    if (!verdict.ok || kind === null || facts === null) {
      const rejection = verdict.ok ? { code: 'unsupported_type', message: m.check_unreadable() } : verdict;
      return {
        ok: false,
        kind,
        mime: sniffed.mime,
        facts,
        code: rejection.code,
        message: rejection.message,
        ...(copy && { copy, sha256: await hash() }),
      };
    }
    return { ok: true, kind, mime: sniffed.mime, facts, warnings: verdict.warnings, sha256: await hash() };
  }
}

/**
 * The checks for the app and the CLI, files and links alike, with their own prober: `check` for
 * the engine, `close` to free the probers' memory at the end. Links to this computer or a private
 * network pass only while `allowPrivateLinks()` says so (the API is the local emulator).
 */
export function openPreflight(
  hashing: () => boolean,
  options: {
    readonly allowPrivateLinks?: () => boolean;
    readonly concurrency?: number;
    /** Threads that probe files; 0 probes them on this thread. One per core (four at most) by default. */
    readonly threads?: number;
    readonly use?: (file: FileFor) => FileUse;
    readonly limits?: Limits;
    /** Which way links are fetched for their check: the way every other request goes. */
    readonly routes?: NetworkRoutes;
  } = {},
) {
  const size = options.threads ?? Math.min(4, availableParallelism());
  const threads = size > 0 ? new MediaThreads(size) : null;
  // Links are probed here, by ranges; files in the threads.
  const prober = new Prober(options.concurrency ?? 4);
  const preflight = new Preflight({
    prober,
    hashing,
    hash: threads ? (path, signal) => threads.hash(path, signal) : hashFile,
    ...(threads && { look: (path: string, signal?: AbortSignal) => threads.look(path, signal) }),
    ...(options.use && { use: options.use }),
    ...(options.limits && { limits: options.limits }),
  });
  return {
    check: (
      target: FileFor & { readonly size: number; readonly strategy?: UploadStrategy },
      signal?: AbortSignal,
    ): Promise<CheckResult> =>
      target.strategy === 'url'
        ? checkLink(target.path, {
            prober,
            allowPrivate: options.allowPrivateLinks?.() ?? false,
            ...(options.use && { use: options.use(target) }),
            ...(signal && { signal }),
            ...(options.routes && { routes: options.routes }),
          })
        : preflight.check(target, signal),
    close: () => {
      prober.close();
      threads?.close();
    },
  };
}

/**
 * Checks many files, `concurrency` at a time, and returns the results in the files' order: the
 * CLI's --dry-run report and the preflight benchmark.
 */
export async function preflightAll<T extends { readonly path: string; readonly size: number }>(
  files: readonly T[],
  check: (file: T) => Promise<CheckResult>,
  concurrency = 4,
): Promise<CheckResult[]> {
  return mapLimited(files, concurrency, (file) => check(file));
}

/** The sniffed kind, corrected by what the probe saw: sound without picture is audio. */
function kindOf(sniffed: MediaKind | null, facts: MediaFacts | null): MediaKind | null {
  if (sniffed === 'video' && facts && !facts.hasVideo && facts.hasAudio) return 'audio';
  return sniffed;
}
