import { csvLines, type CsvStyle } from './csv';
import { assertNever } from './result';
import type { UploadStatusKind } from './uploads';
import type { IndexOutcome, IndexState } from './indexes';

/** One file of a batch report: what an archive needs to prove what went in, and what did not. */
export interface ReportRow {
  readonly itemId: string;
  readonly path: string;
  readonly relativePath: string;
  readonly size: number;
  readonly sha256: string | null;
  readonly assetId: string | null;
  /** The upload state it ended in (or is in still). */
  readonly state: UploadStatusKind;
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
}

export type ReportFormat = 'csv' | 'json';

/** A batch, as the history lists it: when, and how many items ended how. */
export interface BatchRecord {
  readonly batchId: string;
  readonly startedAt: number;
  /** The last change to any of its items. */
  readonly lastAt: number;
  readonly states: Partial<Record<UploadStatusKind, number>>;
  /** As people name it: the folders added ("Day 2 and Day 3"), or "12 files", "3 links". */
  readonly name: string;
  /** How its files stand in the indexes they went into, in every surface's words (`indexSentence`). */
  readonly indexes: readonly IndexOutcome[];
}

/** The outcome column: the same groups as every other surface's numbers. */
function reportOutcome(state: UploadStatusKind): string {
  switch (state) {
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
    case 'queued':
    case 'uploading':
    case 'paused':
      return 'not finished';
    default:
      return assertNever(state);
  }
}

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
] as const;

/** A report's records, in the order and with the names both formats use. */
function reportRecords(rows: readonly ReportRow[]): Record<(typeof REPORT_COLUMNS)[number], unknown>[] {
  return rows.map((row) => ({
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
  }));
}

/** Column names and machine values (ISO 8601 times, bytes, stable outcome words) in every language. */
export function formatReport(rows: readonly ReportRow[], format: ReportFormat, style?: CsvStyle): string {
  const records = reportRecords(rows);
  if (format === 'json') return `${JSON.stringify(records, null, 2)}\n`;
  return csvLines(
    REPORT_COLUMNS,
    records.map((record) => REPORT_COLUMNS.map((column) => record[column])),
    style,
  );
}
