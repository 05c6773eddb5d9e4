// resume, status and report: the queue as it stands and its batches.
import { once } from 'node:events';
import { Option } from 'commander';
import { reportWriter, type ReportFormat } from '../../shared/report';
import { placeWords, type UploadItem } from '../../shared/uploads';
import { handOver } from '../../core/queue/handover';
import { queueOwner } from '../../core/queue/lock';
import { publicItem } from '../../core/upload/journal';
import { CliError, dataDirOf, openCliCore } from '../context';
import { describe, jsonLine } from '../report';
import { counted, currentLocale, formatBytes, m } from '../../shared/i18n';
import { regionSeparator } from '../../shared/csv';
import { program, globals } from '../program';
import { dispatch, openForWork } from '../run-work';
import { overrides, concurrencyOption, parseBytes } from '../options';

program
  .command('resume')
  .description('Continue the queue where it stopped (after Ctrl-C, a crash, or a restart).')
  .option('-c, --concurrency <n>', 'files uploading at once', concurrencyOption)
  .option('-b, --bandwidth <rate>', 'upper limit for all uploads together, e.g. 5MB', parseBytes)
  .action(async (options: { concurrency?: number; bandwidth?: number }) => {
    await dispatch(await openForWork(overrides(options)), { op: 'resume' }, overrides(options));
  });

program
  .command('status')
  .description('Show the queue: every file and where it stands (changes nothing).')
  .action(async () => {
    // The owner's view is live (progress included), sent a page at a time and printed as it comes.
    const owner = await queueOwner(dataDirOf(globals()));
    if (owner) {
      let answered = false;
      let printed = Promise.resolve(0);
      await handOver(owner, { op: 'status' }, (message) => {
        if (message.type !== 'items') return;
        answered = true;
        printed = printed.then((count) => printItems(message.items, count));
      }).catch(() => undefined);
      const count = await printed;
      if (answered) return printEnd(count);
    }
    // Without an owner, the journal as it was left, printed as it is read.
    const core = await openCliCore(globals(), 'reader', { key: false });
    try {
      printEnd(await printItems(mapped(core.journal.itemStream(), (item) => publicItem(item))));
    } finally {
      await core.close();
    }
  });

async function* mapped<T, U>(items: AsyncIterable<T>, map: (item: T) => U): AsyncGenerator<U> {
  for await (const item of items) yield map(item);
}

program
  .command('report')
  .description("Write a batch's report: every file, its outcome, asset ID, SHA-256 and reason (changes nothing).")
  .option('--batch <id>', 'the batch to report (default: the newest); `report --list` shows them')
  .option('--list', 'list the batches instead: when, how many files, how they ended')
  .addOption(
    new Option('--format <format>', 'csv or json for scripts; sheet: a CSV for people, in your language and region')
      .choices(['csv', 'json', 'sheet'])
      .default('csv'),
  )
  .action(async (options: { batch?: string; list?: boolean; format: ReportFormat }) => {
    // Read from the journal file itself: SQLite lets a reader in beside the app that owns it.
    const core = await openCliCore(globals(), 'reader', { key: false });
    try {
      const batches = await core.journal.batches();
      if (options.list) {
        for (const batch of batches) {
          const files = Object.values(batch.states).reduce((sum, n) => sum + (n ?? 0), 0);
          const when = new Date(batch.startedAt).toISOString();
          if (globals().json) jsonLine({ event: 'batch', ...batch, files });
          else process.stdout.write(`${batch.batchId}  ${when}  ${m.count_files(counted(files))}\n`);
        }
        if (batches.length === 0 && !globals().json) process.stdout.write(`${m.cli_no_batches()}\n`);
        return;
      }
      const batchId = options.batch ?? batches[0]?.batchId;
      if (batchId === undefined) throw new CliError(m.cli_no_batch_yet());
      if (!batches.some((batch) => batch.batchId === batchId)) {
        throw new CliError(m.cli_no_batch({ id: batchId }));
      }
      // The people's sheet opens in the region's spreadsheets as the app's own export does.
      const style = { separator: regionSeparator(currentLocale().region), bom: true };
      const writer = reportWriter(options.format, options.format === 'sheet' ? style : undefined);
      // Written as read, waiting for a slow reader: a million files are never held at once.
      await out(writer.head);
      let count = 0;
      for await (const row of core.journal.reportStream(batchId)) {
        await out(writer.row(row, count === 0));
        count += 1;
      }
      await out(writer.end(count));
    } finally {
      await core.close();
    }
  });

/** Writes to standard output, waiting while its buffer is full. */
async function out(text: string): Promise<void> {
  if (text !== '' && !process.stdout.write(text)) await once(process.stdout, 'drain');
}

/** Prints items as they come; says how many have been printed with those before (`count`). */
async function printItems(items: Iterable<UploadItem> | AsyncIterable<UploadItem>, count = 0): Promise<number> {
  const json = globals().json;
  for await (const item of items) {
    count += 1;
    if (json) await out(`${JSON.stringify({ event: 'item', ...item })}\n`);
    else await out(`${describe(item).padEnd(32)} ${formatBytes(item.size).padStart(9)}  ${placeWords(item)}\n`);
  }
  return count;
}

/** After the last item: an empty queue says so in words. */
function printEnd(count: number): void {
  if (count === 0 && !globals().json) process.stdout.write(`${m.cli_queue_empty()}\n`);
}
