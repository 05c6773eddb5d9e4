import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import tls from 'node:tls';
import { m } from '../../shared/i18n';

/** What the process trusts beyond Node's own roots, for Settings, `doctor` and the log. */
export interface Trust {
  /** Roots from the system's store and the files named that were not trusted yet: a company's own. */
  readonly added: readonly { readonly subject: string; readonly from: string }[];
  /** Files named that could not be read or held no certificate, in words. */
  readonly problems: readonly string[];
}

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** What the process trusted before any call here, so a later call replaces what an earlier one added. */
let before: string[] | null = null;

/**
 * Makes every TLS connection of this process (the API, the chunk uploads, the link check) trust
 * what the browser on this machine trusts: Node's bundled roots, plus the system's store (where IT
 * installs the root that re-signs inspected traffic: Zscaler, Netskope and the like), plus any PEM
 * files named (a setting, `--ca-cert`, `NODE_EXTRA_CA_CERTS`, which a packaged Electron app would
 * otherwise ignore). It only adds roots to Node's own; nothing here, or anywhere, turns checking off.
 * Called again (a file chosen or forgotten in Settings), it replaces what the last call added.
 */
export async function trustCertificates(files: readonly string[]): Promise<Trust> {
  // What is trusted already (Node's roots, and NODE_EXTRA_CA_CERTS where Node read it) is kept;
  // roots are compared by fingerprint, as the same root comes PEM-encoded differently by store.
  before ??= tls.getCACertificates('default');
  const current = before;
  const known = new Set(current.map(fingerprint));
  const added: { subject: string; from: string }[] = [];
  const problems: string[] = [];
  const extra: string[] = [];
  const take = (pem: string, from: string) => {
    const print = fingerprint(pem);
    if (known.has(print)) return;
    known.add(print);
    extra.push(pem);
    added.push({ subject: commonName(pem), from });
  };
  for (const pem of tls.getCACertificates('system')) take(pem, 'system');
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      problems.push(m.trust_file_unread({ file, error: error.code ?? error.message }));
      return '';
    });
    const found = text.match(PEM) ?? [];
    if (text && found.length === 0) problems.push(m.trust_file_empty({ file }));
    for (const pem of found) {
      if (fingerprint(pem)) take(`${pem}\n`, file);
      else problems.push(m.trust_cert_unread({ file }));
    }
  }
  tls.setDefaultCACertificates([...current, ...extra]);
  return { added, problems };
}

/** The certificate's SHA-256 fingerprint, or '' when it cannot be read. */
function fingerprint(pem: string): string {
  try {
    return new X509Certificate(pem).fingerprint256;
  } catch {
    return '';
  }
}

function commonName(pem: string): string {
  try {
    const { subject } = new X509Certificate(pem);
    return /^CN=(.+)$/m.exec(subject)?.[1] ?? subject.split('\n').join(', ');
  } catch {
    return m.trust_unreadable_name();
  }
}
