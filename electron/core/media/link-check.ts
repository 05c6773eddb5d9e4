import { createHash } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { basename, extname } from 'node:path';
import { Agent, getGlobalDispatcher, request, type Dispatcher } from 'undici';
import { LIMITS, type FileUse, type Limits } from '../../shared/limits';
import { linkRelativePath } from '../../shared/links';
import type { MediaKind } from '../../shared/uploads';
import type { PreflightResult } from './rules';
import { networkProblem } from '../network/diagnose';
import { shownProxy } from '../network/proxy';
import type { NetworkRoutes } from '../network/routes';
import type { Prober } from './probe';
import { documentFacts, judge, judgeSize, notMedia, type Rejection } from './rules';
import { sniffBytes } from './sniff';
import { formatNumber, m } from '../../shared/i18n';

/** What checking a link found: the same verdict as for a file, plus the size the site gave. */
export type LinkCheckResult = PreflightResult & {
  /** From Content-Length or Content-Range; 0 when the site did not say. */
  readonly size: number;
};

export interface LinkCheckOptions {
  readonly prober: Prober;
  /**
   * Whether links to this computer or a private network may be used: only when the API itself is
   * on this computer (the local emulator), since TwelveLabs could never reach them.
   */
  readonly allowPrivate: boolean;
  /** What the files are for: which model's requirements warn (or refuse). */
  readonly use?: FileUse;
  readonly signal?: AbortSignal;
  readonly dispatcher?: Dispatcher;
  /** The name lookup (the system's unless given): every address it answers is checked. */
  readonly resolve?: Resolve;
  /**
   * Which addresses are refused: this computer and private networks (`isPrivateAddress`) unless
   * given. Tests stand a loopback address in for a public one with it, as nothing public is reachable.
   */
  readonly isBlocked?: (address: string) => boolean;
  /** Longest wait for one answer from the site. */
  readonly timeoutMs?: number;
  /**
   * Which way this computer's requests go (Settings → Network, the system's proxy): a link is
   * checked the way every other request goes. Without it, or for a link routed direct, straight out.
   */
  readonly routes?: NetworkRoutes;
}

/**
 * What a link is known by for duplicate detection, in place of a content hash (the content would
 * have to be downloaded to be hashed): the SHA-256 of its normalised address, marked as a link's.
 */
export function linkIdentity(link: string): string {
  return `link:${createHash('sha256').update(link).digest('hex')}`;
}

/** Redirects followed before the link is refused: enough for a share page and a CDN hop. */
export const MAX_REDIRECTS = 5;

/** The first bytes read to tell the type; also the smallest ranged read the probe makes. */
const FIRST_BYTES = 64 * 1024;
const READ_AHEAD_BYTES = 512 * 1024;

/** TwelveLabs fetches links itself: audio and video up to the URL limit, images as for files. */
const URL_LIMITS: Limits = {
  ...LIMITS,
  multipartMaxBytes: LIMITS.urlMediaMaxBytes,
  documentMaxBytes: LIMITS.documentUrlMaxBytes,
};

/**
 * Addresses TwelveLabs' servers cannot fetch from, and this app never asks: this computer, private,
 * shared and link-local networks, multicast and reserved space, and the IPv6 forms that carry an
 * IPv4 address inside them (NAT64, 6to4, IPv4-compatible, Teredo), which could smuggle any of these.
 */
const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 96],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv6');
}

/** Every address a host name has, or a rejection when it has none. */
export type Resolve = (host: string) => Promise<readonly string[]>;

const systemResolve: Resolve = async (host) => (await lookup(host, { all: true })).map((entry) => entry.address);

/**
 * A connection-time lookup that checks every address it answers and hands only those to the
 * connection: the address checked is the address connected to, for every hop and every ranged
 * read, so a name that answers "public" once and "127.0.0.1" the next time (DNS rebinding) is
 * refused, and a lookup that fails refuses the link rather than letting something else resolve it.
 */
function pinnedLookup(resolve: Resolve, isBlocked: (address: string) => boolean): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        if (addresses.length === 0 || addresses.some(isBlocked)) {
          callback(Object.assign(new Error(m.link_private()), { code: 'LINK_PRIVATE' }), '', 4);
          return;
        }
        const found = addresses.map((address) => ({ address, family: isIP(address) }));
        if (options.all) callback(null, found);
        else callback(null, found[0]!.address, found[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 4),
    );
  };
}

export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare)?.[1];
  if (mapped) return PRIVATE.check(mapped, 'ipv4');
  const family = isIP(bare);
  if (family === 0) return false;
  return PRIVATE.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

class Refused extends Error {
  constructor(readonly rejection: Rejection) {
    super(rejection.message);
  }
}

const refuse = (code: string, message: string) => new Refused({ code, message });

/**
 * This computer's network stands between it and the link (a proxy's policy or login, a company's
 * TLS inspection, a name only the proxy knows): nothing is known about the link itself, and
 * TwelveLabs fetches it from its own network, so the person may go on.
 */
class Unchecked extends Error {}

/** What a link that could not be checked from here is taken for, by its name alone. */
const KIND_BY_EXTENSION: Readonly<Record<string, MediaKind>> = {
  ...Object.fromEntries(['.mp4', '.m4v', '.mov', '.mkv', '.webm', '.avi', '.mxf', '.ts'].map((ext) => [ext, 'video'])),
  ...Object.fromEntries(['.mp3', '.wav', '.flac', '.m4a', '.aac', '.ogg', '.opus'].map((ext) => [ext, 'audio'])),
  ...Object.fromEntries(
    ['.jpg', '.jpeg', '.png', '.webp', '.gif', '.heic', '.tif', '.tiff'].map((ext) => [ext, 'image']),
  ),
  ...Object.fromEntries(['.pdf', '.txt', '.md', '.docx'].map((ext) => [ext, 'document'])),
};

/** Why an address is no web link TwelveLabs could fetch, or null when it is http(s). */
export function schemeProblem(address: string): Rejection | null {
  if (!URL.canParse(address)) {
    return {
      code: 'link_invalid',
      message: m.link_incomplete(),
    };
  }
  const { protocol } = new URL(address);
  if (protocol === 'file:') {
    return {
      code: 'link_not_web',
      message: m.link_local_file(),
    };
  }
  if (protocol !== 'https:' && protocol !== 'http:') {
    return {
      code: 'link_not_web',
      message: m.link_protocol({ protocol }),
    };
  }
  return null;
}

/**
 * Refuses what TwelveLabs cannot fetch before asking it anything: not http(s), or a host that
 * names this computer or a private network outright. Names are checked when they are connected to
 * (see `pinnedLookup`).
 */
function checkAddress(url: URL, allowPrivate: boolean, isBlocked: (address: string) => boolean): void {
  const problem = schemeProblem(url.href);
  if (problem) throw new Refused(problem);
  if (allowPrivate) return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) !== 0 && isBlocked(host))) {
    throw refuse('link_private', m.link_private());
  }
}

function header(headers: Dispatcher.ResponseData['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The words for a site's refusal, by status. */
function refusalFor(status: number, host: string): Refused {
  if (status === 401 || status === 403) {
    return refuse('link_login', m.link_login({ host, status: String(status) }));
  }
  if (status === 404 || status === 410) {
    return refuse('link_gone', m.link_gone({ host, status: String(status) }));
  }
  return refuse('link_unreachable', m.link_unavailable({ host, status: String(status) }));
}

interface Answer {
  readonly status: number;
  readonly headers: Dispatcher.ResponseData['headers'];
  /** The first bytes of the range asked for (empty when the site refused). */
  readonly bytes: Buffer;
}

/**
 * Checks a link the way TwelveLabs will fetch it, before anything is created: it answers (one
 * ranged GET of its first bytes), redirects within a limit, the size the site gives, the type
 * from the first bytes, and, where the site allows ranged reads, the same probe and rules as a file.
 */
export async function checkLink(link: string, options: LinkCheckOptions): Promise<LinkCheckResult> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  // Every connection of this check resolves through the checked lookup (none needed where the API
  // itself is on this computer and local links are allowed).
  const pinned =
    options.dispatcher || options.allowPrivate
      ? null
      : new Agent({
          connect: { lookup: pinnedLookup(options.resolve ?? systemResolve, options.isBlocked ?? isPrivateAddress) },
        });
  const dispatcher = options.dispatcher ?? pinned ?? undefined;
  try {
    return await checkWith(link, options, timeoutMs, dispatcher);
  } finally {
    await pinned?.close();
  }
}

async function checkWith(
  link: string,
  options: LinkCheckOptions,
  timeoutMs: number,
  dispatcher: Dispatcher | undefined,
): Promise<LinkCheckResult> {
  /** One ranged GET: the status, the headers and the first bytes in one request. */
  const send = async (url: URL, range: [number, number]): Promise<Answer> => {
    const signal = options.signal
      ? AbortSignal.any([options.signal, AbortSignal.timeout(timeoutMs)])
      : AbortSignal.timeout(timeoutMs);
    let response: Dispatcher.ResponseData;
    // Through the proxy when this computer's requests go that way; the proxy then connects, so the
    // name is looked up and checked here first, as the direct route's pinned lookup does.
    const proxy = options.dispatcher || options.allowPrivate ? null : ((await options.routes?.proxyOf(url)) ?? null);
    if (proxy) await checkNameFromHere(url, options.resolve ?? systemResolve, options.isBlocked ?? isPrivateAddress);
    // Routes without a dispatcher of their own (HTTPS_PROXY) set the process's default one.
    const through = proxy ? ((await options.routes!.dispatcherFor(url)) ?? getGlobalDispatcher()) : dispatcher;
    try {
      response = await request(url, {
        method: 'GET',
        headers: { 'user-agent': 'TwelveLabs-Uploader', range: `bytes=${range[0]}-${range[1]}` },
        signal,
        ...(through && { dispatcher: through }),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      if (connectionCode(error) === 'LINK_PRIVATE') throw refuse('link_private', m.link_private());
      const problem = networkProblem(error, url, 'api', shownProxy(proxy));
      if (problem?.code === 'certificate') {
        throw new Unchecked(m.link_why_certificate({ host: url.host }));
      }
      if (problem && proxy && problem.code !== 'name-not-found' && problem.code !== 'route-refused') {
        throw new Unchecked(
          problem.code === 'proxy-login'
            ? m.link_why_proxy_login({ proxy: problem.by ?? '' })
            : problem.code === 'proxy-refused'
              ? m.link_why_proxy_refused({ proxy: problem.by ?? '', host: url.host })
              : m.link_why_proxy_silent({ proxy: problem.by ?? '' }),
        );
      }
      throw refuse('link_unreachable', m.link_unreachable({ host: url.host, reason: (error as Error).message }));
    }
    const wanted = range[1] - range[0] + 1;
    const bytes = response.statusCode < 300 ? await readAtMost(response.body, wanted) : Buffer.alloc(0);
    if (response.statusCode >= 300 || bytes.length < wanted) await response.body.dump().catch(() => undefined);
    return { status: response.statusCode, headers: response.headers, bytes };
  };

  /** Follows redirects by hand, so every hop's address is checked like the first. */
  const follow = async (range: [number, number]): Promise<{ url: URL; answer: Answer }> => {
    let url = new URL(link);
    for (let hop = 0; ; hop += 1) {
      checkAddress(url, options.allowPrivate, options.isBlocked ?? isPrivateAddress);
      const answer = await send(url, range);
      const location = header(answer.headers, 'location');
      if (answer.status < 300 || answer.status >= 400 || !location) return { url, answer };
      if (hop >= MAX_REDIRECTS) {
        throw refuse('link_too_many_redirects', m.link_redirects({ n: formatNumber(MAX_REDIRECTS) }));
      }
      url = new URL(location, url);
    }
  };

  try {
    // A ranged GET rather than a HEAD first: the first bytes are needed anyway (the type is read
    // from them), it answers status and size too, and some hosts (signed storage links among
    // them) refuse HEAD altogether. One request, one walk through the redirects.
    const sample = await follow([0, FIRST_BYTES - 1]);
    if (sample.answer.status >= 400) throw refusalFor(sample.answer.status, sample.url.host);
    const { url } = sample;
    const type = (header(sample.answer.headers, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const ranged = sample.answer.status === 206;
    const total = ranged
      ? Number(/\/(\d+)\s*$/.exec(header(sample.answer.headers, 'content-range') ?? '')?.[1] ?? NaN)
      : Number(header(sample.answer.headers, 'content-length') ?? NaN);
    const size = Number.isFinite(total) ? total : 0;
    // The name the asset gets: the link's own last part, as its queue row shows it.
    const name = basename(linkRelativePath(link));
    const sniffed = sniffBytes(sample.answer.bytes.subarray(0, 64), name);
    if (sniffed.kind === null) {
      if (
        type === 'text/html' ||
        type === 'application/xhtml+xml' ||
        /^\s*<(!doctype|html)/i.test(sample.answer.bytes.toString('latin1', 0, 256))
      ) {
        throw refuse('link_web_page', m.link_web_page());
      }
      return {
        ok: false,
        kind: null,
        mime: sniffed.mime,
        facts: null,
        size,
        code: 'unsupported_type',
        message: m.link_check_it({ problem: notMedia(sniffed.mime) }),
      };
    }
    const kind: MediaKind = sniffed.kind;
    // Too large by what the site says: refused before a probe reads any more of it.
    const tooLarge = judgeSize(kind, size, URL_LIMITS);
    if (tooLarge) return { kind, mime: sniffed.mime, facts: null, size, ...tooLarge };
    // A document needs no probe: its type and size are all that is checked here.
    if (kind === 'document') {
      const facts = documentFacts(sniffed.mime);
      const verdict = judge({ kind, mime: sniffed.mime, size, facts, name }, URL_LIMITS);
      return verdict.ok
        ? { ok: true, kind, mime: sniffed.mime, facts, size, warnings: verdict.warnings, sha256: null }
        : { ok: false, kind, mime: sniffed.mime, facts, size, code: verdict.code, message: verdict.message };
    }
    if (!ranged || size === 0) {
      // Without ranged reads the file cannot be probed without downloading all of it.
      return {
        ok: true,
        kind,
        mime: sniffed.mime,
        facts: null,
        size,
        warnings: [m.link_no_partial({ host: url.host })],
        sha256: null,
      };
    }
    const facts = await options.prober.probeSource(size, rangeReader(url, sample.answer.bytes, send));
    const probedKind = kind === 'video' && facts && !facts.hasVideo && facts.hasAudio ? 'audio' : kind;
    const verdict = judge({ kind: probedKind, mime: sniffed.mime, size, facts }, URL_LIMITS, options.use);
    if (!verdict.ok)
      return {
        ok: false,
        kind: probedKind,
        mime: sniffed.mime,
        facts,
        size,
        code: verdict.code,
        message: verdict.message,
      };
    return { ok: true, kind: probedKind, mime: sniffed.mime, facts, size, warnings: verdict.warnings, sha256: null };
  } catch (error) {
    if (error instanceof Unchecked) {
      const name = basename(linkRelativePath(link));
      return {
        ok: true,
        kind: KIND_BY_EXTENSION[extname(name).toLowerCase()] ?? 'video',
        mime: 'application/octet-stream',
        facts: null,
        size: 0,
        warnings: [m.link_unchecked({ reason: error.message })],
        sha256: null,
      };
    }
    if (!(error instanceof Refused)) throw error;
    return { ok: false, kind: null, mime: 'application/octet-stream', facts: null, size: 0, ...error.rejection };
  }
}

/**
 * The check the pinned lookup makes, for a link reached through a proxy: every address the name
 * has here must be public. A name this computer cannot look up (only the proxy can) is no reason
 * to refuse: the link is not fetched from here at all then, and TwelveLabs fetches it from outside.
 */
async function checkNameFromHere(url: URL, resolve: Resolve, isBlocked: (address: string) => boolean): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) return; // checked by `checkAddress`
  const addresses = await resolve(host).catch(() => null);
  if (addresses === null) throw new Unchecked(m.link_why_proxy_name({ host: url.hostname }));
  if (addresses.length === 0 || addresses.some(isBlocked)) throw refuse('link_private', m.link_private());
}

/** Reads at most `limit` bytes of a body, then stops (a server that ignores Range sends it all). */
async function readAtMost(body: Dispatcher.ResponseData['body'], limit: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let length = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    parts.push(chunk);
    length += chunk.length;
    if (length >= limit) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(parts).subarray(0, limit);
}

/**
 * The probe's reads as ranged GETs of at least half a megabyte, kept one block at a time, so
 * MediaInfo's many small reads cost few requests (and the probe's own budget bounds the total).
 */
function rangeReader(
  url: URL,
  head: Buffer,
  send: (url: URL, range: [number, number]) => Promise<Answer>,
): (length: number, offset: number) => Promise<Uint8Array> {
  let block = { offset: 0, bytes: head };
  return async (length, offset) => {
    const inBlock = offset >= block.offset && offset + length <= block.offset + block.bytes.length;
    if (!inBlock) {
      const answer = await send(url, [offset, offset + Math.max(length, READ_AHEAD_BYTES) - 1]);
      if (answer.status !== 206) return new Uint8Array(0);
      block = { offset, bytes: answer.bytes };
    }
    const start = offset - block.offset;
    return block.bytes.subarray(start, start + length);
  };
}

/** The code of the error under a failed request (undici wraps the connection's own). */
function connectionCode(error: unknown): string | undefined {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'LINK_PRIVATE') return code;
  }
  return undefined;
}
