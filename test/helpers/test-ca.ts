import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A throwaway root and a server certificate it signed, as a company's TLS inspection would have. */
export interface TestCa {
  /** The root's certificate (PEM file), what IT would install or hand out. */
  readonly caFile: string;
  readonly key: string;
  readonly cert: string;
}

/**
 * Makes a root named "Example Corp Root CA" in `dir` and a server certificate it signed for
 * `names` (host names, and IP addresses as `IP:…`), with Debian's openssl. Two days valid.
 */
export async function makeTestCa(
  dir: string,
  names: readonly string[] = ['localhost', 'IP:127.0.0.1'],
): Promise<TestCa> {
  const at = (name: string) => join(dir, name);
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-keyout',
    at('ca.key'),
    '-out',
    at('ca.pem'),
    '-subj',
    '/O=Example Corp/CN=Example Corp Root CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  await run('openssl', [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    at('server.key'),
    '-out',
    at('server.csr'),
    '-subj',
    `/CN=${names[0]}`,
  ]);
  const san = names.map((name) => (name.startsWith('IP:') ? name : `DNS:${name}`)).join(',');
  await writeFile(
    at('server.ext'),
    `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n`,
  );
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    at('server.csr'),
    '-CA',
    at('ca.pem'),
    '-CAkey',
    at('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-out',
    at('server.pem'),
    '-extfile',
    at('server.ext'),
  ]);
  return {
    caFile: at('ca.pem'),
    key: await readFile(at('server.key'), 'utf8'),
    cert: await readFile(at('server.pem'), 'utf8'),
  };
}
