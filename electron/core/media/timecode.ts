/**
 * SMPTE timecode arithmetic, for the parts of a programme: each part's first frame carries the
 * original's timecode at that point, so an editor can find the moment in the master.
 */

interface Counting {
  /** Frames per timecode second: 24, 25, 30 (for 29.97), 60 (for 59.94). */
  readonly base: number;
  /** Frame numbers skipped each minute but every tenth (drop-frame timecode, written with ';'), or 0. */
  readonly drop: number;
}

function countingOf(timecode: string, fps: number): Counting {
  const base = Math.round(fps);
  return { base, drop: timecode.includes(';') ? Math.round(base / 15) : 0 };
}

function toFrames(timecode: string, { base, drop }: Counting): number | null {
  const parts = /^(\d{2}):(\d{2}):(\d{2})[:;.](\d{2})$/.exec(timecode);
  if (!parts) return null;
  const [h, m, s, f] = parts.slice(1).map(Number) as [number, number, number, number];
  const minutes = h * 60 + m;
  return (h * 3600 + m * 60 + s) * base + f - drop * (minutes - Math.floor(minutes / 10));
}

function fromFrames(frames: number, { base, drop }: Counting, separator: string): string {
  let n = frames;
  if (drop > 0) {
    // Put back the frame numbers drop-frame timecode skips, then count as if none were.
    const perTenMinutes = base * 600 - drop * 9;
    const perMinute = base * 60 - drop;
    const tens = Math.floor(n / perTenMinutes);
    const rest = n % perTenMinutes;
    n += drop * 9 * tens + (rest > drop ? drop * Math.floor((rest - drop) / perMinute) : 0);
  }
  const two = (value: number) => String(value).padStart(2, '0');
  const day = base * 86_400;
  n = ((n % day) + day) % day;
  return (
    [two(Math.floor(n / (base * 3600))), two(Math.floor(n / (base * 60)) % 60), two(Math.floor(n / base) % 60)].join(
      ':',
    ) + `${separator}${two(n % base)}`
  );
}

/**
 * The timecode `seconds` into a programme whose first frame is `timecode` at `fps` frames a
 * second ("01:02:03:04" and 3 s at 25 fps: "01:02:06:04"); null for a timecode it cannot read.
 */
export function shiftTimecode(timecode: string, seconds: number, fps: number): string | null {
  if (!(fps > 0)) return null;
  const counting = countingOf(timecode, fps);
  const start = toFrames(timecode, counting);
  if (start === null) return null;
  return fromFrames(start + Math.round(seconds * fps), counting, counting.drop > 0 ? ';' : ':');
}
