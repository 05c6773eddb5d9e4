import { m } from './i18n';
import type { ItemIndex } from './indexes';

/** How an item's bytes travel: one streamed POST, resumable chunks, or a URL TwelveLabs fetches. */
export type UploadStrategy = 'direct' | 'multipart' | 'url';

/**
 * Where one queued file stands. Every switch over it is exhaustive (`assertNever`), so a new state
 * cannot be added without deciding how each surface shows it.
 */
export type UploadStatus =
  /** Added; being read (type, duration, frame size, content hash) before it may be uploaded. */
  | { readonly kind: 'checking' }
  /** TwelveLabs will not take the file as it is: an upload copy is being made (`upload-copy.ts`). */
  | { readonly kind: 'copying' }
  | { readonly kind: 'queued' }
  | { readonly kind: 'uploading' }
  | { readonly kind: 'paused' }
  /** The file is not where it was (an unplugged drive): waits, and continues when it is back. */
  | { readonly kind: 'file-missing' }
  | { readonly kind: 'processing'; readonly assetId: string }
  | { readonly kind: 'ready'; readonly assetId: string }
  | {
      readonly kind: 'failed';
      readonly code: string;
      /** Plain words for people; `detail` keeps the server's own message for "Details". */
      readonly message: string;
      readonly detail?: string;
      readonly retryable: boolean;
      /** The asset TwelveLabs made and could not process: it is in the library, marked failed. */
      readonly assetId?: string;
    }
  /** Refused before a byte was sent: the file cannot be used as it is. */
  | { readonly kind: 'rejected'; readonly code: string; readonly message: string; readonly detail?: string }
  /**
   * The same content is already in the library (`assetId`) or earlier in this queue (`assetId`
   * null until that upload has made its asset); `of` names the matching file.
   */
  | { readonly kind: 'duplicate'; readonly assetId: string | null; readonly of: string }
  | { readonly kind: 'cancelled' };

export type UploadStatusKind = UploadStatus['kind'];

/** The groups the Uploads screen filters by. */
export type UploadGroup = 'uploading' | 'processing' | 'waiting' | 'attention' | 'done';

/** The count of a batch's outcome a state adds to (`BatchOutcome`). */
export type OutcomeKey = 'uploaded' | 'alreadyThere' | 'couldNot' | 'cancelled' | 'missing' | 'toGo';

/** What a kind of state is, for every surface and the journal alike. */
export interface KindFacts {
  /** The filter chip it is counted under on the Uploads screen. */
  readonly group: UploadGroup;
  /** The count it adds to in a batch's outcome (status bar, tray, notification, CLI summary). */
  readonly outcome: OutcomeKey;
  /** Nothing more will happen to it without a person: it has an outcome for the report. */
  readonly finished: boolean;
  /**
   * It has work ahead without anyone doing anything, so the queue is not idle and a command
   * following the work is not done.
   */
  readonly active: boolean;
  /**
   * It will not give the library its content by itself: files that waited on it as "same content"
   * go on their own.
   */
  readonly givesUp: boolean;
  /**
   * Its content is on its way to the library: files of the same content wait on it as "same
   * content" (a paused file counts; one whose drive is gone, or that gave up, does not).
   */
  readonly onItsWay: boolean;
  /** Every byte taken and its asset made (it is that asset's): counted as sent, never sent again. */
  readonly sent: boolean;
  /**
   * Its bytes are the batch's to send: counted in the progress header's files and bytes. Not a
   * file refused, cancelled or already in the library, which never send a byte.
   */
  readonly toSend: boolean;
  /** The words for it, in the person's language ("Uploading", "Ready"). */
  readonly label: () => string;
}

/**
 * Every kind of state in one row each: the one place a state is classified. Paused and a file
 * whose drive is gone are neither finished nor active: they wait on a person or a drive, so the
 * queue is idle around them and a command following the work ends, but they have no outcome yet.
 */
export const KINDS: Readonly<Record<UploadStatusKind, KindFacts>> = {
  checking: {
    group: 'waiting',
    outcome: 'toGo',
    finished: false,
    active: true,
    givesUp: false,
    onItsWay: true,
    sent: false,
    toSend: true,
    label: () => m.status_checking(),
  },
  // Making the copy is the first half of sending it: work in progress, as uploading is.
  copying: {
    group: 'uploading',
    outcome: 'toGo',
    finished: false,
    active: true,
    givesUp: false,
    onItsWay: true,
    sent: false,
    toSend: true,
    label: () => m.status_copying(),
  },
  queued: {
    group: 'waiting',
    outcome: 'toGo',
    finished: false,
    active: true,
    givesUp: false,
    onItsWay: true,
    sent: false,
    toSend: true,
    label: () => m.status_queued(),
  },
  uploading: {
    group: 'uploading',
    outcome: 'toGo',
    finished: false,
    active: true,
    givesUp: false,
    onItsWay: true,
    sent: false,
    toSend: true,
    label: () => m.status_uploading(),
  },
  paused: {
    group: 'waiting',
    outcome: 'toGo',
    finished: false,
    active: false,
    givesUp: false,
    onItsWay: true,
    sent: false,
    toSend: true,
    label: () => m.status_paused(),
  },
  'file-missing': {
    group: 'attention',
    outcome: 'missing',
    finished: false,
    active: false,
    givesUp: false,
    onItsWay: false,
    sent: false,
    toSend: true,
    label: () => m.status_file_missing(),
  },
  // Sent, and TwelveLabs' to finish: not "uploading", which the status bar counts apart.
  processing: {
    group: 'processing',
    outcome: 'toGo',
    finished: false,
    active: true,
    givesUp: false,
    onItsWay: true,
    sent: true,
    toSend: true,
    label: () => m.status_processing(),
  },
  ready: {
    group: 'done',
    outcome: 'uploaded',
    finished: true,
    active: false,
    givesUp: false,
    onItsWay: false,
    sent: true,
    toSend: true,
    label: () => m.status_ready(),
  },
  failed: {
    group: 'attention',
    outcome: 'couldNot',
    finished: true,
    active: false,
    givesUp: true,
    onItsWay: false,
    sent: false,
    toSend: true,
    label: () => m.status_failed(),
  },
  rejected: {
    group: 'attention',
    outcome: 'couldNot',
    finished: true,
    active: false,
    givesUp: true,
    onItsWay: false,
    sent: false,
    toSend: false,
    label: () => m.status_rejected(),
  },
  duplicate: {
    group: 'done',
    outcome: 'alreadyThere',
    finished: true,
    active: false,
    givesUp: false,
    onItsWay: false,
    sent: false,
    toSend: false,
    label: () => m.status_duplicate(),
  },
  cancelled: {
    group: 'attention',
    outcome: 'cancelled',
    finished: true,
    active: false,
    givesUp: true,
    onItsWay: false,
    sent: false,
    toSend: false,
    label: () => m.status_cancelled(),
  },
};

/** The kinds whose facts pass `test`, in the table's order. */
export function kindsWhere(test: (facts: KindFacts) => boolean): UploadStatusKind[] {
  return (Object.keys(KINDS) as UploadStatusKind[]).filter((kind) => test(KINDS[kind]));
}

/** The same kinds as an SQL list ("('ready', 'failed', …)"), for the journal's queries. */
export function sqlKinds(test: (facts: KindFacts) => boolean): string {
  return `(${kindsWhere(test)
    .map((kind) => `'${kind}'`)
    .join(', ')})`;
}

/** What the status rules read of a row (an `UploadItem` has all of it). */
export interface RowFacts {
  readonly status: UploadStatus;
  readonly strategy: UploadStrategy;
  readonly bytesSent?: number;
  readonly size?: number;
  readonly index?: ItemIndex;
  /** An upload copy planned (or offered) for the file. */
  readonly copy?: object;
}

/**
 * Every byte of the file is sent and TwelveLabs is putting it together (the last report of a
 * multipart upload, or the answer to a direct one): "Finishing", not "Uploading 100%", and
 * nothing to pause.
 */
export function isFinishing(item: RowFacts): boolean {
  const { size = 0, bytesSent = 0 } = item;
  return item.status.kind === 'uploading' && item.strategy !== 'url' && size > 0 && bytesSent >= size;
}

/**
 * Every move an upload can make, in one table, and what a person may do in each state. The engine
 * checks each move it applies against `MOVES`; the window, main and the CLI ask `can()` and
 * `rowAction()` instead of listing states themselves, so a state added or changed here is changed
 * everywhere.
 */
export const MOVES: Readonly<Record<UploadStatusKind, readonly UploadStatusKind[]>> = {
  // Checked: refused, a copy of something already there or on its way, ready to go, or to be copied.
  checking: ['queued', 'rejected', 'duplicate', 'copying'],
  // The copy made goes in the queue; FFmpeg's failure is the file's; an original gone waits for it.
  copying: ['queued', 'failed', 'paused', 'cancelled', 'file-missing'],
  queued: ['uploading', 'paused', 'cancelled'],
  // A quit puts a running upload back in the queue; a vanished file waits as file-missing; one
  // that changed while it was sent (still being written) is checked again once it settles.
  // A copy gone from the cache before it was sent is made again.
  uploading: ['processing', 'failed', 'file-missing', 'paused', 'cancelled', 'queued', 'checking', 'copying'],
  // Going on, a file whose copy is not made yet goes back to being copied. Paused or cancelled
  // just as its last bytes were taken, a file is processing: its asset exists, and is followed.
  paused: ['queued', 'cancelled', 'copying', 'processing'],
  'file-missing': ['queued', 'cancelled', 'copying'],
  processing: ['ready', 'failed'],
  ready: [],
  failed: ['queued', 'copying'],
  // Checked again, or (when the person chose it) made into an upload copy.
  rejected: ['checking', 'copying'],
  // Upload anyway (first made into its upload copy, if it is to go as one); released when the
  // original gave up; pointed at the original's new asset.
  duplicate: ['queued', 'duplicate', 'copying'],
  cancelled: ['queued', 'copying', 'processing'],
};

/** Whether an upload may move from `from` to `to` (staying put is always allowed). */
export function canMove(from: UploadStatusKind, to: UploadStatusKind): boolean {
  return from === to || MOVES[from].includes(to);
}

/** What a person can ask of one or many uploads. */
export type UploadAction =
  | 'pause'
  | 'resume'
  | 'cancel'
  | 'retry'
  | 'check-again'
  | 'upload-anyway'
  /** Upload next (to the front of the queue) and Upload now (whatever the hours): a file waiting its turn. */
  | 'upload-next'
  | 'remove';

/**
 * What "Retry failed" (retry of the whole queue) takes: what failed and may succeed now. A row's
 * Retry (`can(…, 'retry')`) also takes a file cancelled on purpose, because the person named it;
 * the whole queue's does not bring cancelled files back.
 */
export function retriedWithAll(status: UploadStatus): boolean {
  return status.kind === 'failed' && status.retryable;
}

/** Whether `action` does something for an upload in `status`: offered only where it does. */
export function can(status: UploadStatus, action: UploadAction): boolean {
  switch (action) {
    case 'pause':
      return status.kind === 'queued' || status.kind === 'uploading' || status.kind === 'copying';
    case 'resume':
      return status.kind === 'paused';
    case 'cancel':
      return ['copying', 'queued', 'uploading', 'paused', 'file-missing'].includes(status.kind);
    case 'retry':
      return status.kind === 'cancelled' || (status.kind === 'failed' && status.retryable);
    case 'check-again':
      return status.kind === 'rejected';
    case 'upload-anyway':
      return status.kind === 'duplicate';
    case 'upload-next':
      return status.kind === 'queued';
    case 'remove':
      return true;
  }
}

/** The one action a row offers, with its words (UX.md). */
export type RowAction =
  | {
      readonly id: 'pause' | 'resume' | 'retry' | 'remove' | 'retry-indexing' | 'make-copy';
      readonly label: string;
    }
  | { readonly id: 'show-asset'; readonly label: string; readonly assetId: string };

export function rowAction(item: RowFacts): RowAction | null {
  const { status } = item;
  // In the library, and its index could not take it (or is not there): ask again.
  if (
    (status.kind === 'ready' || status.kind === 'duplicate') &&
    (item.index?.state === 'failed' || item.index?.state === 'held')
  ) {
    return { id: 'retry-indexing', label: m.action_retry_indexing() };
  }
  switch (status.kind) {
    case 'queued':
    case 'copying':
      return { id: 'pause', label: m.action_pause() };
    case 'uploading':
      // Every byte sent: pausing now would only throw away the finish TwelveLabs is doing.
      return isFinishing(item) ? null : { id: 'pause', label: m.action_pause() };
    case 'paused':
      return { id: 'resume', label: m.action_resume() };
    // A file being read moves on by itself within seconds: a Remove on each such row is noise
    // (selecting and Remove from list still takes one out).
    case 'checking':
      return null;
    case 'file-missing':
      return { id: 'remove', label: m.action_remove() };
    case 'duplicate':
      return { id: 'retry', label: m.action_upload_anyway() };
    case 'failed':
      return status.retryable ? { id: 'retry', label: m.action_retry() } : { id: 'remove', label: m.action_remove() };
    case 'cancelled':
      return { id: 'retry', label: m.action_retry() };
    case 'rejected':
      // TwelveLabs will not take it as it is, and a copy it takes can be made: the person's choice.
      if (item.copy) return { id: 'make-copy', label: m.action_make_copy() };
      // A link may work later (a site that was down, a share that was private): check it again.
      return item.strategy === 'url'
        ? { id: 'retry', label: m.action_check_again() }
        : { id: 'remove', label: m.action_remove() };
    case 'ready':
      return { id: 'show-asset', label: m.action_show_in_library(), assetId: status.assetId };
    case 'processing':
      return null;
  }
}
