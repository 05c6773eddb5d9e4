import { copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTestApp } from '../../helpers/app';
import { closeAfter } from '../../helpers/cleanup';
import { runCli } from '../../helpers/cli';
import { control, fixture, useEmulator } from '../../helpers/emulator';
import { mixedBatchFolder } from '../../helpers/folders';
import { tempDir } from '../../helpers/temp-dir';
import { until } from '../../helpers/until';
import { Journal } from '../../../electron/core/upload/journal';
import { journalPath } from '../../../electron/core/store/data-folder';
import { formatReport } from '../../../electron/shared/report';
import { localeFromEnvironment, useLocale } from '../../../electron/shared/i18n';

describe('the batch report: what went in, proved, after the list is cleared', () => {
  // A video the model cannot use fails processing there (the seed's answer), for a server failure.
  const emulator = useEmulator({ processingDelayMs: 20, modelRulesAtUpload: true });

  it('keeps every file of a batch through Clear finished, and the window and the CLI report the same rows', async () => {
    const folder = await mixedBatchFolder(await tempDir(), 'Shoot');
    const dir = await tempDir();
    const saveTo = join(await tempDir(), 'report.csv');
    const app = closeAfter(await openTestApp(dir, { emulator: emulator.current, pick: { saveTo } }));
    await app.secrets.set(emulator.current.apiKey);
    await app.contract.addPaths([folder]);
    await until(() => app.engine.totals().outcome.total === 5 && app.engine.totals().outcome.toGo === 0);
    await app.engine.clearFinished();
    expect((await app.engine.items()).map((item) => item.name).sort()).toEqual(['notes.mp4', 'pickup.mp4']);

    const history = await app.contract.handlers['uploads:history']();
    if (!history.ok) throw new Error(history.message);
    expect(history.value).toHaveLength(1);
    const [batch] = history.value;
    expect(batch!.states).toEqual({ ready: 2, duplicate: 1, rejected: 1, failed: 1 });
    // Named as the person knows it: the folder that was added (through Clear finished too).
    expect(batch!.name).toBe('Shoot');

    expect(await app.contract.handlers['uploads:export-report'](batch!.batchId, 'csv')).toEqual({
      ok: true,
      value: { path: saveTo, count: 5 },
    });
    const [header, ...lines] = (await readFile(saveTo, 'utf8')).trimEnd().split('\r\n');
    // A byte-order mark for spreadsheets; every column the JSON has, the index ones included.
    expect(header).toBe(
      '\uFEFFlocal_path,relative_path,size,sha256,asset_id,outcome,reason,started,finished,attempts,' +
        'index_id,index_name,index_outcome,indexed_at,upload_copy',
    );
    expect(lines).toHaveLength(5);
    expect(lines.every((line) => line.split(',').length >= 15)).toBe(true);

    // The CLI reads the same journal beside the running app, and says the same.
    const cli = await runCli(emulator.current, dir, ['report', '--format', 'json']);
    expect(cli.code).toBe(0);
    const records = JSON.parse(cli.output.slice(cli.output.indexOf('['))) as Record<string, any>[];
    const outcome = (path: string) => records.find((r) => r.relative_path === path)?.outcome;
    expect(records).toHaveLength(5);
    expect(outcome('Shoot/interview.mp4')).toBe('uploaded');
    expect(outcome('Shoot/notes.mp4')).toBe('could not upload');
    expect(outcome('Shoot/pickup.mp4')).toBe('could not upload');
    // One of the two posters went in; the other is the same content, already there.
    expect([outcome('Shoot/poster.jpg'), outcome('Shoot/poster copy.jpg')].sort()).toEqual([
      'already in library',
      'uploaded',
    ]);
    // Every uploaded row names an asset TwelveLabs holds, with the same content hash.
    for (const record of records.filter((r) => r.outcome === 'uploaded')) {
      const stored = await control(emulator.current, `/assets/${record.asset_id}`);
      expect(stored.sha256, record.relative_path).toBe(record.sha256);
      expect(record.attempts).toBeGreaterThanOrEqual(1);
      expect(Date.parse(record.finished)).toBeGreaterThanOrEqual(Date.parse(record.started));
    }
    expect(records.find((r) => r.relative_path === 'Shoot/notes.mp4')?.reason).toMatch(/not a video/);
    expect(records.find((r) => r.relative_path === 'Shoot/pickup.mp4')?.reason).toMatch(/too short/);
    expect(records.find((r) => r.outcome === 'already in library')?.asset_id).toBe(
      records.find((r) => r.outcome === 'uploaded' && r.relative_path.includes('poster'))?.asset_id,
    );
    // The CSV from the window carries the same assets.
    for (const record of records) expect(lines.some((line) => line.includes(record.relative_path))).toBe(true);

    const list = await runCli(emulator.current, dir, ['report', '--list']);
    expect(list.output).toContain(batch!.batchId);
    const unknown = await runCli(emulator.current, dir, ['report', '--batch', 'no-such-batch']);
    expect(unknown.code).toBe(2);
    expect(unknown.output).toContain('There is no batch no-such-batch in this queue');
  });

  it('opens a past batch with the files it skipped, saves a list for people, and shows any file in its folder', async () => {
    const folder = join(await tempDir(), 'Tag 2');
    await mkdir(join(folder, 'A-cam'), { recursive: true });
    await copyFile(fixture('video-h264.mp4'), join(folder, 'A-cam', 'interview.mp4'));
    await writeFile(join(folder, '.DS_Store'), 'x');
    await writeFile(join(folder, 'notes.txt'), 'call sheet');
    const saveTo = join(await tempDir(), 'list.csv');
    const dir = await tempDir();
    const app = closeAfter(
      await openTestApp(dir, {
        emulator: emulator.current,
        systemLocale: { languages: ['de-DE'], region: 'de-DE' },
        pick: { saveTo },
      }),
    );
    await app.secrets.set(emulator.current.apiKey);
    const added = await app.contract.addPaths([folder]);
    expect(added).toMatchObject({ queued: 1, skipped: 2 });
    await app.engine.whenIdle();
    await app.engine.clearFinished();

    // History counts the skipped files with the batch, and opens it with every file.
    const history = await app.contract.handlers['uploads:history']();
    if (!history.ok) throw new Error(history.message);
    const [batch] = history.value;
    expect(batch).toMatchObject({ name: 'Tag 2', states: { ready: 1 }, skipped: 2 });
    const opened = await app.contract.handlers['uploads:batch-files'](batch!.batchId);
    if (!opened.ok) throw new Error(opened.message);
    expect(opened.value.total).toBe(3);
    const byName = new Map(opened.value.files.map((file) => [file.relativePath, file]));
    expect(byName.get('Tag 2/A-cam/interview.mp4')).toMatchObject({ state: 'ready' });
    expect(byName.get('Tag 2/.DS_Store')).toMatchObject({ state: 'skipped', size: null });
    expect(byName.get('Tag 2/notes.txt')).toMatchObject({ state: 'skipped', reason: expect.any(String) });

    // Show in folder for a file cleared from the list, and for one the add skipped.
    for (const path of ['Tag 2/A-cam/interview.mp4', 'Tag 2/notes.txt']) {
      expect(await app.contract.handlers['uploads:reveal'](byName.get(path)!.itemId)).toEqual({
        ok: true,
        value: null,
      });
    }
    expect(app.revealed).toEqual([join(folder, 'A-cam', 'interview.mp4'), join(folder, 'notes.txt')]);

    // The list for people: German words, ";" as the region splits, MB with a decimal comma, local time.
    expect(await app.contract.handlers['uploads:export-report'](batch!.batchId, 'sheet')).toMatchObject({ ok: true });
    const bytes = await readFile(saveTo);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
    expect(header).toBe('Datei;Ordner;Größe (MB);Ergebnis;Grund;Index;Fertig (Ortszeit);Link');
    const size = (await stat(join(folder, 'A-cam', 'interview.mp4'))).size;
    const mb = (size / 1e6).toLocaleString('de-DE', { maximumFractionDigits: 1, useGrouping: false });
    const interview = rows.find((row) => row.startsWith('interview.mp4;'))!;
    expect(interview).toMatch(new RegExp(`^interview\\.mp4;Tag 2/A-cam;"?${mb}"?;Hochgeladen;;;[^;]*\\d{2}:\\d{2};$`));
    expect(interview).not.toMatch(/Z;|T\d\d:/);
    expect(rows.find((row) => row.startsWith('notes.txt;'))).toMatch(/^notes\.txt;Tag 2;;Übersprungen;[^;]+;;/);
    expect(rows).toHaveLength(3);
    // The CLI writes the same list in the language and region of its environment.
    const cli = await runCli(emulator.current, dir, ['report', '--format', 'sheet'], undefined, {
      LANG: 'de_DE.UTF-8',
    });
    expect(cli.code).toBe(0);
    expect(cli.output).toContain('\uFEFFDatei;Ordner;Größe (MB);Ergebnis;Grund;Index;Fertig (Ortszeit);Link');
    expect(cli.output).toContain(`interview.mp4;Tag 2/A-cam;${mb};Hochgeladen;`);
  });

  it('is written by the CLI as it is read, the same bytes as the whole report, in every format', async () => {
    // 2,500 files put straight into the journal: more than any one read of it would hold.
    const dir = await tempDir();
    const journal = await Journal.open(journalPath(dir));
    const batchId = 'big-batch';
    const names = Array.from({ length: 2500 }, (_, at) => `Stills/IMG_${String(at).padStart(5, '0')}.jpg`);
    await journal.addItems(
      names.map((relativePath, at) => ({
        id: `item-${at}`,
        batchId,
        path: `/archive/${relativePath}`,
        relativePath,
        size: 1000 + at,
        mtimeMs: 0,
        kind: 'image' as const,
        mime: 'image/jpeg',
        strategy: 'direct' as const,
        userMetadata: {},
        status: 'queued' as const,
      })),
      Date.parse('2026-12-01T10:00:00Z'),
    );
    const whole = await journal.reportRows(batchId);
    await journal.close();
    // The people's sheet in the words and region the CLI is given (an earlier test spoke German).
    useLocale(localeFromEnvironment({ LANG: 'en_US.UTF-8' }));
    expect(whole).toHaveLength(2500);
    for (const format of ['csv', 'json', 'sheet'] as const) {
      const cli = await runCli(emulator.current, dir, ['report', '--format', format], undefined, {
        LANG: 'en_US.UTF-8',
      });
      expect(cli.code, format).toBe(0);
      const style = format === 'sheet' ? { separator: ',' as const, bom: true } : undefined;
      expect(cli.output === formatReport(whole, format, style), format).toBe(true);
    }
  });
});
