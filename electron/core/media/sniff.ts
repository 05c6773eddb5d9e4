import { basename, extname } from 'node:path';
import type { MediaKind } from '../../shared/uploads';
import { openRegular } from './regular-file';

/** What a file is by its first bytes; the extension is never trusted. */
export type Sniffed =
  { readonly kind: MediaKind; readonly mime: string } | { readonly kind: null; readonly mime: string };

/** How much of a file's start its type is told by. */
export const HEAD_BYTES = 64;

/** Reads the first bytes of a file and names its type by signature. */
export async function sniffFile(path: string): Promise<Sniffed> {
  const handle = await openRegular(path);
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(HEAD_BYTES), 0, HEAD_BYTES, 0);
    return sniffBytes(buffer.subarray(0, bytesRead), basename(path));
  } finally {
    await handle.close();
  }
}

/** Text is a document only by name: a text file called `notes.mp4` or `make.sh` is not one. */
const TEXT_DOCUMENTS: Readonly<Record<string, string>> = {
  '.txt': 'text/plain',
  '.md': 'text/markdown',
  '.markdown': 'text/markdown',
};

/**
 * The signature check itself, over the first bytes of a file. `name` tells text documents
 * (`.txt`, `.md`) from other text; every other type is told by its bytes alone.
 */
export function sniffBytes(head: Buffer, name = ''): Sniffed {
  const ascii = head.toString('latin1');
  const at = (offset: number, text: string) => ascii.startsWith(text, offset);
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return { kind: 'image', mime: 'image/jpeg' };
  if (at(0, '\x89PNG\r\n\x1a\n')) return { kind: 'image', mime: 'image/png' };
  if (at(0, 'RIFF') && at(8, 'WEBP')) return { kind: 'image', mime: 'image/webp' };
  if (at(0, 'GIF87a') || at(0, 'GIF89a')) return { kind: 'image', mime: 'image/gif' };
  // Stills archives are full of TIFF and BMP: images the models do not read, but a copy can be made of.
  if (at(0, 'II*\x00') || at(0, 'MM\x00*')) return { kind: 'image', mime: 'image/tiff' };
  if (at(0, 'BM') && head.length >= 26 && head.readUInt32LE(14) >= 12) return { kind: 'image', mime: 'image/bmp' };
  if (at(0, 'RIFF') && at(8, 'WAVE')) return { kind: 'audio', mime: 'audio/wav' };
  if (at(0, 'RIFF') && at(8, 'AVI ')) return { kind: 'video', mime: 'video/x-msvideo' };
  if (at(0, '%PDF-')) return { kind: 'document', mime: 'application/pdf' };
  if (at(0, 'fLaC')) return { kind: 'audio', mime: 'audio/flac' };
  if (at(0, 'OggS')) return { kind: 'audio', mime: 'audio/ogg' };
  if (at(0, 'ID3') || (head[0] === 0xff && head.length > 1 && ((head[1] ?? 0) & 0xe6) === 0xe2)) {
    return { kind: 'audio', mime: 'audio/mpeg' };
  }
  if (at(4, 'ftyp')) {
    const brand = ascii.slice(8, 12);
    if (brand === 'M4A ' || brand === 'M4B ') return { kind: 'audio', mime: 'audio/mp4' };
    if (brand === 'qt  ') return { kind: 'video', mime: 'video/quicktime' };
    return { kind: 'video', mime: 'video/mp4' };
  }
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) {
    return ascii.includes('webm') ? { kind: 'video', mime: 'video/webm' } : { kind: 'video', mime: 'video/x-matroska' };
  }
  const printable =
    head.length > 0 && [...head].every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b >= 0x80);
  const document = printable ? TEXT_DOCUMENTS[extname(name).toLowerCase()] : undefined;
  if (document) return { kind: 'document', mime: document };
  return { kind: null, mime: printable ? 'text/plain' : 'application/octet-stream' };
}

/** A scanned file with its sniffed type, ready for the engine's queue. */
export async function identify<T extends { readonly path: string }>(file: T): Promise<T & Sniffed> {
  const sniffed = await sniffFile(file.path).catch(() => ({ kind: null, mime: 'application/octet-stream' }) as const);
  return { ...file, ...sniffed };
}
