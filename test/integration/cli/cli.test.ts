import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journalPath } from '../../../electron/core/store/data-folder';
import { Journal } from '../../../electron/core/upload/journal';
import { api, control, fixture, sha256File, useEmulator } from '../../helpers/emulator';
import { jsonLines, runCli, startCli } from '../../helpers/cli';
import { startLinkServer, type LinkServer } from '../../helpers/link-server';
import { randomFile } from '../../helpers/engine';
import { tempDir } from '../../helpers/temp-dir';
import { until } from '../../helpers/until';
import { closeAfter } from '../../helpers/cleanup';

const KiB = 1024;

describe('the CLI uploads a folder', () => {
  const emulator = useEmulator({ chunkSize: 32 * KiB });

  it('uploads a mixed folder with metadata, prints JSON lines, and exits 1 naming the file it could not upload', async () => {
    const folder = join(await tempDir(), 'Day 1');
    await mkdir(folder);
    for (const name of ['image.jpg', 'audio.flac', 'video-h264.mkv', 'notes-renamed.mp4'])
      await copyFile(fixture(name), join(folder, name));
    await copyFile(fixture('image.png'), join(folder, '.hidden.png'));
    const { code, output } = await runCli(emulator.current, await tempDir(), [
      '--json',
      'upload',
      folder,
      '-m',
      'shoot=day 1',
      '-m',
      'reel=4',
      '-m',
      'source={folder}/{name}.{ext}',
    ]);
    expect(code).toBe(1);
    const lines = jsonLines(output);
    const summary = lines.find((line) => line.event === 'summary');
    expect(summary.uploaded).toBe(3);
    expect(summary.notUploaded).toEqual([
      expect.objectContaining({
        path: join(folder, 'notes-renamed.mp4'),
        status: expect.objectContaining({ kind: 'rejected' }),
      }),
    ]);
    const ready = lines.filter((line) => line.event === 'item' && line.status.kind === 'ready');
    expect(ready).toHaveLength(3);
    for (const line of ready) {
      const stored = await control(emulator.current, `/assets/${line.status.assetId}`);
      expect(stored.sha256).toBe(await sha256File(line.path));
      expect(stored.user_metadata).toEqual({
        shoot: 'day 1',
        reel: 4,
        source: `Day 1/${basename(line.path)}`,
        content_sha256: stored.sha256,
      });
    }
  });

  it('names every file it skips, with the reason: in text the first 20 and a count, in JSON each one', async () => {
    const base = await tempDir();
    const card = join(base, 'CARD_A');
    await mkdir(card);
    await copyFile(fixture('image.jpg'), join(card, 'A001.jpg'));
    // A named pipe would hang a reader for ever; a link to /dev/zero would stream without end.
    execFileSync('mkfifo', [join(card, 'capture.mov')]);
    await symlink('/dev/zero', join(card, 'zeros.mp4'));
    await symlink(join(card, 'deleted.mov'), join(card, 'dangling.mov'));
    for (let i = 0; i < 22; i += 1) await writeFile(join(card, `C${String(i).padStart(4, '0')}.xml`), '<clip/>');

    const json = await runCli(emulator.current, await tempDir(), ['--json', 'upload', card]);
    expect(json.code).toBe(0);
    const skipped = jsonLines(json.output).filter((line) => line.event === 'skipped');
    expect(skipped).toHaveLength(25);
    expect(
      Object.fromEntries(
        skipped.filter((line) => !line.path.endsWith('.xml')).map((line) => [basename(line.path), line.reason]),
      ),
    ).toEqual({
      'capture.mov': 'not-a-file',
      'zeros.mp4': 'link-outside',
      'dangling.mov': 'broken-link',
    });

    // Three real runs of the tool: the text ones side by side.
    const [text, verbose] = await Promise.all([
      runCli(emulator.current, await tempDir(), ['upload', card]),
      runCli(emulator.current, await tempDir(), ['upload', '--verbose', card]),
    ]);
    expect(text.code).toBe(0);
    expect(text.output).toContain('Queued 1 file (');
    expect(text.output).toContain('Skipped 25:');
    expect(text.output).toContain(`${join(card, 'capture.mov')}  (Not files: pipes, devices and sockets)`);
    expect(text.output).toContain(`${join(card, 'dangling.mov')}  (Links whose target is gone)`);
    expect(text.output).toContain('… and 5 more; --verbose lists every one.');
    expect(verbose.output).toContain(
      `${join(card, 'C0021.xml')}  (Skipped (not media): sidecars and notes beside the clips)`,
    );
    expect(verbose.output).not.toContain('more; --verbose');
  });

  it('uploads a photo whose name is not valid UTF-8, named readably, with its original bytes noted', async () => {
    const folder = join(await tempDir(), 'Archive');
    await mkdir(folder);
    // As copied from an old archive or a Windows share: Latin-1 bytes, not UTF-8.
    await copyFile(fixture('image.png'), Buffer.from(join(folder, 'legacy-\xe9t\xe9.png'), 'latin1'));
    const { code, output } = await runCli(emulator.current, await tempDir(), ['--json', 'upload', folder]);
    expect(code, output).toBe(0);
    const ready = jsonLines(output).filter((line) => line.event === 'item' && line.status.kind === 'ready');
    expect(ready).toHaveLength(1);
    const stored = await control(emulator.current, `/assets/${ready[0].status.assetId}`);
    expect(stored.filename).toBe('legacy-été.png');
    expect(stored.sha256).toBe(await sha256File(fixture('image.png')));
    expect(stored.user_metadata).toMatchObject({ original_name_bytes: 'legacy-%E9t%E9.png' });
  });

  it('exits 1 when a file named on the command line could not even be queued', async () => {
    const dir = await tempDir();
    execFileSync('mkfifo', [join(dir, 'pipe.mp4')]);
    const { code, output } = await runCli(emulator.current, await tempDir(), [
      'upload',
      fixture('image.jpg'),
      join(dir, 'pipe.mp4'),
      join(dir, 'missing.mp4'),
    ]);
    expect(code, output).toBe(1);
    expect(output).toContain(`${join(dir, 'pipe.mp4')}  (Not files: pipes, devices and sockets)`);
    expect(output).toContain(`${join(dir, 'missing.mp4')}  (Could not be read)`);
    expect(output).toContain('1 of 1 files uploaded');
  });

  it('exits 0 when every file was uploaded, and prints a readable summary', async () => {
    const { code, output } = await runCli(emulator.current, await tempDir(), [
      'upload',
      fixture('image.jpg'),
      fixture('audio.mp3'),
    ]);
    expect(code).toBe(0);
    expect(output).toContain('Queued 2 files (42.2 kB).');
    expect(output).toContain('2 of 2 files uploaded (42.2 kB).');
  });

  it('speaks the language LANG names to people, and prints the same JSON bytes in every language', async () => {
    const dataDir = await tempDir();
    const folder = join(await tempDir(), 'Batch');
    await mkdir(folder);
    for (const name of ['video-h264.mp4', 'too-short.mp4', 'audio-aac.m4a'])
      await copyFile(fixture(name), join(folder, name));
    const speaking = (language: Record<string, string>) => ({ LC_ALL: '', LC_MESSAGES: '', LANG: '', ...language });
    const korean = await runCli(emulator.current, dataDir, ['upload', '--dry-run', folder], undefined, {
      ...speaking({ LANG: 'ko_KR.UTF-8' }),
    });
    expect(korean.output).toMatch(/업로드할 수 없음\s+\S+\s+Batch\/audio-aac\.m4a/);
    expect(korean.output).toContain(
      '업로드할 파일 2개, 업로드할 수 없는 파일 1개, 이미 라이브러리에 있는 파일 0개, 건너뛴 항목 0개.',
    );
    // Usage errors and the lists of indexes and assets speak it too; the exit codes do not change.
    const unnamed = await runCli(emulator.current, dataDir, ['upload'], undefined, speaking({ LANG: 'ko_KR.UTF-8' }));
    expect([unnamed.code, unnamed.output.trim()]).toEqual([2, '올릴 파일, 폴더 또는 링크를 지정하세요.']);
    const page = await runCli(
      emulator.current,
      dataDir,
      ['assets', 'list'],
      undefined,
      speaking({ LANG: 'ja_JP.UTF-8' }),
    );
    expect(page.output).toMatch(/^1 ページ中 1 ページ\(アセット\d+件\)$/m);
    const json = async (language: Record<string, string>) =>
      (
        await runCli(
          emulator.current,
          dataDir,
          ['--json', 'upload', '--dry-run', folder],
          undefined,
          speaking(language),
        )
      ).output;
    const english = await json({ LANG: 'en_US.UTF-8' });
    expect(english).toContain('"verdict":"rejected"');
    expect(await json({ LANG: 'ko_KR.UTF-8' })).toBe(english);
    expect(await json({ LC_ALL: 'de_DE.UTF-8', LANG: 'ja_JP.UTF-8' })).toBe(english);
  });

  it('checks every file on --dry-run and says what would happen, uploading nothing', async () => {
    const dataDir = await tempDir();
    expect((await runCli(emulator.current, dataDir, ['upload', fixture('image.png')])).code).toBe(0);
    const before = (await control(emulator.current, '/stats')).assets;
    const folder = join(await tempDir(), 'Batch');
    await mkdir(folder);
    for (const name of ['image.png', 'video-h264.mp4', 'too-short.mp4', 'notes-renamed.mp4', 'audio-aac.m4a'])
      await copyFile(fixture(name), join(folder, name));
    const json = await runCli(emulator.current, dataDir, ['--json', 'upload', '--dry-run', folder]);
    expect(json.code).toBe(1);
    const verdicts = Object.fromEntries(
      jsonLines(json.output)
        .filter((line) => line.event === 'preflight')
        .map((line) => [line.relativePath, [line.verdict, line.code ?? null, line.message ?? null]]),
    );
    expect(verdicts).toEqual({
      'Batch/audio-aac.m4a': [
        'rejected',
        'audio_format_unsupported',
        'This audio is AAC (MPEG-4); TwelveLabs takes WAV, MP3, FLAC. Convert it to one of those.',
      ],
      'Batch/image.png': ['duplicate', null, expect.stringMatching(/^Already in your library as image\.png/)],
      'Batch/notes-renamed.mp4': [
        'rejected',
        'unsupported_type',
        'This is a text file, not a video, audio or image file, and not named as a document (.txt or .md). Remove it from the list.',
      ],
      // Search cannot use it, but TwelveLabs stores it: it goes, with the warning.
      'Batch/too-short.mp4': [
        'upload',
        null,
        "Can't be used for search: this video is 2 seconds long; the shortest that can be used is 4 seconds. It uploads all the same.",
      ],
      'Batch/video-h264.mp4': ['upload', null, null],
    });

    const table = await runCli(emulator.current, dataDir, ['upload', '--dry-run', folder]);
    expect(table.output).toMatch(/Upload\s+135 kB {2}Batch\/video-h264\.mp4 {2}\[MPEG-4 · AVC · AAC · 640×360/);
    expect(table.output).toMatch(/Upload\s+43\.9 kB {2}Batch\/too-short\.mp4.*\n\s+Can't be used for search/);
    expect(table.output).toContain("2 to upload, 2 can't be uploaded, 1 already in your library, 0 skipped.");

    // --for analysis --strict: checked against Pegasus, and what it cannot use is skipped.
    const strict = await runCli(emulator.current, dataDir, [
      '--json',
      'upload',
      '--dry-run',
      '--for',
      'analysis',
      '--strict',
      join(folder, 'too-short.mp4'),
    ]);
    expect(jsonLines(strict.output).find((line) => line.event === 'preflight')).toMatchObject({
      verdict: 'rejected',
      code: 'video_duration_too_short',
      message:
        "Skipped, as it can't be used for analysis: this video is 2 seconds long; the shortest that can be used is 4 seconds. Use a longer clip.",
    });
    expect((await control(emulator.current, '/stats')).assets).toBe(before);
  });

  it('lists, reads, annotates and deletes assets', async () => {
    const dataDir = await tempDir();
    const upload = jsonLines(
      (await runCli(emulator.current, dataDir, ['--json', 'upload', fixture('image.png')])).output,
    );
    const id = upload.find((line) => line.event === 'item' && line.status.kind === 'ready').status.assetId;
    const listed = await runCli(emulator.current, dataDir, [
      'assets',
      'list',
      '--type',
      'image',
      '--filename',
      'image.png',
    ]);
    expect(listed.output).toContain(id);
    const meta = await runCli(emulator.current, dataDir, [
      '--json',
      'assets',
      'metadata',
      id,
      '--set',
      'rating=5',
      '--set',
      'ok=true',
    ]);
    const hash = { content_sha256: await sha256File(fixture('image.png')) };
    expect(JSON.parse(meta.output.trim())).toEqual({ ...hash, rating: 5, ok: true });
    const unset = await runCli(emulator.current, dataDir, ['--json', 'assets', 'metadata', id, '--unset', 'ok']);
    expect(JSON.parse(unset.output.trim())).toEqual({ ...hash, rating: 5 });
    // Clear removes every field but the fingerprint, as in the app; changing that is refused.
    const cleared = await runCli(emulator.current, dataDir, ['--json', 'assets', 'metadata', id, '--clear']);
    expect(JSON.parse(cleared.output.trim())).toEqual(hash);
    const forged = await runCli(emulator.current, dataDir, ['assets', 'metadata', id, '--unset', 'content_sha256']);
    expect(forged.code).toBe(1);
    expect(forged.output).toContain('cannot be changed or removed');
    expect((await runCli(emulator.current, dataDir, ['assets', 'delete', id])).code).toBe(0);
    expect((await api(emulator.current, `/assets/${id}`)).status).toBe(404);
  });

  it('explains a missing key instead of failing obscurely', async () => {
    const child = await runCli({ ...emulator.current, apiKey: '' }, await tempDir(), ['upload', fixture('image.jpg')]);
    expect(child.code).toBe(2);
    expect(child.output).toMatch(/No API key: set TWELVE_LABS_API_KEY/);
  });

  it("ends with 2 and the catalogue's words when TwelveLabs refuses the key", async () => {
    const child = await runCli({ ...emulator.current, apiKey: 'tlk_not_a_real_key' }, await tempDir(), [
      'upload',
      fixture('image.jpg'),
    ]);
    expect(child.code).toBe(2);
    expect(child.output).toContain(
      'Your API key was rejected. Set a valid TWELVE_LABS_API_KEY (or update the key in the app), then run "resume".',
    );
  });

  it('has --help on every command', async () => {
    for (const args of [
      ['--help'],
      ['upload', '--help'],
      ['resume', '--help'],
      ['status', '--help'],
      ['assets', 'list', '--help'],
      ['assets', 'metadata', '--help'],
    ]) {
      const { code, output } = await runCli(emulator.current, await tempDir(), args);
      expect(code, args.join(' ')).toBe(0);
      expect(output).toContain('Usage:');
    }
  });

  it('ends a usage problem with exit 2, as the README says, naming what was wrong', async () => {
    for (const [args, words] of [
      [['--bogus'], "unknown option '--bogus'"],
      [['upload', '--nope', 'x'], "unknown option '--nope'"],
      [['assets', 'get'], "missing required argument 'id'"],
      [['upload', '--concurrency', 'many', 'x'], '--concurrency takes a whole number from 1 to 16'],
      [['watch', '/'], '/ is a whole disk: watching it would upload everything on it.'],
      [['watch', '/etc'], '/etc belongs to the system'],
    ] as const) {
      const { code, output } = await runCli(emulator.current, await tempDir(), args);
      expect(code, args.join(' ')).toBe(2);
      expect(output).toContain(words);
    }
  });
});

describe('the CLI survives being stopped', () => {
  // Each chunk body is read at 256 KB/s: a 6 MiB file takes a few seconds, time to interrupt it.
  const emulator = useEmulator({
    chunkSize: 256 * KiB,
    mediaChecks: false,
    faults: { chunks: { bandwidthBytesPerSecond: 256 * KiB } },
  });
  const SIZE = 24 * 256 * KiB;

  /** A data dir whose settings send files of 5 MiB and up through multipart (the lowest allowed). */
  async function dataDirWithMultipart(): Promise<string> {
    const dir = await tempDir();
    await writeFile(join(dir, 'settings.json'), JSON.stringify({ multipartThreshold: 5 * 1024 * KiB }));
    return dir;
  }

  it('resumes after SIGKILL mid-file, re-sending no more than the chunks in flight, several times in a row', async () => {
    const dataDir = await dataDirWithMultipart();
    const path = await randomFile(await tempDir(), 'interview.mov', SIZE);
    const before = await control(emulator.current, '/stats');
    let child = startCli(emulator.current, dataDir, ['upload', path]);
    for (const reached of [4, 10, 16]) {
      await until(async () => (await control(emulator.current, '/stats')).chunk_puts - before.chunk_puts >= reached);
      child.kill('SIGKILL');
      await new Promise((done) => child.once('exit', done));
      child = startCli(emulator.current, dataDir, ['resume']);
    }
    const code = await new Promise((done) => child.once('exit', done));
    expect(code, child.output()).toBe(0);

    const after = await control(emulator.current, '/stats');
    expect(
      after.requests['POST /assets/multipart-uploads'] - (before.requests['POST /assets/multipart-uploads'] ?? 0),
    ).toBe(1);
    // 24 chunks, plus at most the default 6 in flight lost at each of the 3 kills.
    expect(after.chunk_puts - before.chunk_puts).toBeLessThanOrEqual(24 + 3 * 6);
    const status = jsonLines((await runCli(emulator.current, dataDir, ['--json', 'status'])).output);
    expect(status).toHaveLength(1);
    expect(status[0].status.kind).toBe('ready');
    expect((await control(emulator.current, `/assets/${status[0].status.assetId}`)).sha256).toBe(
      await sha256File(path),
    );
  });

  it('pauses cleanly on Ctrl-C, says how to continue, and resume finishes the file', async () => {
    const dataDir = await dataDirWithMultipart();
    const path = await randomFile(await tempDir(), 'b-roll.mov', SIZE);
    const before = (await control(emulator.current, '/stats')).chunk_puts;
    const child = startCli(emulator.current, dataDir, ['upload', path]);
    await until(async () => (await control(emulator.current, '/stats')).chunk_puts - before >= 4);
    // Wait until the CLI has journalled some of them (SQLite in WAL mode lets this process read).
    await until(async () => {
      const journal = closeAfter(await Journal.open(journalPath(dataDir)));
      const [item] = await journal.items();
      const count = item ? (await journal.chunks(item.id)).length : 0;
      await journal.close();
      return count >= 2;
    });
    child.kill('SIGINT');
    const code = await new Promise((done) => child.once('exit', done));
    expect(code).toBe(130);
    expect(child.output()).toContain('Paused. Run "resume" to continue where this stopped.');
    const paused = jsonLines((await runCli(emulator.current, dataDir, ['--json', 'status'])).output);
    expect(paused[0].status.kind).not.toBe('ready');
    // What was confirmed before the pause is in the journal, reported, and counted as sent.
    const journal = closeAfter(await Journal.open(journalPath(dataDir)));
    const chunks = await journal.chunks(paused[0].id);
    await journal.close();
    expect(chunks.length).toBeGreaterThanOrEqual(1);
    expect(chunks.every((chunk) => chunk.reported)).toBe(true);
    expect(paused[0].bytesSent).toBeGreaterThanOrEqual(chunks.length * 256 * KiB);

    const resumed = await runCli(emulator.current, dataDir, ['resume']);
    expect(resumed.code, resumed.output).toBe(0);
    expect(resumed.output).toContain('1 of 1 files uploaded');
  });
});

describe('the CLI uploads links', () => {
  const emulator = useEmulator();
  let links: LinkServer;
  beforeAll(async () => {
    links = await startLinkServer();
  });
  afterAll(() => links.close());

  it('uploads a link named among the paths, with a file, and says so', async () => {
    const { code, output } = await runCli(emulator.current, await tempDir(), [
      'upload',
      links.media('video-h264.mp4'),
      fixture('image.jpg'),
    ]);
    expect(output).toContain('Queued 1 file (');
    expect(output).toContain('and 1 link.');
    expect(code).toBe(0);
    const stats = await control(emulator.current, '/stats');
    expect(stats.requests['POST /assets']).toBeGreaterThanOrEqual(2);
  });

  it('reads links from standard input with --links-from -, as JSON events, and exits 1 for the one it refused', async () => {
    const input = `# tonight's batch\n${links.media('audio.mp3')}\n${links.origin}/page.html\n`;
    const { code, output } = await runCli(
      emulator.current,
      await tempDir(),
      ['--json', 'upload', '--links-from', '-'],
      input,
    );
    expect(code).toBe(1);
    const lines = jsonLines(output);
    const summary = lines.find((line) => line.event === 'summary');
    expect(summary.uploaded).toBe(1);
    expect(summary.notUploaded).toEqual([
      expect.objectContaining({
        path: `${links.origin}/page.html`,
        status: expect.objectContaining({ kind: 'rejected', code: 'link_web_page' }),
      }),
    ]);
  });

  it('checks links on --dry-run and creates nothing', async () => {
    const before = (await control(emulator.current, '/stats')).assets;
    const { code, output } = await runCli(emulator.current, await tempDir(), [
      'upload',
      '--dry-run',
      links.media('video-h264.mp4'),
      `${links.origin}/gone`,
      'ftp://example.org/clip.mp4',
    ]);
    expect(code).toBe(1);
    expect(output).toMatch(/Upload\s+\d+(\.\d)? kB\s+127\.0\.0\.1:\d+\/media\/video-h264\.mp4/);
    expect(output).toContain('Nothing is at this link any more');
    expect(output).toContain('Links that start with ftp: cannot be uploaded');
    expect(output).toContain("1 to upload, 2 can't be uploaded");
    expect((await control(emulator.current, '/stats')).assets).toBe(before);
  });

  it('says when there is nothing to upload instead of exiting quietly', async () => {
    const { code, output } = await runCli(
      emulator.current,
      await tempDir(),
      ['upload', '--links-from', '-'],
      'no links here\n',
    );
    expect(code).toBe(2);
    expect(output).toContain('No links found in standard input');
  });
});

describe('the compiled command line tool', () => {
  const emulator = useEmulator();

  it('runs from the build without tsx: help, and a real upload', async () => {
    const { stat } = await import('node:fs/promises');
    expect(await stat('out/main/cli.js').catch(() => null), 'run `npm run build` first').not.toBeNull();
    process.env.CLI_COMPILED = '1';
    try {
      const help = await runCli(emulator.current, await tempDir(), ['--help']);
      expect(help.code).toBe(0);
      expect(help.output).toContain('Usage: twelvelabs-uploader');
      const upload = await runCli(emulator.current, await tempDir(), ['upload', fixture('audio.wav')]);
      expect(upload.code, upload.output).toBe(0);
      expect(upload.output).toContain('1 of 1 files uploaded');
    } finally {
      delete process.env.CLI_COMPILED;
    }
  });
});
