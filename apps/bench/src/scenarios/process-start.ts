/**
 * Process start-up: `count` trivial processes started and joined one after the other. @ipc's
 * `new Process({ target }).start()` + `await join()`, the raw floor under any worker-based Process
 * (`new Worker('', { eval: true })` until it exits), and CPython's `multiprocessing.Process(target=noop)` with
 * fork (the fastest start method here). The Node rows run in a plain `node` child (a main under tsx would make
 * every worker load tsx's loader too); each checks every exit code.
 */

import type { Measurement, ScenarioFactory } from '../scenario.ts';
import { benchFile, runScript } from '../suites/process/scripts.ts';
import { cpythonRow } from './cpython-row.ts';

/** Each wait inside a script gives up after this long. */
const GUARD_MS = 20_000;

/** Starts per second from a script's wall milliseconds for `count` starts. */
function startsPerSecond(count: number, ms: number | null | undefined): number {
  if (typeof ms !== 'number') throw new Error('the script did not time this row');
  return count / (ms / 1000);
}

export const processStart: ScenarioFactory = {
  id: 'process-start',
  create(mode, python) {
    const count = mode === 'full' ? 50 : 10;
    const timeoutMs = 60_000 + count * 1_000;
    const args = [String(count), String(GUARD_MS)];
    const node: Measurement = {
      rows: [
        { side: 'ipc', label: '@ipc Process start() + await join()' },
        { side: 'floor', label: "raw Worker (eval '') until exit" },
      ],
      async run() {
        const report = await runScript(
          process.execPath,
          [benchFile('node-starts.mjs'), ...args, 'sequential'],
          timeoutMs,
        );
        return [
          startsPerSecond(count, report.ms['process/sequential']),
          startsPerSecond(count, report.ms['worker/sequential']),
        ];
      },
    };
    const cpython = cpythonRow(python, 'multiprocessing.Process(target=noop)', async () => {
      const report = await runScript(
        'python3',
        [benchFile('cpython.py'), String(count), String(GUARD_MS / 1000), 'fork'],
        timeoutMs,
      );
      return startsPerSecond(count, report.ms['fork/sequential']);
    });
    return {
      id: this.id,
      title: 'Process start + join, one after the other',
      unit: 'starts/s',
      about:
        'Start a process that does nothing and wait for it to end, one after the other; the floor is a bare Worker. Every run checks each exit code.',
      workload: `${count} processes after 3 untimed`,
      measurements: [node, ...cpython.measurements],
      skipped: cpython.skipped,
      targets: [],
    };
  },
};
