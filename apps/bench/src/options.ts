/** The summary's command line: `pnpm bench [--quick] [--repetitions=N] [--only=id,id] [--out=DIR]`. */

import type { Mode } from './scenario.ts';

export interface BenchOptions {
  readonly mode: Mode;
  readonly repetitions: number;
  /** Scenario ids to run; empty for all. */
  readonly only: readonly string[];
  /**
   * Where benchmarks.json, benchmarks.md and benchmarks.svg go. By default a full run of every scenario writes
   * docs/, anything else apps/bench/results/, so that a partial or quick run never replaces the published page.
   */
  readonly outDir: string | undefined;
}

/** Repetitions of each row: the quick run takes two, so that a spread still shows. */
const REPETITIONS: Readonly<Record<Mode, number>> = { quick: 2, full: 5 };

/** Parses `args`; throws a RangeError naming what it did not understand, or an unknown scenario id. */
export function parseOptions(args: readonly string[], knownIds: readonly string[]): BenchOptions {
  let mode: Mode = 'full';
  let repetitions: number | undefined;
  let only: string[] = [];
  let outDir: string | undefined;
  for (const arg of args) {
    const [flag, value] = arg.split('=', 2);
    if (arg === '--quick') mode = 'quick';
    else if (flag === '--repetitions' && value !== undefined && /^[1-9]\d*$/.test(value)) repetitions = Number(value);
    else if (flag === '--only' && value !== undefined && value !== '') only = value.split(',');
    else if (flag === '--out' && value !== undefined && value !== '') outDir = value;
    else
      throw new RangeError(
        `unknown argument ${arg}: expected --quick, --repetitions=N, --only=${knownIds.join(',')} or --out=DIR`,
      );
  }
  const unknown = only.filter((id) => !knownIds.includes(id));
  if (unknown.length > 0)
    throw new RangeError(`unknown scenario ${unknown.join(', ')}: expected ${knownIds.join(', ')}`);
  return { mode, repetitions: repetitions ?? REPETITIONS[mode], only, outDir };
}
