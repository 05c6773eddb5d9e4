/**
 * The official twelvelabs-js SDK doing what a script written with it would do, in its own process:
 * `large FILE` uploads one file with the SDK's multipart helper; `many FOLDER` creates an asset
 * per file with `assets.create`, one after another. Prints {seconds, peakRss} as JSON.
 * Usage: sdk-upload.ts BASE_URL (large FILE | many FOLDER)
 */
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { TwelveLabs } from 'twelvelabs-js';

const [baseUrl = '', mode = '', target = ''] = process.argv.slice(2);
process.env.TWELVELABS_BASE_URL = baseUrl;
// The helper narrates each chunk on stdout; the measurement is the last line, so it goes to stderr.
console.log = (...args: unknown[]) => process.stderr.write(`${args.join(' ')}\n`);
const client = new TwelveLabs({ apiKey: 'tlk_emulator_sandbox_key' });
const started = performance.now();
if (mode === 'large') {
  await client.multipartUpload.uploadFile(target, { fileType: 'video' });
} else {
  for (const name of (await readdir(target)).sort()) {
    await client.assets.create({ method: 'direct', file: createReadStream(join(target, name)), filename: name });
  }
}
const seconds = (performance.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ seconds, peakRss: process.resourceUsage().maxRSS * 1024 })}\n`);
