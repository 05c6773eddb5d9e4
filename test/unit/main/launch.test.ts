import { describe, expect, it } from 'vitest';
import { APP_URL } from '../../../electron/main/app-protocol';
import { launchPolicy } from '../../../electron/main/launch';

const env = {
  ELECTRON_RENDERER_URL: 'http://localhost:5173/',
  TWELVELABS_UPLOADER_DATA_DIR: '/tmp/other-profile',
};
const argv = ['/opt/app/uploader', '--remote-debugging-port=9222', '--inspect', '--js-flags=--expose-gc', '--lang=de'];

describe('what a start of the app honours', () => {
  it('from source: the dev server, another data folder and debugging switches', () => {
    expect(launchPolicy({ packaged: false, env, argv })).toEqual({
      developer: true,
      rendererUrl: 'http://localhost:5173/',
      dataDir: '/tmp/other-profile',
      refused: [],
    });
  });

  it('a released build: its own page, its own data folder, and no debugging switches', () => {
    expect(launchPolicy({ packaged: true, env, argv })).toEqual({
      developer: false,
      rendererUrl: APP_URL,
      dataDir: null,
      refused: ['--remote-debugging-port', '--inspect', '--js-flags'],
    });
  });

  it('a released build: no variable brings the development rules back', () => {
    const policy = launchPolicy({ packaged: true, env: { ...env, TWELVELABS_UPLOADER_DEVELOPER: '1' }, argv });
    expect(policy).toMatchObject({ developer: false, rendererUrl: APP_URL, dataDir: null });
    expect(policy.refused).toContain('--remote-debugging-port');
  });

  it('a released build refuses every switch not on its short list, however harmless it looks', () => {
    const refused = launchPolicy({
      packaged: true,
      env: {},
      argv: [
        '/opt/app/uploader',
        '--host-rules=MAP api.twelvelabs.io 10.0.0.5',
        '--host-resolver-rules=MAP * 127.0.0.1',
        '--ignore-certificate-errors',
        '--proxy-server=http://evil:8080',
        '--user-data-dir=/tmp/x',
        '--lang=de',
        '--password-store=gnome-libsecret',
        '--ozone-platform=wayland',
        '/home/kim/Footage/clip.mov',
      ],
    }).refused;
    expect(refused).toEqual([
      '--host-rules',
      '--host-resolver-rules',
      '--ignore-certificate-errors',
      '--proxy-server',
      '--user-data-dir',
    ]);
  });

  it('takes --no-sandbox only from the AppImage launcher, which adds it where user namespaces are off', () => {
    const argv = ['/tmp/.mount_x/uploader', '--no-sandbox'];
    expect(launchPolicy({ packaged: true, env: {}, argv }).refused).toEqual(['--no-sandbox']);
    expect(launchPolicy({ packaged: true, env: { APPIMAGE: '/home/kim/Uploader.AppImage' }, argv }).refused).toEqual(
      [],
    );
  });

  it('a released build takes its allowed switches and the files it is asked to open', () => {
    expect(
      launchPolicy({ packaged: true, env: {}, argv: ['/opt/app/uploader', '--lang=de', '/tmp/clip.mov', '-psn_0_1'] })
        .refused,
    ).toEqual([]);
  });
});
