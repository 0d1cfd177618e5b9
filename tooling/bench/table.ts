/**
 * Plain-text tables for the benchmark report: fixed-width columns, numbers right-aligned, no colours (the
 * output is meant to be pasted into issues and read in CI logs).
 */

/** One column of a table. Text columns are left-aligned, numeric ones right-aligned. */
export interface Column {
  readonly header: string;
  readonly align?: 'left' | 'right';
}

/** Renders `rows` under `title`, each cell padded to its column's widest entry. */
export function renderTable(title: string, columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((column, c) =>
    Math.max(column.header.length, ...rows.map((row) => (row[c] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    columns
      .map((column, c) => {
        const cell = cells[c] ?? '';
        const width = widths[c] ?? 0;
        return column.align === 'right' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  const rule = '-'.repeat(widths.reduce((sum, width) => sum + width, 0) + 2 * (columns.length - 1));
  return [title, rule, line(columns.map((column) => column.header)), rule, ...rows.map(line), rule].join('\n');
}

/** A rate with a metric suffix and three significant digits: `1.23M`, `456k`, `789`. */
export function formatRate(perSecond: number): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toPrecision(3)}M`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toPrecision(3)}k`;
  return perSecond.toPrecision(3);
}

/** A duration in microseconds, e.g. `1.25 µs`, `12.5 µs`, `125 µs`. */
export function formatMicros(micros: number): string {
  return `${micros < 10 ? micros.toFixed(2) : micros < 100 ? micros.toFixed(1) : micros.toFixed(0)} µs`;
}

/** `numerator / denominator` as `1.23×`, `0.042×` or `123×`, or `-` when either side was not measured. */
export function formatRatio(numerator: number | undefined, denominator: number | undefined): string {
  if (numerator === undefined || denominator === undefined || denominator === 0) return '-';
  const ratio = numerator / denominator;
  return `${ratio >= 100 ? ratio.toFixed(0) : ratio >= 1 ? ratio.toFixed(2) : ratio.toPrecision(2)}×`;
}

/** A fraction as a whole percentage, or `-` when not measured. */
export function formatPercent(fraction: number | undefined): string {
  return fraction === undefined ? '-' : `${Math.round(fraction * 100)}%`;
}
