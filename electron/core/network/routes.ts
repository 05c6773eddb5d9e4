import { ProxyAgent, type Dispatcher } from 'undici';
import { LOOPBACK, proxyFor } from './proxy';

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

/**
 * Finds the proxy for a URL the way the system does and answers as a PAC file would: "DIRECT", or
 * "PROXY host:port; DIRECT". The app's is Electron's `session.resolveProxy` (system settings, PAC,
 * WPAD); tests evaluate a PAC file served on loopback.
 */
export type ProxyResolver = (url: string) => Promise<string>;

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
