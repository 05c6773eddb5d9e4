import { describe, expect, it } from 'vitest';
import type { MediaFacts } from '../../../../electron/core/media/facts';
import { judge, spokenDuration } from '../../../../electron/core/media/rules';
import { LIMITS } from '../../../../electron/shared/limits';

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
  it('passes a normal video; how long is too long depends on the model the files are for', () => {
    expect(video({})).toEqual({ ok: true, warnings: [] });
    // Marengo (search) takes up to 4 hours: 3 hours is fine for search.
    expect(video({ durationSeconds: 3 * 3600 })).toEqual({ ok: true, warnings: [] });
    // Pegasus (analysis) stops at 2 hours.
    expect(
      judge({ kind: 'video', mime: 'video/mp4', size: 1e8, facts: { ...HD, durationSeconds: 3 * 3600 } }, LIMITS, {
        for: 'analysis',
        skipUnusable: false,
        copies: 'skip',
      }),
    ).toEqual({
      ok: true,
      warnings: [
        "Can't be used for analysis: this video is 3 hours long; the longest that can be used is 2 hours. It uploads all the same.",
      ],
      // What the model cannot use, by code: an upload copy may fix it.
      problem: 'video_duration_too_long',
    });
  });

  it('refuses what TwelveLabs itself refuses, naming the file’s own numbers', () => {
    expect(video({}, 11e9)).toMatchObject({
      code: 'video_filesize_too_large',
      message: 'This video is 11 GB; TwelveLabs takes files up to 10 GB. Split it into shorter parts.',
    });
    expect(video({ hasVideo: false })).toMatchObject({ code: 'video_file_broken' });
    expect(video({ width: null })).toMatchObject({ code: 'video_file_broken' });
  });

  it('warns about what the model cannot use, and skips it only when asked', () => {
    expect(video({ durationSeconds: 4 * 3600 + 600 })).toEqual({
      ok: true,
      warnings: [
        "Can't be used for search: this video is 4 hr 10 min long; the longest that can be used is 4 hours. It uploads all the same.",
      ],
      // What the model cannot use, by code: an upload copy may fix it.
      problem: 'video_duration_too_long',
    });
    expect(video({ width: 360, height: 1080 })).toMatchObject({
      ok: true,
      warnings: [expect.stringContaining('3.0 times as tall as it is wide; up to 2.4:1 can be used')],
    });
    expect(video({ width: 5184, height: 2160 })).toEqual({ ok: true, warnings: [] });
    expect(video({ width: 360, height: 360, durationSeconds: 4 })).toEqual({ ok: true, warnings: [] });
    const audio = judge(
      {
        kind: 'audio',
        mime: 'audio/wav',
        size: 1e6,
        facts: { ...HD, container: 'Wave', hasVideo: false, durationSeconds: 5 * 3600 },
      },
      LIMITS,
      { for: 'embeddings', skipUnusable: true, copies: 'skip' },
    );
    expect(audio).toEqual({
      ok: false,
      code: 'audio_duration_too_long',
      message:
        "Skipped, as it can't be used for embeddings: this audio is 5 hours long; the longest that can be used is 4 hours. Split it into shorter parts.",
    });
  });

  it('checks images for format, size (what TwelveLabs refuses) and dimensions (what the model needs)', () => {
    const image = (facts: Partial<MediaFacts>, size = 1e5, mime = 'image/jpeg') =>
      judge(
        {
          kind: 'image',
          mime,
          size,
          facts: { ...HD, container: 'JPEG', width: 800, height: 600, ...facts },
          complete: true,
        },
        LIMITS,
        { for: 'entities', skipUnusable: false, copies: 'skip' },
      );
    expect(image({})).toEqual({ ok: true, warnings: [] });
    expect(image({ container: 'GIF' }, 1e5, 'image/gif')).toMatchObject({
      code: 'image_format_unsupported',
      message: 'This image is GIF; TwelveLabs takes JPEG and PNG. Save it as one of those.',
    });
    // 6 MB was refused under the seed's 5 MB; today's API takes images up to 32 MB.
    expect(image({}, 6e6)).toEqual({ ok: true, warnings: [] });
    expect(image({}, 40e6)).toMatchObject({
      code: 'media_filesize_too_large',
      message: 'This image is 40 MB; TwelveLabs takes images up to 32 MB. Save it smaller.',
    });
    expect(image({ width: 127 })).toEqual({
      ok: true,
      warnings: [
        "Can't be used for entity search: this image is 127×600; the smallest that can be used is 128×128. It uploads all the same.",
      ],
      // What the model cannot use, by code: an upload copy may fix it.
      problem: 'image_too_small',
    });
  });

  it('says durations the way people do', () => {
    expect(spokenDuration(1)).toBe('1 second');
    expect(spokenDuration(2.06)).toBe('2.1 seconds');
    expect(spokenDuration(75)).toBe('75 seconds');
    expect(spokenDuration(600)).toBe('10 minutes');
    expect(spokenDuration(7200)).toBe('2 hours');
    expect(spokenDuration(3600 + 1800)).toBe('1 hr 30 min');
  });
});
