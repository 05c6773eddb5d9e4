import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The marker Electron's binary carries before its fuse wire (from @electron/fuses). */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/**
 * Electron 45's fuses as it ships them, in wire order: run as node on, cookie encryption off,
 * NODE_OPTIONS on, --inspect on, asar integrity off, only-from-asar off, browser V8 snapshot off,
 * file:// extra privileges on, wasm trap handlers on.
 */
const SHIPPED_WIRE = '101100011';

/**
 * A stand-in for an unpacked Electron distribution for Linux, for packaging where the real one
 * cannot be downloaded: the layout electron-builder copies, and an `electron` "binary" that is
 * only filler around a real fuse wire, so flipping fuses at packaging is done and read back for
 * real.
 */
export async function standInElectron(dir: string, version: string): Promise<string> {
  await mkdir(join(dir, 'resources'), { recursive: true });
  await mkdir(join(dir, 'locales'), { recursive: true });
  const filler = Buffer.alloc(64 * 1024, 0x90);
  const wire = Buffer.concat([
    Buffer.from(FUSE_SENTINEL),
    Buffer.from([1, SHIPPED_WIRE.length]),
    Buffer.from(SHIPPED_WIRE),
  ]);
  await writeFile(join(dir, 'electron'), Buffer.concat([filler, wire, filler]));
  await chmod(join(dir, 'electron'), 0o755);
  await writeFile(join(dir, 'chrome-sandbox'), '');
  await writeFile(join(dir, 'version'), version);
  await writeFile(join(dir, 'LICENSE'), 'stand-in');
  await writeFile(join(dir, 'LICENSES.chromium.html'), 'stand-in');
  await writeFile(join(dir, 'locales', 'en-US.pak'), '');
  return dir;
}
