// What `npm run setup` ends with: the app, where it can open a window; otherwise (no Electron
// binary, or no display) the command-line tool uploading the sample media to the bundled
// TwelveLabs emulator, so a fresh machine shows the product working either way.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../test/emulator/server';
import { electronBinary } from '../test/helpers/electron-binary';

const display = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
if (electronBinary() && display) {
  spawn('npx', ['electron-vite', 'preview'], { stdio: 'inherit' }).on('exit', (code) => process.exit(code ?? 0));
} else {
  process.stdout.write(
    `${electronBinary() ? 'No display here' : 'No Electron binary here'}, so this is the command-line tool instead,\n` +
      'uploading the sample media (some of it deliberately unusable) to the bundled TwelveLabs emulator:\n\n',
  );
  const emulator = await startEmulator({ processingDelayMs: 300 });
  const dataDir = await mkdtemp(join(tmpdir(), 'twelvelabs-uploader-demo-'));
  // Asynchronously: the emulator answers from this very process.
  const cli = spawn(
    process.execPath,
    [
      'bin/twelvelabs-uploader.js',
      'upload',
      'test/fixtures/media',
      '--data-dir',
      dataDir,
      '--api-url',
      emulator.baseUrl,
    ],
    { stdio: 'inherit', env: { ...process.env, TWELVE_LABS_API_KEY: emulator.apiKey } },
  );
  await once(cli, 'exit');
  process.stdout.write('\nOn a machine with a display, "npm start" opens the app.\n');
  await emulator.close();
}
