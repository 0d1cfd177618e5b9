/**
 * Runs one scenario of the summary: every measurement `repetitions` times, round-robin (a burst of load
 * elsewhere then hits every row alike), one at a time; a measurement whose run fails (a check, a guard) is
 * reported and skipped in later repetitions. Then the medians, spreads, and targets.
 */

import { median } from './harness/stats.ts';
import { SIDE_NAMES } from './report/comparison.ts';
import type { RowResult, ScenarioResult, Side, Target, TargetResult } from './results.ts';
import type { RowSpec, Scenario } from './scenario.ts';

/** Told before each run, for the progress line. */
export type OnRun = (scenario: Scenario, row: RowSpec, repetition: number) => void;

/** The order rows are shown in: ours first, then the baselines. */
const SIDE_ORDER: readonly Side[] = ['ipc', 'cpython', 'postMessage', 'floor'];

/** A row's result from its samples. */
function rowResult(spec: RowSpec, samples: readonly number[], note: string | undefined): RowResult {
  const middle = median(samples);
  const stats = middle === undefined ? {} : { median: middle, min: Math.min(...samples), max: Math.max(...samples) };
  return { side: spec.side, label: spec.label, samples, ...stats, ...(note === undefined ? {} : { note }) };
}

/** `≥ 10× CPython` or `≥ 400k/s`. */
function targetText(target: Target, unit: string): string {
  if (target.kind === 'rate') return `≥ ${target.rate.toLocaleString('en-US')} ${unit}`;
  return `≥ ${target.ratio}× ${SIDE_NAMES[target.baseline]}`;
}

/** Checks `target` against the first @ipc row and the first row of the baseline's side. */
export function checkTarget(target: Target, unit: string, rows: readonly RowResult[]): TargetResult {
  const ours = rows.find((row) => row.side === 'ipc')?.median;
  const text = targetText(target, unit);
  if (target.kind === 'rate') {
    return ours === undefined ? { target, text } : { target, text, reached: ours, met: ours >= target.rate };
  }
  const theirs = rows.find((row) => row.side === target.baseline)?.median;
  if (ours === undefined || theirs === undefined || theirs === 0) return { target, text };
  const reached = ours / theirs;
  return { target, text, reached, met: reached >= target.ratio };
}

/** Runs `scenario` and returns its result; never throws for a failed run (the row says what failed). */
export async function runScenario(scenario: Scenario, repetitions: number, onRun: OnRun): Promise<ScenarioResult> {
  const samples = scenario.measurements.map((measurement) => measurement.rows.map((): number[] => []));
  const failures = new Map<number, string>();
  await scenario.setUp?.();
  try {
    for (let repetition = 0; repetition < repetitions; repetition++) {
      for (const [m, measurement] of scenario.measurements.entries()) {
        if (failures.has(m)) continue;
        onRun(scenario, measurement.rows[0] as RowSpec, repetition);
        try {
          const rates = await measurement.run();
          for (const [r, rate] of rates.entries()) samples[m]?.[r]?.push(rate);
        } catch (error) {
          failures.set(m, `failed in run ${repetition + 1}: ${(error as Error).message}`);
        }
      }
    }
  } finally {
    await scenario.tearDown?.();
  }
  const measured = scenario.measurements.flatMap((measurement, m) =>
    measurement.rows.map((spec, r) => rowResult(spec, samples[m]?.[r] ?? [], failures.get(m))),
  );
  const skipped = (scenario.skipped ?? []).map((spec) => rowResult(spec, [], spec.note));
  const rows = [...measured, ...skipped].sort((a, b) => SIDE_ORDER.indexOf(a.side) - SIDE_ORDER.indexOf(b.side));
  return {
    id: scenario.id,
    title: scenario.title,
    unit: scenario.unit,
    workload: scenario.workload,
    about: scenario.about,
    rows,
    targets: scenario.targets.map((target) => checkTarget(target, scenario.unit, rows)),
  };
}
