import { afterEach, describe, expect, it, vi } from 'vitest';
import { Reporter } from '../../../electron/cli/report';
import { NO_TOTALS, type UploadItem, type UploadStatus } from '../../../electron/shared/uploads';
import { uploadItem } from '../../helpers/upload-item';

afterEach(() => vi.restoreAllMocks());

/** The JSON lines a reporter writes for these changes, each as `kind` of the file it names. */
function said(reporter: Reporter, ...changes: (readonly UploadItem[])[]): string[] {
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    for (const line of String(chunk).split('\n').filter(Boolean)) {
      const event = JSON.parse(line) as { event: string; status?: { kind: string } };
      if (event.event === 'item') lines.push(event.status!.kind);
    }
    return true;
  });
  for (const items of changes) reporter.change({ items, removed: [], totals: NO_TOTALS });
  vi.restoreAllMocks();
  return lines;
}

describe("the CLI's line per change", () => {
  it('says each change once, and keeps a state only for the files that move', () => {
    const reporter = new Reporter(true);
    const files = Array.from({ length: 5_000 }, (_, at) => uploadItem(`Roll/${at}.jpg`, { kind: 'queued' }));
    expect(said(reporter, files)).toHaveLength(5_000);
    // A run of waiting files is not remembered file by file.
    expect(reporter.remembered).toBe(0);

    const uploading: UploadStatus = { kind: 'uploading' };
    const sending = files.slice(0, 3).map((item) => ({ ...item, status: uploading, bytesSent: 10 }));
    const more = sending.map((item) => ({ ...item, bytesSent: 20 }));
    // Progress of a file sending is not a change of state: said once.
    expect(said(reporter, sending, more)).toEqual(['uploading', 'uploading', 'uploading']);
    expect(reporter.remembered).toBe(3);

    const ready = sending.map((item) => ({ ...item, status: { kind: 'ready', assetId: 'a' } as UploadStatus }));
    expect(said(reporter, ready)).toEqual(['ready', 'ready', 'ready']);
    expect(reporter.remembered).toBe(0);
  });
});
