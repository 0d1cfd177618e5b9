/** One row of a scenario as the terminal table and the markdown page print it. */

import type { RowResult, ScenarioResult } from '../results.ts';
import { BASELINE_SIDES, ratioAgainst, relativeSpread } from './comparison.ts';
import { formatMultiple, formatRate, formatSpread } from './format.ts';

/** A row's printed cells; every value is `-` when not measured. */
export interface RowCells {
  readonly label: string;
  /** Median with the scenario's unit: `1.23M msg/s`. */
  readonly median: string;
  /** `±4.2%`, see `relativeSpread`. */
  readonly spread: string;
  /** Completed repetitions of those asked: `5/5`, `0/5`. */
  readonly runs: string;
  /** Ratio of medians against each of `BASELINE_SIDES`, in that order (`-` on baseline rows). */
  readonly ratios: readonly string[];
  /** Why samples are missing, when the row says. */
  readonly note?: string;
}

/** The cells of `row`, one of `scenario`'s rows, from a run that asked for `repetitions` samples per row. */
export function rowCells(scenario: ScenarioResult, row: RowResult, repetitions: number): RowCells {
  const cells = {
    label: row.label,
    median: row.median === undefined ? '-' : `${formatRate(row.median)} ${scenario.unit}`,
    spread: formatSpread(relativeSpread(row)),
    runs: `${row.samples.length}/${repetitions}`,
    ratios: BASELINE_SIDES.map((side) => formatMultiple(ratioAgainst(scenario, row, side))),
  };
  return row.note === undefined ? cells : { ...cells, note: row.note };
}
