/**
 * One @ipc/queue transfer run, in worker threads or in CPython: what it moves, and its rate after checking
 * that every item arrived once, in each producer's order. Used by this suite's report (run.ts) and by the
 * summary (`pnpm bench`, src/scenarios).
 */

import { MessageChannel } from 'node:worker_threads';
import { share } from '@ipc/core';
import { JoinableQueue, Queue } from '@ipc/queue';
import { expectEqual, InvalidRun } from '../../harness/invalid-run.ts';
import { type PythonReport, runPython, runThreads, type ThreadReport, type ThreadSpec } from './threads.ts';

/** A run that has not reported after this long is stuck (a lost wake-up): it is killed and reported. */
export const GUARD_MS = 60_000;

/**
 * What a transfer run moves: the kind of item (joinable: small objects through a JoinableQueue), how many,
 * and between how many threads; `cpythonWarm` is CPython's warm-up.
 */
export interface Transfer {
  readonly kind: 'objects' | 'bytes' | 'joinable';
  readonly producers: number;
  readonly consumers: number;
  readonly count: number;
  readonly warm: number;
  readonly cpythonWarm: number;
  readonly maxsize: number;
  readonly size: number;
}

/** Checks the consumers' totals: every item received once, in each producer's order, with its number. */
export function checkTotals(transfer: Transfer, received: number, sum: number, disorder: number): void {
  expectEqual('the count of items out of order or malformed', disorder, 0);
  expectEqual('the count of items received', received, transfer.count);
  expectEqual('the sum of the item numbers', sum, (transfer.count * (transfer.count - 1)) / 2);
}

/** Items per second of one threads run of `transfer` over `transport`. */
export async function threadsRate(transfer: Transfer, transport: 'sync' | 'async' | 'post'): Promise<number> {
  const data: Record<string, unknown> = { ...transfer, done: new SharedArrayBuffer(4) };
  const specs: ThreadSpec[] = [];
  if (transport === 'post') {
    if (transfer.producers !== 1 || transfer.consumers !== 1) throw new RangeError('postMessage rows are 1 → 1');
    const { port1, port2 } = new MessageChannel();
    specs.push({ role: 'producer', data: { port: port1 }, transfer: [port1] });
    specs.push({ role: 'consumer', data: { port: port2 }, transfer: [port2] });
  } else {
    const options = { maxsize: transfer.maxsize };
    data.queue = share(transfer.kind === 'joinable' ? new JoinableQueue(options) : new Queue(options));
    for (let p = 0; p < transfer.producers; p++) specs.push({ role: 'producer' });
    for (let c = 0; c < transfer.consumers; c++) specs.push({ role: 'consumer' });
  }
  const reports = await runThreads(`${transfer.kind}-${transport}`, specs, data, GUARD_MS);
  const consumers = reports.slice(transfer.producers);
  const total = (field: string): number => consumers.reduce((sum, report) => sum + (report[field] ?? Number.NaN), 0);
  checkTotals(transfer, total('received'), total('sum'), total('disorder') + total('warmDisorder'));
  return transfer.count / (timedMs(transfer, reports) / 1000);
}

/**
 * A threads run's timed part: up to the last thread's end, or for joinable up to the producer's join
 * returning: reports[0], as producers come first (the workers' own times also cover the stop items the
 * producer puts after that).
 */
export function timedMs(transfer: Transfer, reports: readonly ThreadReport[]): number {
  if (transfer.kind === 'joinable') return reports[0]?.ms ?? Number.NaN;
  return Math.max(...reports.map((report) => report.ms));
}

/** cpython.py's arguments for `transfer` (after the scenario): its guard in seconds, then the parameters. */
export function pythonArgs(transfer: Transfer): number[] {
  const { kind, producers, consumers, maxsize, count, cpythonWarm, size } = transfer;
  // Half the run's guard: cpython.py then kills its own stuck processes and reports before we kill it.
  const guard = GUARD_MS / 2000;
  if (kind === 'joinable') return [guard, consumers, maxsize, count, cpythonWarm];
  return [guard, producers, consumers, maxsize, count, cpythonWarm, ...(kind === 'bytes' ? [size] : [])];
}

/** Items per second of one CPython run of `transfer`. */
export async function pythonRate(transfer: Transfer): Promise<number> {
  const report: PythonReport = await runPython(transfer.kind, pythonArgs(transfer), GUARD_MS);
  checkTotals(transfer, report.received, report.sum, report.disorder);
  if (report.method !== 'fork') throw new InvalidRun(`invalid: CPython used ${report.method}, not fork`);
  return report.ops / (report.ms / 1000);
}
