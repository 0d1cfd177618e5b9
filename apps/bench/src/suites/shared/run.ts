/**
 * @ipc/shared benchmark (`pnpm bench:suite shared [--repetitions=N]`, which builds the packages first): a shared
 * int32 `Value` incremented by 2 worker threads at once (increments.ts), under its own lock (an RLock, as
 * Python's), under a plain Lock given at construction, and with the atomic helper (`add(1)`), against
 * CPython's `multiprocessing.Value('i')` incremented by 2 processes under `get_lock()`, with the same counts.
 * Total increments per second, median and best of `repetitions` (5) runs round-robin, ratios of medians of
 * one run; every run checks the final count.
 */

import { commandAvailable } from '../../harness/child-report.ts';
import { cpuTimes, machineHeader, othersLoadLine } from '../../harness/machine.ts';
import { failuresOf, measureRows, rateCells, rateColumns, row } from '../../harness/rows.ts';
import { parseSectionOptions } from '../../harness/sections.ts';
import { renderTable } from '../../report/table.ts';
import { cpythonValueIncrements, valueIncrements } from './increments.ts';

const COUNT = 500_000;
const WARM = 100_000;

const { repetitions } = parseSectionOptions(process.argv.slice(2), ['value']);
console.log(await machineHeader('@ipc/shared bench'));
const before = cpuTimes();
let pythonLabel = 'CPython multiprocessing.Value, get_lock()';
const ownLock = row("@ipc Value('i'), getLock() (its RLock) + value += 1", () => valueIncrements('rlock', COUNT, WARM));
const plainLock = row("@ipc Value('i', { lock: new Lock() }), getLock() + value += 1", () =>
  valueIncrements('lock', COUNT, WARM),
);
const atomic = row('@ipc RawValue.add(1) (atomic)', () => valueIncrements('atomic', COUNT, WARM));
const cpython = commandAvailable('python3')
  ? row('cpython', async () => {
      const { rate, version } = await cpythonValueIncrements(COUNT, WARM);
      pythonLabel = `CPython ${version} (fork) multiprocessing.Value('i'), get_lock()`;
      return rate;
    })
  : undefined;
const rows = [ownLock, plainLock, atomic, ...(cpython ? [cpython] : [])];
await measureRows(rows, repetitions);
console.log(
  [
    renderTable(
      `A shared int32 incremented by 2 threads / processes, ${COUNT.toLocaleString('en-US')} each after ` +
        `${WARM.toLocaleString('en-US')} untimed (higher is better); median and best of ${repetitions} runs`,
      rateColumns('increments/s', [{ header: 'implementation' }], ['CPython', '@ipc own lock'], 'increment'),
      rows.map((r) => [r === cpython ? pythonLabel : r.label, ...rateCells(r, [cpython, ownLock])]),
    ),
    ...failuresOf(rows),
    othersLoadLine(before),
  ].join('\n'),
);
if (failuresOf(rows).length > 0) process.exitCode = 1;
