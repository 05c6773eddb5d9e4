import { EnvHttpProxyAgent, setGlobalDispatcher } from 'undici';

/** This computer, never reached through a proxy: the key would cross it in clear over http. */
const LOOPBACK = ['localhost', '127.0.0.1', '::1'];

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
