/**
 * One CSV cell: quoted when needed (RFC 4180), and text a spreadsheet would run as a formula
 * (=, +, -, @, also behind leading spaces or line breaks, and their full-width forms ＝＋－＠, which
 * spreadsheets in East Asian locales read the same way) is given a leading quote mark.
 */
function csvCell(value: unknown): string {
  // A number is a number to a spreadsheet too (-3 is not a formula).
  if (typeof value === 'number') return String(value);
  const text =
    value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  const safe = /^[\s]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^[\t\r\n]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Rows of cells as a CSV file: a header line, CRLF line ends, one line per row. */
export function csvLines(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return `${[header.map(csvCell).join(','), ...rows.map((row) => row.map(csvCell).join(','))].join('\r\n')}\r\n`;
}
