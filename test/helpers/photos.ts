import { appendFile, copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fixture } from './emulator';
import { tempDir } from './temp-dir';

/**
 * A new folder `name` of `count` photos named by `nameOf`, each its own content: the fixture
 * with a few bytes after the image's end, which decoders pass over.
 */
export async function distinctPhotos(name: string, count: number, nameOf: (at: number) => string): Promise<string> {
  const folder = join(await tempDir(), name);
  await mkdir(folder);
  for (let at = 0; at < count; at += 1) {
    const path = join(folder, nameOf(at));
    await copyFile(fixture('image.jpg'), path);
    await appendFile(path, `take ${at}`);
  }
  return folder;
}
