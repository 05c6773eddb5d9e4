// Queue work (upload, resume): run on this process's engine, or handed to the queue's owner and
// followed there, with the same output and exit codes either way.
import { homedir } from 'node:os';
import type { FileUse } from '../shared/limits';
import { assertNever } from '../shared/result';
import type { Core } from '../core/root/core';
import { handOver, keyFingerprint, refusalWords, type Caller, type Refusal } from '../core/queue/handover';
import { originOf } from '../core/secrets/bound-key';
import { QueueOwned, type QueueOwner } from '../core/queue/lock';
import { nameAliasesPath } from '../core/store/data-folder';
import { runWork, type QueueWork, type WorkMessage } from '../core/queue/work';
import { nameAliases } from '../core/media/name-alias';
import type { EngineSettings } from '../core/upload/engine';
import { CliError, dataDirOf, openCliCore } from './context';
import { Ending, jsonLine, Reporter } from './report';
import { onConnection, scheduleNotices } from './progress';
import { counted, m } from '../shared/i18n';
import { globals } from './program';
import { reportAdded } from './added';

type Work = QueueWork;

/**
 * The one follow loop: says queue work's messages as they come, from this process's engine or
 * from the queue's owner alike, then the summary and the exit code. `stop` ends the run with a
 * code (a rejected key, a certificate not trusted); `before` comes before the first line (who
 * took the work, when another process did).
 */
function follower(work: Work, verbose: boolean, stop: (code: number) => void, before = '') {
  const json = globals().json === true;
  const reporter = new Reporter(json);
  const schedule = scheduleNotices();
  let namedSkipped = false;
  const ending = new Ending();
  return {
    said(message: WorkMessage): void {
      switch (message.type) {
        case 'accepted':
          if (work.op === 'add') {
            const found = message.found ?? { files: 0, links: 0, bytes: 0 };
            namedSkipped = reportAdded(work.work, found, message.count, message.skipped ?? [], verbose, before);
          } else if (!json) process.stdout.write(`${before}${m.cli_resuming(counted(message.count))}\n`);
          break;
        case 'change':
          reporter.change(message.change);
          schedule(message.change);
          break;
        case 'connection':
          onConnection(message.state, stop);
          break;
        case 'done':
          ending.add(message.items);
          break;
        default:
          assertNever(message);
      }
    },
    /** The closing summary; the run ends with 0 only when every file went in. */
    summary(): void {
      reporter.summary(ending);
      process.exitCode = !namedSkipped && ending.allWentIn ? 0 : 1;
    },
  };
}

/** Runs the work on this process's engine until nothing is left to do, pausing cleanly on Ctrl-C. */
async function runLocally(core: Core, work: Work, verbose: boolean): Promise<void> {
  const engine = core.engine!;
  const json = globals().json === true;
  let interruptedAt: number | null = null;
  const onSignal = () => {
    // A second Ctrl-C quits at once; one within a second of the first is the lock library's
    // exit hook sending the same signal again, not the person.
    if (interruptedAt !== null) {
      if (Date.now() - interruptedAt > 1000) process.exit(130);
      return;
    }
    interruptedAt = Date.now();
    if (!json) process.stdout.write(`\n${m.cli_pausing()}\n`);
    void core.close().then(() => {
      if (json) jsonLine({ event: 'paused' });
      else process.stdout.write(`${m.cli_paused()}\n`);
      process.exit(130);
    });
  };
  // `on`, not `once`: the lock library's exit hook re-sends a signal nobody else listens for.
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const follow = follower(work, verbose, (code) => void core.close().then(() => process.exit(code)));
  engine.start();
  // Uploads start with the first files found; the rest join the queue as the scan goes on.
  const alias = nameAliases(nameAliasesPath(core.dataDir));
  await runWork(engine, core.gate, work, { alias }, (message) => follow.said(message)).ended;
  // Until the whole queue is idle: work another process handed over finishes here too, including
  // work taken just before this process stopped taking more.
  await engine.whenIdle();
  core.stopTakingWork();
  await engine.whenIdle();
  await core.close();
  follow.summary();
}

/**
 * Hands the work to the process that owns the queue (the app, or another CLI) and follows it
 * there with the same follow loop, output and exit codes as when run here.
 */
async function handOverWork(owner: QueueOwner | null, work: Work, caller: Caller, verbose: boolean) {
  const json = globals().json === true;
  if (!owner) throw new OwnerUnreachable(null);
  const follow = follower(work, verbose, (code) => process.exit(code), `${m.cli_joins({ pid: String(owner.pid) })}\n`);
  process.on('SIGINT', () => {
    if (!json) process.stdout.write(`\n${m.cli_stopped_following()}\n`);
    process.exit(130);
  });
  let refused: Refusal | null = null;
  const finished = await handOver(owner, { ...work, for: caller }, (message) => {
    switch (message.type) {
      case 'refused':
        refused = message.refusal;
        break;
      case 'items':
      case 'watching':
        break;
      default:
        follow.said(message);
    }
  }).catch(() => {
    throw new OwnerUnreachable(owner);
  });
  // Work for another account, or to be checked another way, is not mixed into this queue.
  if (refused !== null) throw refusedError(refused);
  if (!finished) {
    process.stderr.write(`${m.cli_owner_stopped()}\n`);
    process.exitCode = 1;
    return;
  }
  follow.summary();
}

/** The owner would not take this work: said in this process's language, a usage error (exit 2). */
export function refusedError(refusal: Refusal): CliError {
  return new CliError(refusalWords(refusal, { home: homedir(), dataDir: dataDirOf(globals()) }), 2);
}

/** The owner refused the connection: it is starting, or finishing and about to let go of the queue. */
export class OwnerUnreachable extends Error {
  constructor(readonly owner: QueueOwner | null) {
    super(owner ? m.cli_owner_silent({ pid: String(owner.pid) }) : m.cli_owner_silent_unknown());
  }
}

/**
 * Runs the work here when this process owns the queue, else hands it to the owner. An owner that
 * does not answer is usually starting or just finishing: it is given a few seconds, and the queue
 * is taken over when it lets go.
 */
export async function dispatch(
  opened: { core: Core; owner: QueueOwner | null },
  work: Work,
  engineSettings: Partial<EngineSettings>,
  fileUse: Partial<FileUse> = {},
  verbose = false,
): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    if (opened.core.engine) return runLocally(opened.core, work, verbose);
    const caller = callerOf(opened.core, fileUse);
    await opened.core.close();
    try {
      return await handOverWork(opened.owner, work, caller, verbose);
    } catch (error) {
      if (!(error instanceof OwnerUnreachable)) throw error;
      if (attempt >= 20) throw new CliError(error.message);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
    opened = await openForWork(engineSettings, fileUse);
  }
}

/** Owns the queue when it can; otherwise the caller hands the work over to `owner`. */
export async function openForWork(
  engineSettings: Partial<EngineSettings>,
  fileUse: Partial<FileUse> = {},
): Promise<{ core: Core; owner: null } | { core: Core; owner: QueueOwner | null }> {
  try {
    return { core: await openCliCore(globals(), 'owner', { key: true, engineSettings, fileUse }), owner: null };
  } catch (error) {
    if (!(error instanceof QueueOwned)) throw error;
    return { core: await openCliCore(globals(), 'reader', { key: false }), owner: error.owner };
  }
}

/**
 * Whose work this is, for the owner of the queue to compare with its own: the address this run
 * would upload to, the fingerprint of the key it brought (none: the stored key, the owner's), and
 * its --for and --strict.
 */
export function callerOf(core: Core, fileUse: Partial<FileUse>): Caller {
  const key = process.env.TWELVE_LABS_API_KEY?.trim();
  return { origin: originOf(core.baseUrl()), keyFingerprint: key ? keyFingerprint(key) : null, fileUse };
}
