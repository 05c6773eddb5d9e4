import { describe, expect, it } from 'vitest';
import type { MediaFacts } from '../../../../electron/core/media/probe';
import { judge, spokenDuration } from '../../../../electron/core/media/rules';

const HD: MediaFacts = {
  container: 'MPEG-4',
  videoCodec: 'AVC',
  audioCodec: 'AAC',
  durationSeconds: 60,
  width: 1920,
  height: 1080,
  frameRate: 25,
  hasVideo: true,
  hasAudio: true,
  isImage: false,
};
const video = (facts: Partial<MediaFacts>, size = 1e8) =>
  judge({ kind: 'video', mime: 'video/mp4', size, facts: { ...HD, ...facts } });

describe('the preflight rules (limits from the one table)', () => {
  it('passes a normal video, and warns when it is too long for Pegasus but fine to upload', () => {
    expect(video({})).toEqual({ ok: true, warnings: [] });
    expect(video({ durationSeconds: 3 * 3600 })).toEqual({
      ok: true,
      warnings: ['At 3 hours it can be searched, but it is too long for Pegasus analysis (up to 2 hours).'],
    });
  });

  it('refuses what TwelveLabs would refuse, naming the file’s own numbers', () => {
    expect(video({ durationSeconds: 4 * 3600 + 600 })).toMatchObject({
      code: 'video_duration_too_long',
      message: 'This video is 4 h 10 min long; TwelveLabs takes up to 4 hours. Split it into shorter parts.',
    });
    expect(video({}, 11e9)).toMatchObject({
      code: 'video_filesize_too_large',
      message: 'This video is 11.0 GB; TwelveLabs takes files up to 10.0 GB. Split it into shorter parts.',
    });
    expect(video({ width: 360, height: 1080 })).toMatchObject({
      code: 'video_resolution_invalid_aspect_ratio',
      message: expect.stringContaining('3.0 times as tall as it is wide'),
    });
    expect(video({ width: 5184, height: 2160 })).toMatchObject({ ok: true });
    expect(video({ width: 360, height: 360, durationSeconds: 4 })).toMatchObject({ ok: true });
    expect(video({ hasVideo: false })).toMatchObject({ code: 'video_file_broken' });
    expect(video({ width: null })).toMatchObject({ code: 'video_file_broken' });
    expect(
      judge({
        kind: 'audio',
        mime: 'audio/wav',
        size: 1e6,
        facts: { ...HD, container: 'Wave', hasVideo: false, durationSeconds: 5 * 3600 },
      }),
    ).toMatchObject({
      code: 'audio_duration_too_long',
      message: expect.stringContaining('This audio is 5 hours long'),
    });
  });

  it('checks images for format, size and dimensions', () => {
    const image = (facts: Partial<MediaFacts>, size = 1e5, mime = 'image/jpeg') =>
      judge({
        kind: 'image',
        mime,
        size,
        facts: { ...HD, container: 'JPEG', width: 800, height: 600, ...facts },
        complete: true,
      });
    expect(image({})).toEqual({ ok: true, warnings: [] });
    expect(image({ container: 'GIF' }, 1e5, 'image/gif')).toMatchObject({
      code: 'image_format_unsupported',
      message: 'This image is GIF; TwelveLabs takes JPEG and PNG. Save it as one of those.',
    });
    // 6 MB was refused under the seed's 5 MB; today's API takes images up to 32 MB.
    expect(image({}, 6e6)).toEqual({ ok: true, warnings: [] });
    expect(image({}, 40e6)).toMatchObject({
      code: 'media_filesize_too_large',
      message: 'This image is 40.0 MB; TwelveLabs takes images up to 32.0 MB. Save it smaller.',
    });
    expect(image({ width: 127 })).toMatchObject({ code: 'image_too_small' });
  });

  it('says durations the way people do', () => {
    expect(spokenDuration(1)).toBe('1 second');
    expect(spokenDuration(2.06)).toBe('2.1 seconds');
    expect(spokenDuration(75)).toBe('75 seconds');
    expect(spokenDuration(600)).toBe('10 minutes');
    expect(spokenDuration(7200)).toBe('2 hours');
    expect(spokenDuration(3600 + 1800)).toBe('1 h 30 min');
  });
});
