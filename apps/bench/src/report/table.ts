/**
 * Plain-text tables for the benchmark reports: fixed-width columns, numbers right-aligned, no colours (the
 * output is meant to be pasted into issues and read in CI logs).
 */

/** One column of a table. Text columns are left-aligned, numeric ones right-aligned. */
export interface Column {
  readonly header: string;
  readonly align?: 'left' | 'right';
}

/** Width of each column: its widest cell, the header included when `withHeader`. */
function columnWidths(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  withHeader: boolean,
): readonly number[] {
  return columns.map((column, c) =>
    Math.max(withHeader ? column.header.length : 0, ...rows.map((row) => (row[c] ?? '').length)),
  );
}

/** One line of cells, each padded to its width and aligned as its column says, trailing blanks trimmed. */
function alignedLine(columns: readonly Column[], widths: readonly number[], cells: readonly string[]): string {
  return columns
    .map((column, c) => {
      const cell = cells[c] ?? '';
      const width = widths[c] ?? 0;
      return column.align === 'right' ? cell.padStart(width) : cell.padEnd(width);
    })
    .join('  ')
    .trimEnd();
}

/** `rows` as aligned lines without header or rules, e.g. a list of targets under a table. */
export function alignColumns(columns: readonly Column[], rows: readonly (readonly string[])[]): string[] {
  const widths = columnWidths(columns, rows, false);
  return rows.map((row) => alignedLine(columns, widths, row));
}

/** Renders `rows` under `title`, each cell padded to its column's widest entry. */
export function renderTable(title: string, columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columnWidths(columns, rows, true);
  const line = (cells: readonly string[]): string => alignedLine(columns, widths, cells);
  const rule = '-'.repeat(widths.reduce((sum, width) => sum + width, 0) + 2 * (columns.length - 1));
  return [title, rule, line(columns.map((column) => column.header)), rule, ...rows.map(line), rule].join('\n');
}
