import { csvWriter, type CsvStyle } from './csv';
import { assertNever } from './result';
import type { UploadStatusKind } from './upload-status';
import { indexWords, type IndexOutcome, type IndexState } from './indexes';
import { formatDateTime, formatNumber, m } from './i18n';
import { isWebLink } from './links';
import { folderOf, nameOf } from './paths';

/** Where a file of a batch ended: an upload state, or skipped when it was added. */
export type ReportState = UploadStatusKind | 'skipped';

/** One file of a batch report: what an archive needs to prove what went in, and what did not. */
export interface ReportRow {
  readonly itemId: string;
  readonly path: string;
  readonly relativePath: string;
  /** Null for a file skipped as it was added (never read). */
  readonly size: number | null;
  readonly sha256: string | null;
  readonly assetId: string | null;
  /** The upload state it ended in (or is in still), or skipped. */
  readonly state: ReportState;
  /** The reason in plain words (TwelveLabs' own in brackets), for what did not go in. */
  readonly reason: string | null;
  readonly addedAt: number;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
  readonly attempts: number;
  /** The index it was to go into, and how that ended (null without one). */
  readonly indexId: string | null;
  readonly indexName: string | null;
  readonly indexState: IndexState | null;
  readonly indexedAt: number | null;
  /** What was uploaded in its place when it went as an upload copy ("FLAC"), else null. */
  readonly uploadCopy: string | null;
}

/**
 * `csv` and `json` are for scripts and archives (bytes, UTC, fingerprints, stable words); `sheet`
 * is a CSV for people: the person's language, MB, local time, file and folder.
 */
export type ReportFormat = 'csv' | 'json' | 'sheet';

/** A past batch opened in History lists this many files; the saved list has them all. */
export const BATCH_FILES_SHOWN = 200;

/** A batch, as the history lists it: when, and how many items ended how. */
export interface BatchRecord {
  readonly batchId: string;
  readonly startedAt: number;
  /** The last change to any of its items. */
  readonly lastAt: number;
  readonly states: Partial<Record<UploadStatusKind, number>>;
  /** Files the add skipped (sidecars, links out of the folder, names that cannot be read). */
  readonly skipped: number;
  /** As people name it: the folders added ("Day 2 and Day 3"), or "12 files", "3 links". */
  readonly name: string;
  /** How its files stand in the indexes they went into, in every surface's words (`indexSentence`). */
  readonly indexes: readonly IndexOutcome[];
}

/** The outcome column: the same groups as every other surface's numbers. */
type ReportOutcome =
  | 'uploaded'
  | 'already in library'
  | 'could not upload'
  | 'cancelled'
  | 'waiting for its drive'
  | 'processing'
  | 'not finished'
  | 'skipped';

function reportOutcome(state: ReportState): ReportOutcome {
  switch (state) {
    case 'skipped':
      return 'skipped';
    case 'ready':
      return 'uploaded';
    case 'duplicate':
      return 'already in library';
    case 'failed':
    case 'rejected':
      return 'could not upload';
    case 'cancelled':
      return 'cancelled';
    case 'file-missing':
      return 'waiting for its drive';
    case 'processing':
      return 'processing';
    case 'checking':
    case 'copying':
    case 'queued':
    case 'uploading':
    case 'paused':
      return 'not finished';
    default:
      return assertNever(state);
  }
}

/** Each outcome in the people's words, for the sheet and History (the column keeps the English). */
const OUTCOME_WORDS: Readonly<Record<ReportOutcome, () => string>> = {
  uploaded: m.result_uploaded,
  'already in library': m.result_already_there,
  'could not upload': m.result_could_not,
  cancelled: m.result_cancelled,
  'waiting for its drive': m.result_missing,
  processing: m.result_processing,
  'not finished': m.result_not_finished,
  skipped: m.result_skipped,
};

/** The index outcome column, in the words of the rows. */
function indexOutcome(state: IndexState): string {
  switch (state) {
    case 'searchable':
      return 'searchable';
    case 'failed':
      return 'could not index';
    case 'skipped':
      return 'not indexed (not a video)';
    case 'held':
      return 'waiting (index gone)';
    case 'waiting':
    case 'requesting':
    case 'indexing':
      return 'not finished';
    default:
      return assertNever(state);
  }
}

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

/** The report's columns, in order: the same names in every language, for scripts and spreadsheets. */
const REPORT_COLUMNS = [
  'local_path',
  'relative_path',
  'size',
  'sha256',
  'asset_id',
  'outcome',
  'reason',
  'started',
  'finished',
  'attempts',
  'index_id',
  'index_name',
  'index_outcome',
  'indexed_at',
  'upload_copy',
] as const;

/** A report's record of one file, in the order and with the names both formats use. */
function reportRecord(row: ReportRow): Record<(typeof REPORT_COLUMNS)[number], unknown> {
  return {
    local_path: row.path,
    relative_path: row.relativePath,
    size: row.size,
    sha256: row.sha256,
    asset_id: row.assetId,
    outcome: reportOutcome(row.state),
    reason: row.reason,
    started: iso(row.startedAt ?? row.addedAt),
    finished: iso(row.finishedAt),
    attempts: row.attempts,
    index_id: row.indexId,
    index_name: row.indexName,
    index_outcome: row.indexState === null ? null : indexOutcome(row.indexState),
    indexed_at: iso(row.indexedAt),
    upload_copy: row.uploadCopy,
  };
}

/** The result column of the people's sheet, in the words of the rows. */
export function resultWords(state: ReportState): string {
  return OUTCOME_WORDS[reportOutcome(state)]();
}

/** Why, in the people's words: a copy names the file it is a copy of ("Same content as …"). */
export function reasonWords(row: Pick<ReportRow, 'state' | 'reason' | 'uploadCopy'>): string {
  if (row.uploadCopy !== null) return m.report_as_copy({ recipe: row.uploadCopy });
  if (row.reason === null) return '';
  return row.state === 'duplicate' ? m.detail_same_uploaded({ name: row.reason }) : row.reason;
}

/**
 * The file's name and the folder it is in, as the person knows them: from the folder that was
 * added ("Day 2/A-cam"), or the whole folder for a file added on its own; none for a link.
 */
export function fileAndFolder(row: Pick<ReportRow, 'path' | 'relativePath'>): { file: string; folder: string } {
  if (isWebLink(row.path)) return { file: row.relativePath, folder: '' };
  const file = nameOf(row.relativePath);
  return { file, folder: folderOf(row.relativePath) || folderOf(row.path) };
}

/** The people's sheet's columns: words in the person's language, MB, local times, the link a file came from. */
function sheetHeader(): string[] {
  return [
    m.sheet_file(),
    m.sheet_folder(),
    m.sheet_size_mb(),
    m.sheet_result(),
    m.sheet_reason(),
    m.sheet_index(),
    m.sheet_finished(),
    m.sheet_link(),
  ];
}

function sheetCells(row: ReportRow): unknown[] {
  const { file, folder } = fileAndFolder(row);
  return [
    file,
    folder,
    // Plain decimals a spreadsheet reads as numbers in the region's own mark ("1,5").
    row.size === null ? '' : formatNumber(row.size / 1e6, { maximumFractionDigits: 1, useGrouping: false }),
    resultWords(row.state),
    reasonWords(row),
    row.indexId === null || row.indexState === null
      ? ''
      : indexWords({ id: row.indexId, name: row.indexName ?? row.indexId, state: row.indexState }),
    row.finishedAt === null ? '' : formatDateTime(row.finishedAt),
    isWebLink(row.path) ? row.path : '',
  ];
}

/** A report written a file at a time: its start, each file's text, and its end after `count` files. */
export interface ReportWriter {
  readonly head: string;
  readonly row: (row: ReportRow, first: boolean) => string;
  readonly end: (count: number) => string;
}

/**
 * `csv` and `json`: column names and machine values (ISO 8601 times, bytes, stable outcome words)
 * in every language. `sheet`: the people's CSV. Written a file at a time, so a report of a
 * million files is never held whole.
 */
export function reportWriter(format: ReportFormat, style?: CsvStyle): ReportWriter {
  if (format === 'json') {
    // The same text as JSON.stringify of the whole array, two spaces deep.
    const indented = (row: ReportRow) => JSON.stringify(reportRecord(row), null, 2).replaceAll('\n', '\n  ');
    return {
      head: '[',
      row: (row, first) => `${first ? '\n  ' : ',\n  '}${indented(row)}`,
      end: (count) => (count > 0 ? '\n]\n' : ']\n'),
    };
  }
  const sheet = format === 'sheet';
  const csv = csvWriter(sheet ? sheetHeader() : [...REPORT_COLUMNS], style);
  const record = (row: ReportRow) => {
    const fields = reportRecord(row);
    return REPORT_COLUMNS.map((column) => fields[column]);
  };
  return { head: csv.head, row: (row) => csv.line(sheet ? sheetCells(row) : record(row)), end: () => '' };
}

/** A whole report at once (the app's export), as `reportWriter` writes it. */
export function formatReport(rows: readonly ReportRow[], format: ReportFormat, style?: CsvStyle): string {
  const writer = reportWriter(format, style);
  return writer.head + rows.map((row, at) => writer.row(row, at === 0)).join('') + writer.end(rows.length);
}
