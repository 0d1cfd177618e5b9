/**
 * @ipc/manager benchmark (`pnpm bench`, i.e. `tsx bench/run.ts` in packages/manager; needs `dist/`): a
 * managed dict's `await d.set(k, i); await d.get(k)` loop (one iteration: two round trips to the server),
 * against CPython's `multiprocessing.Manager().dict()` with the same loop (`d[k] = i; d[k]`) in forked
 * `multiprocessing.Process` children. Scenarios:
 *
 * - a) one worker thread on a dict made in the main thread (shared-memory Pipe to the server thread);
 * - b) ten worker threads at once, each on its own key of one dict (total iterations/s);
 * - c) a child OS process (`node child.mjs`) that connects with the address and authkey (Unix socket) and
 *   makes its dict there; against the same CPython number as a).
 *
 * Every run does WARM untimed iterations first, then the timed parts of all its threads start together (a
 * barrier); the rate is all iterations over first start to last end. Every run checks each get's value and
 * each key's final value. Medians of `repetitions` (5) runs, ratios of medians of this run.
 * `tsx bench/run.ts [a] [b] [c] [--repetitions=N] [--no-cpython]` (default: all, 5, with CPython). About
 * two minutes on 2 cores.
 */

import { spawn } from 'node:child_process';
import { share } from '@ipc/core';
import { type DictProxy, Manager } from '@ipc/manager';
import { formatRate, formatRatio } from '../../../apps/bench/src/report/format.ts';
import { type Column, renderTable } from '../../../apps/bench/src/report/table.ts';
import { commandAvailable, runForReport } from '../../../tooling/bench/child-report.ts';
import { cpuTimes, machineHeader, othersLoadLine } from '../../../tooling/bench/machine.ts';
import { median } from '../../../tooling/bench/stats.ts';
import { runWorkers } from '../../../tooling/bench/worker-run.ts';

const WORKER = new URL('./worker.mjs', import.meta.url);
const CHILD = new URL('./child.mjs', import.meta.url);
const CPYTHON = new URL('./cpython.py', import.meta.url);
/** Timed iterations per thread or process. */
const COUNT = 10_000;
/** Untimed iterations first (V8 compiles the paths; CPython's connections are made). */
const WARM = 2_000;
const CONCURRENT = 10;
const GUARD_MS = 300_000;

/** Iterations/s of `threads` worker threads on one dict of `manager`, each on its own key; checked. */
async function threads(manager: Manager, count: number): Promise<number> {
  const dict: DictProxy<string, number> = await manager.dict();
  const barrier = new SharedArrayBuffer(4);
  const keys = Array.from({ length: count }, (_, index) => `k${index}`);
  const reports = await runWorkers(
    WORKER,
    keys.map((key, index) => ({
      workerData: { index, key, count: COUNT, warm: WARM, barrier, parties: count, dict: share(dict) },
    })),
    GUARD_MS,
  );
  const errors = reports.reduce((sum, report) => sum + (report.errors ?? 0), 0);
  if (errors !== 0) throw new Error(`${errors} gets did not return the value just set`);
  for (const key of keys) {
    const last = await dict.get(key);
    if (last !== COUNT - 1) throw new Error(`${key} is ${last}, expected ${COUNT - 1}`);
  }
  if ((await dict.len()) !== count) throw new Error(`the dict has ${await dict.len()} keys, expected ${count}`);
  const ms = Math.max(...reports.map((r) => r.ended ?? 0)) - Math.min(...reports.map((r) => r.started ?? 0));
  return (count * COUNT) / (ms / 1000);
}

interface ChildReport {
  readonly ms: number;
  readonly ops: number;
  readonly errors: number;
  readonly last: number;
  readonly size: number;
}

/** Runs `node child.mjs` (the socket client) and returns the JSON object on its last stdout line. */
function runChild(args: readonly string[]): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD.pathname, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    const guard = setTimeout(() => child.kill('SIGKILL'), GUARD_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(guard);
      try {
        const report = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as ChildReport & { error?: string };
        if (report.error !== undefined) reject(new Error(report.error));
        else if (code !== 0) reject(new Error(`the child exited with ${code}`));
        else resolve(report);
      } catch {
        reject(new Error(`the child exited with ${code}, no JSON report`));
      }
    });
  });
}

/** Iterations/s of a child OS process connected over the manager's socket; checked. */
async function childProcess(manager: Manager): Promise<number> {
  const report = await runChild([
    JSON.stringify(manager.address),
    Buffer.from(manager.authkey).toString('hex'),
    String(COUNT),
    String(WARM),
  ]);
  if (report.errors !== 0) throw new Error(`${report.errors} gets did not return the value just set`);
  if (report.last !== COUNT - 1 || report.size !== 1) {
    throw new Error(`the child's dict ended as {k: ${report.last}} of ${report.size} keys, expected ${COUNT - 1} of 1`);
  }
  return (report.ops / report.ms) * 1000;
}

let pythonVersion = '';

/** Iterations/s of CPython's `processes` children on one Manager().dict(); checked. */
function cpython(processes: number): number {
  const report = runForReport<{ ms: number; ops: number; errors: number; finals: number[]; version: string }>(
    'python3',
    [CPYTHON.pathname, String(processes), String(COUNT), String(WARM)],
    { timeoutMs: GUARD_MS },
    (value) => typeof value.ms === 'number',
  );
  if (report.errors !== 0) throw new Error(`CPython: ${report.errors} gets did not return the value just set`);
  if (report.finals.length !== processes || report.finals.some((last) => last !== COUNT - 1)) {
    throw new Error(`CPython's keys ended as ${JSON.stringify(report.finals)}, expected ${COUNT - 1} each`);
  }
  pythonVersion = report.version;
  return (report.ops / report.ms) * 1000;
}

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
  { name: 'a) 1 worker thread (shared-memory pipe)', ipc: () => threads(manager, 1), cpython: 'one', target: '≥ 5×' },
  {
    name: `b) ${CONCURRENT} worker threads, own keys, one dict`,
    ipc: () => threads(manager, CONCURRENT),
    cpython: 'ten',
  },
  { name: 'c) 1 child process (Unix socket)', ipc: () => childProcess(manager), cpython: 'one' },
];
const scenarios = allScenarios.filter((scenario) => only.includes(scenario.name[0] as string));
const pythonRuns = (
  [
    ['one', () => cpython(1)],
    ['ten', () => cpython(CONCURRENT)],
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
