import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { api, control, fixture, useEmulator } from '../../helpers/emulator';
import { jsonLines, runCli, startCli } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp-dir';
import { until } from '../../helpers/until';

async function jobs(emulator: Parameters<typeof api>[0], indexId: string) {
  return (await api(emulator, `/indexes/${indexId}/indexed-assets?page_limit=50`)).body.data as { status: string }[];
}

/** A card of two takes (one too short for search) and a still. */
async function card(): Promise<string> {
  const folder = join(await tempDir(), 'Card 7');
  await mkdir(folder);
  await copyFile(fixture('video-h264.mp4'), join(folder, 'A001.mp4'));
  await copyFile(fixture('too-short.mp4'), join(folder, 'A002.mp4'));
  await copyFile(fixture('image.jpg'), join(folder, 'still.jpg'));
  return folder;
}

describe('the command line tool and indexes', () => {
  const emulator = useEmulator({ processingDelayMs: 20, indexingDelayMs: 60 });

  it('lists and makes indexes, and says plainly when a name is taken or unknown', async () => {
    const dataDir = await tempDir();
    const made = await runCli(emulator.current, dataDir, ['indexes', 'create', 'Shoot 2026-10', '--no-audio']);
    expect(made.code, made.output).toBe(0);
    expect(made.output).toMatch(/^Made the index Shoot 2026-10 \([0-9a-f]+\)\.$/m);
    const again = await runCli(emulator.current, dataDir, ['indexes', 'create', 'Shoot 2026-10']);
    expect(again.code).toBe(2);
    expect(again.output).toContain('An index named Shoot 2026-10 exists already: choose it, or another name.');
    const listed = await runCli(emulator.current, dataDir, ['indexes']);
    // The same words as the window's index picker, in the language and region LANG names.
    expect(listed.output).toMatch(
      /Shoot 2026-10 {2}\(0 videos · 0 hr · searches what is seen · until \w+ \d+, \d{4}\)/,
    );
    const unknown = await runCli(emulator.current, dataDir, [
      'upload',
      '--index',
      'Shot 2026',
      fixture('video-h264.mp4'),
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.output).toContain(
      'No index is named "Shot 2026". "twelvelabs-uploader indexes" lists yours; "indexes create NAME" makes one.',
    );
  });

  it('says what indexing a batch will cost before anything is sent', async () => {
    const dataDir = await tempDir();
    await runCli(emulator.current, dataDir, ['indexes', 'create', 'Costs']);
    const before = (await control(emulator.current, '/stats')).assets;
    const { output } = await runCli(emulator.current, dataDir, [
      'upload',
      '--dry-run',
      '--index',
      'costs',
      await card(),
    ]);
    // Two videos of 5 and 2 seconds: a minute, as billed; checked for search.
    expect(output).toContain(
      'Then into the index Costs: 2 videos, 1 minute of video to index (TwelveLabs bills indexing by the minute).',
    );
    expect(output).toMatch(/Card 7\/A002\.mp4.*\n\s+Can't be used for search/);
    expect((await control(emulator.current, '/stats')).assets).toBe(before);
  });

  it('uploads a card into an index: each video once, searchable, the short one said to fail, exit 1', async () => {
    const dataDir = await tempDir();
    const made = jsonLines((await runCli(emulator.current, dataDir, ['--json', 'indexes', 'create', 'Card 7'])).output);
    const indexId = made[0].id as string;
    const { code, output } = await runCli(emulator.current, dataDir, ['upload', '--index', 'Card 7', await card()]);
    expect(code, output).toBe(1);
    expect(output).toContain('3 of 3 files uploaded');
    expect(output).toContain('Card 7/A001.mp4: Searchable in Card 7');
    expect(output).toContain('1 searchable in Card 7, 1 could not be indexed, 1 not indexed (not a video).');
    expect(output).toMatch(
      / {2}Card 7\/A002\.mp4: Indexing failed: .*2 seconds long; the shortest that can be used is 4 seconds/,
    );
    expect(await jobs(emulator.current, indexId)).toHaveLength(2);
    // The report names the index and how each file ended there.
    const report = await runCli(emulator.current, dataDir, ['report', '--format', 'json']);
    const rows = JSON.parse(report.output) as { relative_path: string; index_name: string; index_outcome: string }[];
    expect(Object.fromEntries(rows.map((row) => [row.relative_path, [row.index_name, row.index_outcome]]))).toEqual({
      'Card 7/A001.mp4': ['Card 7', 'searchable'],
      'Card 7/A002.mp4': ['Card 7', 'could not index'],
      'Card 7/still.jpg': ['Card 7', 'not indexed (not a video)'],
    });
  });

  it('never indexes twice when killed while the request was on its way; resume finishes it', async () => {
    const dataDir = await tempDir();
    const indexId = jsonLines(
      (await runCli(emulator.current, dataDir, ['--json', 'indexes', 'create', 'Killed'])).output,
    )[0].id as string;
    emulator.current.setFaults({ indexes: { holdAnswer: 'POST /indexes/{id}/indexed-assets' } });
    const cli = startCli(emulator.current, dataDir, ['upload', '--index', 'Killed', fixture('video-h264.mp4')]);
    await until(async () => (await jobs(emulator.current, indexId)).length === 1, 20_000);
    cli.kill('SIGKILL');
    await new Promise((resolve) => cli.once('exit', resolve));
    emulator.current.setFaults({});
    const resumed = await runCli(emulator.current, dataDir, ['resume']);
    expect(resumed.code, resumed.output).toBe(0);
    expect(resumed.output).toContain('1 searchable in Killed.');
    expect(await jobs(emulator.current, indexId)).toHaveLength(1);
  });
});
