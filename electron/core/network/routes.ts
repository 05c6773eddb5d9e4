import { ProxyAgent, type Dispatcher } from 'undici';
import { proxyAddressUrl, type ProxySetting } from '../../shared/settings';
import { pacResolver, type ProxyResolver } from './pac';
import { bypassed, bypassList, LOOPBACK, proxyFor, routeThroughProxy, shownProxy } from './proxy';

/**
 * Which way each request goes, for every surface of one process (the API client, the chunk
 * uploads, the connection check): they ask here, so they can never disagree. The API host and the
 * storage host are asked for apart, as PAC files and allow-lists treat them differently.
 */
export interface NetworkRoutes {
  /** The proxy a request to `url` goes through (with its login: never shown), or null for direct. */
  proxyOf(url: URL): Promise<URL | null>;
  /** The dispatcher for a request to `url`; undefined: the process's default. */
  dispatcherFor(url: URL): Promise<Dispatcher | undefined>;
}

/**
 * The command line's routes: `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` or `--proxy`, already set as
 * the process's default dispatcher (see `routeThroughProxy`).
 */
export const ENVIRONMENT_ROUTES: NetworkRoutes = {
  proxyOf: async (url) => proxyFor(url),
  dispatcherFor: async () => undefined,
};

/** A proxy's Basic login, kept in the keychain; never in settings or logs. */
export interface ProxyLogin {
  readonly user: string;
  readonly password: string;
}

/**
 * Routes as the system says, as Chrome does: the answer for each origin is cached until `flush`
 * (the network changed, the machine woke). The first PROXY or HTTPS entry of the answer is used,
 * else the request goes direct; SOCKS entries are passed over (undici has no SOCKS client). This
 * computer is never reached through a proxy: the key would cross it.
 */
export class ResolvedRoutes implements NetworkRoutes {
  readonly #resolve: ProxyResolver;
  readonly #login: () => Promise<ProxyLogin | null>;
  readonly #answers = new Map<string, Promise<URL | null>>();
  readonly #agents = new Map<string, ProxyAgent>();

  constructor(resolve: ProxyResolver, login: () => Promise<ProxyLogin | null> = async () => null) {
    this.#resolve = resolve;
    this.#login = login;
  }

  proxyOf(url: URL): Promise<URL | null> {
    // A URL's hostname keeps IPv6 brackets ("[::1]").
    if (LOOPBACK.includes(url.hostname.replace(/^\[|\]$/g, ''))) return Promise.resolve(null);
    let answer = this.#answers.get(url.origin);
    if (!answer) {
      answer = this.#resolve(url.href).then(firstProxy, () => null);
      this.#answers.set(url.origin, answer);
    }
    return answer;
  }

  async dispatcherFor(url: URL): Promise<Dispatcher | undefined> {
    const proxy = await this.proxyOf(url);
    if (!proxy) return undefined;
    let agent = this.#agents.get(proxy.href);
    if (!agent) {
      const login = await this.#login();
      agent = new ProxyAgent({
        uri: proxy.href,
        ...(login && { token: `Basic ${Buffer.from(`${login.user}:${login.password}`).toString('base64')}` }),
      });
      this.#agents.set(proxy.href, agent);
    }
    return agent;
  }

  /** Forgets every answer and connection: the network changed, or the proxy login did. */
  flush(): void {
    this.#answers.clear();
    for (const agent of this.#agents.values()) void agent.close().catch(() => undefined);
    this.#agents.clear();
  }
}

/** "PROXY host:port; DIRECT" -> http://host:port; "HTTPS host:port" -> https://host:port; else null. */
export function firstProxy(answer: string): URL | null {
  for (const entry of answer.split(';')) {
    const [kind, where] = entry.trim().split(/\s+/);
    if (!kind || kind.toUpperCase() === 'DIRECT') return null;
    if ((kind.toUpperCase() === 'PROXY' || kind.toUpperCase() === 'HTTPS') && where) {
      return new URL(`${kind.toUpperCase() === 'HTTPS' ? 'https' : 'http'}://${where}`);
    }
  }
  return null;
}

/** A proxy login kept as one keychain entry (JSON); null when none is kept or it cannot be read. */
export function readProxyLogin(stored: string | null): ProxyLogin | null {
  if (!stored) return null;
  try {
    const parsed = JSON.parse(stored) as Partial<ProxyLogin>;
    return typeof parsed.user === 'string' && typeof parsed.password === 'string'
      ? { user: parsed.user, password: parsed.password }
      : null;
  } catch {
    return null;
  }
}

/**
 * Electron's proxy configuration for Settings → Network (`session.setProxy`): the window and the
 * engine both then ask Chromium (`resolveProxy`), so they go the same way. This computer is never
 * reached through the proxy (`<local>`).
 */
export function chromiumProxyConfig(proxy: ProxySetting): {
  mode: 'system' | 'direct' | 'fixed_servers' | 'pac_script';
  proxyRules?: string;
  proxyBypassRules?: string;
  pacScript?: string;
} {
  switch (proxy.mode) {
    case 'system':
      return { mode: 'system' };
    case 'none':
      return { mode: 'direct' };
    case 'manual': {
      const url = proxyAddressUrl(proxy.address);
      return {
        mode: 'fixed_servers',
        proxyRules: url ? `${url.protocol === 'https:' ? 'https://' : ''}${url.host}` : 'direct://',
        proxyBypassRules: [...bypassList(proxy.bypass), '<local>'].join(','),
      };
    }
    case 'pac':
      return { mode: 'pac_script', pacScript: proxy.pac };
  }
}

/** The command line's routes, and where they came from in words (for `doctor` and the log). */
export interface CommandLineRoutes {
  readonly routes: NetworkRoutes;
  readonly from: string;
}

/**
 * The command line's routes, in the order command-line tools take them: `--proxy`, then
 * `HTTPS_PROXY`/`HTTP_PROXY` (with `NO_PROXY`), then the app's Settings → Network (No proxy, a
 * manual proxy, a PAC file), else direct. "As this computer says" cannot be followed here: only
 * the app, through Chromium, reads the system's proxy settings and finds a PAC file by itself (WPAD).
 */
export async function commandLineRoutes(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  setting: ProxySetting,
  login: () => Promise<ProxyLogin | null>,
): Promise<CommandLineRoutes> {
  const variables = routeThroughProxy(flag, env);
  if (variables !== null) {
    return {
      routes: ENVIRONMENT_ROUTES,
      from: `${flag !== undefined ? '--proxy' : 'HTTPS_PROXY/HTTP_PROXY'} (${variables})`,
    };
  }
  switch (setting.mode) {
    case 'system':
      return {
        routes: ENVIRONMENT_ROUTES,
        from: "direct: no HTTPS_PROXY is set, and the command line cannot read this computer's proxy settings or find a PAC file by itself; set HTTPS_PROXY, or choose a proxy or PAC address in the app's Settings → Network",
      };
    case 'none':
      return { routes: ENVIRONMENT_ROUTES, from: 'direct (Settings → Network: No proxy)' };
    case 'manual': {
      const proxy = proxyAddressUrl(setting.address)!;
      const direct = bypassList(setting.bypass);
      const routes = new ResolvedRoutes(
        async (url) =>
          bypassed(new URL(url), direct)
            ? 'DIRECT'
            : `${proxy.protocol === 'https:' ? 'HTTPS' : 'PROXY'} ${proxy.host}`,
        login,
      );
      return { routes, from: `the proxy ${shownProxy(proxy)} (Settings → Network)` };
    }
    case 'pac': {
      const resolve = await pacResolver(setting.pac).catch((error: Error) => {
        throw new Error(
          `The PAC file at ${setting.pac} could not be read (${error.message}). Check the address in Settings → Network.`,
        );
      });
      return { routes: new ResolvedRoutes(resolve, login), from: `the PAC file ${setting.pac} (Settings → Network)` };
    }
  }
}
