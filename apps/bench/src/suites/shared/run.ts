/**
 * @ipc/shared benchmark (`pnpm bench:suite shared`, which builds the packages first): a shared int32 incremented by
 * 2 worker threads at once, under its Value's lock (acquireSync, `+= 1`, release) and with the atomic helper
 * (`add(1)`), against CPython's `multiprocessing.Value` incremented by 2 processes under `get_lock()`. Total
 * increments per second, medians of `repetitions` (5) runs, ratios of medians in one run; every run checks the
 * final count. `pnpm bench:suite shared [--repetitions=N]`.
 */

import { commandAvailable, runForReport } from '../../harness/child-report.ts';
import { cpuTimes, machineHeader, othersLoadLine } from '../../harness/machine.ts';
import { median } from '../../harness/stats.ts';
import { formatRate, formatRatio } from '../../report/format.ts';
import { type Column, renderTable } from '../../report/table.ts';
import { GUARD_MS, valueIncrements } from './increments.ts';

const CPYTHON = new URL('./cpython.py', import.meta.url);
const COUNT = 500_000;
const WARM = 100_000;
const CPYTHON_COUNT = 100_000;

let pythonLabel = 'CPython multiprocessing.Value, get_lock()';

function cpython(): number {
  const report = runForReport<{ ms: number; ops: number; total: number; version: string }>(
    'python3',
    [CPYTHON.pathname, String(CPYTHON_COUNT)],
    { timeoutMs: GUARD_MS },
    (value) => typeof value.ms === 'number',
  );
  if (report.total !== report.ops) throw new Error(`CPython count ${report.total}, expected ${report.ops}`);
  pythonLabel = `CPython ${report.version} multiprocessing.Value, get_lock()`;
  return (report.ops / report.ms) * 1000;
}

function parseRepetitions(args: readonly string[]): number {
  const flag = args.find((arg) => arg.startsWith('--repetitions='));
  const value = flag === undefined ? 5 : Number(flag.split('=')[1]);
  if (!Number.isInteger(value) || value < 1) throw new RangeError('--repetitions must be a positive integer');
  return value;
}

const repetitions = parseRepetitions(process.argv.slice(2));
console.log(await machineHeader('@ipc/shared bench'));
const before = cpuTimes();
const rows: [string, () => Promise<number> | number][] = [
  ['@ipc Value, 2 workers, getLock() + value += 1', () => valueIncrements('lock', COUNT, WARM)],
  ['@ipc RawValue.add(1), 2 workers (atomic)', () => valueIncrements('atomic', COUNT, WARM)],
  ...(commandAvailable('python3') ? [['cpython', cpython] as [string, () => number]] : []),
];
const rates = new Map<string, number[]>(rows.map(([name]) => [name, []]));
for (let r = 0; r < repetitions; r++) for (const [name, run] of rows) rates.get(name)?.push(await run());
const cpythonMedian = median(rates.get('cpython') ?? []);
const lockMedian = median(rates.get(rows[0]?.[0] ?? '') ?? []);
const columns: Column[] = [
  { header: 'implementation' },
  { header: 'median increments/s', align: 'right' },
  { header: 'best', align: 'right' },
  { header: 'vs CPython', align: 'right' },
  { header: 'vs @ipc lock', align: 'right' },
];
console.log(
  renderTable(
    `A shared int32 incremented by 2 threads / processes (higher is better); median and best of ${repetitions} runs`,
    columns,
    rows.map(([name]) => {
      const m = median(rates.get(name) ?? []);
      return [
        name === 'cpython' ? pythonLabel : name,
        m === undefined ? '-' : formatRate(m),
        formatRate(Math.max(...(rates.get(name) ?? [0]))),
        formatRatio(m, cpythonMedian),
        formatRatio(m, lockMedian),
      ];
    }),
  ),
);
console.log(othersLoadLine(before));
