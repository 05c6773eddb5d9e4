import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTestApp } from '../../helpers/app';
import { closeAfter } from '../../helpers/cleanup';
import { runCli } from '../../helpers/cli';
import { control, useEmulator } from '../../helpers/emulator';
import { mixedBatchFolder } from '../../helpers/folders';
import { tempDir } from '../../helpers/temp-dir';
import { until } from '../../helpers/until';

describe('the batch report: what went in, proved, after the list is cleared', () => {
  // A video the model cannot use fails processing there (the seed's answer), for a server failure.
  const emulator = useEmulator({ processingDelayMs: 20, modelRulesAtUpload: true });

  it('keeps every file of a batch through Clear finished, and the window and the CLI report the same rows', async () => {
    const folder = await mixedBatchFolder(await tempDir(), 'Shoot');
    const dir = await tempDir();
    const saveTo = join(await tempDir(), 'report.csv');
    const app = closeAfter(await openTestApp(dir, { emulator: emulator.current, pick: { saveTo } }));
    await app.secrets.set(emulator.current.apiKey);
    await app.core.addPaths([folder]);
    await until(() => app.engine.totals().outcome.total === 5 && app.engine.totals().outcome.toGo === 0);
    await app.engine.clearFinished();
    expect(
      app.engine
        .items()
        .map((item) => item.name)
        .sort(),
    ).toEqual(['notes.mp4', 'pickup.mp4']);

    const history = await app.core.handlers['uploads:history']();
    if (!history.ok) throw new Error(history.message);
    expect(history.value).toHaveLength(1);
    const [batch] = history.value;
    expect(batch!.states).toEqual({ ready: 2, duplicate: 1, rejected: 1, failed: 1 });
    // Named as the person knows it: the folder that was added (through Clear finished too).
    expect(batch!.name).toBe('Shoot');

    expect(await app.core.handlers['uploads:export-report'](batch!.batchId, 'csv')).toEqual({
      ok: true,
      value: { path: saveTo, count: 5 },
    });
    const [header, ...lines] = (await readFile(saveTo, 'utf8')).trimEnd().split('\r\n');
    // A byte-order mark for spreadsheets; every column the JSON has, the index ones included.
    expect(header).toBe(
      '\uFEFFlocal_path,relative_path,size,sha256,asset_id,outcome,reason,started,finished,attempts,' +
        'index_id,index_name,index_outcome,indexed_at',
    );
    expect(lines).toHaveLength(5);
    expect(lines.every((line) => line.split(',').length >= 14)).toBe(true);

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
});
