/**
 * Why requests cannot get through when the network itself is there: each has its own words, so
 * nobody is told "offline" while a proxy, a firewall or a certificate is what stands in the way.
 */
export type NetworkProblemCode =
  /** The name service does not know the host (a network whose only way out is a proxy). */
  | 'name-not-found'
  /** The connection was refused on the way (a firewall's reset). */
  | 'route-refused'
  /** The proxy did not answer. */
  | 'proxy-unreachable'
  /** The proxy wants a login (407). */
  | 'proxy-login'
  /** The proxy will not go to the host (403, a policy). */
  | 'proxy-refused'
  /** The certificate presented is not one this computer trusts (TLS inspection without its root). */
  | 'certificate';

export interface NetworkProblem {
  readonly code: NetworkProblemCode;
  /** The host that could not be reached ("api.twelvelabs.io", or the storage host). */
  readonly host: string;
  /** The API itself, or the storage that chunks and direct uploads go to. */
  readonly hop: 'api' | 'storage';
  /** Who stands in the way, when known: the proxy ("proxy.corp:8080"), or the certificate's issuer. */
  readonly by?: string;
  /** The proxy's own name for itself, from its Via or Server header ("Zscaler", "corp-proxy"). */
  readonly software?: string;
  /** A proxy login that is the Windows one (NTLM, Negotiate), which uploads cannot give. */
  readonly windowsLogin?: boolean;
}

/**
 * Whether waiting can end it: a lost route or name may come back by itself; a login, a policy or
 * a certificate will not until someone changes something, so the CLI stops instead of waiting.
 */
export function passesByItself(problem: NetworkProblem): boolean {
  return problem.code === 'name-not-found' || problem.code === 'route-refused' || problem.code === 'proxy-unreachable';
}

/** The words for a problem: a short label (status bar, rows) and what it means with what to do. */
export function networkProblemWords(problem: NetworkProblem): { readonly label: string; readonly detail: string } {
  const { host, by, software } = problem;
  const proxy = `The proxy${by ? ` ${by}` : ''}${software ? ` (${software})` : ''}`;
  const viaProxy =
    "If this network goes out through a proxy, ask IT to set it in this computer's network settings, which the app follows, or in Settings → Network (the command line tool also takes HTTPS_PROXY).";
  const words = ((): { label: string; detail: string } => {
    switch (problem.code) {
      case 'name-not-found':
        return {
          label: `Cannot find ${host}`,
          detail: `This network does not know that name. ${viaProxy}`,
        };
      case 'route-refused':
        return {
          label: `${host} refused the connection`,
          detail: `Something on the way (a firewall) refused it. ${viaProxy}`,
        };
      case 'proxy-unreachable':
        return {
          label: 'The proxy does not answer',
          detail: `${proxy} did not answer. Ask IT to check this computer's proxy settings (HTTPS_PROXY or --proxy for the command line tool).`,
        };
      case 'proxy-login':
        return problem.windowsLogin
          ? {
              label: 'The proxy asks for a Windows login',
              detail: `${proxy} asks for your Windows login (NTLM or Negotiate), which uploads cannot give: ask IT to let ${host} through without it, or for a user name and password the proxy takes (Basic), to enter in Settings → Network.`,
            }
          : {
              label: 'The proxy asks for a login',
              detail: `${proxy} asks for a user name and password (407). Enter them in Settings → Network (for the command line tool, in HTTPS_PROXY: http://user:password@proxy:port).`,
            };
      case 'proxy-refused':
        return {
          label: `The proxy does not allow ${host}`,
          detail: `${proxy} refused to connect to ${host} (403: a policy). Ask IT to allow ${host}.`,
        };
      case 'certificate':
        return {
          label: 'Secure connection not trusted',
          detail: `${host} was presented with a certificate ${by ? `issued by ${by}` : 'from an issuer'} this computer does not trust: your company may inspect secure traffic. Install its root certificate in the system's store (the app trusts what the system trusts), or choose its file in Settings → Network (for the command line tool, --ca-cert). Checking is never turned off.`,
        };
    }
  })();
  if (problem.hop === 'api') return words;
  return {
    label: `Storage: ${words.label}`,
    detail: `TwelveLabs answers, but files go to its storage at ${host}, which this computer cannot reach. ${words.detail}`,
  };
}

/** One thing "Check connection" (and `doctor`) tried, and what came of it. */
export interface CheckStep {
  readonly what: string;
  readonly ok: boolean;
  readonly words: string;
}

/** What "Check connection" (and `doctor`) found, with a report to copy for IT. */
export interface ConnectionCheck {
  readonly ok: boolean;
  readonly steps: readonly CheckStep[];
  /** The company root that re-signs secure connections here, when one does. */
  readonly inspectedBy: string | null;
  /** Everything above as text, with nothing secret in it: no key, no proxy login, no upload address. */
  readonly report: string;
}

/** What Settings → Network shows before any check: which way requests go, and whom they trust. */
export interface NetworkStatus {
  /** How the API host is reached: "direct", or "through the proxy proxy.example.com:8080". */
  readonly route: string;
  /** The company root that re-signs the API host's certificate here, when one does. */
  readonly inspectedBy: string | null;
  /** The certificate file chosen in Settings, and the roots it added (their names). */
  readonly certificateFile: string | null;
  readonly companyRoots: readonly string[];
  /** What could not be read, in words (a file gone, a file with no certificate). */
  readonly problems: readonly string[];
}
