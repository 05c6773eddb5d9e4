import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ProgressEstimate } from '../../../electron/shared/progress';
import { fixture } from '../../helpers/emulator';

/** A real batch's progress (see test/fixtures/README.md): [ms, bytes done, bytes in the batch]. */
const { samples } = JSON.parse(readFileSync(fixture('../progress-trace.json'), 'utf8')) as {
  samples: [number, number, number][];
};

/** The trace as the engine's feed sees it: a reading every 250 ms, the latest known figures. */
function replay(): { at: number; speed: number; secondsLeft: number | null }[] {
  const estimate = new ProgressEstimate();
  const out = [];
  let next = 0;
  let current: [number, number, number] = [0, 0, 0];
  const end = samples.at(-1)![0];
  for (let at = 0; at <= end + 250; at += 250) {
    while (next < samples.length && samples[next]![0] <= at) current = samples[next++]!;
    estimate.sample(at, current[1], current[2] - current[1]);
    out.push({ at, speed: estimate.speed, secondsLeft: estimate.secondsLeft });
  }
  return out;
}

describe('speed and time left over a recorded batch', () => {
  const readings = replay();

  it('says nothing about time left until the speed has settled', () => {
    expect(readings.filter((r) => r.at < 4000).every((r) => r.secondsLeft === null)).toBe(true);
    expect(readings.some((r) => r.secondsLeft !== null)).toBe(true);
  });

  it('never jumps by more than 2x from one update to the next once shown', () => {
    const jumps = readings.slice(1).flatMap((r, i) => {
      const before = readings[i]!.secondsLeft;
      if (before === null || r.secondsLeft === null || before < 1 || r.secondsLeft < 1) return [];
      return [Math.max(r.secondsLeft / before, before / r.secondsLeft)];
    });
    expect(jumps.length).toBeGreaterThan(100);
    expect(Math.max(...jumps)).toBeLessThanOrEqual(2);
  });

  it('stays close to the time the batch really took once the last files are added', () => {
    // All three drops are in by 14 s; from 40 s on, the estimate is within half of the truth.
    const end = samples.at(-1)![0];
    for (const r of readings.filter((r) => r.at >= 40_000 && r.at < end - 10_000 && r.secondsLeft !== null)) {
      const truth = (end - r.at) / 1000;
      expect(r.secondsLeft!, `at ${r.at} ms`).toBeGreaterThan(truth * 0.5);
      expect(r.secondsLeft!, `at ${r.at} ms`).toBeLessThan(truth * 1.5);
    }
  });

  it('falls to no speed and no time left while nothing moves (the outage), then comes back', () => {
    // The trace has no byte moving from 10.1 s to 14.0 s.
    const outage = readings.filter((r) => r.at >= 13_500 && r.at < 14_000);
    expect(outage.every((r) => r.speed === 0 && r.secondsLeft === null)).toBe(true);
    expect(readings.some((r) => r.at > 20_000 && r.speed > 0 && r.secondsLeft !== null)).toBe(true);
  });

  it('ends at nothing left, and keeps a speed per second for the sparkline', () => {
    expect(readings.at(-1)!.secondsLeft).toBe(0);
    const estimate = new ProgressEstimate();
    for (let at = 0; at < 90_000; at += 250) estimate.sample(at, at * 1000, 1e12);
    expect(estimate.history).toHaveLength(60);
    expect(estimate.history.at(-1)).toBe(1_000_000);
  });

  it('withholds time left while the queue is held, whatever the bytes say', () => {
    const estimate = new ProgressEstimate();
    for (let at = 0; at <= 10_000; at += 250) estimate.sample(at, at * 100, 1e9);
    expect(estimate.secondsLeft).not.toBeNull();
    estimate.sample(10_250, 1_025_000, 1e9, true);
    expect(estimate.secondsLeft).toBeNull();
  });
});
