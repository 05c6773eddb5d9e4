import { randomUUID } from 'node:crypto';
import { hasWorkAhead, isFinished, type UploadItem, type UploadsChanged } from '../../shared/uploads';
import type { ConnectionGate, GateState } from '../api/gate';
import type { FoundSummary, IntakeOptions, NamedWork } from '../media/intake';
import type { SkippedPath } from '../media/scan';
import { addNamed } from '../upload/add-named';
import { pagesOf } from '../util/pages';
import type { UploadEngine } from '../upload/engine';

/** What a command asks of the queue: files and links to add, or everything unfinished to resume. */
export type QueueWork = { readonly op: 'add'; readonly work: NamedWork } | { readonly op: 'resume' };

/** What queue work says as it goes, to a process following it here or over the hand-over channel. */
export type WorkMessage =
  /**
   * The work is taken: for added work, how many files it queued (the files already in the list
   * that it follows too are not among them), what was found and what was passed over (and why);
   * for resumed work, how many files are followed until each is finished.
   */
  | {
      readonly type: 'accepted';
      readonly count: number;
      readonly found?: FoundSummary;
      readonly skipped?: readonly SkippedPath[];
    }
  | { readonly type: 'change'; readonly change: UploadsChanged }
  | { readonly type: 'connection'; readonly state: GateState }
  /** Every file of the work, as it ended: a page at a time, `more` on every page but the last. */
  | { readonly type: 'done'; readonly items: readonly UploadItem[]; readonly more?: true };

/** Files in one `done` page: a million files' ending is never one line on the hand-over channel. */
export const DONE_PAGE = 1000;

export interface RunningWork {
  /**
   * Stops saying anything more: `done` first when every file of the work is finished. Closing can
   * come before the last change event, so work that is finished says so all the same. Resolves
   * once all is said.
   */
  end(): Promise<void>;
  /**
   * True once `done` was said; false when the work was ended before. Rejects when the work could
   * not be taken (the engine closed as the files were added).
   */
  readonly ended: Promise<boolean>;
}

/**
 * Runs queue work on an engine and says it as messages, the one way for both: the hand-over
 * server sends them down its channel, and a local run hands them to the same follow loop the CLI
 * uses for the channel. Added files are followed from the first batch the scan hands in; the work
 * is done when none of its files has anything ahead without a person (a file waiting for its
 * drive or paused ends it too, as the summary says), and then `done` carries every file, in pages.
 */
export function runWork(
  engine: UploadEngine,
  gate: ConnectionGate,
  work: QueueWork,
  options: { readonly alias?: IntakeOptions['alias'] },
  send: (message: WorkMessage) => void,
): RunningWork {
  /**
   * The files an add queues are its batch's, followed by the batch and read back from the journal
   * by it: a million files added are not a million ids held. Files from before that the work
   * follows too (those it found listed and unfinished, or everything a resume takes) are named.
   */
  const batchId = work.op === 'add' ? randomUUID() : null;
  const followed = new Set<string>();
  const ours = (item: UploadItem) => item.batchId === batchId || followed.has(item.id);
  /** Files of the work with something still ahead: the work is done when none is left. */
  const open = new Set<string>();
  const note = (item: UploadItem) => (hasWorkAhead(item) ? open.add(item.id) : open.delete(item.id));
  /** Files being read for `watch`; of those, the ones a change spoke of meanwhile (it said more). */
  const reading = new Set<string>();
  const heard = new Set<string>();
  /** Follows `ids` from now on, as they stand now unless a change spoke of one while they were read. */
  const watch = async (ids: readonly string[]) => {
    for (const id of ids) reading.add(id);
    try {
      for (const item of await engine.itemsOf(ids)) if (!heard.has(item.id)) note(item);
    } finally {
      for (const id of ids) {
        reading.delete(id);
        heard.delete(id);
      }
    }
  };
  let accepted = false;
  let stopped = false;
  let settle: (done: boolean) => void = () => undefined;
  let refuse: (error: unknown) => void = () => undefined;
  const ended = new Promise<boolean>((resolve, reject) => {
    settle = resolve;
    refuse = reject;
  });
  const onChange = (change: UploadsChanged) => {
    const items = change.items.filter(ours);
    for (const item of items) {
      if (reading.has(item.id)) heard.add(item.id);
      note(item);
    }
    for (const id of change.removed) open.delete(id);
    if (items.length > 0) send({ type: 'change', change: { ...change, items, removed: [] } });
    if (accepted && open.size === 0) stop(true);
  };
  const onGate = (state: GateState) => send({ type: 'connection', state });
  /** Every file of the work as it stands, a page at a time: its batch's, then those it follows. */
  async function* pages(): AsyncGenerator<UploadItem[]> {
    if (batchId !== null) yield* engine.batchPages(batchId, DONE_PAGE);
    const ids = [...followed];
    for (let from = 0; from < ids.length; from += DONE_PAGE) yield engine.itemsOf(ids.slice(from, from + DONE_PAGE));
  }
  const stop = (done: boolean) => {
    if (stopped) return;
    stopped = true;
    engine.off('change', onChange);
    gate.off('change', onGate);
    if (!done) {
      settle(false);
      return;
    }
    const sendDone = async () => {
      // Each page's rows read as it is sent: a million files' rows never exist at once.
      for await (const { items, more } of pagesOf(pages(), DONE_PAGE))
        send({ type: 'done', items, ...(more && { more }) });
    };
    sendDone().then(() => settle(true), refuse);
  };
  engine.on('change', onChange);
  gate.on('change', onGate);
  const take = async () => {
    if (work.op === 'add') {
      const { index } = work.work;
      const added = await addNamed(engine, work.work, {
        ...options,
        batchId: batchId!,
        ...(index && { index }),
        onBatch: async ({ ids, listed }) => {
          await watch(ids);
          // A file the queue already had and has not finished (an add cut off by a kill, run
          // again) is this work's too: it is waited for and counted. One finished before is not.
          for (const item of await engine.itemsOf(listed)) {
            if (item.batchId !== batchId && hasWorkAhead(item)) followed.add(item.id);
          }
          await watch(listed.filter((id) => followed.has(id)));
        },
      });
      if (stopped) return;
      send({ type: 'accepted', count: added.queued, found: added.found, skipped: added.skipped });
    } else {
      await engine.resume('all');
      for await (const page of engine.listedPages()) {
        for (const item of page) {
          if (isFinished(item.status) && !hasWorkAhead(item)) continue;
          followed.add(item.id);
          note(item);
        }
      }
      // A file that moved while its page was read, before it was followed, was not heard of:
      // what is left open is read again now that every change of it is.
      await watch([...open]);
      if (stopped) return;
      send({ type: 'accepted', count: followed.size });
    }
    accepted = true;
    if (open.size === 0) stop(true);
  };
  take().catch((error: unknown) => {
    stop(false);
    refuse(error);
  });
  // Read again from the engine, not from the events: the last change may not have been sent yet.
  const finished = async () => {
    for await (const page of pages()) if (page.some(hasWorkAhead)) return false;
    return true;
  };
  const end = async () => {
    stop(accepted && (await finished()));
    await ended.catch(() => undefined);
  };
  return { end: () => end().catch(refuse), ended };
}
