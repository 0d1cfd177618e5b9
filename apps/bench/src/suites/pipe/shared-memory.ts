/**
 * @ipc/pipe shared-memory benchmark (section `pipe` of `pnpm bench:suite pipe`, run.ts). Ping-pong round trips of a small number, in the same run, ratios of medians:
 *
 * - worker ↔ worker, both sides `sendSync`/`recvSync` over a `Pipe()`: design.md §8 target ≥ 400k round
 *   trips/s; against postMessage ping-pong between two workers over a MessageChannel, and CPython's
 *   `multiprocessing.Pipe` between two processes (fork);
 * - main ↔ worker, the main `await send()` / `await recv()`, the worker sync: against postMessage between
 *   the main and a worker.
 *
 * Every row runs in fresh threads (worker.mjs) or a python3 child (cpython-pipe.py), `repetitions` (5) times
 * round-robin; each run checks that every answer was the number sent.
 */

import { fileURLToPath } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import { share } from '@ipc/core';
import { Pipe } from '@ipc/pipe';
import { commandAvailable, runForReport } from '../../harness/child-report.ts';
import { cpuTimes, machineHeader, othersLoadLine } from '../../harness/machine.ts';
import { median } from '../../harness/stats.ts';
import { runWorkers, type ThreadReport } from '../../harness/worker-run.ts';
import { formatMicros, formatRate, formatRatio } from '../../report/format.ts';
import { type Column, renderTable } from '../../report/table.ts';

const WORKER = new URL('./worker.mjs', import.meta.url);
const CPYTHON = new URL('./cpython-pipe.py', import.meta.url);
/** Round trips timed, and untimed before: sync rows go far faster than the others. */
const SYNC = { count: 200_000, warm: 20_000 };
const ASYNC = { count: 50_000, warm: 5_000 };
const CPYTHON_TRIPS = { count: 50_000, warm: 2_000 };
/** A run that has not reported after this long is stuck: it is killed and reported. */
const GUARD_MS = 60_000;

/** How many round trips a run times, after how many untimed. */
export interface Trips {
  readonly count: number;
  readonly warm: number;
}

interface Row {
  readonly name: string;
  /** The row this one is compared with besides CPython (the same topology over postMessage). */
  readonly against?: string;
  run(): Promise<number>;
}

/** Round trips per second of a ping report, after checking every answer. */
function rateOf(report: { ms: number; ops: number; echoed: number }): number {
  if (report.echoed !== report.ops) throw new Error(`${report.ops - report.echoed} answers were wrong`);
  return (report.ops / report.ms) * 1000;
}

/** Round trips per second of `Pipe()` between two workers, both sides sendSync / recvSync. */
export async function pipeWorkers(trips: Trips = SYNC): Promise<number> {
  const [a, b] = Pipe<number | null>();
  const data = { kind: 'pipe', ...trips };
  const reports = await runWorkers(
    WORKER,
    [
      { workerData: { ...data, role: 'ping', index: 0, end: share(a) } },
      { workerData: { ...data, role: 'pong', index: 1, end: share(b) } },
    ],
    GUARD_MS,
  );
  return rateOf(reports[0] as ThreadReport & { echoed: number });
}

async function pipeMain(): Promise<number> {
  const [here, there] = Pipe<number | null>();
  const pong = runWorkers(
    WORKER,
    [{ workerData: { kind: 'pipe', role: 'pong', index: 0, end: share(there), ...ASYNC } }],
    GUARD_MS,
  );
  let echoed = 0;
  const trips = async (n: number) => {
    for (let i = 0; i < n; i++) {
      await here.send(i);
      if ((await here.recv()) === i) echoed++;
    }
  };
  await trips(ASYNC.warm);
  const started = performance.now();
  await trips(ASYNC.count);
  const ms = performance.now() - started;
  await here.send(null);
  await here.recv();
  await pong;
  return rateOf({ ms, ops: ASYNC.count, echoed: echoed - ASYNC.warm });
}

/** Round trips per second of postMessage between two workers over a MessageChannel. */
export async function portWorkers(trips: Trips = ASYNC): Promise<number> {
  const { port1, port2 } = new MessageChannel();
  const data = { kind: 'port', ...trips };
  const reports = await runWorkers(
    WORKER,
    [
      { workerData: { ...data, role: 'ping', index: 0, port: port1 }, transfer: [port1] },
      { workerData: { ...data, role: 'pong', index: 1, port: port2 }, transfer: [port2] },
    ],
    GUARD_MS,
  );
  return rateOf(reports[0] as ThreadReport & { echoed: number });
}

async function portMain(): Promise<number> {
  const { port1, port2 } = new MessageChannel();
  const pong = runWorkers(
    WORKER,
    [{ workerData: { kind: 'port', role: 'pong', index: 0, port: port2, ...ASYNC }, transfer: [port2] }],
    GUARD_MS,
  );
  let echoed = 0;
  const trips = async (n: number) => {
    for (let i = 0; i < n; i++) {
      const answer = new Promise((resolve) => port1.once('message', resolve));
      port1.postMessage(i);
      if ((await answer) === i) echoed++;
    }
  };
  await trips(ASYNC.warm);
  const started = performance.now();
  await trips(ASYNC.count);
  const ms = performance.now() - started;
  port1.postMessage(null);
  port1.close();
  await pong;
  return rateOf({ ms, ops: ASYNC.count, echoed: echoed - ASYNC.warm });
}

interface PythonReport {
  ms: number;
  ops: number;
  echoed: number;
  version: string;
  start_method: string;
}

let pythonLabel = 'CPython multiprocessing.Pipe';

/** Round trips per second of CPython's `multiprocessing.Pipe` between two processes. */
export async function cpythonPipe(trips: Trips = CPYTHON_TRIPS): Promise<number> {
  const report = await runForReport<PythonReport>(
    'python3',
    [fileURLToPath(CPYTHON), String(trips.count), String(trips.warm)],
    { timeoutMs: GUARD_MS },
    (value) => typeof value.ms === 'number',
  );
  if (report.start_method !== 'fork') throw new Error(`CPython used ${report.start_method}, not fork`);
  pythonLabel = `CPython ${report.version} (${report.start_method}) multiprocessing.Pipe`;
  return rateOf(report);
}

const ROWS: readonly Row[] = [
  {
    name: '@ipc Pipe, worker ↔ worker, sendSync / recvSync',
    against: 'postMessage, worker ↔ worker',
    run: () => pipeWorkers(),
  },
  { name: '@ipc Pipe, main await send/recv ↔ worker sync', against: 'postMessage, main ↔ worker', run: pipeMain },
  { name: 'postMessage, worker ↔ worker', run: () => portWorkers() },
  { name: 'postMessage, main ↔ worker', run: portMain },
  ...(commandAvailable('python3') ? [{ name: 'cpython', run: () => cpythonPipe() }] : []),
];

/** Runs the section `repetitions` times and prints its table. */
export async function benchPipe(repetitions: number): Promise<void> {
  console.log(await machineHeader('@ipc/pipe bench'));
  const started = performance.now();
  const before = cpuTimes();
  const rates = new Map<string, number[]>(ROWS.map((row) => [row.name, []]));
  const failures = new Map<string, string>();
  for (let r = 0; r < repetitions; r++) {
    for (const row of ROWS) {
      if (failures.has(row.name)) continue;
      try {
        rates.get(row.name)?.push(await row.run());
      } catch (error) {
        failures.set(row.name, error instanceof Error ? error.message : String(error));
      }
    }
  }
  const medianOf = (name: string) => median(rates.get(name) ?? []);
  const cpythonMedian = medianOf('cpython');
  const columns: Column[] = [
    { header: 'implementation' },
    { header: 'median RT/s', align: 'right' },
    { header: 'best RT/s', align: 'right' },
    { header: 'median per RT', align: 'right' },
    { header: 'vs CPython', align: 'right' },
    { header: 'vs postMessage', align: 'right' },
  ];
  const table = ROWS.map((row) => {
    const name = row.name === 'cpython' ? pythonLabel : row.name;
    const failure = failures.get(row.name);
    if (failure !== undefined) return [name, `failed: ${failure}`, '', '', '', ''];
    const m = medianOf(row.name);
    return [
      name,
      m === undefined ? '-' : formatRate(m),
      formatRate(Math.max(...(rates.get(row.name) ?? [0]))),
      m === undefined ? '-' : formatMicros(1e6 / m),
      formatRatio(m, cpythonMedian),
      row.against === undefined ? '' : formatRatio(m, medianOf(row.against)),
    ];
  });
  console.log(
    renderTable(
      `Ping-pong round trips of a small number (higher is better); median and best of ${repetitions} runs; ratios of medians`,
      columns,
      table,
    ),
  );
  const sync = medianOf(ROWS[0]?.name ?? '');
  console.log(
    `  target (design.md §8): worker ↔ worker sync ≥ 400k RT/s: ${sync === undefined ? '-' : formatRate(sync)}, ${sync !== undefined && sync >= 400_000 ? 'met' : 'MISSED'}`,
  );
  console.log(othersLoadLine(before));
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
