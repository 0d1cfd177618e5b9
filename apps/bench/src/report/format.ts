/**
 * Number formatters shared by every benchmark report (the per-package `bench/` scripts and `@ipc/bench`).
 * They never use exponent notation and always use `.` as the decimal point, whatever the locale, so reports
 * from different machines compare line by line. Missing or non-finite values show as `-`.
 */

const formatters = new Map<number, Intl.NumberFormat>();

/** `value` rounded to `digits` significant digits, trailing zeros kept: `1.20`, `0.042`, `1230`. */
function significant(value: number, digits: number): string {
  let formatter = formatters.get(digits);
  if (formatter === undefined) {
    formatter = new Intl.NumberFormat('en-US', {
      minimumSignificantDigits: digits,
      maximumSignificantDigits: digits,
      useGrouping: false,
    });
    formatters.set(digits, formatter);
  }
  return formatter.format(value);
}

/** Metric suffixes from the largest down; the first whose scale fits the rounded value is used. */
const METRIC_SUFFIXES = [
  { scale: 1e9, suffix: 'G' },
  { scale: 1e6, suffix: 'M' },
  { scale: 1e3, suffix: 'k' },
] as const;

/**
 * A rate (anything per second, MiB/s included) with a metric suffix and three significant digits: `1.23M`,
 * `456k`, `789`, `0.500`. The value is rounded before the suffix is chosen, so 999 999 reads `1.00M`, not
 * `1000k`.
 */
export function formatRate(perSecond: number | undefined): string {
  if (perSecond === undefined || !Number.isFinite(perSecond)) return '-';
  if (perSecond === 0) return '0';
  const rounded = Number(perSecond.toPrecision(3));
  const metric = METRIC_SUFFIXES.find(({ scale }) => Math.abs(rounded) >= scale);
  return metric === undefined ? significant(rounded, 3) : `${significant(rounded / metric.scale, 3)}${metric.suffix}`;
}

/**
 * A ratio as a multiple: three significant digits from 1 up (`1.23×`, `12.3×`), whole numbers from 100 up
 * (`123×`, `1234×`), two significant digits below 1 (`0.042×`).
 */
export function formatMultiple(ratio: number | undefined): string {
  if (ratio === undefined || !Number.isFinite(ratio)) return '-';
  if (Math.abs(ratio) >= 100) return `${Math.round(ratio)}×`;
  return `${Math.abs(ratio) >= 1 ? significant(ratio, 3) : significant(ratio, 2)}×`;
}

/** `numerator / denominator` as {@link formatMultiple} writes it, or `-` when either side was not measured. */
export function formatRatio(numerator: number | undefined, denominator: number | undefined): string {
  if (numerator === undefined || denominator === undefined || denominator === 0) return '-';
  return formatMultiple(numerator / denominator);
}

/** A fraction as a whole percentage (`0.97` → `97%`), or `-` when not measured. */
export function formatPercent(fraction: number | undefined): string {
  if (fraction === undefined || !Number.isFinite(fraction)) return '-';
  return `${Math.round(fraction * 100)}%`;
}

/**
 * A relative spread (half the range over the median, see `relativeSpread`) as `±4.2%` below 10% and `±12%`
 * from 10% up, or `-` when there is none (fewer than two samples).
 */
export function formatSpread(fraction: number | undefined): string {
  if (fraction === undefined || !Number.isFinite(fraction)) return '-';
  const percent = fraction * 100;
  return `±${percent < 10 ? percent.toFixed(1) : percent.toFixed(0)}%`;
}

/** A duration in microseconds, e.g. `1.25 µs`, `12.5 µs`, `125 µs`. */
export function formatMicros(micros: number): string {
  return `${micros < 10 ? micros.toFixed(2) : micros < 100 ? micros.toFixed(1) : micros.toFixed(0)} µs`;
}

/** A wall-clock duration in milliseconds as whole seconds, with minutes from one minute up: `45 s`, `3 min 12 s`. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}
