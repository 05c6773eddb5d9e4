import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { LIMITS, type FileUse } from '../../../electron/shared/limits';
import { statusDetail, type UploadStatusKind } from '../../../electron/shared/uploads';
import { locateFfmpeg, makeCopy, timecodeOf, type Ffmpeg } from '../../../electron/core/media/ffmpeg';
import { shiftTimecode } from '../../../electron/core/media/timecode';
import { h264Encoder } from '../../../electron/core/media/h264-encoders';
import { planCopy } from '../../../electron/core/media/copy-plan';
import { Prober } from '../../../electron/core/media/probe';
import { openPreflight } from '../../../electron/core/media/preflight';
import { journalPath } from '../../../electron/core/store/data-folder';
import { Journal } from '../../../electron/core/upload/journal';
import { control, fixture, sha256File, useEmulator } from '../../helpers/emulator';
import { filesUnder, openEngine } from '../../helpers/engine';
import { tempDir } from '../../helpers/temp-dir';
import { makeProgramme, PROGRAMME_CUTS } from '../../helpers/programme';
import { until } from '../../helpers/until';
import { closeAfter } from '../../helpers/cleanup';
import { openTestApp } from '../../helpers/app';

const run = promisify(execFile);
/** Media made the way the people's libraries have it, by FFmpeg, at test time. */
const make = (...args: string[]) => run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args]);

// Lowered so a few seconds of ProRes is a master "over the size limit" (10 GB in the world).
const LIMITS_HERE = { ...LIMITS, multipartMaxBytes: 3_000_000 };

describe('upload copies of the files TwelveLabs will not take', () => {
  // The server holds uploads to the same lowered limit and refuses what the models cannot use.
  const emulator = useEmulator({ processingDelayMs: 20, modelRulesAtUpload: true, limits: LIMITS_HERE });

  async function ffmpeg(): Promise<Ffmpeg> {
    const found = await locateFfmpeg(null);
    if (!found) throw new Error('FFmpeg is needed (.ci/run installs it)');
    return found;
  }

  /** A ProRes 422 HQ master over the lowered limit, 6K footage, AAC audio and a TIFF still. */
  async function library(): Promise<string> {
    const folder = join(await tempDir(), 'Card 7');
    await mkdir(folder);
    await make(
      ...['-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440'],
      ...['-t', '5', '-c:v', 'prores_ks', '-profile:v', '3', '-c:a', 'pcm_s16le', join(folder, 'A001_master.mov')],
    );
    await copyFile(fixture('too-high-resolution.mp4'), join(folder, 'aerial 6K.mp4'));
    await copyFile(fixture('audio-aac.m4a'), join(folder, 'interview.m4a'));
    await make('-f', 'lavfi', '-i', 'testsrc2=size=640x480', '-frames:v', '1', join(folder, 'still.tif'));
    return folder;
  }

  async function probe(path: string) {
    const prober = new Prober(1);
    try {
      return await prober.probe(path);
    } finally {
      prober.close();
    }
  }

  function checks(copies: FileUse['copies']) {
    return closeAfter(
      openPreflight(() => true, { limits: LIMITS_HERE, use: () => ({ for: 'search', skipUnusable: false, copies }) }),
    );
  }

  it('makes a copy that passes of each, uploads it once with its provenance, and knows it again', async () => {
    const folder = await library();
    const dataDir = await tempDir();
    const cache = join(dataDir, 'cache', 'upload-copies');
    const preflight = checks('copy');
    const { engine } = closeAfter(
      await openEngine(
        emulator.current,
        dataDir,
        {},
        { check: preflight.check, copies: { ffmpeg: await ffmpeg(), dir: cache, reserveBytes: 0 } },
      ),
    );
    const seen = new Map<string, Set<UploadStatusKind>>();
    let progressed = false;
    engine.on('change', (change) => {
      for (const item of change.items) {
        seen.set(item.name, (seen.get(item.name) ?? new Set()).add(item.status.kind));
        if (item.copyProgress && item.copyProgress.fraction > 0) progressed = true;
      }
    });
    engine.start();
    await engine.add(await filesUnder(folder));
    await engine.whenIdle();

    const items = await engine.items();
    expect(items.map((item) => [item.name, item.status.kind]).sort()).toEqual([
      ['A001_master.mov', 'ready'],
      ['aerial 6K.mp4', 'ready'],
      ['interview.m4a', 'ready'],
      ['still.tif', 'ready'],
    ]);
    for (const item of items) expect(seen.get(item.name)).toContain('copying');
    expect(progressed).toBe(true);
    const plans = Object.fromEntries(items.map((item) => [item.name, item.copy]));
    expect(plans['A001_master.mov']).toMatchObject({ because: 'video_filesize_too_large', format: 'h264-mp4' });
    expect(plans['aerial 6K.mp4']).toMatchObject({
      because: 'video_resolution_too_high',
      format: 'h264-mp4',
      width: 1920,
      height: 800,
    });
    expect(plans['interview.m4a']).toMatchObject({ because: 'audio_format_unsupported', format: 'flac' });
    expect(plans['still.tif']).toMatchObject({ because: 'image_format_unsupported', format: 'png' });

    // One asset each, named as the copy, carrying the original's fingerprint and how it was made.
    const stats = await control(emulator.current, '/stats');
    expect(stats.assets).toBe(4);
    for (const item of items) {
      const status = item.status as { assetId: string };
      const asset = await control(emulator.current, `/assets/${status.assetId}`);
      expect(asset.user_metadata).toMatchObject({
        content_sha256: await sha256File(item.path),
        upload_copy_of: item.name,
        upload_copy_of_path: item.path,
      });
      expect(String(asset.user_metadata.upload_copy_recipe)).toMatch(/^(H\.264 MP4|FLAC|PNG)/);
    }
    const master = items.find((item) => item.name === 'A001_master.mov')!;
    const masterAsset = await control(emulator.current, `/assets/${(master.status as { assetId: string }).assetId}`);
    expect(masterAsset.filename).toBe('A001_master.mp4');
    expect(masterAsset.user_metadata.upload_copy_of_duration).toBeCloseTo(5, 0);
    // Sent: nothing is left in the cache.
    expect(await readdir(cache)).toEqual([]);
    // The batch's report says what went in each file's place.
    const { batchId } = items[0]!;
    const sent = async () => (await engine.report(batchId)).map((row) => row.uploadCopy).sort();
    const RECIPES = ['FLAC', 'H.264 MP4, 1920x800', 'H.264 MP4, 640x360', 'PNG, 640x480'];
    expect(await sent()).toEqual(RECIPES);

    // The same originals again: known by their fingerprint, so no copy is made and nothing is sent.
    await engine.clearFinished();
    seen.clear();
    await engine.add(await filesUnder(folder));
    await engine.whenIdle();
    expect((await engine.items()).map((item) => item.status.kind)).toEqual([
      'duplicate',
      'duplicate',
      'duplicate',
      'duplicate',
    ]);
    for (const kinds of seen.values()) expect(kinds).not.toContain('copying');
    expect((await control(emulator.current, '/stats')).assets).toBe(4);
    // "Upload anyway" on one: its copy is made again, and it goes.
    const again = (await engine.items()).find((item) => item.name === 'interview.m4a')!;
    await engine.retry([again.id]);
    await engine.whenIdle();
    expect((await engine.item(again.id))?.status.kind).toBe('ready');
    expect(seen.get('interview.m4a')).toContain('copying');
    expect(engine.illegalMoves()).toEqual([]);
    // Cleared from the list, the first batch's report still says so.
    await engine.clearFinished();
    expect(await sent()).toEqual(RECIPES);
    // The one the person asked for, and only it, went again.
    expect((await control(emulator.current, '/stats')).assets).toBe(5);
  });

  it('offers the copy when asked to, and makes it when a person chooses it', async () => {
    const folder = join(await tempDir(), 'Audio');
    await mkdir(folder);
    await copyFile(fixture('audio-aac.m4a'), join(folder, 'voice.m4a'));
    const { engine } = closeAfter(
      await openEngine(
        emulator.current,
        await tempDir(),
        {},
        {
          check: checks('ask').check,
          copies: { ffmpeg: await ffmpeg(), dir: join(await tempDir(), 'copies'), reserveBytes: 0 },
        },
      ),
    );
    engine.start();
    const {
      ids: [id],
    } = await engine.add(await filesUnder(folder));
    await engine.whenIdle();
    const offered = (await engine.item(id!))!;
    expect(offered.status).toMatchObject({ kind: 'rejected', code: 'audio_format_unsupported' });
    // The reason stays the reason (files refused for it read alike); the row adds the offer.
    expect((offered.status as { message: string }).message).toBe(
      'This audio is AAC (MPEG-4); TwelveLabs takes WAV, MP3, FLAC. Convert it to one of those.',
    );
    expect(statusDetail(offered, 0)).toMatch(
      /^This audio is AAC \(MPEG-4\); TwelveLabs takes WAV, MP3, FLAC\. Convert it to one of those\. An upload copy TwelveLabs takes can be made: FLAC, about .*B\.$/,
    );
    expect(offered.copy).toMatchObject({ format: 'flac' });

    await engine.makeCopies([id!]);
    await engine.whenIdle();
    expect((await engine.item(id!))!.status.kind).toBe('ready');
    // Added again, the copy is not offered again: the original is known by its fingerprint.
    await engine.clearFinished();
    const {
      ids: [again],
    } = await engine.add(await filesUnder(folder));
    await engine.whenIdle();
    expect((await engine.item(again!))!.status).toMatchObject({ kind: 'duplicate', assetId: expect.any(String) });
  });

  it('is never sent half-made: a stop mid-copy leaves nothing, and the next start makes it whole', async () => {
    const folder = join(await tempDir(), 'Masters');
    await mkdir(folder);
    // Long enough that the stop comes mid-encode.
    await make(
      ...['-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25', '-t', '12'],
      ...['-c:v', 'prores_ks', '-profile:v', '0', join(folder, 'programme.mov')],
    );
    const dataDir = await tempDir();
    const cache = join(dataDir, 'cache', 'upload-copies');
    const setup = { ffmpeg: await ffmpeg(), dir: cache, reserveBytes: 0 };
    const preflight = checks('copy');
    const before = (await control(emulator.current, '/stats')).assets as number;
    const first = await openEngine(emulator.current, dataDir, {}, { check: preflight.check, copies: setup });
    first.engine.start();
    const {
      ids: [id],
    } = await first.engine.add(await filesUnder(folder));
    await until(async () => ((await first.engine.item(id!))?.copyProgress?.fraction ?? 0) > 0.05, 60_000);
    await first.close();
    // Cut off: no part file, nothing sent, and the journal still says the copy is to be made.
    expect(await readdir(cache)).toEqual([]);
    const journal = await Journal.open(journalPath(dataDir));
    expect((await journal.item(id!))?.status.kind).toBe('copying');
    await journal.close();
    // A part file a kill left behind, and a stray, are swept at the next start.
    await writeFile(join(cache, `${id}.mp4.part`), 'half a copy');
    await writeFile(join(cache, 'stray.flac'), 'left over');

    const second = closeAfter(
      await openEngine(emulator.current, dataDir, {}, { check: preflight.check, copies: setup }),
    );
    second.engine.start();
    await second.engine.whenIdle();
    expect((await second.engine.item(id!))?.status.kind).toBe('ready');
    expect((await control(emulator.current, '/stats')).assets).toBe(before + 1);
    expect(await readdir(cache)).toEqual([]);
  });

  it('pauses a copy being made (FFmpeg stopped, its part file gone) and makes it again on Resume', async () => {
    const folder = join(await tempDir(), 'Masters');
    await mkdir(folder);
    await make(
      ...['-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25', '-t', '12'],
      ...['-c:v', 'prores_ks', '-profile:v', '0', join(folder, 'programme.mov')],
    );
    const cache = join(await tempDir(), 'copies');
    const { engine } = closeAfter(
      await openEngine(
        emulator.current,
        await tempDir(),
        {},
        {
          check: checks('copy').check,
          copies: { ffmpeg: await ffmpeg(), dir: cache, reserveBytes: 0 },
        },
      ),
    );
    engine.start();
    const before = (await control(emulator.current, '/stats')).assets as number;
    const {
      ids: [id],
    } = await engine.add(await filesUnder(folder));
    await until(async () => ((await engine.item(id!))?.copyProgress?.fraction ?? 0) > 0.05, 60_000);
    await engine.pause([id!]);
    expect((await engine.item(id!))?.status.kind).toBe('paused');
    expect(await readdir(cache)).toEqual([]);
    await engine.resume([id!]);
    expect((await engine.item(id!))?.status.kind).toBe('copying');
    await engine.whenIdle();
    expect((await engine.item(id!))?.status.kind).toBe('ready');
    expect((await control(emulator.current, '/stats')).assets).toBe(before + 1);
  });

  it("keeps the original's timecode in the copy", async () => {
    const dir = await tempDir();
    const master = join(dir, 'A001.mov');
    await make(
      ...['-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25', '-t', '2'],
      ...['-c:v', 'prores_ks', '-profile:v', '0', '-timecode', '01:02:03:04', master],
    );
    const copy = {
      ...planCopy(
        {
          kind: 'video',
          facts: (await probe(master))!,
          size: 1e10,
          code: 'video_filesize_too_large',
          longest: 4 * 3600,
        },
        LIMITS,
      )!,
    };
    await makeCopy(await ffmpeg(), copy, master, join(dir, 'A001.mp4'));
    const { stdout } = await run('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'stream=codec_tag_string:stream_tags=timecode',
      '-of',
      'csv=p=0',
      join(dir, 'A001.mp4'),
    ]);
    expect(stdout).toContain('tmcd,01:02:03:04');
    // A part's first frame carries the original's timecode at that point: 1.2 s in, at 25 fps.
    const original = await timecodeOf(await ffmpeg(), master);
    expect(original).toEqual({ timecode: '01:02:03:04', fps: 25 });
    const timecode = shiftTimecode(original!.timecode, 1.2, original!.fps)!;
    const part = { ...copy, part: { index: 2, of: 2, start: 1.2, end: 2, leeway: 0, timecode } };
    await makeCopy(await ffmpeg(), part, master, join(dir, 'A001 (part 2 of 2).mp4'));
    const probed = await run('ffprobe', [
      ...['-v', 'error', '-show_entries', 'stream=codec_tag_string:stream_tags=timecode:format=duration'],
      ...['-of', 'csv=p=0', join(dir, 'A001 (part 2 of 2).mp4')],
    ]);
    expect(probed.stdout).toContain('tmcd,01:02:04:09');
    expect(Number(/^([\d.]+)$/m.exec(probed.stdout)?.[1])).toBeCloseTo(0.8, 1);
  });

  it('waits for disk space rather than fail, says so when FFmpeg is gone, and goes on when it can', async () => {
    const folder = join(await tempDir(), 'Audio');
    await mkdir(folder);
    await copyFile(fixture('audio-aac.m4a'), join(folder, 'voice.m4a'));
    const dataDir = await tempDir();
    const cache = join(dataDir, 'copies');
    const preflight = checks('copy');
    // The disk "has" less room than the copy needs with the reserve kept.
    const full = await openEngine(
      emulator.current,
      dataDir,
      {},
      {
        check: preflight.check,
        copies: { ffmpeg: await ffmpeg(), dir: cache, reserveBytes: Number.MAX_SAFE_INTEGER, spaceRetryMs: 50 },
      },
    );
    full.engine.start();
    const {
      ids: [id],
    } = await full.engine.add(await filesUnder(folder));
    await until(async () => (await full.engine.item(id!))?.notice?.startsWith('Waiting for disk space') ?? false);
    // Looked at again and again; still waiting, never failed.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await full.engine.item(id!))?.status.kind).toBe('copying');
    await full.close();
    // Started again where FFmpeg has gone meanwhile: said on the row, never waited on for ever.
    const gone = await openEngine(emulator.current, dataDir, {}, { check: preflight.check });
    gone.engine.start();
    await gone.engine.whenIdle();
    expect((await gone.engine.item(id!))?.status).toMatchObject({
      kind: 'failed',
      code: 'copy_failed',
      message: expect.stringContaining('FFmpeg is no longer found on this computer'),
      retryable: true,
    });
    // Retry says the same while FFmpeg is still gone.
    await gone.engine.retry([id!]);
    await gone.engine.whenIdle();
    expect((await gone.engine.item(id!))?.status.kind).toBe('failed');
    await gone.close();

    const room = closeAfter(
      await openEngine(
        emulator.current,
        dataDir,
        {},
        { check: preflight.check, copies: { ffmpeg: await ffmpeg(), dir: cache, reserveBytes: 0 } },
      ),
    );
    room.engine.start();
    // FFmpeg is back: Retry, as the row said.
    await room.engine.retry([id!]);
    await room.engine.whenIdle();
    expect(await room.engine.item(id!)).toMatchObject({ status: { kind: 'ready' } });
    expect((await room.engine.item(id!))?.notice).toBeUndefined();
  });

  it("follows a watched folder's own choice over the setting for all", async () => {
    const root = join(await tempDir(), 'Podcast inbox');
    await mkdir(root);
    const elsewhere = join(await tempDir(), 'call.m4a');
    await copyFile(fixture('audio-aac.m4a'), elsewhere);
    const app = closeAfter(
      await openTestApp(await tempDir(), { emulator: emulator.current, pick: { folder: [root] } }),
    );
    await app.secrets.set(emulator.current.apiKey);
    expect(app.settings.update({ uploadCopies: 'skip' })).toMatchObject({ ok: true });
    expect(await app.contract.handlers['watch:add']()).toMatchObject({ ok: true });
    expect(await app.contract.handlers['watch:update'](root, { uploadCopies: 'copy' })).toMatchObject({ ok: true });
    await copyFile(fixture('audio-aac.m4a'), join(root, 'episode.m4a'));
    await app.contract.handlers['uploads:add-dropped']([elsewhere]);
    await until(async () => {
      const items = await app.engine.items();
      return items.length === 2 && items.every((item) => ['ready', 'rejected'].includes(item.status.kind));
    }, 30_000);
    const items = await app.engine.items();
    const of = (name: string) => items.find((item) => item.name === name)!;
    expect(of('episode.m4a').status.kind).toBe('ready');
    // Skipped, as Settings says for all: no copy offered.
    expect(of('call.m4a')).toMatchObject({ status: { kind: 'rejected', code: 'audio_format_unsupported' } });
    expect(of('call.m4a').copy).toBeUndefined();
  });

  it('says so on the row when the cache cannot be written, and nothing is left unhandled', async () => {
    const folder = join(await tempDir(), 'Audio');
    await mkdir(folder);
    await copyFile(fixture('audio-aac.m4a'), join(folder, 'voice.m4a'));
    // A file where the cache's folder should be: it cannot be made.
    const blocked = join(await tempDir(), 'not-a-folder');
    await writeFile(blocked, '');
    const { engine } = closeAfter(
      await openEngine(
        emulator.current,
        await tempDir(),
        {},
        {
          check: checks('copy').check,
          copies: { ffmpeg: await ffmpeg(), dir: join(blocked, 'copies'), reserveBytes: 0 },
        },
      ),
    );
    engine.start();
    const {
      ids: [id],
    } = await engine.add(await filesUnder(folder));
    await engine.whenIdle();
    expect((await engine.item(id!))?.status).toMatchObject({
      kind: 'failed',
      code: 'copy_failed',
      detail: expect.stringContaining('ENOTDIR'),
      retryable: true,
    });
  });

  /**
   * An FFmpeg built with NVENC on a machine with an NVIDIA card, which these machines do not have:
   * h264_nvenc encodes with x264 underneath, and each encoder it is asked for is written to `log`.
   * With `refuses`, NVENC passes its trial but refuses real files, as a driver out of memory does.
   */
  async function nvencFfmpeg(log: string, refuses: boolean): Promise<Ffmpeg> {
    const path = join(await tempDir(), 'ffmpeg');
    const real = (await ffmpeg()).path;
    await writeFile(
      path,
      [
        '#!/usr/bin/env bash',
        `[ "$2" = -encoders ] && exec "${real}" "$@"`,
        'args=(); skip=0; nvenc=0; trial=0',
        'for a in "$@"; do',
        '  if [ $skip = 1 ]; then skip=0; continue; fi',
        '  case "$a" in',
        '    h264_nvenc) nvenc=1; args+=(libx264) ;;',
        '    -rc|-cq) skip=1 ;;',
        '    p5) args+=(fast) ;;',
        '    lavfi) trial=1; args+=("$a") ;;',
        '    *) args+=("$a") ;;',
        '  esac',
        'done',
        `if [ $nvenc = 1 ]; then echo "nvenc trial=$trial" >> "${log}"; fi`,
        `if [ $nvenc = 1 ] && [ $trial = 0 ] && ${refuses}; then echo "[h264_nvenc] OpenEncodeSessionEx failed: out of memory (10)" >&2; exit 1; fi`,
        `if [ $nvenc = 0 ] && printf '%s\\n' "\${args[@]}" | grep -qx libx264; then echo "x264" >> "${log}"; fi`,
        `exec "${real}" "\${args[@]}"`,
      ].join('\n'),
    );
    await chmod(path, 0o755);
    return { path, version: 'test' };
  }

  it("encodes video with the machine's own encoder where it works, and on the processor where it does not", async () => {
    // Debian's FFmpeg lists NVENC, Quick Sync and VA-API; none has its hardware here, so each fails its trial.
    expect((await h264Encoder(await ffmpeg(), 'linux')).name).toBe('libx264');
    expect((await h264Encoder(await ffmpeg(), 'darwin')).name).toBe('libx264');

    for (const refuses of [false, true]) {
      const folder = join(await tempDir(), 'Aerials');
      await mkdir(folder);
      await copyFile(fixture('too-high-resolution.mp4'), join(folder, 'aerial 6K.mp4'));
      const log = join(await tempDir(), 'encoders.log');
      const nvenc = await nvencFfmpeg(log, refuses);
      expect(await h264Encoder(nvenc, 'linux')).toMatchObject({ name: 'h264_nvenc', label: 'NVIDIA NVENC' });
      const { engine } = closeAfter(
        await openEngine(
          emulator.current,
          await tempDir(),
          {},
          {
            check: checks('copy').check,
            copies: { ffmpeg: nvenc, dir: join(await tempDir(), 'copies'), reserveBytes: 0 },
          },
        ),
      );
      engine.start();
      const {
        ids: [id],
      } = await engine.add(await filesUnder(folder));
      await engine.whenIdle();
      expect((await engine.item(id!))?.status.kind).toBe('ready');
      // NVENC made the copy; where it refused the file, the processor made it instead.
      const used = (await readFile(log, 'utf8')).trim().split('\n');
      expect(used).toEqual(refuses ? ['nvenc trial=1', 'nvenc trial=0', 'x264'] : ['nvenc trial=1', 'nvenc trial=0']);
    }
  });

  it("says plainly when FFmpeg cannot make a copy, with FFmpeg's own words in Details", async () => {
    const folder = join(await tempDir(), 'Audio');
    await mkdir(folder);
    await copyFile(fixture('audio-aac.m4a'), join(folder, 'voice.m4a'));
    const broken = join(await tempDir(), 'ffmpeg');
    await writeFile(broken, '#!/bin/sh\necho "voice.m4a: Invalid data found when processing input" >&2\nexit 1\n');
    await chmod(broken, 0o755);
    const { engine } = closeAfter(
      await openEngine(
        emulator.current,
        await tempDir(),
        {},
        {
          check: checks('copy').check,
          copies: { ffmpeg: { path: broken, version: 'test' }, dir: join(await tempDir(), 'copies'), reserveBytes: 0 },
        },
      ),
    );
    engine.start();
    const {
      ids: [id],
    } = await engine.add(await filesUnder(folder));
    await engine.whenIdle();
    expect((await engine.item(id!))?.status).toEqual({
      kind: 'failed',
      code: 'copy_failed',
      message:
        "An upload copy could not be made of this file. Details has FFmpeg's own words: check that the file plays, then choose Retry.",
      detail: 'voice.m4a: Invalid data found when processing input',
      retryable: true,
    });
  });
});

describe('a programme longer than the model takes, uploaded in parts', () => {
  // Lowered so twelve seconds is a programme "over four hours" (and a part of under four seconds may pass).
  const SHORT = { ...LIMITS, maxDurationSeconds: 5, minDurationSeconds: 1 };
  const emulator = useEmulator({ processingDelayMs: 20, modelRulesAtUpload: true, limits: SHORT });

  async function programme(): Promise<string> {
    const folder = join(await tempDir(), 'Broadcast');
    await mkdir(folder);
    await makeProgramme(join(folder, 'Match.mp4'));
    return folder;
  }

  it('splits it at the changes of shot, sends each part once with its place, and knows every part again', async () => {
    const folder = await programme();
    const cache = join(await tempDir(), 'copies');
    const preflight = closeAfter(
      openPreflight(() => true, { limits: SHORT, use: () => ({ for: 'search', skipUnusable: false, copies: 'copy' }) }),
    );
    const found = await locateFfmpeg(null);
    const { engine } = closeAfter(
      await openEngine(
        emulator.current,
        await tempDir(),
        {},
        { check: preflight.check, copies: { ffmpeg: found!, dir: cache, reserveBytes: 0 } },
      ),
    );
    engine.start();
    await engine.add(await filesUnder(folder));
    await engine.whenIdle();

    const items = await engine.items();
    // Three rows, in order, beside each other: one file, three parts.
    expect(items.map((item) => [item.name, item.copy?.part?.index, item.status.kind])).toEqual([
      ['Match.mp4', 1, 'ready'],
      ['Match.mp4', 2, 'ready'],
      ['Match.mp4', 3, 'ready'],
    ]);
    // Each part is its own asset under the model's longest (the emulator refuses one over it).
    const hash = await sha256File(join(folder, 'Match.mp4'));
    const assets = await Promise.all(
      items.map((item) => control(emulator.current, `/assets/${(item.status as { assetId: string }).assetId}`)),
    );
    expect(assets.map((asset) => asset.filename)).toEqual([
      'Match (part 1 of 3).mp4',
      'Match (part 2 of 3).mp4',
      'Match (part 3 of 3).mp4',
    ]);
    expect(assets.map((asset) => asset.user_metadata.upload_copy_part)).toEqual(['1/3', '2/3', '3/3']);
    for (const asset of assets) expect(asset.user_metadata.content_sha256).toBe(hash);
    // Cut where the shot changes (3.72 s, 8.32 s), not at the even thirds (4 s, 8 s); the parts meet.
    const starts = assets.map((asset) => Number(asset.user_metadata.upload_copy_part_start));
    const ends = assets.map((asset) => Number(asset.user_metadata.upload_copy_part_end));
    expect(starts[0]).toBe(0);
    expect(starts[1]).toBeCloseTo(PROGRAMME_CUTS[0], 1);
    expect(starts[2]).toBeCloseTo(PROGRAMME_CUTS[1], 1);
    expect(ends.slice(0, 2)).toEqual(starts.slice(1));
    expect(ends[2]).toBeCloseTo(12, 0);
    expect(await readdir(cache)).toEqual([]);

    // Added again: every part is known by the original's fingerprint and its place; nothing is made.
    await engine.clearFinished();
    await engine.add(await filesUnder(folder));
    await engine.whenIdle();
    expect((await engine.items()).map((item) => [item.copy?.part?.index, item.status.kind])).toEqual([
      [1, 'duplicate'],
      [2, 'duplicate'],
      [3, 'duplicate'],
    ]);
    expect((await control(emulator.current, '/stats')).assets).toBe(3);
    expect(engine.illegalMoves()).toEqual([]);
  });

  it('offers the parts when asked to, makes them all when chosen, and offers a lost part again alone', async () => {
    const folder = await programme();
    const preflight = closeAfter(
      openPreflight(() => true, {
        limits: SHORT,
        use: () => ({ for: 'search', skipUnusable: true, copies: 'ask' }),
      }),
    );
    const { engine, client, journal } = closeAfter(
      await openEngine(
        emulator.current,
        await tempDir(),
        {},
        {
          check: preflight.check,
          copies: { ffmpeg: (await locateFfmpeg(null))!, dir: join(await tempDir(), 'copies'), reserveBytes: 0 },
        },
      ),
    );
    engine.start();
    const {
      ids: [id],
    } = await engine.add(await filesUnder(folder));
    await engine.whenIdle();
    // One row until the person chooses: the offer speaks of every part.
    expect(await engine.items()).toHaveLength(1);
    expect(statusDetail((await engine.item(id!))!, 0)).toMatch(
      /An upload copy TwelveLabs takes can be made: H\.264 MP4, 640×360, in 3 parts, about .* in all\.$/,
    );
    const before = (await control(emulator.current, '/stats')).assets;
    await engine.makeCopies([id!]);
    await engine.whenIdle();
    expect((await engine.items()).map((item) => [item.copy?.part?.index, item.status.kind])).toEqual([
      [1, 'ready'],
      [2, 'ready'],
      [3, 'ready'],
    ]);
    expect((await control(emulator.current, '/stats')).assets).toBe(before + 3);

    // Part 2 deleted from the library, the programme added again: only part 2 is offered, as itself.
    const second = (await engine.items())[1]!;
    const deleted = (second.status as { assetId: string }).assetId;
    await client.deleteAsset(deleted);
    await journal.forgetAsset(deleted);
    await engine.clearFinished();
    await engine.add(await filesUnder(folder));
    await engine.whenIdle();
    const again = await engine.items();
    expect(again.map((item) => [item.copy?.part?.index, item.status.kind])).toEqual([
      [1, 'duplicate'],
      [2, 'rejected'],
      [3, 'duplicate'],
    ]);
    expect(statusDetail(again[1]!, 0)).toMatch(/can be made: H\.264 MP4, 640×360, part 2 of 3, about /);
    // Checked again, it stays part 2; chosen, it alone is made and sent.
    await engine.retry([again[1]!.id]);
    await engine.whenIdle();
    expect(await engine.item(again[1]!.id)).toMatchObject({
      status: { kind: 'rejected' },
      copy: { part: { index: 2 } },
    });
    await engine.makeCopies([again[1]!.id]);
    await engine.whenIdle();
    expect((await engine.items()).map((item) => [item.copy?.part?.index, item.status.kind])).toEqual([
      [1, 'duplicate'],
      [2, 'ready'],
      [3, 'duplicate'],
    ]);
    expect((await control(emulator.current, '/stats')).assets).toBe(before + 3);
  });
});
