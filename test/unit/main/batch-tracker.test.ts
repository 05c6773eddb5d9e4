import { describe, expect, it, vi } from 'vitest';
import { BatchTracker, confirmQuit, type OsPort } from '../../../electron/main/batch-tracker';
import { batchOutcome } from '../../../electron/shared/batch';
import { NO_TOTALS, pausedQueue, type UploadStatus, type UploadTotals } from '../../../electron/shared/uploads';
import { SAMPLE_STATUS } from '../../helpers/statuses';

const STATUS = SAMPLE_STATUS;

function totals(partial: Partial<UploadTotals>): UploadTotals {
  return {
    ...NO_TOTALS,
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
  /** Totals for a list of states, as the engine computes them. */
  const of = (kinds: UploadStatus['kind'][], bytes = { bytes: 0, bytesDone: 0 }, secondsLeft: number | null = null) =>
    totals({
      ...bytes,
      secondsLeft,
      outcome: batchOutcome(kinds.map((kind) => STATUS[kind])),
    });

  it('says why uploads are held, as the window does, instead of "Uploading"', () => {
    const os = port();
    const tracker = new BatchTracker(os, () => ({ notifications: true, keepAwake: true }));
    const held = { label: 'Waiting for network', detail: 'Resumes by itself when the connection is back' };
    tracker.update(of(['uploading', 'queued', 'ready'], { bytes: 300, bytesDone: 120 }), held);
    expect(os.calls.setTooltip!.at(-1)).toEqual([
      'Waiting for network: Resumes by itself when the connection is back (2 files wait)',
    ]);
    tracker.update(of(['uploading', 'queued', 'ready'], { bytes: 300, bytesDone: 120 }));
    expect(os.calls.setTooltip!.at(-1)![0]).toMatch(/^Uploading: 1 of 3 files done/);
  });

  it('a paused queue says Paused, lets the computer sleep, and sends no notification', () => {
    const os = port();
    const tracker = new BatchTracker(os, () => ({ notifications: true, keepAwake: true }));
    const kinds: UploadStatus['kind'][] = ['uploading', 'ready'];
    tracker.update(of(kinds, { bytes: 200, bytesDone: 120 }));
    expect(os.calls.preventSleep!.at(-1)).toEqual([true]);
    const paused: UploadStatus['kind'][] = ['paused', 'ready'];
    tracker.update({
      ...of(paused, { bytes: 200, bytesDone: 100 }),
      paused: pausedQueue({ paused: 1, ready: 1 }),
    });
    expect(os.calls.setTooltip!.at(-1)).toEqual(['Paused: 1 file paused; Resume all to go on']);
    expect(os.calls.preventSleep!.at(-1)).toEqual([false]);
    expect(os.calls.notify).toEqual([]);
    // One file still waiting its turn: not a paused queue.
    expect(pausedQueue({ paused: 1, queued: 1 })).toBe(0);
    // Files TwelveLabs is still processing do not keep it from being paused.
    expect(pausedQueue({ paused: 2, processing: 1 })).toBe(2);
  });

  it('shows progress while a batch runs and one notification counting every outcome when it ends', () => {
    const os = port();
    const tracker = new BatchTracker(os, () => ({ notifications: true, keepAwake: true }));
    tracker.update(of(['queued', 'queued', 'checking', 'checking'], { bytes: 300, bytesDone: 0 }));
    tracker.update(of(['ready', 'uploading', 'checking', 'checking'], { bytes: 300, bytesDone: 150 }, 120));
    tracker.update(of(['ready', 'ready', 'rejected', 'checking'], { bytes: 300, bytesDone: 250 }));
    expect(os.calls.notify).toEqual([]);
    tracker.update(of(['ready', 'ready', 'rejected', 'duplicate'], { bytes: 300, bytesDone: 300 }));
    expect(os.calls.notify).toEqual([
      ['Uploads need attention', '2 files uploaded, 1 already in your library, 1 could not be uploaded'],
    ]);
    expect(os.calls.setProgress!.map(([f]) => f)).toEqual([0, 0.5, 250 / 300, -1]);
    expect(os.calls.setTooltip![1]).toEqual(['Uploading: 1 of 4 files done, 150 B of 300 B, about 2 min left']);
    expect(os.calls.setTooltip![3]).toEqual([
      'TwelveLabs Uploader: 2 files uploaded, 1 already in your library, 1 could not be uploaded',
    ]);
    expect(os.calls.preventSleep).toEqual([[true], [false]]);

    // The next batch counts only its own files.
    tracker.update(of(['ready', 'ready', 'rejected', 'duplicate', 'queued'], { bytes: 500, bytesDone: 300 }));
    tracker.update(of(['ready', 'ready', 'rejected', 'duplicate', 'ready'], { bytes: 500, bytesDone: 500 }));
    expect(os.calls.notify![1]).toEqual(['Uploads finished', '1 file uploaded']);
  });

  it('keeps the batch open while files go into their index, then says how many are searchable', () => {
    const os = port();
    const tracker = new BatchTracker(os, () => ({ notifications: true, keepAwake: true }));
    const shoot = { name: 'Shoot 2026-10', searchable: 0, failed: 0, held: 0, skipped: 0, pending: 2, seconds: 10 };
    tracker.update({ ...of(['queued', 'queued'], { bytes: 200, bytesDone: 0 }), indexes: [shoot] });
    tracker.update({ ...of(['ready', 'ready'], { bytes: 200, bytesDone: 200 }), indexes: [shoot] });
    expect(os.calls.notify).toEqual([]);
    expect(os.calls.setTooltip!.at(-1)).toEqual(['Indexing: 0 searchable in Shoot 2026-10, 2 still being indexed']);
    tracker.update({
      ...of(['ready', 'ready'], { bytes: 200, bytesDone: 200 }),
      indexes: [{ ...shoot, pending: 0, searchable: 1, failed: 1 }],
    });
    expect(os.calls.notify).toEqual([
      ['Uploads need attention', '2 files uploaded; 1 searchable in Shoot 2026-10, 1 could not be indexed'],
    ]);
    expect(os.calls.preventSleep).toEqual([[true], [false]]);
  });

  it('ends the batch when only a missing drive is left, and says so', () => {
    const os = port();
    const tracker = new BatchTracker(os, () => ({ notifications: true, keepAwake: true }));
    tracker.update(of(['uploading', 'uploading']));
    tracker.update(of(['ready', 'file-missing']));
    expect(os.calls.notify).toEqual([['Uploads need attention', '1 file uploaded, 1 file waits for its drive']]);
    expect(os.calls.preventSleep).toEqual([[true], [false]]);
  });

  it('respects the notification and keep-awake settings', () => {
    const os = port();
    const tracker = new BatchTracker(os, () => ({ notifications: false, keepAwake: false }));
    tracker.update(of(['queued']));
    tracker.update(of(['ready']));
    expect(os.calls.notify).toEqual([]);
    expect(os.calls.preventSleep).toEqual([]);
  });
});

describe('quitting', () => {
  const onFlushFailed = vi.fn();

  it('asks first while files upload, and stops them cleanly only when the person agrees', async () => {
    const flush = vi.fn(async () => undefined);
    expect(await confirmQuit({ uploading: 4, ask: async () => false, flush, onFlushFailed })).toBe(false);
    expect(flush).not.toHaveBeenCalled();
    const ask = vi.fn(async () => true);
    expect(await confirmQuit({ uploading: 4, ask, flush, onFlushFailed })).toBe(true);
    expect(ask).toHaveBeenCalledWith(4);
    expect(flush).toHaveBeenCalledOnce();
  });

  it('does not ask when nothing is uploading', async () => {
    const ask = vi.fn(async () => false);
    expect(await confirmQuit({ uploading: 0, ask, flush: async () => undefined, onFlushFailed })).toBe(true);
    expect(ask).not.toHaveBeenCalled();
  });

  it('always quits: a stop that fails or hangs is reported, and the next Quit is not needed', async () => {
    const failed = vi.fn();
    const broken = new Error('SQLITE_IOERR: disk I/O error');
    expect(
      await confirmQuit({
        uploading: 1,
        ask: async () => true,
        flush: () => Promise.reject(broken),
        onFlushFailed: failed,
      }),
    ).toBe(true);
    expect(failed).toHaveBeenCalledWith(broken);
    const hung = confirmQuit({
      uploading: 0,
      ask: async () => true,
      flush: () => new Promise<void>(() => undefined),
      onFlushFailed: failed,
      flushMs: 50,
    });
    expect(await hung).toBe(true);
    expect(failed).toHaveBeenLastCalledWith(new Error('Stopping uploads took too long.'));
  });
});
