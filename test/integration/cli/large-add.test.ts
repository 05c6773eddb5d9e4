import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { journalPath } from '../../../electron/core/store/data-folder';
import { Journal } from '../../../electron/core/upload/journal';
import { api, useEmulator } from '../../helpers/emulator';
import { jsonLines, runCli, startCli } from '../../helpers/cli';
import { hasWorkAhead } from '../../../electron/shared/uploads';
import { stillsFolder } from '../../helpers/folders';
import { tempDir } from '../../helpers/temp-dir';
import { until } from '../../helpers/until';

const FILES = 1_500;

/** How many rows the journal holds, read beside the process that writes it. */
function listed(dataDir: string): number {
  try {
    const db = new DatabaseSync(journalPath(dataDir), { readOnly: true });
    try {
      return (db.prepare('SELECT COUNT(*) AS n FROM items').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    // Not made yet, or its tables not yet there.
    return 0;
  }
}

describe('a large folder goes into the queue as it is found', () => {
  const emulator = useEmulator({ mediaChecks: false });

  it('keeps what a kill mid-add had added; adding the folder again lists and uploads each file once', async () => {
    const folder = await stillsFolder(await tempDir(), FILES);
    const dataDir = await tempDir();
    const child = startCli(emulator.current, dataDir, ['upload', folder]);
    // The first files are in the journal, and uploading, long before the scan is through.
    await until(() => listed(dataDir) > 0);
    child.kill('SIGKILL');
    await new Promise((done) => child.once('exit', done));
    const kept = listed(dataDir);
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(FILES);
    const before = await Journal.open(journalPath(dataDir));
    const unfinished = (await before.items()).filter(hasWorkAhead).length;
    await before.close();
    // The kill comes while the first files are still being checked and sent.
    expect(unfinished).toBeGreaterThan(0);

    const again = await runCli(emulator.current, dataDir, ['--json', 'upload', folder]);
    expect(again.code, again.output).toBe(0);
    // The run waits for, and counts, the files the killed one left unfinished, beside its own.
    const summary = jsonLines(again.output).find((line) => line.event === 'summary');
    expect(summary.outcome).toMatchObject({ total: FILES - kept + unfinished, uploaded: FILES - kept + unfinished });
    const journal = await Journal.open(journalPath(dataDir));
    const items = await journal.items();
    await journal.close();
    expect(items).toHaveLength(FILES);
    expect(new Set(items.map((item) => item.path)).size).toBe(FILES);
    expect(items.every((item) => item.status.kind === 'ready')).toBe(true);
    // One asset per file: none lost, none made twice (an upload cut off by the kill included).
    expect(new Set(items.map((item) => (item.status.kind === 'ready' ? item.status.assetId : '')))).toHaveProperty(
      'size',
      FILES,
    );
    const assets = await api(emulator.current, '/assets?page_limit=1');
    expect(assets.body.page_info.total_results).toBe(FILES);
  });
});
