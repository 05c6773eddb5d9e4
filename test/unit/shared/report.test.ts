import { describe, expect, it } from 'vitest';
import { fileAndFolder, formatReport, reasonWords, type ReportRow } from '../../../electron/shared/report';

const row = (over: Partial<ReportRow>): ReportRow => ({
  itemId: 'i1',
  path: '/Volumes/Card/Day 2/A-cam/clip.mp4',
  relativePath: 'Day 2/A-cam/clip.mp4',
  size: 1_500_000,
  sha256: null,
  assetId: null,
  state: 'ready',
  reason: null,
  addedAt: 0,
  startedAt: null,
  finishedAt: null,
  attempts: 1,
  indexId: null,
  indexName: null,
  indexState: null,
  indexedAt: null,
  uploadCopy: null,
  ...over,
});

describe('the list for people', () => {
  it('names a file and its folder as the person added them', () => {
    expect(fileAndFolder(row({}))).toEqual({ file: 'clip.mp4', folder: 'Day 2/A-cam' });
    // A file added on its own: the folder it is in, whole.
    expect(fileAndFolder(row({ path: 'C:\\Shoots\\clip.mp4', relativePath: 'clip.mp4' }))).toEqual({
      file: 'clip.mp4',
      folder: 'C:\\Shoots',
    });
    expect(fileAndFolder(row({ path: 'https://cdn.example.com/a.mp4', relativePath: 'a.mp4' }))).toEqual({
      file: 'a.mp4',
      folder: '',
    });
  });

  it('says a copy is a copy, and gives the link a file came from', () => {
    expect(reasonWords(row({ state: 'duplicate', reason: 'clip (1).mp4' }))).toBe(
      'Same content as clip (1).mp4, already uploaded',
    );
    // Sent as an upload copy: what went in its place.
    expect(reasonWords(row({ uploadCopy: 'H.264 MP4, 1920x800' }))).toBe('Sent as an upload copy: H.264 MP4, 1920x800');
    const sheet = formatReport(
      [
        row({ state: 'duplicate', reason: 'clip (1).mp4' }),
        row({
          path: 'https://cdn.example.com/a.mp4',
          relativePath: 'a.mp4',
          size: null,
          state: 'failed',
          reason: 'Gone',
        }),
      ],
      'sheet',
    );
    expect(sheet.split('\r\n')).toEqual([
      'File,Folder,Size (MB),Result,Reason,Index,Finished (local time),Link',
      'clip.mp4,Day 2/A-cam,1.5,Already in your library,"Same content as clip (1).mp4, already uploaded",,,',
      'a.mp4,,,Could not upload,Gone,,,https://cdn.example.com/a.mp4',
      '',
    ]);
  });
});
