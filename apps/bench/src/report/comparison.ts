/**
 * How the reports compare rows: which row is a side's baseline, the ratio of an @ipc row's median to it, and
 * the spread of a row's samples. Pure functions of `ScenarioResult`, shared by the terminal table, the
 * markdown page and the chart.
 */

import type { RowResult, ScenarioResult, Side } from '../results.ts';

/** The sides @ipc rows are compared against, in the order the reports show their ratio columns. */
export const BASELINE_SIDES = ['cpython', 'postMessage', 'floor'] as const satisfies readonly Side[];

/** One of {@link BASELINE_SIDES}. */
export type BaselineSide = (typeof BASELINE_SIDES)[number];

/** How each side is named in column headers and the chart's legend. */
export const SIDE_NAMES: Readonly<Record<Side, string>> = {
  ipc: '@ipc',
  cpython: 'CPython',
  postMessage: 'postMessage',
  floor: 'floor',
};

/**
 * The row a side's ratios divide by: the first row of that side in the scenario (even when it has no
 * samples, so the reference never silently changes to another row), or undefined when the scenario has none.
 */
export function baselineRow(scenario: ScenarioResult, side: BaselineSide): RowResult | undefined {
  return scenario.rows.find((row) => row.side === side);
}

/**
 * `row`'s median ÷ the median of `side`'s baseline row, both from this run. Undefined for rows that are not
 * @ipc rows (baselines are not compared with each other) and when either median is missing.
 */
export function ratioAgainst(scenario: ScenarioResult, row: RowResult, side: BaselineSide): number | undefined {
  if (row.side !== 'ipc') return undefined;
  const baseline = baselineRow(scenario, side)?.median;
  if (row.median === undefined || baseline === undefined || baseline === 0) return undefined;
  return row.median / baseline;
}

/**
 * Half the range of `row`'s samples over their median, `(max − min) / 2 / median`: `0.04` reads `±4%`.
 * Undefined with fewer than two samples, where a spread says nothing.
 */
export function relativeSpread(row: RowResult): number | undefined {
  const { min, max, median } = row;
  if (row.samples.length < 2 || min === undefined || max === undefined || median === undefined || median === 0) {
    return undefined;
  }
  return (max - min) / 2 / median;
}
