import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../../../electron/shared/limits';
import { placeWords } from '../../../../electron/shared/uploads';
import { copyArguments, partsOf, planCopy } from '../../../../electron/core/media/copy-plan';
import { shiftTimecode } from '../../../../electron/core/media/timecode';
import type { MediaFacts } from '../../../../electron/core/media/facts';
import {
  copyBytes,
  copyName,
  copyOf,
  copyOfWords,
  copyRecipe,
  copyWords,
  identityOf,
} from '../../../../electron/shared/upload-copy';

const VIDEO: MediaFacts = {
  container: 'QuickTime',
  videoCodec: 'ProRes',
  audioCodec: 'PCM',
  durationSeconds: 600,
  width: 3840,
  height: 2160,
  frameRate: 25,
  hasVideo: true,
  hasAudio: true,
  isImage: false,
};
const GB = 1e9;
const HOURS_4 = LIMITS.maxDurationSeconds;

describe('the upload copy planned for a file TwelveLabs will not take', () => {
  it('fits 6K and 8K footage into 1080p, either way up, keeping its shape', () => {
    const wide = planCopy(
      {
        kind: 'video',
        facts: { ...VIDEO, width: 6144, height: 2592 },
        size: 2 * GB,
        code: 'video_resolution_too_high',
        longest: HOURS_4,
      },
      LIMITS,
    );
    expect(wide).toMatchObject({ format: 'h264-mp4', width: 1920, height: 810, videoBitrate: null });
    const tall = planCopy(
      {
        kind: 'video',
        facts: { ...VIDEO, width: 2160, height: 7680 },
        size: 2 * GB,
        code: 'video_resolution_too_high',
        longest: HOURS_4,
      },
      LIMITS,
    );
    expect(tall).toMatchObject({ width: 540, height: 1920 });
  });

  it('holds a long master to the bitrate that keeps it under the size limit, and gives up past what can be searched', () => {
    // Ten minutes of 4K ProRes, 12 GB: a 1080p copy is quality-led and far under 10 GB.
    const master = planCopy(
      { kind: 'video', facts: VIDEO, size: 12 * GB, code: 'video_filesize_too_large', longest: HOURS_4 },
      LIMITS,
    );
    expect(master).toMatchObject({ format: 'h264-mp4', width: 1920, height: 1080, videoBitrate: null });
    expect(master!.estimateBytes).toBeLessThan(LIMITS.multipartMaxBytes);
    // Four hours under a 5 GB limit: the bitrate is held so the copy fits, with the margin.
    const long = planCopy(
      {
        kind: 'video',
        facts: { ...VIDEO, durationSeconds: 4 * 3600 },
        size: 40 * GB,
        code: 'video_filesize_too_large',
        longest: HOURS_4,
      },
      { ...LIMITS, multipartMaxBytes: 5 * GB },
    );
    expect(long!.videoBitrate).toBeGreaterThan(300_000);
    expect(long!.estimateBytes).toBeLessThanOrEqual(5 * GB * 0.9);
    // Under 200 MB, even a part at the longest the model takes would be a smear: no copy is planned.
    expect(
      planCopy(
        {
          kind: 'video',
          facts: { ...VIDEO, durationSeconds: 24 * 3600 },
          size: 40 * GB,
          code: 'video_filesize_too_large',
          longest: HOURS_4,
        },
        { ...LIMITS, multipartMaxBytes: 0.2 * GB },
      ),
    ).toBeNull();
  });

  it('turns audio into FLAC (or MP3 when too large) and images into PNG (or a smaller JPEG)', () => {
    const audio = { ...VIDEO, hasVideo: false, width: null, height: null, container: 'MPEG-4', audioCodec: 'AAC' };
    expect(
      planCopy({ kind: 'audio', facts: audio, size: 1e6, code: 'audio_format_unsupported', longest: HOURS_4 }, LIMITS),
    ).toMatchObject({
      format: 'flac',
      width: null,
    });
    expect(
      planCopy({ kind: 'audio', facts: audio, size: 1e6, code: 'audio_filesize_too_large', longest: HOURS_4 }, LIMITS),
    ).toMatchObject({
      format: 'mp3',
    });
    const image = { ...VIDEO, isImage: true, hasAudio: false, durationSeconds: null, width: 8000, height: 6000 };
    expect(
      planCopy({ kind: 'image', facts: image, size: 1e8, code: 'image_format_unsupported', longest: HOURS_4 }, LIMITS),
    ).toMatchObject({
      format: 'png',
      width: 8000,
    });
    const jpeg = planCopy(
      { kind: 'image', facts: image, size: 1e8, code: 'media_filesize_too_large', longest: HOURS_4 },
      LIMITS,
    )!;
    expect(jpeg.format).toBe('jpeg');
    expect(jpeg.estimateBytes).toBeLessThan(LIMITS.imageMaxBytes);
  });

  it('plans nothing for what a copy cannot fix', () => {
    for (const code of ['video_duration_too_short', 'video_resolution_too_low', 'video_file_broken']) {
      expect(planCopy({ kind: 'video', facts: VIDEO, size: GB, code, longest: HOURS_4 }, LIMITS)).toBeNull();
    }
    expect(
      planCopy(
        { kind: 'document', facts: VIDEO, size: GB, code: 'document_filesize_too_large', longest: HOURS_4 },
        LIMITS,
      ),
    ).toBeNull();
  });

  it('splits a programme longer than the model takes into even parts, each with room to move its cuts', () => {
    // Nine hours for search (Marengo takes four): three parts of three hours.
    const first = planCopy(
      {
        kind: 'video',
        facts: { ...VIDEO, width: 1920, height: 1080, durationSeconds: 9 * 3600 },
        size: 8 * GB,
        code: 'video_duration_too_long',
        longest: HOURS_4,
      },
      LIMITS,
    )!;
    expect(first.part).toEqual({ index: 1, of: 3, start: 0, end: 3 * 3600, leeway: 30 });
    const parts = partsOf(first);
    expect(parts.map((copy) => [copy.part!.index, copy.part!.start, copy.part!.end])).toEqual([
      [1, 0, 3 * 3600],
      [2, 3 * 3600, 6 * 3600],
      [3, 6 * 3600, 9 * 3600],
    ]);
    // Each part alone under the size limit; the offer speaks of all of them.
    expect(first.estimateBytes).toBeLessThan(LIMITS.multipartMaxBytes);
    expect(copyBytes(first)).toBe(first.estimateBytes * 3);
    expect(copyWords(parts[1]!)).toMatch(/^H\.264 MP4, 1920×1080, part 2 of 3, about /);
    expect(copyWords(first, true)).toMatch(/^H\.264 MP4, 1920×1080, in 3 parts, about .* in all$/);
    expect(copyName('Match.mxf', 'h264-mp4', parts[1]!.part)).toBe('Match (part 2 of 3).mp4');
    // The parts of one original are not each other's duplicates.
    expect(new Set(parts.map((copy) => identityOf('abc', copy.part))).size).toBe(3);
    // Just over two hours for analysis (Pegasus): two parts, and the leeway keeps each within two hours.
    const analysis = planCopy(
      {
        kind: 'audio',
        facts: { ...VIDEO, hasVideo: false, width: null, height: null, durationSeconds: 2.1 * 3600 },
        size: GB,
        code: 'audio_duration_too_long',
        longest: LIMITS.pegasusMaxDurationSeconds,
      },
      LIMITS,
    )!;
    expect(analysis).toMatchObject({ format: 'flac', part: { of: 2 } });
    const { end, leeway } = analysis.part!;
    expect(end + 2 * leeway).toBeLessThanOrEqual(LIMITS.pegasusMaxDurationSeconds);
    // The Library's link back names the part and where it starts in the original.
    const metadata = {
      upload_copy_of: 'Match.mxf',
      upload_copy_of_format: 'XDCAM HD422, 1920×1080',
      upload_copy_part: '2/3',
      upload_copy_part_start: 10_812.4,
    };
    expect(copyOfWords(copyOf(metadata)!)).toBe(
      'Upload copy of part 2 of 3 of Match.mxf, from 3:00:12 (XDCAM HD422, 1920×1080)',
    );
    expect(copyRecipe(parts[2]!)).toBe('H.264 MP4, 1920x1080, part 3/3');
    // The CLI's lines tell the parts apart.
    expect(placeWords({ relativePath: 'Day 2/Match.mxf', copy: parts[1]! })).toBe('Day 2/Match.mxf · Part 2 of 3');
    // A part reads only its stretch of the original.
    const args = copyArguments(parts[1]!, '/in.mxf', '/out.mp4.part');
    expect(args.slice(args.indexOf('-ss'), args.indexOf('-ss') + 4)).toEqual(['-ss', '10800.000', '-i', '/in.mxf']);
    expect(args[args.indexOf('-t') + 1]).toBe('10800.000');
  });

  it('names, describes and records the copy', () => {
    const copy = planCopy(
      {
        kind: 'video',
        facts: { ...VIDEO, width: 6144, height: 2592 },
        size: 2 * GB,
        code: 'video_resolution_too_high',
        longest: HOURS_4,
      },
      LIMITS,
    )!;
    expect(copyName('A001_C002.mov', copy.format)).toBe('A001_C002.mp4');
    expect(copyName('.hidden', 'flac')).toBe('.hidden.flac');
    expect(copyWords(copy)).toMatch(/^H\.264 MP4, 1920×810, about \d/);
    expect(copyRecipe(copy)).toBe('H.264 MP4, 1920x810');
    // The first picture and sound only, scaled, in 4:2:0, progress on stdout, to the part file named.
    const args = copyArguments(copy, '/in.mov', '/out.mp4.part');
    expect(args).toEqual(
      expect.arrayContaining(['-map', '0:v:0', '0:a:0?', 'scale=1920:810,format=yuv420p', 'libx264', 'pipe:1']),
    );
    expect(args.at(-1)).toBe('/out.mp4.part');
  });

  it("gives a part the original's timecode where it starts, drop-frame or not", () => {
    expect(shiftTimecode('01:02:03:04', 3, 25)).toBe('01:02:06:04');
    expect(shiftTimecode('23:59:59:24', 1, 25)).toBe('00:00:00:24');
    // 23.976 counts 24 frames a timecode second, so two hours of it are a little under two in timecode.
    expect(shiftTimecode('10:00:00:00', 2 * 3600 + 0.5, 23.976)).toBe('11:59:53:07');
    // 29.97 drop-frame: the first two frame numbers of each minute are skipped, but every tenth.
    expect(shiftTimecode('00:00:00;00', 1800 / 29.97, 29.97)).toBe('00:01:00;02');
    expect(shiftTimecode('00:00:00;00', 17_982 / 29.97, 29.97)).toBe('00:10:00;00');
    expect(shiftTimecode('00:00:59;29', 1 / 29.97, 29.97)).toBe('00:01:00;02');
    expect(shiftTimecode('not a timecode', 1, 25)).toBeNull();
  });
});
