import { basename } from 'node:path';
import type { MediaFacts } from './facts';
import { openRegular } from './regular-file';
import { HEAD_BYTES, sniffBytes, type Sniffed } from './sniff';

/** What walking a JPEG or PNG found: whether it reaches its end, and its frame size if it says one. */
interface StillWalk {
  readonly complete: boolean;
  readonly width: number | null;
  readonly height: number | null;
}

/** What a file is, as its check reads it: its type by content, its facts, and for a still whether it is whole. */
export interface Look {
  readonly sniffed: Sniffed;
  readonly facts: MediaFacts | null;
  /** For a JPEG or PNG: whether it reaches its end (see `walkStill`). */
  readonly complete?: boolean;
}

/** Read at once from the start of a file: a whole small still, or a large one's headers. */
const HEAD_READ = 64 * 1024;

const UNKNOWN: Sniffed = { kind: null, mime: 'application/octet-stream' };

/**
 * Looks at a file with one open and, for most stills, one read: its type by its first bytes, and a
 * JPEG or PNG walked from what was read (see `walkStill`), its facts taken on the way. Anything
 * else (and a still whose walk finds no size) is `probe`d. A file that cannot be opened is of no
 * known type; one that fails a read rejects, to be said as unreadable.
 */
export async function lookAt(path: string, probe: (path: string) => Promise<MediaFacts | null>): Promise<Look> {
  const handle = await openRegular(path).catch(() => null);
  if (!handle) return { sniffed: UNKNOWN, facts: null };
  let sniffed: Sniffed;
  let walk: StillWalk | null;
  try {
    const { size } = await handle.stat();
    const head = Buffer.allocUnsafe(Math.min(Math.max(size, 1), HEAD_READ));
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    sniffed = sniffBytes(head.subarray(0, Math.min(bytesRead, HEAD_BYTES)), basename(path));
    // Served from the head where the bytes asked for are all in it (or it is the whole file).
    const read: Read = async (at, length) => {
      if (at + length <= bytesRead || bytesRead >= size) return head.subarray(at, Math.min(at + length, bytesRead));
      const { buffer, bytesRead: got } = await handle.read(Buffer.allocUnsafe(length), 0, length, at);
      return buffer.subarray(0, got);
    };
    walk = await walkStill(read, size, sniffed.mime);
  } finally {
    await handle.close();
  }
  // Documents are TwelveLabs' to read; MediaInfo has nothing to say about them (their facts are the
  // rules', which a media thread does not load: they bring every language's words).
  if (sniffed.kind === null || sniffed.kind === 'document') return { sniffed, facts: null };
  const facts = stillFacts(sniffed.mime, walk) ?? (await probe(path));
  return { sniffed, facts, ...(walk && { complete: walk.complete }) };
}

/**
 * Reads a JPEG or PNG as a decoder does rather than by its last bytes: a PNG's chunks are walked to
 * IEND, a JPEG's segments and scan data to its end-of-image marker, taking the frame size on the
 * way (PNG's IHDR, JPEG's start-of-frame). What follows the end is none of the image's business: a
 * few bytes an exporter adds after IEND, or the video a phone appends to a "motion photo" JPEG
 * (Pixel's `_MP.jpg`, Samsung's), which decoders and browsers ignore. A download cut off halfway
 * never reaches its end. Null for any other type.
 */
async function walkStill(read: Read, size: number, mime: string): Promise<StillWalk | null> {
  if (mime === 'image/png') return walkPng(read, size);
  if (mime === 'image/jpeg') return walkJpeg(read);
  return null;
}

/**
 * A still's facts as MediaInfo gives them (its format's name, its frame size), from its walk:
 * MediaInfo's analysis costs milliseconds a file, which an archive of a million stills feels. Null
 * when the walk found no frame size, for MediaInfo to look at.
 */
function stillFacts(mime: string, walk: StillWalk | null): MediaFacts | null {
  if (!walk?.width || !walk.height) return null;
  return {
    container: mime === 'image/png' ? 'PNG' : 'JPEG',
    videoCodec: null,
    audioCodec: null,
    durationSeconds: null,
    width: walk.width,
    height: walk.height,
    frameRate: null,
    hasVideo: false,
    hasAudio: false,
    isImage: true,
  };
}

type Read = (at: number, length: number) => Promise<Buffer>;

/** Walks a PNG's chunks (length, type, data, CRC) from after its signature to IEND. */
async function walkPng(read: Read, size: number): Promise<StillWalk> {
  let width: number | null = null;
  let height: number | null = null;
  for (let at = 8; at + 12 <= size;) {
    const head = await read(at, at === 8 ? 16 : 8);
    if (head.length < 8) break;
    const type = head.toString('latin1', 4, 8);
    if (type === 'IEND') return { complete: true, width, height };
    if (type === 'IHDR' && head.length >= 16) {
      width = head.readUInt32BE(8);
      height = head.readUInt32BE(12);
    }
    at += 12 + head.readUInt32BE(0);
  }
  return { complete: false, width, height };
}

const SCAN_READ = 64 * 1024;

/** JPEG's start-of-frame markers: every 0xC0-0xCF but DHT (C4), JPG (C8) and DAC (CC). */
function startsFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/**
 * Walks a JPEG from after its start-of-image: each marker segment by its length, and the
 * entropy-coded data after a start-of-scan up to the next marker (0xFF followed by anything but
 * 0x00, a restart marker or fill), until the end-of-image marker. The frame size is the first
 * start-of-frame's (an EXIF thumbnail's sits inside its APP1 segment, which is passed over whole).
 */
async function walkJpeg(read: Read): Promise<StillWalk> {
  let width: number | null = null;
  let height: number | null = null;
  const ended = (complete: boolean): StillWalk => ({ complete, width, height });
  let at = 2;
  for (;;) {
    const head = await read(at, 9);
    if (head.length < 2 || head[0] !== 0xff) return ended(false);
    const marker = head[1]!;
    if (marker === 0xff) {
      at += 1; // fill byte before a marker
      continue;
    }
    at += 2;
    if (marker === 0xd9) return ended(true);
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) continue;
    if (head.length < 4) return ended(false);
    const length = head.readUInt16BE(2);
    if (length < 2) return ended(false);
    // Length, precision, height, width; a height of 0 is given later (DNL), for MediaInfo to find.
    if (startsFrame(marker) && width === null && head.length >= 9 && head.readUInt16BE(5) > 0) {
      height = head.readUInt16BE(5);
      width = head.readUInt16BE(7);
    }
    at += length;
    if (marker !== 0xda) continue;
    // Scan data: find where the next marker starts.
    for (;;) {
      const data = await read(at, SCAN_READ);
      if (data.length < 2) return ended(false);
      let ff = data.indexOf(0xff);
      while (ff !== -1 && ff + 1 < data.length) {
        const next = data[ff + 1]!;
        if (next !== 0x00 && next !== 0xff && (next < 0xd0 || next > 0xd7)) break;
        ff = data.indexOf(0xff, ff + 1);
      }
      if (ff !== -1 && ff + 1 < data.length) {
        at += ff;
        break;
      }
      // No marker in this read: go on from its last 0xFF (its next byte is in the next read).
      at += ff === -1 ? data.length : Math.max(ff, 1);
    }
  }
}
