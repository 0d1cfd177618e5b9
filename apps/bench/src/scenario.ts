/**
 * How a scenario of the summary (`pnpm bench`) is described: what it moves, its rows (one implementation
 * each: @ipc, CPython, postMessage, a raw floor) and the design.md §8 targets it is held to.
 */

import type { Side, Target } from './results.ts';

/** `quick` for development (under a minute, smaller counts); `full` for the published figures. */
export type Mode = 'quick' | 'full';

/** One row: which side it is, and what it says it ran. */
export interface RowSpec {
  readonly side: Side;
  readonly label: string;
}

/**
 * One timed run that fills one or more rows (a script that times several implementations at once fills
 * several): it resolves to one rate per row, in the rows' order, after checking what it did. It throws
 * when a check fails; the runner then counts no rate for it.
 */
export interface Measurement {
  readonly rows: readonly RowSpec[];
  run(): Promise<readonly number[]>;
}

/** A measurement of one row. */
export function single(side: Side, label: string, run: () => Promise<number> | number): Measurement {
  return { rows: [{ side, label }], run: async () => [await run()] };
}

/** A row that cannot run here (python3 missing, say): it shows `note` instead of numbers. */
export interface SkippedRow extends RowSpec {
  readonly note: string;
}

/** A scenario as the runner sees it, for one mode. */
export interface Scenario {
  readonly id: string;
  readonly title: string;
  /** What is counted per second: `msg/s`, `round trips/s`, `MiB/s`, `starts/s`. */
  readonly unit: string;
  /** The count each run moves, the same on every side: "200k messages after 300k untimed (CPython 20k)". */
  readonly workload: string;
  /** What each side does and what every run checks, in a sentence or two (shown on docs/benchmarks.md). */
  readonly about: string;
  /** The first row of the first measurement is the @ipc row that ratios and targets are about. */
  readonly measurements: readonly Measurement[];
  readonly skipped?: readonly SkippedRow[];
  readonly targets: readonly Target[];
  /** Runs once before the first measurement and once after the last (a Manager server, say). */
  setUp?(): Promise<void>;
  tearDown?(): Promise<void>;
}

/** What a scenario module exports: its id, and how to build it for a mode. */
export interface ScenarioFactory {
  readonly id: string;
  create(mode: Mode, python: PythonInfo | undefined): Scenario;
}

/** The python3 the CPython rows run on; undefined when there is none. */
export interface PythonInfo {
  readonly version: string;
}
