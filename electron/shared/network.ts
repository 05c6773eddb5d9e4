import { m } from './i18n';

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
  const name = [by, software && `(${software})`].filter(Boolean).join(' ');
  const proxy = name ? m.net_proxy_named({ name }) : m.net_proxy_unnamed();
  const advice = m.net_via_proxy();
  const words = ((): { label: string; detail: string } => {
    switch (problem.code) {
      case 'name-not-found':
        return { label: m.net_name_label({ host }), detail: m.net_name_detail({ advice }) };
      case 'route-refused':
        return { label: m.net_refused_label({ host }), detail: m.net_refused_detail({ advice }) };
      case 'proxy-unreachable':
        return { label: m.net_proxy_silent_label(), detail: m.net_proxy_silent_detail({ proxy }) };
      case 'proxy-login':
        return problem.windowsLogin
          ? { label: m.net_windows_login_label(), detail: m.net_windows_login_detail({ proxy, host }) }
          : { label: m.net_login_label(), detail: m.net_login_detail({ proxy }) };
      case 'proxy-refused':
        return { label: m.net_policy_label({ host }), detail: m.net_policy_detail({ proxy, host }) };
      case 'certificate':
        return {
          label: m.net_certificate_label(),
          detail: m.net_certificate_detail({ host, issuer: by ?? m.net_unknown_issuer() }),
        };
    }
  })();
  if (problem.hop === 'api') return words;
  return {
    label: m.net_storage_label({ label: words.label }),
    detail: m.net_storage_detail({ host, detail: words.detail }),
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
