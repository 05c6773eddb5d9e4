import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fixture } from './emulator';

/**
 * A batch that ends every way at once: a video and an image that go in, a copy of the image
 * (already in the library), a text file named .mp4 (refused) and a video too short for
 * TwelveLabs (fails processing). Returns the folder, `name` inside `parent`.
 */
export async function mixedBatchFolder(parent: string, name: string): Promise<string> {
  const folder = join(parent, name);
  await mkdir(folder, { recursive: true });
  await copyFile(fixture('video-h264.mp4'), join(folder, 'interview.mp4'));
  await copyFile(fixture('image.jpg'), join(folder, 'poster.jpg'));
  await copyFile(fixture('image.jpg'), join(folder, 'poster copy.jpg'));
  await copyFile(fixture('notes-renamed.mp4'), join(folder, 'notes.mp4'));
  await copyFile(fixture('too-short.mp4'), join(folder, 'pickup.mp4'));
  return folder;
}

/**
 * `count` stills that are each their own content (the fixture photo with its number in a JPEG
 * comment, as cameras write one), in folders of 500 like a camera's: `Archive/Roll 0/IMG_0.jpg`.
 * Returns the `Archive` folder.
 */
export async function stillsFolder(parent: string, count: number): Promise<string> {
  const photo = await readFile(fixture('image.jpg'));
  const archive = join(parent, 'Archive');
  for (let roll = 0; roll * 500 < count; roll += 1) {
    const folder = join(archive, `Roll ${roll}`);
    await mkdir(folder, { recursive: true });
    const writes = [];
    for (let n = roll * 500; n < Math.min(count, (roll + 1) * 500); n += 1) {
      const text = Buffer.from(`still ${n}`);
      const marker = Buffer.alloc(4);
      marker.writeUInt16BE(0xfffe, 0);
      marker.writeUInt16BE(text.length + 2, 2);
      // After the start-of-image marker: a comment segment, then the photo as it was.
      writes.push(
        writeFile(join(folder, `IMG_${n}.jpg`), Buffer.concat([photo.subarray(0, 2), marker, text, photo.subarray(2)])),
      );
    }
    await Promise.all(writes);
  }
  return archive;
}
