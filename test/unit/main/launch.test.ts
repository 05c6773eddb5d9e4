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

  it('a released build with the developer switch: another data folder, never another page', () => {
    const policy = launchPolicy({ packaged: true, env: { ...env, TWELVELABS_UPLOADER_DEVELOPER: '1' }, argv });
    expect(policy).toMatchObject({ developer: true, rendererUrl: APP_URL, dataDir: '/tmp/other-profile', refused: [] });
  });

  it('ordinary switches are not debugging switches', () => {
    expect(
      launchPolicy({ packaged: true, env: {}, argv: ['/opt/app/uploader', '--lang=de', '--inspector'] }).refused,
    ).toEqual([]);
  });
});
