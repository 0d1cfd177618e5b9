/**
 * @ipc/manager benchmark (`pnpm bench:suite manager`, which builds the packages first): a managed dict's `await
 * d.set(k, i); await d.get(k)` loop (one iteration: two round trips to the server), against CPython's
 * `multiprocessing.Manager().dict()` with the same loop (`d[k] = i; d[k]`) in forked `multiprocessing.Process`
 * children. Scenarios:
 *
 * - a) one worker thread on a dict made in the main thread (shared-memory Pipe to the server thread);
 * - b) ten worker threads at once, each on its own key of one dict (total iterations/s);
 * - c) a child OS process (`node child.mjs`) that connects with the address and authkey (Unix socket) and
 *   makes its dict there; against the same CPython number as a).
 *
 * Every run does WARM untimed iterations first, then the timed parts of all its threads start together (a
 * barrier); the rate is all iterations over first start to last end. Every run checks each get's value and
 * each key's final value. Medians of `repetitions` (5) runs, ratios of medians of this run.
 * `pnpm bench:suite manager [a] [b] [c] [--repetitions=N] [--no-cpython]` (default: all, 5, with CPython). About
 * two minutes on 2 cores.
 */

import { Manager } from '@ipc/manager';
import { commandAvailable } from '../../harness/child-report.ts';
import { cpuTimes, machineHeader, othersLoadLine } from '../../harness/machine.ts';
import { median } from '../../harness/stats.ts';
import { formatRate, formatRatio } from '../../report/format.ts';
import { type Column, renderTable } from '../../report/table.ts';
import { COUNT, cpythonDictLoop, dictLoopChild, dictLoopThreads } from './dict-loop.ts';

const CONCURRENT = 10;
let pythonVersion = '';

/** `[a] [b] [c] [--repetitions=N] [--no-cpython]`: the scenarios to run (default all), how often, and whether CPython too. */
function parseArgs(args: readonly string[]): { only: string[]; repetitions: number; withPython: boolean } {
  const only: string[] = [];
  let repetitions = 5;
  let withPython = true;
  for (const arg of args) {
    const [flag, value] = arg.split('=', 2);
    if (flag === '--repetitions' && Number.isInteger(Number(value)) && Number(value) > 0) repetitions = Number(value);
    else if (arg === '--no-cpython') withPython = false;
    else if (['a', 'b', 'c'].includes(arg)) only.push(arg);
    else throw new RangeError(`unknown argument ${arg}: expected a, b, c, --repetitions=N or --no-cpython`);
  }
  return { only: only.length === 0 ? ['a', 'b', 'c'] : only, repetitions, withPython };
}

interface Scenario {
  readonly name: string;
  readonly ipc: () => Promise<number>;
  /** The key of the CPython measurement it is compared with. */
  readonly cpython: 'one' | 'ten';
  readonly target?: string;
}

const { only, repetitions, withPython } = parseArgs(process.argv.slice(2));
const startedAt = performance.now();
console.log(await machineHeader('@ipc/manager bench'));
const hasPython = withPython && commandAvailable('python3');
if (withPython && !hasPython) console.log('python3 not found: the CPython column is skipped');
const before = cpuTimes();
const manager = await Manager.start();
const allScenarios: Scenario[] = [
  {
    name: 'a) 1 worker thread (shared-memory pipe)',
    ipc: () => dictLoopThreads(manager, 1),
    cpython: 'one',
    target: '≥ 5×',
  },
  {
    name: `b) ${CONCURRENT} worker threads, own keys, one dict`,
    ipc: () => dictLoopThreads(manager, CONCURRENT),
    cpython: 'ten',
  },
  { name: 'c) 1 child process (Unix socket)', ipc: () => dictLoopChild(manager), cpython: 'one' },
];
const scenarios = allScenarios.filter((scenario) => only.includes(scenario.name[0] as string));
const pythonRuns = (
  [
    [
      'one',
      async () => {
        const { rate, version } = await cpythonDictLoop(1);
        pythonVersion = version;
        return rate;
      },
    ],
    ['ten', async () => (await cpythonDictLoop(CONCURRENT)).rate],
  ] as const
).filter(([key]) => scenarios.some((scenario) => scenario.cpython === key));
const rates = new Map<string, number[]>();
const add = (key: string, rate: number): void => {
  rates.set(key, [...(rates.get(key) ?? []), rate]);
};
const failures: string[] = [];
const measure = async (key: string, run: () => Promise<number> | number, repetition: number): Promise<void> => {
  try {
    add(key, await run());
  } catch (error) {
    failures.push(`! ${key}, run ${repetition + 1}: ${(error as Error).message}`);
  }
};
try {
  for (let r = 0; r < repetitions; r++) {
    for (const scenario of scenarios) await measure(scenario.name, scenario.ipc, r);
    if (hasPython) for (const [key, run] of pythonRuns) await measure(`cpython ${key}`, run, r);
  }
} finally {
  await manager.shutdown();
}

const columns: Column[] = [
  { header: 'scenario (iterations of set + get)' },
  { header: '@ipc median/s', align: 'right' },
  { header: '@ipc best/s', align: 'right' },
  { header: 'CPython median/s', align: 'right' },
  { header: '@ipc / CPython', align: 'right' },
  { header: 'target', align: 'right' },
];
const show = (values: readonly number[] | undefined): string =>
  values === undefined || values.length === 0 ? '-' : formatRate(median(values) as number);
console.log(
  `${pythonVersion === '' ? '' : `CPython ${pythonVersion}, Manager().dict(), children forked\n`}\n${renderTable(
    `Managed dict, await d.set(k, i); await d.get(k), ${COUNT} timed iterations per thread / process ` +
      `(higher is better); medians of ${repetitions} runs\n` +
      '  CPython: 1 child process for a) and c), 10 for b)',
    columns,
    scenarios.map((scenario) => {
      const ipc = rates.get(scenario.name);
      const python = rates.get(`cpython ${scenario.cpython}`);
      return [
        scenario.name,
        show(ipc),
        ipc === undefined ? '-' : formatRate(Math.max(...ipc)),
        show(python),
        formatRatio(median(ipc ?? []), median(python ?? [])),
        scenario.target ?? '',
      ];
    }),
  )}`,
);
for (const failure of failures) console.log(failure);
if (failures.length > 0) process.exitCode = 1;
console.log(othersLoadLine(before));
console.log(`\ndone in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
