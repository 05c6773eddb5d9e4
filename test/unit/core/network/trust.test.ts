import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trustCertificates } from '../../../../electron/core/network/trust';
import { makeTestCa } from '../../../helpers/test-ca';
import { tempDir } from '../../../helpers/temp-dir';

/** One https GET to a server signed by the test's root: whether this process trusts it. */
async function handshake(key: string, cert: string): Promise<string> {
  const server = createServer({ key, cert }, (_request, response) => response.end('ok'));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  try {
    const { port } = server.address() as AddressInfo;
    return await fetch(`https://127.0.0.1:${port}/`).then(
      (response) => response.text(),
      (error: Error) => `refused: ${(error.cause as NodeJS.ErrnoException | undefined)?.code ?? error.message}`,
    );
  } finally {
    server.close();
  }
}

describe('trusting the company’s root', () => {
  it('adds a root from a PEM file to every TLS connection of the process, and never checks less', async () => {
    const dir = await tempDir();
    const ca = await makeTestCa(dir, ['IP:127.0.0.1']);
    expect(await handshake(ca.key, ca.cert)).toBe('refused: UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    await writeFile(join(dir, 'empty.pem'), 'not a certificate');
    const trust = await trustCertificates([ca.caFile, join(dir, 'empty.pem'), join(dir, 'missing.pem')]);
    expect(trust.added).toContainEqual({ subject: 'Example Corp Root CA', from: ca.caFile });
    expect(trust.problems).toEqual([
      `The file ${join(dir, 'empty.pem')} holds no certificate (PEM, "BEGIN CERTIFICATE").`,
      `The certificate file ${join(dir, 'missing.pem')} could not be read (ENOENT).`,
    ]);
    expect(await handshake(ca.key, ca.cert)).toBe('ok');
    // Another root the process was never told of is still refused: trust was added, not loosened.
    const stranger = await makeTestCa(await tempDir(), ['IP:127.0.0.1']);
    expect(await handshake(stranger.key, stranger.cert)).toBe('refused: UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    // Forgotten in Settings: trusted no more, without a restart.
    expect((await trustCertificates([])).added).not.toContainEqual(expect.objectContaining({ from: ca.caFile }));
    expect(await handshake(ca.key, ca.cert)).toBe('refused: UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });
});
