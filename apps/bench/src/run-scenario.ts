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

/**
 * Checks `target` against the first @ipc row and the first row of the baseline's side. An @ipc row that failed
 * its checks in any run misses every target, whatever its other runs reached.
 */
export function checkTarget(target: Target, unit: string, rows: readonly RowResult[]): TargetResult {
  const judged = rows.find((row) => row.side === 'ipc');
  const text = targetText(target, unit);
  if (judged !== undefined && rowFailed(judged)) return { target, text, met: false };
  const ours = judged?.median;
  if (target.kind === 'rate') {
    return ours === undefined ? { target, text } : { target, text, reached: ours, met: ours >= target.rate };
  }
  const theirs = rows.find((row) => row.side === target.baseline)?.median;
  if (ours === undefined || theirs === undefined || theirs === 0) return { target, text };
  const reached = ours / theirs;
  return { target, text, reached, met: reached >= target.ratio };
}

/** The start of a row's note when a run of it failed. */
const FAILED = 'failed';

/** Whether a run of `row` failed (its checks, a guard, or the scenario's set-up). */
export function rowFailed(row: RowResult): boolean {
  return row.note?.startsWith(FAILED) === true;
}

/** Resolves as `work` does, or rejects after `ms`: a tear-down that hangs must not hang the benchmark. */
function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** How long a scenario's setUp or tearDown may take (a Manager starting or shutting down takes ~0.1 s). */
const SET_UP_MS = 30_000;

/** Runs `scenario` and returns its result; never throws for a failed run (the row says what failed). */
export async function runScenario(scenario: Scenario, repetitions: number, onRun: OnRun): Promise<ScenarioResult> {
  const samples = scenario.measurements.map((measurement) => measurement.rows.map((): number[] => []));
  const failures = new Map<number, string>();
  try {
    if (scenario.setUp !== undefined) await within(scenario.setUp(), SET_UP_MS, 'setting up');
  } catch (error) {
    for (const m of scenario.measurements.keys()) failures.set(m, `${FAILED} to set up: ${(error as Error).message}`);
  }
  try {
    for (let repetition = 0; repetition < repetitions && failures.size < scenario.measurements.length; repetition++) {
      for (const [m, measurement] of scenario.measurements.entries()) {
        if (failures.has(m)) continue;
        onRun(scenario, measurement.rows[0] as RowSpec, repetition);
        try {
          const rates = await measurement.run();
          for (const [r, rate] of rates.entries()) samples[m]?.[r]?.push(rate);
        } catch (error) {
          failures.set(m, `${FAILED} in run ${repetition + 1}: ${(error as Error).message}`);
        }
      }
    }
  } finally {
    if (scenario.tearDown !== undefined) {
      await within(scenario.tearDown(), SET_UP_MS, 'tearing down').catch((error: Error) => {
        process.stderr.write(`${scenario.id}: ${error.message}\n`);
      });
    }
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
