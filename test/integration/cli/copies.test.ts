import { execFile } from 'node:child_process';
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { dataFiles } from '../../../electron/core/store/data-folder';
import { control, fixture, useEmulator } from '../../helpers/emulator';
import { jsonLines, runCli, startCli } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp-dir';
import { until } from '../../helpers/until';

const run = promisify(execFile);

/** FFmpeg processes whose command line names `text` (a copy's part file, say). */
async function ffmpegsNaming(text: string): Promise<number> {
  const { stdout } = await run('pgrep', ['-f', '-c', text]).catch(() => ({ stdout: '0' }));
  return Number(stdout.trim());
}

describe('the CLI makes upload copies', () => {
  const emulator = useEmulator({ processingDelayMs: 20, modelRulesAtUpload: true });

  it('uploads a copy with --make-copies, refuses --make-copies with --no-copies, and doctor names FFmpeg', async () => {
    const folder = join(await tempDir(), 'Card 7');
    await mkdir(folder);
    await copyFile(fixture('audio-aac.m4a'), join(folder, 'interview.m4a'));
    const dataDir = await tempDir();

    // A dry run shows the plan before anything is made: what each copy will be, and the batch's total.
    const planned = await runCli(emulator.current, dataDir, ['upload', '--dry-run', '--make-copies', folder]);
    expect(planned.code, planned.output).toBe(0);
    expect(planned.output).toMatch(/Goes as an upload copy: FLAC, about .*B, about 1 min to make\./);
    expect(planned.output).toMatch(/Upload copies to make first: 1, about .*B \(1 min to make\)\./);
    const plannedJson = jsonLines(
      (await runCli(emulator.current, dataDir, ['--json', 'upload', '--dry-run', '--make-copies', folder])).output,
    );
    expect(plannedJson.find((line) => line.event === 'preflight')).toMatchObject({
      verdict: 'upload',
      copy: { format: 'flac', parts: 1, estimateBytes: expect.any(Number), estimateSeconds: expect.any(Number) },
    });

    // Without it, the app's setting applies: the copy is offered, nothing is made, exit 1.
    const offered = await runCli(emulator.current, dataDir, ['upload', folder]);
    expect(offered.code).toBe(1);
    expect(offered.output).toContain('An upload copy TwelveLabs takes can be made: FLAC');
    expect(offered.output).toContain(
      'Run it again with --make-copies to upload a copy of the 1 file that has one on offer.',
    );

    const copied = await runCli(emulator.current, await tempDir(), ['--json', 'upload', '--make-copies', folder]);
    expect(copied.code, copied.output).toBe(0);
    const ready = jsonLines(copied.output).find((line) => line.event === 'item' && line.status.kind === 'ready');
    const asset = await control(emulator.current, `/assets/${ready.status.assetId}`);
    expect(asset.filename).toBe('interview.flac');
    expect(asset.user_metadata).toMatchObject({ upload_copy_of: 'interview.m4a', upload_copy_recipe: 'FLAC' });

    const both = await runCli(emulator.current, dataDir, ['upload', '--make-copies', '--no-copies', folder]);
    expect(both.code).toBe(2);
    expect(both.output).toContain('--make-copies and --no-copies ask for opposite things');

    const doctor = await runCli(emulator.current, dataDir, ['--json', 'doctor']);
    expect(jsonLines(doctor.output).find((line) => line.event === 'ffmpeg')).toMatchObject({
      found: true,
      version: expect.any(String),
    });
  });

  it('killed mid-copy: FFmpeg stops with it, nothing half-made is sent, and resume makes the copy whole once', async () => {
    const folder = join(await tempDir(), 'Masters');
    await mkdir(folder);
    // 6K, long enough that the kill comes mid-copy.
    await run('ffmpeg', [
      ...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=5760x2400:rate=15'],
      ...['-t', '6', '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '35', '-pix_fmt', 'yuv420p'],
      join(folder, 'aerial.mp4'),
    ]);
    const dataDir = await tempDir();
    const cache = dataFiles(dataDir).uploadCopies;
    const before = (await control(emulator.current, '/stats')).assets as number;
    const child = startCli(emulator.current, dataDir, ['upload', '--make-copies', folder]);
    await until(async () => (await readdir(cache).catch(() => [])).some((name) => name.endsWith('.part')), 60_000);
    // Some of the copy written, then the process is killed outright.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    child.kill('SIGKILL');
    await new Promise((done) => child.once('exit', done));
    // FFmpeg does not outlive it: its progress pipe is gone, so it stops within a moment.
    await until(async () => (await ffmpegsNaming(cache)) === 0, 10_000);
    expect((await control(emulator.current, '/stats')).assets).toBe(before);

    const resumed = await runCli(emulator.current, dataDir, ['--json', 'resume']);
    expect(resumed.code, resumed.output).toBe(0);
    expect((await control(emulator.current, '/stats')).assets).toBe(before + 1);
    const status = jsonLines((await runCli(emulator.current, dataDir, ['--json', 'status'])).output);
    expect(status).toEqual([
      expect.objectContaining({ name: 'aerial.mp4', status: expect.objectContaining({ kind: 'ready' }) }),
    ]);
    // The server probed what it got: a whole 1080p file, not the part a kill left.
    const asset = await control(emulator.current, `/assets/${status[0].status.assetId}`);
    expect(asset.user_metadata.upload_copy_recipe).toBe('H.264 MP4, 1920x800');
    expect(await readdir(cache)).toEqual([]);
  });
});
