import { describe, expect, it } from 'vitest';
import {
  bandwidthAt,
  nextBandwidthChange,
  nextWindowChange,
  windowOpen,
  type Schedule,
} from '../../../electron/shared/schedule';

/** A local time on 2 December 2026 (the schedule works by the clock on the wall). */
const at = (hours: number, minutes = 0, day = 2) => new Date(2026, 11, day, hours, minutes).getTime();
const MB = 1_000_000;

describe('the upload schedule', () => {
  const overnight: Schedule = { window: { from: '19:00', to: '07:00' }, bandwidth: [] };

  it('runs uploads only inside a window, also one that spans midnight', () => {
    expect(windowOpen(overnight, at(18, 59))).toBe(false);
    expect(windowOpen(overnight, at(19, 0))).toBe(true);
    expect(windowOpen(overnight, at(2, 30))).toBe(true);
    expect(windowOpen(overnight, at(7, 0))).toBe(false);
    const daytime: Schedule = { window: { from: '09:00', to: '17:30' }, bandwidth: [] };
    expect(windowOpen(daytime, at(12))).toBe(true);
    expect(windowOpen(daytime, at(17, 30))).toBe(false);
    expect(windowOpen({ window: null, bandwidth: [] }, at(3))).toBe(true);
  });

  it('knows when the window next opens or closes', () => {
    expect(nextWindowChange(overnight, at(14))).toBe(at(19));
    expect(nextWindowChange(overnight, at(23))).toBe(at(7, 0, 3));
    expect(nextWindowChange(overnight, at(6))).toBe(at(7));
    expect(nextWindowChange({ window: null, bandwidth: [] }, at(6))).toBeNull();
  });

  it('follows a bandwidth timetable round the clock', () => {
    const timetable: Schedule = {
      window: null,
      bandwidth: [
        { from: '19:00', limit: 0 },
        { from: '08:00', limit: 5 * MB },
      ],
    };
    expect(bandwidthAt(timetable, at(9))).toBe(5 * MB);
    expect(bandwidthAt(timetable, at(19, 30))).toBe(0);
    // Before the first entry of the day, the evening's limit still holds.
    expect(bandwidthAt(timetable, at(3))).toBe(0);
    expect(nextBandwidthChange(timetable, at(9))).toBe(at(19));
    expect(bandwidthAt({ window: null, bandwidth: [] }, at(9))).toBeNull();
  });
});
