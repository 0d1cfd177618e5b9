/**
 * A suite made of sections (suites/queue, suites/sync): `pnpm bench:suite <suite> [section...]
 * [--repetitions=N]` runs the chosen sections (default all) in order, each printing its own table, with one
 * CPython label for all of them.
 */

import { commandAvailable } from './child-report.ts';

/** The sections to run and how often each row runs. */
export interface SectionOptions<Section extends string> {
  readonly sections: readonly Section[];
  readonly repetitions: number;
}

/** Parses `[section...] [--repetitions=N]` against `all`; throws a RangeError naming what it did not understand. */
export function parseSectionOptions<Section extends string>(
  args: readonly string[],
  all: readonly Section[],
): SectionOptions<Section> {
  let repetitions = 5;
  const sections: Section[] = [];
  for (const arg of args) {
    const [flag, value] = arg.split('=', 2);
    const integer = Number(value);
    if (flag === '--repetitions' && Number.isInteger(integer) && integer > 0) repetitions = integer;
    else if ((all as readonly string[]).includes(arg)) sections.push(arg as Section);
    else throw new RangeError(`unknown argument ${arg}: expected ${all.join(', ')} or --repetitions=N`);
  }
  return { sections: sections.length === 0 ? [...all] : sections, repetitions };
}

/**
 * The label of the CPython rows (`CPython 3.11.7 (fork) multiprocessing`), from the suite script's `info`
 * report, after printing it; undefined, with a notice, when python3 is missing or fails (its rows are then
 * skipped).
 */
export async function pythonLabel(
  info: () => Promise<{ readonly version: string; readonly method: string }>,
): Promise<string | undefined> {
  if (!commandAvailable('python3')) {
    console.log('python3 not found: the CPython rows and ratios are skipped\n');
    return undefined;
  }
  try {
    const { version, method } = await info();
    const label = `CPython ${version} (${method}) multiprocessing`;
    console.log(`${label}: start method '${method}' (fork: the fastest here)\n`);
    return label;
  } catch (error) {
    console.log(`python3 failed (${(error as Error).message}): the CPython rows and ratios are skipped\n`);
    return undefined;
  }
}

/** Runs each chosen section and prints its text; the exit code is 1 when one reported a failed row (`\n! `). */
export async function runSections<Section extends string>(
  options: SectionOptions<Section>,
  runners: Readonly<Record<Section, (options: SectionOptions<Section>, python: string | undefined) => Promise<string>>>,
  python: string | undefined,
): Promise<void> {
  for (const section of options.sections) {
    const text = await runners[section](options, python);
    console.log(`${text}\n`);
    if (text.includes('\n! ')) process.exitCode = 1;
  }
}
