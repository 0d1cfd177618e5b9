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
 * Every run does 2,000 untimed iterations first, then the timed parts of all its threads start together (a
 * barrier); the rate is all iterations over first start to last end. Every run checks each get's value and
 * each key's final value. Median and best of `repetitions` (5) runs round-robin, ratios of medians of this run.
 * `pnpm bench:suite manager [a] [b] [c] [--repetitions=N]` (default: all, 5). About two minutes on 2 cores.
 */

import { Manager } from '@ipc/manager';
import { commandAvailable } from '../../harness/child-report.ts';
import { cpuTimes, machineHeader, othersLoadLine } from '../../harness/machine.ts';
import { failuresOf, measureRows, type Row, rateCells, rateColumns, row } from '../../harness/rows.ts';
import { parseSectionOptions } from '../../harness/sections.ts';
import { renderTable } from '../../report/table.ts';
import { COUNT, cpythonDictLoop, dictLoopChild, dictLoopThreads } from './dict-loop.ts';

const CONCURRENT = 10;

const { sections, repetitions } = parseSectionOptions(process.argv.slice(2), ['a', 'b', 'c']);
const startedAt = performance.now();
console.log(await machineHeader('@ipc/manager bench'));
const hasPython = commandAvailable('python3');
if (!hasPython) console.log('python3 not found: the CPython rows are skipped');
const before = cpuTimes();
let pythonVersion = '';
/** CPython with `processes` forked children on one dict (undefined without python3). */
const cpythonRow = (processes: number): Row | undefined =>
  hasPython
    ? row(`CPython Manager().dict(), ${processes} forked ${processes === 1 ? 'child' : 'children'}`, async () => {
        const { rate, version } = await cpythonDictLoop(processes);
        pythonVersion = version;
        return rate;
      })
    : undefined;
const manager = await Manager.start();
const cpythonOne = sections.some((section) => section !== 'b') ? cpythonRow(1) : undefined;
const cpythonTen = sections.includes('b') ? cpythonRow(CONCURRENT) : undefined;
/** Each section's @ipc row and the CPython row it is compared with. */
const cases: ['a' | 'b' | 'c', Row, Row | undefined][] = [
  ['a', row('a) 1 worker thread (shared-memory pipe)', () => dictLoopThreads(manager, 1)), cpythonOne],
  [
    'b',
    row(`b) ${CONCURRENT} worker threads, own keys, one dict`, () => dictLoopThreads(manager, CONCURRENT)),
    cpythonTen,
  ],
  ['c', row('c) 1 child OS process (Unix socket)', () => dictLoopChild(manager)), cpythonOne],
];
const ipcRows = new Map(
  cases.filter(([section]) => sections.includes(section)).map(([, ipc, python]) => [ipc, python]),
);
const rows = [...ipcRows.keys(), ...[cpythonOne, cpythonTen].filter((r): r is Row => r !== undefined)];
try {
  await measureRows(rows, repetitions);
} finally {
  await manager.shutdown();
}
console.log(
  [
    pythonVersion === '' ? '' : `CPython ${pythonVersion}, fork\n`,
    renderTable(
      `Managed dict, await d.set(k, i); await d.get(k), ${COUNT.toLocaleString('en-US')} timed iterations per ` +
        `thread / process (higher is better); median and best of ${repetitions} runs; design.md §8 target: a) ≥ 5×`,
      rateColumns('iterations/s', [{ header: 'scenario' }], ['CPython'], 'iteration'),
      rows.map((r) => [r.label, ...rateCells(r, [ipcRows.get(r)])]),
    ),
    ...failuresOf(rows),
    othersLoadLine(before),
    `done in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`,
  ].join('\n'),
);
if (failuresOf(rows).length > 0) process.exitCode = 1;
