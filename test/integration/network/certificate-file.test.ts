import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/server';
import { INVOKE_ARG_SCHEMAS } from '../../../electron/shared/ipc-schemas';
import { openTestApp } from '../../helpers/app';
import { closeAfter } from '../../helpers/cleanup';
import { fixture } from '../../helpers/emulator';
import { makeTestCa } from '../../helpers/test-ca';
import { tempDir } from '../../helpers/temp-dir';
import { until } from '../../helpers/until';

/**
 * The app where IT hands out the company's root as a file rather than installing it: this test
 * process does not trust the emulator's root until the file is chosen in Settings → Network.
 */
describe('a company certificate chosen in Settings', () => {
  it('is refused in words when it holds none; once chosen, held uploads go on at once, and Settings names the inspector', async () => {
    const dir = await tempDir();
    const ca = await makeTestCa(dir, ['localhost', 'IP:127.0.0.1']);
    const emulator = closeAfter(
      await startEmulator({ processingDelayMs: 20, tls: { key: ca.key, cert: ca.cert }, hostname: 'localhost' }),
    );
    const picked = join(dir, 'from-it.pem');
    await writeFile(picked, 'this is a letter from IT, not a certificate');
    const dataDir = await tempDir();
    const app = closeAfter(
      await openTestApp(dataDir, {
        emulator,
        pick: { certificate: picked },
        gate: { probeMinMs: 5_000, probeMaxMs: 30_000 },
      }),
    );
    await app.secrets.set(emulator.apiKey);
    await app.contract.addPaths([fixture('image.jpg')]);
    await until(async () => (await app.contract.sessionState()).connection.kind === 'blocked');
    expect((await app.contract.sessionState()).connection).toMatchObject({
      problem: { code: 'certificate', by: 'Example Corp Root CA' },
    });

    expect(await app.contract.handlers['network:choose-certificate']()).toEqual({
      ok: false,
      code: 'certificate_unreadable',
      message: `The file ${picked} holds no certificate (PEM, "BEGIN CERTIFICATE").`,
    });
    expect(app.settings.get().certificateFile).toBeNull();

    await writeFile(picked, await readFile(ca.caFile));
    const chosen = await app.contract.handlers['network:choose-certificate']();
    expect(chosen).toMatchObject({
      ok: true,
      value: { certificateFile: picked, companyRoots: ['Example Corp Root CA'], inspectedBy: 'Example Corp Root CA' },
    });
    // The probe was waiting seconds; the change woke it, and nothing had failed meanwhile.
    await until(async () => (await app.engine.items())[0]?.status.kind === 'ready', 4_000);
    expect(JSON.parse(await readFile(join(dataDir, 'settings.json'), 'utf8'))).toMatchObject({
      certificateFile: picked,
    });
    expect(await app.contract.handlers['network:status']()).toMatchObject({
      ok: true,
      value: { route: 'direct', inspectedBy: 'Example Corp Root CA' },
    });

    const forgotten = await app.contract.handlers['network:forget-certificate']();
    expect(forgotten).toMatchObject({
      ok: true,
      value: { certificateFile: null, companyRoots: [], inspectedBy: null },
    });
    // Only main's dialog names the file: the window's settings changes cannot.
    expect(INVOKE_ARG_SCHEMAS['settings:update'].safeParse([{ certificateFile: '/etc/passwd' }]).success).toBe(false);
    expect(
      INVOKE_ARG_SCHEMAS['settings:update'].safeParse([{ proxy: { mode: 'none', address: '', bypass: '', pac: '' } }])
        .success,
    ).toBe(true);
  });
});
