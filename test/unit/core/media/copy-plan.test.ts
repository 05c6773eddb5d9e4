import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../../../electron/shared/limits';
import { copyArguments, planCopy } from '../../../../electron/core/media/copy-plan';
import type { MediaFacts } from '../../../../electron/core/media/facts';
import { copyName, copyRecipe, copyWords } from '../../../../electron/shared/upload-copy';

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

describe('the upload copy planned for a file TwelveLabs will not take', () => {
  it('fits 6K and 8K footage into 1080p, either way up, keeping its shape', () => {
    const wide = planCopy(
      {
        kind: 'video',
        facts: { ...VIDEO, width: 6144, height: 2592 },
        size: 2 * GB,
        code: 'video_resolution_too_high',
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
      },
      LIMITS,
    );
    expect(tall).toMatchObject({ width: 540, height: 1920 });
  });

  it('holds a long master to the bitrate that keeps it under the size limit, and gives up past what can be searched', () => {
    // Ten minutes of 4K ProRes, 12 GB: a 1080p copy is quality-led and far under 10 GB.
    const master = planCopy({ kind: 'video', facts: VIDEO, size: 12 * GB, code: 'video_filesize_too_large' }, LIMITS);
    expect(master).toMatchObject({ format: 'h264-mp4', width: 1920, height: 1080, videoBitrate: null });
    expect(master!.estimateBytes).toBeLessThan(LIMITS.multipartMaxBytes);
    // Four hours under a 5 GB limit: the bitrate is held so the copy fits, with the margin.
    const long = planCopy(
      {
        kind: 'video',
        facts: { ...VIDEO, durationSeconds: 4 * 3600 },
        size: 40 * GB,
        code: 'video_filesize_too_large',
      },
      { ...LIMITS, multipartMaxBytes: 5 * GB },
    );
    expect(long!.videoBitrate).toBeGreaterThan(300_000);
    expect(long!.estimateBytes).toBeLessThanOrEqual(5 * GB * 0.9);
    // A day of footage under 1 GB would be a smear: no copy is planned (it needs splitting).
    expect(
      planCopy(
        {
          kind: 'video',
          facts: { ...VIDEO, durationSeconds: 24 * 3600 },
          size: 40 * GB,
          code: 'video_filesize_too_large',
        },
        { ...LIMITS, multipartMaxBytes: GB },
      ),
    ).toBeNull();
  });

  it('turns audio into FLAC (or MP3 when too large) and images into PNG (or a smaller JPEG)', () => {
    const audio = { ...VIDEO, hasVideo: false, width: null, height: null, container: 'MPEG-4', audioCodec: 'AAC' };
    expect(
      planCopy({ kind: 'audio', facts: audio, size: 1e6, code: 'audio_format_unsupported' }, LIMITS),
    ).toMatchObject({
      format: 'flac',
      width: null,
    });
    expect(
      planCopy({ kind: 'audio', facts: audio, size: 1e6, code: 'audio_filesize_too_large' }, LIMITS),
    ).toMatchObject({
      format: 'mp3',
    });
    const image = { ...VIDEO, isImage: true, hasAudio: false, durationSeconds: null, width: 8000, height: 6000 };
    expect(
      planCopy({ kind: 'image', facts: image, size: 1e8, code: 'image_format_unsupported' }, LIMITS),
    ).toMatchObject({
      format: 'png',
      width: 8000,
    });
    const jpeg = planCopy({ kind: 'image', facts: image, size: 1e8, code: 'media_filesize_too_large' }, LIMITS)!;
    expect(jpeg.format).toBe('jpeg');
    expect(jpeg.estimateBytes).toBeLessThan(LIMITS.imageMaxBytes);
  });

  it('plans nothing for what a copy cannot fix', () => {
    for (const code of [
      'video_duration_too_long',
      'video_duration_too_short',
      'video_resolution_too_low',
      'video_file_broken',
    ]) {
      expect(planCopy({ kind: 'video', facts: VIDEO, size: GB, code }, LIMITS)).toBeNull();
    }
    expect(
      planCopy({ kind: 'document', facts: VIDEO, size: GB, code: 'document_filesize_too_large' }, LIMITS),
    ).toBeNull();
  });

  it('names, describes and records the copy', () => {
    const copy = planCopy(
      {
        kind: 'video',
        facts: { ...VIDEO, width: 6144, height: 2592 },
        size: 2 * GB,
        code: 'video_resolution_too_high',
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
});
