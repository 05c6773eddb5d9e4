import { request as httpRequest } from 'node:http';
import tls from 'node:tls';
import type { NetworkProblem } from '../../shared/network';

/** What Node calls a certificate it will not trust (OpenSSL's verify results, and a wrong name). */
const CERTIFICATE_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** The errors of a failed request, outermost first (undici wraps the socket's in `cause`). */
function chain(error: unknown): { code?: string; message?: string }[] {
  const found: { code?: string; message?: string }[] = [];
  for (let at = error; at && typeof at === 'object' && found.length < 5; at = (at as { cause?: unknown }).cause) {
    found.push(at as { code?: string; message?: string });
  }
  return found;
}

/**
 * Why a request to `url` failed when the network is there but something stands in the way (see
 * `NetworkProblem`), or null for a plain loss of connection, which waits as "offline". `proxy` is
 * the proxy the request went through ("proxy.corp:8080"), if any: then a refused or unknown
 * address is the proxy's, since the request never left for the host itself.
 */
export function networkProblem(
  error: unknown,
  url: URL,
  hop: NetworkProblem['hop'],
  proxy: string | null,
): NetworkProblem | null {
  const base = { host: url.host, hop, ...(proxy && { by: proxy }) };
  for (const { code, message } of chain(error)) {
    const status = /Proxy response \((\d{3})\)/.exec(message ?? '')?.[1];
    if (status === '407') return { ...base, code: 'proxy-login' };
    if (status === '403') return { ...base, code: 'proxy-refused' };
    if (code && CERTIFICATE_CODES.has(code)) return { host: url.host, hop, code: 'certificate' };
    if (code === 'ENOTFOUND')
      return proxy ? { ...base, code: 'proxy-unreachable' } : { ...base, code: 'name-not-found' };
    if (code === 'ECONNREFUSED')
      return proxy ? { ...base, code: 'proxy-unreachable' } : { ...base, code: 'route-refused' };
  }
  return null;
}

/**
 * Who issued the certificate `url`'s host presents here (the company's inspecting root, typically),
 * for words only: the connection is made with checking off to read it, sends nothing, and is
 * closed at once; no request ever goes over such a connection. Through `proxy` (a URL, with its
 * login if it has one) when requests go that way. Null when it cannot be read within `timeoutMs`.
 */
export async function presentedIssuer(url: URL, proxy: URL | null, timeoutMs = 5000): Promise<string | null> {
  const port = Number(url.port || 443);
  const socket = proxy ? await tunnel(proxy, `${url.hostname}:${port}`, timeoutMs).catch(() => null) : undefined;
  if (socket === null) return null;
  return new Promise((resolve) => {
    const connection = tls.connect({
      host: url.hostname,
      port,
      servername: url.hostname,
      ...(socket && { socket }),
      // Read only, never used: see above.
      rejectUnauthorized: false,
    });
    const done = (issuer: string | null) => {
      clearTimeout(timer);
      connection.destroy();
      socket?.destroy();
      resolve(issuer);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    connection.once('secureConnect', () => {
      let certificate = connection.getPeerCertificate(true);
      // The chain's last link is the root that signed it all.
      while (certificate.issuerCertificate && certificate.issuerCertificate !== certificate) {
        certificate = certificate.issuerCertificate;
      }
      const issuer = certificate.issuer;
      done((Array.isArray(issuer?.CN) ? issuer.CN[0] : issuer?.CN) ?? issuer?.O?.toString() ?? null);
    });
    connection.once('error', () => done(null));
  });
}

/** What a proxy that refused a tunnel says of itself (see `proxyAnswer`). */
export interface ProxyAnswer {
  /** Its own name, from its Server header or the name in its Via header ("Zscaler", "corp-proxy"). */
  readonly software: string | null;
  /** The login it asks for, from Proxy-Authenticate: Basic, or a Windows login (NTLM, Negotiate). */
  readonly login: 'basic' | 'windows' | null;
}

/**
 * What a proxy that refused says of itself, for words: asked with one CONNECT, which sends nothing
 * of ours. Nothing is known when it lets the tunnel through or does not answer within `timeoutMs`.
 */
export async function proxyAnswer(proxy: URL, url: URL, timeoutMs = 5000): Promise<ProxyAnswer> {
  return tunnel(proxy, `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`, timeoutMs).then(
    (socket) => {
      socket.destroy();
      return { software: null, login: null };
    },
    (error: { headers?: import('node:http').IncomingHttpHeaders }) => {
      const server = [error.headers?.server].flat()[0]?.trim();
      // Via: "1.1 corp-proxy (Squid/6.1)" names the proxy second, after the protocol's version.
      const via = [error.headers?.via].flat()[0]?.split(',')[0]?.trim().split(/\s+/)[1];
      const schemes = [error.headers?.['proxy-authenticate']]
        .flat()
        .filter((value): value is string => typeof value === 'string')
        // Several challenges arrive joined by commas ("Negotiate, NTLM"); parameters follow a scheme.
        .flatMap((value) => value.split(','))
        .map((challenge) => challenge.trim().split(/\s+/)[0]!.toLowerCase());
      const login = schemes.includes('basic')
        ? 'basic'
        : schemes.some((scheme) => scheme === 'ntlm' || scheme === 'negotiate')
          ? 'windows'
          : null;
      return { software: server || via || null, login };
    },
  );
}

/** A raw tunnel to `target` through an HTTP proxy (CONNECT), with its Basic login when the URL has one. */
function tunnel(proxy: URL, target: string, timeoutMs: number): Promise<import('node:net').Socket> {
  return new Promise((resolve, reject) => {
    const login = proxy.username
      ? `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`
      : null;
    const asked = httpRequest({
      host: proxy.hostname,
      port: Number(proxy.port || 80),
      method: 'CONNECT',
      path: target,
      headers: { host: target, ...(login && { 'proxy-authorization': login }) },
      timeout: timeoutMs,
    });
    asked.once('connect', (response, socket) => {
      if (response.statusCode === 200) resolve(socket);
      else {
        socket.destroy();
        reject(Object.assign(new Error(`proxy answered ${response.statusCode}`), { headers: response.headers }));
      }
    });
    asked.once('timeout', () => asked.destroy(new Error('timeout')));
    asked.once('error', reject);
    asked.end();
  });
}
