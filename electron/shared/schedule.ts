/**
 * When uploads may run and how fast, by the clock on the wall: an upload window ("only between
 * 19:00 and 07:00", which spans midnight) and a bandwidth timetable ("5 MB/s from 08:00,
 * unlimited from 19:00"). Local times, as people set them; plain functions of a moment.
 */
export interface Schedule {
  /** Uploads run only between these times; null: at any time. */
  readonly window: { readonly from: string; readonly to: string } | null;
  /** From each time on, until the next entry, this limit in bytes per second (0: none). */
  readonly bandwidth: readonly { readonly from: string; readonly limit: number }[];
}

export const NO_SCHEDULE: Schedule = { window: null, bandwidth: [] };

/** "19:00" -> minutes since midnight. */
export function clockMinutes(clock: string): number {
  const [hours = 0, minutes = 0] = clock.split(':').map(Number);
  return hours * 60 + minutes;
}

function minuteOfDay(at: number): number {
  const date = new Date(at);
  return date.getHours() * 60 + date.getMinutes();
}

/** The next moment after `at` when the local clock shows `clock`. */
function nextClock(at: number, clock: string): number {
  const date = new Date(at);
  const next = new Date(date.getFullYear(), date.getMonth(), date.getDate(), 0, clockMinutes(clock), 0, 0);
  if (next.getTime() <= at) next.setDate(next.getDate() + 1);
  return next.getTime();
}

/** Whether uploads may run at `at`. A window whose start and end are the same is always open. */
export function windowOpen(schedule: Schedule, at: number): boolean {
  if (!schedule.window) return true;
  const from = clockMinutes(schedule.window.from);
  const to = clockMinutes(schedule.window.to);
  if (from === to) return true;
  const now = minuteOfDay(at);
  return from < to ? now >= from && now < to : now >= from || now < to;
}

/** When the window next opens (if closed at `at`) or closes (if open); null without a window. */
export function nextWindowChange(schedule: Schedule, at: number): number | null {
  if (!schedule.window || schedule.window.from === schedule.window.to) return null;
  return nextClock(at, windowOpen(schedule, at) ? schedule.window.to : schedule.window.from);
}

/** The timetable's limit at `at` (bytes per second, 0 for none), or null without a timetable. */
export function bandwidthAt(schedule: Schedule, at: number): number | null {
  if (schedule.bandwidth.length === 0) return null;
  const now = minuteOfDay(at);
  const sorted = [...schedule.bandwidth].sort((a, b) => clockMinutes(a.from) - clockMinutes(b.from));
  // The last entry that has started today; before the first, yesterday's last still holds.
  const current = sorted.filter((entry) => clockMinutes(entry.from) <= now).at(-1) ?? sorted.at(-1)!;
  return current.limit;
}

/** When the timetable's limit next changes, or null without one. */
export function nextBandwidthChange(schedule: Schedule, at: number): number | null {
  if (schedule.bandwidth.length === 0) return null;
  return Math.min(...schedule.bandwidth.map((entry) => nextClock(at, entry.from)));
}
