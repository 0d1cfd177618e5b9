/**
 * @ipc/pipe benchmarks (`pnpm bench:suite pipe`, which builds the packages first). Two sections, each with its own
 * report (ratios of medians of one run):
 *
 * - `pipe` (shared-memory.ts): `Pipe()` ping-pong between threads against postMessage and CPython's Pipe;
 * - `sockets` (sockets.ts): `Listener`/`Client` between two OS processes against CPython's
 *   multiprocessing.connection.
 *
 * `pnpm bench:suite pipe [pipe] [sockets] [--repetitions=N]` (default: both, 5 repetitions). About 1-2 min.
 */

import { benchPipe } from './shared-memory.ts';
import { benchSockets } from './sockets.ts';

const SECTIONS = { pipe: benchPipe, sockets: benchSockets } as const;
type Section = keyof typeof SECTIONS;

function parseArgs(args: readonly string[]): { sections: Section[]; repetitions: number } {
  const sections: Section[] = [];
  let repetitions = 5;
  for (const arg of args) {
    const [flag, value] = arg.split('=', 2);
    if (flag === '--repetitions' && Number.isInteger(Number(value)) && Number(value) > 0) repetitions = Number(value);
    else if (arg in SECTIONS) sections.push(arg as Section);
    else throw new RangeError(`unknown argument ${arg}: expected pipe, sockets or --repetitions=N`);
  }
  return { sections: sections.length === 0 ? ['pipe', 'sockets'] : sections, repetitions };
}

const { sections, repetitions } = parseArgs(process.argv.slice(2));
for (const section of sections) await SECTIONS[section](repetitions);
