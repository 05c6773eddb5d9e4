import { m } from '../../shared/i18n';
import { EnvHttpProxyAgent, setGlobalDispatcher } from 'undici';

/** This computer, never reached through a proxy: the key would cross it in clear over http. */
export const LOOPBACK = ['localhost', '127.0.0.1', '::1'];

/** The route `routeThroughProxy` set up, for naming the proxy when something goes wrong. */
let route: { https: URL | null; http: URL | null; bypass: string[] } | null = null;

/**
 * Routes this process's requests as command-line tools do: through `proxy` when given (`--proxy`),
 * else the conventional variables `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` (either case;
 * credentials in the URL), as curl, git, npm and rclone honour them. HTTPS goes through the proxy
 * as a CONNECT tunnel, so the key travels inside TLS and the proxy sees only the host name. Returns
 * the proxy in words for the log (credentials left out), or null when requests go direct.
 */
export function routeThroughProxy(
  proxy: string | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | null {
  const https = proxy ?? env.HTTPS_PROXY ?? env.https_proxy;
  const http = proxy ?? env.HTTP_PROXY ?? env.http_proxy;
  if (!https && !http) return null;
  const bypass = [env.NO_PROXY ?? env.no_proxy, ...LOOPBACK].filter(Boolean).join(',');
  route = {
    https: https ? new URL(https) : null,
    http: http ? new URL(http) : null,
    bypass: bypassList(bypass),
  };
  setGlobalDispatcher(
    new EnvHttpProxyAgent({ ...(http && { httpProxy: http }), ...(https && { httpsProxy: https }), noProxy: bypass }),
  );
  return [https, http]
    .filter((url): url is string => Boolean(url))
    .map((url) => {
      const shown = new URL(url);
      return `${shown.protocol}//${shown.host}`;
    })
    .filter((url, index, all) => all.indexOf(url) === index)
    .join(', ');
}

/**
 * The proxy a request to `url` goes through (with its login, if it has one: never to be shown or
 * logged), or null when it goes direct.
 */
export function proxyFor(url: URL): URL | null {
  if (!route || bypassed(url, route.bypass)) return null;
  return url.protocol === 'https:' ? route.https : route.http;
}

/** NO_PROXY's form ("example.com, .corp, *.local, 10.1.2.3") as names to match (see `bypassed`). */
export function bypassList(text: string): string[] {
  return text
    .split(/[,;\s]+/)
    .map((entry) =>
      entry
        .trim()
        .toLowerCase()
        .replace(/^\*?\./, ''),
    )
    .filter(Boolean);
}

/** Whether `url`'s host is one of `names` or under one of them ("*" matches all): it goes direct. */
export function bypassed(url: URL, names: readonly string[]): boolean {
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return names.some(
    (entry) => entry === '*' || host === entry.split(':')[0] || host.endsWith(`.${entry.split(':')[0]}`),
  );
}

/** How a request goes, in words: "direct", or "through the proxy proxy.corp:8080" (never its login). */
export function routeWords(proxy: URL | null): string {
  return proxy ? m.network_route_proxy({ host: proxy.host }) : m.network_route_direct();
}

/** A proxy as it may be shown: its host and port, never its login. */
export function shownProxy(proxy: URL | null): string | null {
  return proxy && proxy.host;
}
