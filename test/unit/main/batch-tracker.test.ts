import { describe, expect, it, vi } from 'vitest';
import { BatchTracker, confirmQuit, type OsPort } from '../../../electron/main/batch-tracker';
import type { UploadTotals } from '../../../electron/shared/uploads';

function totals(partial: Partial<UploadTotals>): UploadTotals {
  return {
    files: 0,
    filesDone: 0,
    filesFailed: 0,
    bytes: 0,
    bytesDone: 0,
    bytesPerSecond: 0,
    secondsLeft: null,
    ...partial,
  };
}

function port(): OsPort & { calls: Record<string, unknown[][]> } {
  const calls: Record<string, unknown[][]> = { setProgress: [], setTooltip: [], notify: [], preventSleep: [] };
  return {
    calls,
    setProgress: (...args) => calls.setProgress!.push(args),
    setTooltip: (...args) => calls.setTooltip!.push(args),
    notify: (...args) => calls.notify!.push(args),
    preventSleep: (...args) => calls.preventSleep!.push(args),
  };
}

describe('what the OS shows about uploads', () => {
  it('shows progress while a batch runs and one notification when it ends, not one per file', () => {
    const os = port();
    const tracker = new BatchTracker(os, () => ({ notifications: true, keepAwake: true }));
    tracker.update(totals({ files: 3, bytes: 300, bytesDone: 0 }));
    tracker.update(totals({ files: 3, filesDone: 1, bytes: 300, bytesDone: 150, secondsLeft: 120 }));
    tracker.update(totals({ files: 3, filesDone: 2, bytes: 300, bytesDone: 250 }));
    expect(os.calls.notify).toEqual([]);
    tracker.update(totals({ files: 3, filesDone: 2, filesFailed: 1, bytes: 300, bytesDone: 250 }));
    expect(os.calls.notify).toEqual([['Uploads need attention', '2 files uploaded, 1 need attention']]);
    expect(os.calls.setProgress!.map(([f]) => f)).toEqual([0, 0.5, 250 / 300, -1]);
    expect(os.calls.setTooltip![1]).toEqual(['Uploading: 1 of 3 files, 150 B of 300 B, about 2 min left']);
    expect(os.calls.preventSleep).toEqual([[true], [false]]);

    tracker.update(totals({ files: 5, filesDone: 2, filesFailed: 1, bytes: 500, bytesDone: 250 }));
    tracker.update(totals({ files: 5, filesDone: 4, filesFailed: 1, bytes: 500, bytesDone: 500 }));
    expect(os.calls.notify![1]).toEqual(['Uploads finished', '2 files uploaded']);
  });

  it('respects the notification and keep-awake settings', () => {
    const os = port();
    const tracker = new BatchTracker(os, () => ({ notifications: false, keepAwake: false }));
    tracker.update(totals({ files: 1, bytes: 10 }));
    tracker.update(totals({ files: 1, filesDone: 1, bytes: 10, bytesDone: 10 }));
    expect(os.calls.notify).toEqual([]);
    expect(os.calls.preventSleep).toEqual([]);
  });
});

describe('quitting', () => {
  it('asks first while files upload, and stops them cleanly only when the person agrees', async () => {
    const flush = vi.fn(async () => undefined);
    expect(await confirmQuit({ uploading: 4, ask: async () => false, flush })).toBe(false);
    expect(flush).not.toHaveBeenCalled();
    const ask = vi.fn(async () => true);
    expect(await confirmQuit({ uploading: 4, ask, flush })).toBe(true);
    expect(ask).toHaveBeenCalledWith(4);
    expect(flush).toHaveBeenCalledOnce();
  });

  it('does not ask when nothing is uploading', async () => {
    const ask = vi.fn(async () => false);
    expect(await confirmQuit({ uploading: 0, ask, flush: async () => undefined })).toBe(true);
    expect(ask).not.toHaveBeenCalled();
  });
});
