import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { listPackage } from '@electron/asar';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { beforeAll, describe, expect, it } from 'vitest';
import { standInElectron } from '../helpers/stand-in-electron';
import { tempDir } from '../helpers/temp-dir';

const MiB = 1024 * 1024;
/** What the app may add to Electron itself, archive and unpacked files together. */
const SIZE_BUDGET = 20 * MiB;

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  devDependencies: Record<string, string>;
};
const electronVersion = (JSON.parse(readFileSync('node_modules/electron/package.json', 'utf8')) as { version: string })
  .version;

async function sizeOf(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.size;
  let total = 0;
  for (const entry of await readdir(path)) total += await sizeOf(join(path, entry));
  return total;
}

/**
 * The packaged file set, checked where no Electron can be downloaded: electron-builder packs the
 * built app (`npm run build`) for Linux against a stand-in Electron distribution, exactly as it
 * packs every installer, and flips the fuses in the stand-in's real fuse wire.
 */
describe('the packaged app', () => {
  let app: string;
  let files: string[];

  beforeAll(async () => {
    const work = await tempDir();
    const electronDist = await standInElectron(join(work, 'electron'), electronVersion);
    const output = join(work, 'dist');
    await promisify(execFile)(
      'node_modules/.bin/electron-builder',
      [
        '--linux',
        'dir',
        '--publish',
        'never',
        `-c.electronDist=${electronDist}`,
        `-c.electronVersion=${electronVersion}`,
        `-c.directories.output=${output}`,
      ],
      { env: { ...process.env, CI: 'true' } },
    );
    app = join(output, 'linux-unpacked');
    files = listPackage(join(app, 'resources', 'app.asar'), { isPack: false }).map((file) =>
      file.replaceAll('\\', '/'),
    );
  }, 120_000);

  it('has its fuses set: no plain Node, no NODE_OPTIONS or --inspect, only its own archive', async () => {
    const wire = await getCurrentFuseWire(join(app, 'twelvelabs-uploader'));
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(FuseState.DISABLE);
  });

  it('carries the built app, the window and the command line tool', () => {
    for (const file of [
      '/package.json',
      '/out/main/index.js',
      '/out/main/cli.js',
      // The media threads' code: without it no file passes its check.
      '/out/main/media-worker.js',
      '/out/preload/index.cjs',
      '/out/renderer/index.html',
      '/resources/icon.png',
      '/resources/tray.png',
    ]) {
      expect(files).toContain(file);
    }
  });

  it('keeps the native modules and the WebAssembly outside the archive, where they can load', async () => {
    const unpacked = join(app, 'resources', 'app.asar.unpacked', 'node_modules');
    expect((await stat(join(unpacked, 'keytar', 'build', 'Release', 'keytar.node'))).size).toBeGreaterThan(0);
    expect((await stat(join(unpacked, 'sqlite3', 'build', 'Release', 'node_sqlite3.node'))).size).toBeGreaterThan(0);
    const wasm = (await readdir(join(unpacked, 'mediainfo.js', 'dist'), { recursive: true })).filter((file) =>
      String(file).endsWith('.wasm'),
    );
    expect(wasm.length).toBeGreaterThan(0);
  });

  it('ships no sources, tests, source maps or development tools', () => {
    expect(files.filter((file) => /^\/(electron|renderer|test|docs)\//.test(file))).toEqual([]);
    expect(files.filter((file) => file.endsWith('.map') || /\.(ts|mts|cts)$/.test(file))).toEqual([]);
    const devTools = Object.keys(pkg.devDependencies).filter((name) => files.includes(`/node_modules/${name}`));
    expect(devTools).toEqual([]);
    // sqlite3's build intermediates and the tools it builds with stay behind.
    expect(files.filter((file) => /\/node_modules\/(node-gyp|prebuild-install|node-addon-api)\//.test(file))).toEqual(
      [],
    );
  });

  it('stays within its size budget', async () => {
    const resources = join(app, 'resources');
    const archive = await sizeOf(join(resources, 'app.asar'));
    const unpacked = await sizeOf(join(resources, 'app.asar.unpacked'));
    process.stdout.write(
      `packaged app: archive ${(archive / MiB).toFixed(1)} MiB + unpacked ${(unpacked / MiB).toFixed(1)} MiB ` +
        `(budget ${SIZE_BUDGET / MiB} MiB, Electron itself not counted)\n`,
    );
    expect(archive + unpacked).toBeLessThan(SIZE_BUDGET);
  });
});
