/**
 * One CSV cell: quoted when needed (RFC 4180), and text a spreadsheet would run as a formula
 * (=, +, -, @, also behind leading spaces or line breaks, and their full-width forms ＝＋－＠, which
 * spreadsheets in East Asian locales read the same way) is given a leading quote mark.
 */
function csvCell(value: unknown, separator: CsvSeparator): string {
  // A number is a number to a spreadsheet too (-3 is not a formula).
  if (typeof value === 'number') return String(value);
  const text =
    value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  const safe = /^[\s]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^[\t\r\n]/.test(text) ? `'${text}` : text;
  const needsQuotes = /["\r\n]/.test(safe) || safe.includes(separator);
  return needsQuotes ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export type CsvSeparator = ',' | ';' | '\t';

/**
 * How a CSV file is written. Files the app saves for people open in spreadsheets: a UTF-8
 * byte-order mark, without which Excel on Windows reads names in Korean, Japanese or with accents
 * as garbage, and the separator the region's spreadsheets expect (";" where the decimal mark is
 * ","). What the command line prints for scripts stays plain: commas, no mark.
 */
export interface CsvStyle {
  readonly separator: CsvSeparator;
  readonly bom: boolean;
}

export const SCRIPT_CSV: CsvStyle = { separator: ',', bom: false };

/** The separator a region's spreadsheets split on: ";" where numbers are written "1,5", else ",". */
export function regionSeparator(region: string): CsvSeparator {
  const decimal = new Intl.NumberFormat(region).formatToParts(1.5).find((part) => part.type === 'decimal');
  return decimal?.value === ',' ? ';' : ',';
}

/** CSV written a line at a time: its start (the mark and the header), then one line per row. */
export function csvWriter(
  header: readonly string[],
  style: CsvStyle = SCRIPT_CSV,
): { readonly head: string; readonly line: (cells: readonly unknown[]) => string } {
  const { separator } = style;
  const line = (cells: readonly unknown[]) => `${cells.map((cell) => csvCell(cell, separator)).join(separator)}\r\n`;
  return { head: `${style.bom ? '\uFEFF' : ''}${line(header)}`, line };
}

/** Rows of cells as a CSV file: a header line, CRLF line ends, one line per row. */
export function csvLines(
  header: readonly string[],
  rows: readonly (readonly unknown[])[],
  style: CsvStyle = SCRIPT_CSV,
): string {
  const { head, line } = csvWriter(header, style);
  return head + rows.map(line).join('');
}
