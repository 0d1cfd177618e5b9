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
import { failuresOf, measureRows, rateCells, rateColumns, rateTarget, row } from '../../harness/rows.ts';
import { runWorkers, type ThreadReport } from '../../harness/worker-run.ts';
import { renderTable } from '../../report/table.ts';

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

/** Runs the section `repetitions` times, round-robin, and prints its table. */
export async function benchPipe(repetitions: number): Promise<void> {
  console.log(await machineHeader('@ipc/pipe bench'));
  const started = performance.now();
  const before = cpuTimes();
  const workersPipe = row('@ipc Pipe, worker ↔ worker, sendSync / recvSync', () => pipeWorkers());
  const mainPipe = row('@ipc Pipe, main await send/recv ↔ worker sync', pipeMain);
  const workersPost = row('postMessage, worker ↔ worker', () => portWorkers());
  const mainPost = row('postMessage, main ↔ worker', portMain);
  const cpython = commandAvailable('python3') ? row('cpython', () => cpythonPipe()) : undefined;
  const rows = [workersPipe, mainPipe, workersPost, mainPost, ...(cpython ? [cpython] : [])];
  await measureRows(rows, repetitions);
  /** Each @ipc row's postMessage counterpart: the same topology. */
  const against = new Map([
    [workersPipe, workersPost],
    [mainPipe, mainPost],
  ]);
  console.log(
    [
      renderTable(
        `Ping-pong round trips of a small number (higher is better); median and best of ${repetitions} runs; ratios of medians`,
        rateColumns('RT/s', [{ header: 'implementation' }], ['CPython', 'postMessage'], 'RT'),
        rows.map((r) => [r === cpython ? pythonLabel : r.label, ...rateCells(r, [cpython, against.get(r)])]),
      ),
      `  target (design.md §8): worker ↔ worker sync ≥ 400k RT/s: ${rateTarget(workersPipe, 400_000)}`,
      ...failuresOf(rows),
      othersLoadLine(before),
      `done in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    ].join('\n'),
  );
}
