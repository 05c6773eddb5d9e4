import {
  checkFindings,
  groupOf,
  inLibrary,
  isActive,
  isFinished,
  isFinishing,
  rowNotice,
  statusDetail,
  statusLabel,
} from '../../../electron/shared/uploads';
import { batchOutcome } from '../../../electron/shared/batch';
import { describe, expect, it } from 'vitest';
import {
  can,
  canMove,
  KINDS as STATUS_KINDS,
  MOVES,
  rowAction,
  sqlKinds,
  type UploadAction,
} from '../../../electron/shared/upload-status';
import type { UploadStatusKind } from '../../../electron/shared/uploads';
import { SAMPLE_STATUS } from '../../helpers/statuses';

const KINDS = Object.keys(MOVES) as UploadStatusKind[];

const SAMPLE = SAMPLE_STATUS;

/** Every allowed move, written out: a change to the table must change this list too. */
const ALLOWED = new Set([
  'checking -> queued',
  'checking -> rejected',
  'checking -> duplicate',
  'checking -> copying',
  'copying -> queued',
  'copying -> failed',
  'copying -> paused',
  'copying -> cancelled',
  'copying -> file-missing',
  'uploading -> copying',
  'paused -> copying',
  'file-missing -> copying',
  'failed -> copying',
  'rejected -> copying',
  'cancelled -> copying',
  'queued -> uploading',
  'queued -> paused',
  'queued -> cancelled',
  'uploading -> processing',
  'uploading -> failed',
  'uploading -> file-missing',
  'uploading -> paused',
  'uploading -> cancelled',
  'uploading -> queued',
  'uploading -> checking',
  'paused -> queued',
  'paused -> cancelled',
  // Its last bytes taken as it was paused or cancelled: the asset exists, and is followed.
  'paused -> processing',
  'cancelled -> processing',
  'file-missing -> queued',
  'file-missing -> cancelled',
  'processing -> ready',
  'processing -> failed',
  'failed -> queued',
  'rejected -> checking',
  'duplicate -> queued',
  'duplicate -> copying',
  'cancelled -> queued',
]);

describe('the upload status table', () => {
  it('pins what every kind of state is, for every surface and the journal', () => {
    // group, outcome, finished, active, gives up, sent, on its way: a change to the table must change this too.
    const PINNED: Record<UploadStatusKind, [string, string, boolean, boolean, boolean, boolean, boolean]> = {
      checking: ['waiting', 'toGo', false, true, false, false, true],
      copying: ['uploading', 'toGo', false, true, false, false, true],
      queued: ['waiting', 'toGo', false, true, false, false, true],
      uploading: ['uploading', 'toGo', false, true, false, false, true],
      paused: ['waiting', 'toGo', false, false, false, false, true],
      'file-missing': ['attention', 'missing', false, false, false, false, false],
      processing: ['processing', 'toGo', false, true, false, true, true],
      ready: ['done', 'uploaded', true, false, false, true, false],
      failed: ['attention', 'couldNot', true, false, true, false, false],
      rejected: ['attention', 'couldNot', true, false, true, false, false],
      duplicate: ['done', 'alreadyThere', true, false, false, false, false],
      cancelled: ['attention', 'cancelled', true, false, true, false, false],
    };
    for (const kind of KINDS) {
      const facts = STATUS_KINDS[kind];
      expect([
        kind,
        facts.group,
        facts.outcome,
        facts.finished,
        facts.active,
        facts.givesUp,
        facts.sent,
        facts.onItsWay,
      ]).toEqual([kind, ...PINNED[kind]]);
      // Finished and active never both; what is neither waits on a person or a drive.
      expect(facts.finished && facts.active).toBe(false);
      // The functions every surface calls read the table.
      const status = SAMPLE[kind];
      expect(groupOf(status)).toBe(facts.group);
      expect(isFinished(status)).toBe(facts.finished);
      expect(isActive(status)).toBe(facts.active);
      expect(statusLabel(status)).toBe(facts.label());
      expect(batchOutcome([status])[facts.outcome]).toBe(1);
    }
    expect(sqlKinds((facts) => facts.finished)).toBe("('ready', 'failed', 'rejected', 'duplicate', 'cancelled')");
  });

  it.each(KINDS.flatMap((from) => KINDS.map((to) => [from, to] as const)))('%s -> %s', (from, to) => {
    expect(canMove(from, to)).toBe(from === to || ALLOWED.has(`${from} -> ${to}`));
  });

  it('ready is the only state nothing leaves; every other state can still end', () => {
    expect(KINDS.filter((kind) => MOVES[kind].length === 0)).toEqual(['ready']);
  });

  const ACTIONS: Record<UploadAction, UploadStatusKind[]> = {
    pause: ['copying', 'queued', 'uploading'],
    resume: ['paused'],
    cancel: ['copying', 'queued', 'uploading', 'paused', 'file-missing'],
    retry: ['failed', 'cancelled'],
    'check-again': ['rejected'],
    'upload-anyway': ['duplicate'],
    'upload-next': ['queued'],
    remove: KINDS,
  };
  it.each(Object.entries(ACTIONS))('%s is offered exactly where it does something', (action, kinds) => {
    expect(KINDS.filter((kind) => can(SAMPLE[kind], action as UploadAction))).toEqual(kinds);
  });

  it('a failure retrying cannot help offers Remove, not Retry', () => {
    expect(can({ kind: 'failed', code: 'x', message: 'x', retryable: false }, 'retry')).toBe(false);
    expect(
      rowAction({ status: { kind: 'failed', code: 'x', message: 'x', retryable: false }, strategy: 'direct' }),
    ).toEqual({ id: 'remove', label: 'Remove' });
  });

  it.each(KINDS)('the row action for %s is one the table allows', (kind) => {
    const action = rowAction({ status: SAMPLE[kind], strategy: 'direct' });
    const needs: Record<string, UploadAction | null> = {
      pause: 'pause',
      resume: 'resume',
      remove: 'remove',
      'show-asset': null,
    };
    if (action === null) {
      // TwelveLabs' work, or a check that ends by itself within seconds: nothing to do on the row.
      expect(['processing', 'checking']).toContain(kind);
    } else if (action.id === 'retry') {
      expect(can(SAMPLE[kind], 'retry') || can(SAMPLE[kind], 'upload-anyway') || can(SAMPLE[kind], 'check-again')).toBe(
        true,
      );
    } else if (needs[action.id]) {
      expect(can(SAMPLE[kind], needs[action.id]!)).toBe(true);
    } else {
      expect(kind).toBe('ready');
    }
  });

  it('a refused link offers Check again; a refused file, Remove', () => {
    expect(rowAction({ status: SAMPLE.rejected, strategy: 'url' })).toEqual({ id: 'retry', label: 'Check again' });
    expect(rowAction({ status: SAMPLE.rejected, strategy: 'direct' })).toEqual({ id: 'remove', label: 'Remove' });
  });

  it('a file whose every byte is sent is Finishing, with nothing to pause', () => {
    const sending = { status: SAMPLE.uploading, strategy: 'multipart' as const, size: 100, bytesSent: 60 };
    expect(rowAction(sending)).toEqual({ id: 'pause', label: 'Pause' });
    expect(isFinishing(sending)).toBe(false);
    const sent = { ...sending, bytesSent: 100 };
    expect(rowAction(sent)).toBeNull();
    expect(isFinishing(sent)).toBe(true);
    // A link has no bytes of ours to send: TwelveLabs fetches it.
    expect(isFinishing({ ...sent, strategy: 'url', size: 0, bytesSent: 0 })).toBe(false);
  });

  it("a large file's row says its own speed and time left", () => {
    const item = {
      id: 'a',
      batchId: 'b',
      path: '/x.mov',
      relativePath: 'x.mov',
      name: 'x.mov',
      size: 1_800_000_000,
      kind: 'video' as const,
      strategy: 'multipart' as const,
      status: SAMPLE.uploading,
      bytesSent: 1_100_000_000,
      addedAt: 0,
      position: 0,
      updatedAt: 0,
    };
    expect(statusDetail(item, 0)).toBe('1.1 GB of 1.8 GB');
    expect(statusDetail({ ...item, pace: { bytesPerSecond: 18_400_000, secondsLeft: 130 } }, 0)).toBe(
      '1.1 GB of 1.8 GB · 18.4 MB/s · about 2 min left',
    );
    expect(statusDetail({ ...item, pace: { bytesPerSecond: 18_400_000, secondsLeft: null } }, 0)).toBe(
      '1.1 GB of 1.8 GB · 18.4 MB/s',
    );
    // A slow line: the part on its way is named, with no speed until one is measured.
    expect(statusDetail({ ...item, parts: { done: 6, total: 15 } }, 0)).toBe('Part 7 of 15 · 1.1 GB of 1.8 GB');
    expect(statusDetail({ ...item, parts: { done: 15, total: 15 } }, 0)).toBe('1.1 GB of 1.8 GB');
  });

  it('takes what the checks found out of a notice, without "It uploads all the same"', () => {
    const a = "Can't be used for search: this image is 64×64; the smallest that can be used is 128×128.";
    const b = "Can't be used for search: this video is 2 seconds long.";
    expect(checkFindings(`${a} It uploads all the same.`)).toBe(a);
    expect(checkFindings(`${a} It uploads all the same. ${b} It uploads all the same.`)).toBe(`${a} ${b}`);
    expect(checkFindings('Still being written when it was checked.')).toBeNull();
    expect(checkFindings(undefined)).toBeNull();
  });

  it('a file being checked offers nothing of its own; one waiting for its drive offers Remove', () => {
    expect(rowAction({ status: SAMPLE.checking, strategy: 'direct' })).toBeNull();
    expect(rowAction({ status: SAMPLE['file-missing'], strategy: 'direct' })).toEqual({
      id: 'remove',
      label: 'Remove',
    });
  });

  it("a row never says a check's 'it uploads all the same' beside an upload that failed", () => {
    const notice = "Can't be used for search: this video is 2 seconds long. It uploads all the same.";
    expect(rowNotice({ notice, status: SAMPLE.uploading })).toBe(notice);
    expect(rowNotice({ notice, status: SAMPLE.ready })).toBe(notice);
    expect(rowNotice({ notice, status: SAMPLE.failed })).toBeNull();
    expect(rowNotice({ notice, status: SAMPLE.rejected })).toBeNull();
    expect(rowNotice({ notice, status: SAMPLE.ready, index: { id: 'i', name: 'Shoot', state: 'failed' } })).toBeNull();
    expect(rowNotice({ status: SAMPLE.ready })).toBeNull();
  });

  it('a file TwelveLabs is processing is counted apart from the ones uploading', () => {
    expect(groupOf(SAMPLE.uploading)).toBe('uploading');
    expect(groupOf(SAMPLE.processing)).toBe('processing');
  });

  it('a file is in the library once uploaded or found there, not while it waits on another file', () => {
    expect(KINDS.filter((kind) => inLibrary(SAMPLE[kind]))).toEqual(['ready']);
    expect(inLibrary({ kind: 'duplicate', assetId: 'asset-1', of: 'clip.mov' })).toBe(true);
    expect(inLibrary({ kind: 'duplicate', assetId: null, of: 'clip.mov' })).toBe(false);
  });
});
