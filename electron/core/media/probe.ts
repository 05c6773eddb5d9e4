import mediaInfoFactory, { type MediaInfo, type Track } from 'mediainfo.js';
import type { MediaFacts } from './facts';
import { Limiter } from '../util/limiter';
import { openRegular } from './regular-file';
import { m } from '../../shared/i18n';

/**
 * Most of what a probe needs sits in the first and last megabytes (an MP4's `moov` box may be at
 * either end); MediaInfo seeks there itself. Past this budget it is told the file has ended, so a
 * file whose index is missing cannot make a probe read gigabytes.
 */
export const PROBE_BUDGET_BYTES = 4 * 1024 * 1024;

/** Reads up to `length` bytes at `offset`; fewer (or none) at the end. */
export type ProbeRead = (length: number, offset: number) => Promise<Uint8Array>;

/**
 * Reads container, codecs, duration, frame size and frame rate with MediaInfo's WebAssembly build,
 * which ships inside the package: no external binary. A few analysers are kept and shared, so
 * probing 10,000 files runs at most `concurrency` at a time. The app's checks probe files in media
 * threads (see `MediaThreads`), each with its own MediaInfo; links are read by ranges from here.
 */
export class Prober {
  /** Analysers not in use; never more than `concurrency` exist, since that many run at once. */
  readonly #idle: MediaInfo<'object'>[] = [];
  readonly #slots: Limiter;

  constructor(concurrency = 2) {
    this.#slots = new Limiter(concurrency);
  }

  /** Probes a file; resolves null when the file cannot be read at all. */
  async probe(path: string): Promise<MediaFacts | null> {
    return this.#withAnalyser((analyser) => probeFile(analyser, path));
  }

  /**
   * Probes bytes from anywhere (a file, a link read by ranges) within the same read budget;
   * resolves null when nothing could be read.
   */
  async probeSource(size: number, read: ProbeRead): Promise<MediaFacts | null> {
    return this.#withAnalyser((analyser) => analyse(analyser, size, read));
  }

  /** Frees the analysers' WebAssembly memory (the threads are their owner's to stop). */
  close(): void {
    for (const analyser of this.#idle.splice(0)) analyser.close();
  }

  #withAnalyser<T>(use: (analyser: MediaInfo<'object'>) => Promise<T>): Promise<T> {
    return this.#slots.run(async () => {
      const analyser = this.#idle.pop() ?? (await mediaInfoFactory({ format: 'object' }));
      try {
        return await use(analyser);
      } finally {
        this.#idle.push(analyser);
      }
    });
  }
}

/** One file through `analyser`, read from disk within the budget; null when it cannot be opened. */
export async function probeFile(analyser: MediaInfo<'object'>, path: string): Promise<MediaFacts | null> {
  const handle = await openRegular(path).catch(() => null);
  if (!handle) return null;
  try {
    const { size } = await handle.stat();
    return await analyse(analyser, size, async (length, offset) => {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(length), 0, length, offset);
      return buffer.subarray(0, bytesRead);
    });
  } finally {
    await handle.close();
  }
}

async function analyse(analyser: MediaInfo<'object'>, size: number, read: ProbeRead): Promise<MediaFacts | null> {
  try {
    let budget = PROBE_BUDGET_BYTES;
    const result = await analyser.analyzeData(size, async (length, offset) => {
      const wanted = Math.min(length, budget);
      if (wanted <= 0) return new Uint8Array(0);
      const bytes = await read(wanted, offset);
      budget -= bytes.length;
      return bytes;
    });
    return factsOf(result.media?.track ?? []);
  } catch {
    return null;
  }
}

function numberOf(value: unknown): number | null {
  const parsed = typeof value === 'number' ? value : typeof value === 'string' ? Number.parseFloat(value) : NaN;
  return Number.isFinite(parsed) ? parsed : null;
}

function stringOf(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** MediaInfo's tracks, boiled down to the facts the rules check. */
export function factsOf(tracks: readonly Track[]): MediaFacts {
  const general = tracks.find((track) => track['@type'] === 'General');
  const video = tracks.find((track) => track['@type'] === 'Video');
  const audio = tracks.find((track) => track['@type'] === 'Audio');
  const image = tracks.find((track) => track['@type'] === 'Image');
  const picture = video ?? image;
  return {
    container: stringOf(general?.Format),
    videoCodec: stringOf(video?.Format),
    audioCodec: stringOf(audio?.Format),
    durationSeconds: numberOf(general?.Duration) ?? numberOf(video?.Duration) ?? numberOf(audio?.Duration),
    width: numberOf(picture?.Width),
    height: numberOf(picture?.Height),
    frameRate: numberOf(video?.FrameRate),
    hasVideo: video !== undefined,
    hasAudio: audio !== undefined,
    isImage: image !== undefined,
  };
}

/** "MPEG-4 · AVC · 640×360 · 15 fps · 2.0 s": the facts for a Details line. */
export function describeFacts(facts: MediaFacts): string {
  const parts = [
    facts.container,
    facts.videoCodec,
    facts.audioCodec && facts.audioCodec !== facts.container ? facts.audioCodec : null,
    facts.width !== null && facts.height !== null ? `${facts.width}×${facts.height}` : null,
    facts.frameRate !== null ? `${Math.round(facts.frameRate * 100) / 100} fps` : null,
    facts.durationSeconds !== null ? `${facts.durationSeconds.toFixed(1)} s` : null,
  ];
  return parts.filter((part) => part !== null).join(' · ') || m.facts_nothing();
}
