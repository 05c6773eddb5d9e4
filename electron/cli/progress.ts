// What queue work says as it goes, here or followed at the queue's owner: each file's moves, the
// schedule's waits, and what a held connection waits for.
import { heldBack, scheduleHeld } from '../shared/words';
import type { Core } from '../core/root/core';
import type { GateState } from '../core/api/gate';
import type { UploadEngine } from '../core/upload/engine';
import { networkProblemWords, passesByItself } from '../shared/network';
import { m } from '../shared/i18n';
import { jsonLine, Reporter } from './report';
import { globals } from './program';

/**
 * Says what a held queue is waiting for, in words. What cannot pass by waiting ends the run: a
 * rejected key (exit 2), a proxy's login or policy, or a certificate not trusted (exit 1); the
 * files stay queued for `resume` once it is fixed.
 */
export function onConnection(state: GateState, stop: (code: number) => void): void {
  const json = globals().json === true;
  if (state.kind === 'key-rejected') {
    process.stderr.write(`\n${m.error_key_invalid()} ${m.cli_key_fix()}\n`);
    stop(2);
  } else if (state.kind === 'blocked') {
    const words = networkProblemWords(state.problem);
    if (json) jsonLine({ event: 'connection', ...state });
    if (passesByItself(state.problem)) {
      if (!json) process.stdout.write(`\n${m.cli_waiting_fixed(words)}\n`);
      return;
    }
    process.stderr.write(`\n${words.label}. ${words.detail} ${m.cli_resume_when_fixed()}\n`);
    stop(1);
  } else if (json) {
    jsonLine({ event: 'connection', ...state });
  } else if (state.kind === 'offline') {
    process.stdout.write(`\n${m.cli_waiting_network()}\n`);
  } else if (state.kind === 'storage') {
    process.stderr.write(`\n${state.message}\n`);
  } else if (state.kind === 'rate-limited') {
    // The status bar's words, in the person's language and clock.
    const words = heldBack(state)!;
    process.stdout.write(`\n${words.label}: ${words.detail}.\n`);
  }
}

/** Says once each time the queue starts or stops waiting for the schedule's hours. */
export function scheduleNotices(): (change: { totals: { scheduledUntil: number | null } }) => void {
  let said: number | null = null;
  return ({ totals }) => {
    if (totals.scheduledUntil === said) return;
    said = totals.scheduledUntil;
    if (globals().json) jsonLine({ event: 'schedule', waitingUntil: said });
    else if (said !== null) process.stdout.write(`\n${m.cli_schedule({ label: scheduleHeld(said).label })}\n`);
  };
}

/**
 * Reports this process's engine as it works: each file's moves, the schedule's waits, and a held
 * connection (a rejected key ends the run with exit 2).
 */
export function reportEngine(core: Core): { engine: UploadEngine; json: boolean; reporter: Reporter } {
  const engine = core.engine!;
  const json = globals().json === true;
  const reporter = new Reporter(json);
  engine.on('change', (change) => reporter.change(change));
  engine.on('change', scheduleNotices());
  core.gate.on('change', (state) => onConnection(state, (code) => void core.close().then(() => process.exit(code))));
  return { engine, json, reporter };
}
