import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** Where the shots of `makeProgramme` change: near, but not at, the even thirds (4 s and 8 s). */
export const PROGRAMME_CUTS = [3.72, 8.32] as const;

/**
 * Twelve seconds of H.264 in three shots (test pattern, fractal, colour bars) with a tone under
 * them, made by FFmpeg at `path`: a programme "over four hours" where the limit is lowered to
 * five seconds, with changes of shot for its parts to be cut at.
 */
export async function makeProgramme(path: string): Promise<void> {
  await promisify(execFile)('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', `testsrc2=size=640x360:rate=25:duration=${PROGRAMME_CUTS[0]}`],
    ...['-f', 'lavfi', '-i', `mandelbrot=size=640x360:rate=25,trim=duration=${PROGRAMME_CUTS[1] - PROGRAMME_CUTS[0]}`],
    ...['-f', 'lavfi', '-i', `smptebars=size=640x360:rate=25:duration=${12 - PROGRAMME_CUTS[1]}`],
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:duration=12'],
    ...['-filter_complex', '[0:v][1:v][2:v]concat=n=3:v=1:a=0,format=yuv420p[v]', '-map', '[v]', '-map', '3:a'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', path],
  ]);
}
