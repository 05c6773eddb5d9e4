/**
 * Speed and time left for a batch, from the bytes done sampled over time: the one estimate the
 * status bar, the progress header, the tray and the CLI all show. Pure (the caller gives the clock),
 * so a recorded trace replays exactly in a unit test.
 *
 * - Speed is the bytes moved over the last `windowMs` (ten seconds), not the last tick, so it is
 *   steady; when nothing has moved for `stallMs` it is zero, not the last figure.
 * - Time left is null ("Calculating…") until bytes have moved for `settleMs`, and again after the
 *   queue stood still; once shown it counts down with the clock and leans only a tenth of the way
 *   toward each new reading, never more than halving or doubling from one update to the next.
 */
export interface ProgressOptions {
  readonly windowMs: number;
  readonly settleMs: number;
  readonly stallMs: number;
  /** One speed per this long is kept for the sparkline, `historyLength` of them. */
  readonly historyStepMs: number;
  readonly historyLength: number;
}

const DEFAULTS: ProgressOptions = {
  windowMs: 10_000,
  settleMs: 4_000,
  stallMs: 3_000,
  historyStepMs: 1_000,
  historyLength: 60,
};

/** How far each new reading moves the shown time left. */
const LEAN = 0.1;

export class ProgressEstimate {
  readonly #options: ProgressOptions;
  #samples: { at: number; bytes: number }[] = [];
  #movedAt: number | null = null;
  /** Since when bytes have kept moving (no stall in between). */
  #movingSince: number | null = null;
  #speed = 0;
  #eta: { at: number; seconds: number } | null = null;
  #history: number[] = [];
  #historyAt: number | null = null;

  constructor(options: Partial<ProgressOptions> = {}) {
    this.#options = { ...DEFAULTS, ...options };
  }

  /**
   * One reading: `done` bytes sent so far, `left` still to send. `held` (offline, key rejected,
   * outside the upload window): time left is withheld, the reason is the caller's to show.
   */
  sample(at: number, done: number, left: number, held = false): void {
    const { windowMs, stallMs, settleMs } = this.#options;
    const last = this.#samples.at(-1);
    if (last && at < last.at) return;
    if (!last || done > last.bytes) {
      this.#movedAt = at;
      if (this.#movingSince === null) {
        // Moving again after a stall: the speed is measured from here, not across the stall.
        this.#movingSince = at;
        this.#samples = last ? [last] : [];
      }
    }
    // A file started again from zero lowers `done`: the window starts afresh rather than go negative.
    if (last && done < last.bytes) this.#samples = [];
    this.#samples.push({ at, bytes: done });
    // Keep one sample older than the window as its start.
    while (this.#samples.length > 2 && this.#samples[1]!.at <= at - windowMs) this.#samples.shift();
    const stalled = this.#movedAt === null || at - this.#movedAt >= stallMs;
    const first = this.#samples[0]!;
    const span = at - first.at;
    this.#speed = stalled || span <= 0 ? 0 : ((done - first.bytes) / span) * 1000;
    if (stalled) this.#movingSince = null;
    this.#recordHistory(at);

    const settled = this.#movingSince !== null && at - this.#movingSince >= settleMs;
    if (held || stalled || !settled || this.#speed <= 0 || left <= 0) {
      this.#eta = left <= 0 && done > 0 && !held ? { at, seconds: 0 } : null;
      return;
    }
    const reading = left / this.#speed;
    if (this.#eta === null) {
      this.#eta = { at, seconds: reading };
      return;
    }
    const counted = Math.max(0, this.#eta.seconds - (at - this.#eta.at) / 1000);
    const leaned = counted + (reading - counted) * LEAN;
    const previous = this.#eta.seconds;
    this.#eta = { at, seconds: Math.min(previous * 2, Math.max(previous / 2, leaned)) };
  }

  /** Bytes per second over the window; 0 when nothing moves. */
  get speed(): number {
    return this.#speed;
  }

  /** Seconds left, or null while it cannot be said honestly. */
  get secondsLeft(): number | null {
    return this.#eta && Math.round(this.#eta.seconds);
  }

  /** The speed once a step, oldest first, for the sparkline. */
  get history(): readonly number[] {
    return this.#history;
  }

  #recordHistory(at: number): void {
    const { historyStepMs, historyLength } = this.#options;
    if (this.#historyAt !== null && at - this.#historyAt < historyStepMs) return;
    this.#historyAt = at;
    this.#history = [...this.#history, Math.round(this.#speed)].slice(-historyLength);
  }
}
