/** Whether the targets of design.md §8 were met, as every report states it. */

import type { BenchResults, TargetResult } from '../results.ts';
import { formatMultiple, formatRate } from './format.ts';

/** A target's outcome. `MISSED` is upper-case so it stands out in a table. */
export type TargetStatus = 'met' | 'MISSED' | 'not measured';

/**
 * `met` or `MISSED` as the run decided (MISSED also when the @ipc row failed its checks), `not measured` when a
 * baseline it needs has no samples.
 */
export function targetStatus(target: TargetResult): TargetStatus {
  if (target.met === undefined) return 'not measured';
  return target.met ? 'met' : 'MISSED';
}

/** What the run reached: a multiple for ratio targets (`12.3×`), a rate with `unit` for rate targets. */
export function formatReached(target: TargetResult, unit: string): string {
  if (target.reached === undefined) return '-';
  return target.target.kind === 'ratio' ? formatMultiple(target.reached) : `${formatRate(target.reached)} ${unit}`;
}

/** A missed target and the scenario it belongs to. */
export interface MissedTarget {
  readonly scenarioTitle: string;
  readonly target: TargetResult;
  readonly unit: string;
}

/** How many targets of the whole run ended each way, with the missed ones listed. */
export interface TargetTally {
  readonly met: number;
  readonly missed: readonly MissedTarget[];
  readonly notMeasured: number;
}

/** Counts the outcomes of every scenario's targets. */
export function tallyTargets(results: BenchResults): TargetTally {
  let met = 0;
  let notMeasured = 0;
  const missed: MissedTarget[] = [];
  for (const scenario of results.scenarios) {
    for (const target of scenario.targets) {
      const status = targetStatus(target);
      if (status === 'met') met++;
      else if (status === 'not measured') notMeasured++;
      else missed.push({ scenarioTitle: scenario.title, target, unit: scenario.unit });
    }
  }
  return { met, missed, notMeasured };
}

/** The tally in one phrase: `4 met, 1 MISSED, 1 not measured`. */
export function describeTally(tally: TargetTally): string {
  return `${tally.met} met, ${tally.missed.length} MISSED, ${tally.notMeasured} not measured`;
}
