import { describe, expect, it } from 'vitest';
import { copySecondsLeft } from '../../../electron/shared/upload-copy';
import { attentionGroups } from '../../../electron/shared/attention';
import type { UploadItem, UploadStatus } from '../../../electron/shared/uploads';

let n = 0;
const item = (status: UploadStatus): UploadItem => ({
  id: `i${(n += 1)}`,
  batchId: 'b',
  path: `/Volumes/CARD/${n}.mov`,
  relativePath: `${n}.mov`,
  name: `${n}.mov`,
  size: 1,
  kind: 'video',
  strategy: 'direct',
  status,
  bytesSent: 0,
  addedAt: 0,
  position: 0,
  updatedAt: 0,
});

describe('Needs attention, grouped by reason', () => {
  it('groups by reason where files share one, largest first, one action each, and leaves everything else out', () => {
    const notMedia = {
      kind: 'rejected',
      code: 'unsupported_type',
      message: 'This is a text file, not a video.',
    } as const;
    const items = [
      item(notMedia),
      item({ kind: 'failed', code: 'network', message: 'x', retryable: true }),
      item(notMedia),
      item({ kind: 'file-missing' }),
      item(notMedia),
      item({ kind: 'ready', assetId: 'a' }),
      item({ kind: 'failed', code: 'processing_failed', message: 'x', detail: 'too short', retryable: false }),
      item({ kind: 'failed', code: 'network', message: 'y', retryable: true }),
    ];
    const groups = attentionGroups(items);
    // A reason only one file has is not a group: its row names the file and says it.
    expect(groups.map((g) => [g.label, g.ids.length, g.action.label])).toEqual([
      ["Can't upload: This is not a video, audio, image or document file.", 3, 'Remove these 3 from the list'],
      ['Upload failed: The connection to TwelveLabs kept failing.', 2, 'Retry these 2'],
    ]);
    expect(groups[0]!.ids).toEqual([items[0]!.id, items[2]!.id, items[4]!.id]);
  });

  it('offers Retry only when every file of the group can be retried', () => {
    const groups = attentionGroups([
      item({ kind: 'failed', code: 'server_error', message: 'x', retryable: true }),
      item({ kind: 'failed', code: 'server_error', message: 'x', retryable: false }),
    ]);
    expect(groups.map((g) => g.action)).toEqual([{ id: 'remove', label: 'Remove these 2 from the list' }]);
  });

  it('offers copies of a whole group, with their size, only when every file in it has one on offer', () => {
    const aac = { kind: 'rejected', code: 'audio_format_unsupported', message: 'This audio is AAC.' } as const;
    const copy = {
      because: 'audio_format_unsupported',
      format: 'flac',
      width: null,
      height: null,
      videoBitrate: null,
      durationSeconds: 60,
      estimateBytes: 5_400_000,
      original: 'AAC',
    } as const;
    const offered = [
      { ...item(aac), copy },
      { ...item(aac), copy },
    ];
    expect(attentionGroups(offered)[0]?.action).toEqual({
      id: 'make-copy',
      label: 'Upload copies of these 2 (about 10.8 MB)',
    });
    // One without an offer (FFmpeg gone meanwhile): Remove, as for any refusal.
    expect(attentionGroups([...offered, item(aac)])[0]?.action.id).toBe('remove');
    // With the time each takes to make; a programme offered in parts counts every part.
    const timed = { ...copy, estimateSeconds: 600 };
    const parts = { ...timed, part: { index: 1, of: 3, start: 0, end: 20, leeway: 1 } };
    expect(
      attentionGroups([
        { ...item(aac), copy: timed },
        { ...item(aac), copy: parts },
      ])[0]?.action.label,
    ).toBe('Upload copies of these 2 (about 21.6 MB, 40 min to make)');
  });

  it('says how long the copies still to be made will take, by the pace of the ones being made', () => {
    const copy = {
      because: 'video_filesize_too_large',
      format: 'h264-mp4',
      width: 1920,
      height: 1080,
      videoBitrate: null,
      durationSeconds: 600,
      estimateBytes: 1e9,
      estimateSeconds: 600,
      original: 'ProRes',
    } as const;
    // Nothing made yet: the plans say.
    expect(copySecondsLeft([{ copy }, { copy }])).toBe(1200);
    // The one being made is half done with 150 s left (300 s in all, half its plan): the next one
    // is expected at the same pace.
    expect(copySecondsLeft([{ copy, copyProgress: { fraction: 0.5, secondsLeft: 150 } }, { copy }])).toBe(450);
    // Two made at once share the waiting one.
    const making = { copy, copyProgress: { fraction: 0.5, secondsLeft: 300 } };
    expect(copySecondsLeft([making, making, { copy }])).toBe(900);
    // A copy planned before plans had times: unknown.
    const { estimateSeconds: _none, ...untimed } = copy;
    expect(copySecondsLeft([{ copy: untimed }])).toBeNull();
  });
});
