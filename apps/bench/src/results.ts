/**
 * What one `pnpm bench` run measured: the shape of the JSON file it writes, and what the terminal table,
 * docs/benchmarks.md and its SVG chart are rendered from. Every rate is "per second, higher is better".
 */

/** Which side of the comparison a row measures. */
export type Side = 'ipc' | 'cpython' | 'postMessage' | 'floor';

/** One row of a scenario: one implementation, measured `repetitions` times. */
export interface RowResult {
  readonly side: Side;
  /** What ran, e.g. `@ipc Queue putSync/getSync`, `CPython 3.11 multiprocessing.Queue (fork)`. */
  readonly label: string;
  /** One rate per completed repetition, in the scenario's unit per second. Empty when skipped or failed. */
  readonly samples: readonly number[];
  /** Median of the samples (the upper one of an even count); undefined when there are none. */
  readonly median?: number;
  /** Smallest and largest sample: the spread. */
  readonly min?: number;
  readonly max?: number;
  /** Why there are no samples (python3 missing) or fewer than asked (a run failed its checks). */
  readonly note?: string;
}

/** A goal of design.md §8: ours ≥ `ratio` × a baseline's median, or ≥ an absolute rate. */
export type Target =
  | { readonly kind: 'ratio'; readonly baseline: Side; readonly ratio: number }
  | { readonly kind: 'rate'; readonly rate: number };

/** A target checked against this run: the ratio (or rate) reached, and whether it was met. */
export interface TargetResult {
  readonly target: Target;
  /** How it reads: `≥ 10× CPython`, `≥ 400k/s`. */
  readonly text: string;
  /** The ratio of medians (ratio targets) or our median (rate targets); undefined when not measured. */
  readonly reached?: number;
  /** Undefined when not measured; false also when the @ipc row failed its checks in any run. */
  readonly met?: boolean;
}

/** One scenario of design.md §8 (or process start-up), every side of it from the same run. */
export interface ScenarioResult {
  readonly id: string;
  /** e.g. `Queue 1 producer → 1 consumer, {i, s:'x'}, maxsize 1024`. */
  readonly title: string;
  /** What is counted per second, e.g. `msg/s`, `round trips/s`, `MiB/s`, `starts/s`. */
  readonly unit: string;
  /** The count each run moves or does (same on every side), for the record. */
  readonly workload: string;
  /** What each side does and what every run checks, in a sentence or two. */
  readonly about: string;
  /** First row is the @ipc row the ratios and targets are about; more @ipc rows may follow. */
  readonly rows: readonly RowResult[];
  readonly targets: readonly TargetResult[];
}

/** The machine and runtime the numbers come from. */
export interface MachineInfo {
  readonly node: string;
  readonly python?: string;
  readonly cpuModel: string;
  readonly cores: number;
  readonly platform: string;
  readonly memoryGiB: number;
  /** Share of CPU idle just before the run, 0..1. */
  readonly idleBefore: number;
  /** Share of the machine's CPU time other processes took during the run, 0..1 (undefined without /proc). */
  readonly othersDuring?: number;
}

/** The whole run, as written to `benchmarks.json`. */
export interface BenchResults {
  /** ISO 8601 time the run started. */
  readonly date: string;
  readonly mode: 'quick' | 'full';
  readonly repetitions: number;
  readonly durationMs: number;
  readonly machine: MachineInfo;
  readonly scenarios: readonly ScenarioResult[];
}
