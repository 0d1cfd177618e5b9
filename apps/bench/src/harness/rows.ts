/**
 * The rows of a suite's report tables (suites/queue, suites/sync): each row measured `repetitions` times,
 * round-robin, one run at a time (a burst of load elsewhere then hits every row alike); a row whose run
 * fails is reported and skipped later. Cells: median and best rate, the time per operation, ratios of
 * medians against baseline rows, and design.md §8 targets.
 */

import { formatMicros, formatRate, formatRatio } from '../report/format.ts';
import type { Column } from '../report/table.ts';
import { median } from './stats.ts';

/** One run's outcome: operations per second, and (a contended lock) the share of hand-offs. */
export interface Sample {
  readonly rate: number;
  readonly handOffs?: number | undefined;
}

/** One row of a table: a label and how to measure one run of it. */
export interface Row {
  readonly label: string;
  readonly measure: () => Promise<Sample | number> | Sample | number;
  readonly samples: Sample[];
  readonly failures: string[];
  /** Set after a failed run: later repetitions skip the row instead of failing the same way. */
  failed?: boolean;
}

export function row(label: string, measure: Row['measure']): Row {
  return { label, measure, samples: [], failures: [] };
}

/** Runs every row `repetitions` times, round-robin, one run at a time. */
export async function measureRows(rows: readonly Row[], repetitions: number): Promise<void> {
  for (let repetition = 0; repetition < repetitions; repetition++) {
    for (const r of rows) {
      if (r.failed) continue;
      try {
        const sample = await r.measure();
        r.samples.push(typeof sample === 'number' ? { rate: sample } : sample);
      } catch (error) {
        r.failed = true;
        r.failures.push(`! ${r.label}, run ${repetition + 1}: ${(error as Error).message} (later runs skipped)`);
      }
    }
  }
}

/** The time one operation takes at `perSecond`: ns below 1 µs, else µs. */
export function formatPer(perSecond: number | undefined): string {
  if (perSecond === undefined) return '-';
  const ns = 1e9 / perSecond;
  return ns < 1000 ? `${ns < 10 ? ns.toFixed(1) : ns.toFixed(0)} ns` : formatMicros(ns / 1000);
}

/** The standard columns: median and best rate, median time per `per` (item, op), one ratio per baseline. */
export function rateColumns(unit: string, first: Column[], baselines: readonly string[], per = 'item'): Column[] {
  return [
    ...first,
    { header: `median ${unit}`, align: 'right' },
    { header: `best ${unit}`, align: 'right' },
    { header: `median per ${per}`, align: 'right' },
    ...baselines.map((baseline): Column => ({ header: `vs ${baseline}`, align: 'right' })),
  ];
}

/** The median rate of a row's runs (undefined when none completed). */
export const medianRate = (r: Row | undefined): number | undefined =>
  r && median(r.samples.map((sample) => sample.rate));

/**
 * A row's cells: median and best, the time per operation, and its ratio to each baseline. `scale` turns the
 * rate into the table's unit (MiB/s for payloads); ratios and time per operation use the rate itself.
 */
export function rateCells(r: Row, baselines: readonly (Row | undefined)[], scale = 1): string[] {
  const mid = medianRate(r);
  if (mid === undefined) return [r.failed ? 'failed' : 'not run', '-', '-', ...baselines.map(() => '-')];
  return [
    formatRate(mid * scale),
    formatRate(Math.max(...r.samples.map((sample) => sample.rate)) * scale),
    formatPer(mid),
    ...baselines.map((baseline) => formatRatio(mid, medianRate(baseline))),
  ];
}

/** The failure lines of `rows`, for under their table. */
export const failuresOf = (rows: readonly Row[]): string[] => rows.flatMap((r) => r.failures);

/** "name ≥ goal×: 12.3×, met" for the medians of `mine` and `base`. */
export function targetText(name: string, mine: Row, base: Row | undefined, goal: number): string {
  const ours = medianRate(mine);
  const theirs = medianRate(base);
  if (ours === undefined || theirs === undefined) return `${name} ≥ ${goal}×: not measured`;
  return `${name} ≥ ${goal}×: ${formatRatio(ours, theirs)}, ${ours / theirs >= goal ? 'met' : 'MISSED'}`;
}

/** "474k, met" for the median of `mine` against an absolute `goal` per second. */
export function rateTarget(mine: Row, goal: number): string {
  const ours = medianRate(mine);
  if (ours === undefined) return 'not measured';
  return `${formatRate(ours)}, ${ours >= goal ? 'met' : 'MISSED'}`;
}
