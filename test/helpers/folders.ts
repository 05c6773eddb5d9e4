import { copyFile, mkdir } from 'node:fs/promises';
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
