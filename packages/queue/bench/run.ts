/**
 * @ipc/queue benchmarks (`pnpm bench`, i.e. `tsx bench/run.ts` in packages/queue; needs `dist/`, which
 * turbo's bench task builds first). Prints ratios measured in the same run, never absolute targets:
 *
 * 1. objects  1 producer thread → 1 consumer thread, 200k small objects `{ i, s: 'x' }`, Queue maxsize
 *             1024: putSync/getSync and `await put()`/`await get()`, against CPython's
 *             multiprocessing.Queue(1024) between two processes and Node's postMessage between two threads
 *             over a MessageChannel (no backpressure). design.md §8 targets: ≥ 10× CPython, ≥ 3× postMessage;
 * 2. bytes    1 → 1, 500 payloads of 1 MiB (Uint8Array / bytes), maxsize 16: MiB/s, against CPython's Queue
 *             and postMessage (a copy, not a transfer). Target: ≥ 3× CPython;
 * 3. scaling  4 producers → 4 consumers, 200k small objects in all: total items/s, and how that compares
 *             with 1 → 1 (section 1's rows, or measured here when section 1 is not run), @ipc and CPython;
 * 4. joinable JoinableQueue maxsize 1024, 1 producer → 2 workers, 200k small objects: the workers call
 *             taskDone() after each getSync() / `await get()`, the producer ends with joinSync() /
 *             `await join()`, and the rate counts until join returns; against CPython's
 *             multiprocessing.JoinableQueue(1024), 1 producer and 2 worker processes. Target: ≥ 8× CPython.
 *             postMessage has no counterpart (nothing counts the tasks done across threads): no row.
 *
 * Every row runs in fresh worker threads that load the built package (worker.mjs), or in python3 children
 * (cpython.py, the platform's default start method: fork on Linux), one run at a time, `repetitions` (5)
 * times round-robin so that a burst of load elsewhere hits every row alike. Tables show the median and the
 * best run; ratios compare MEDIANS. Each run checks every item on the consumer side (its shape, each
 * producer's order) and the totals (count and sum of the item numbers); a run that counts wrong is reported
 * as invalid, never as a rate. The timed part of a run spans from the threads' (processes') meeting after
 * the warm-up to the last item taken (joinable: to the producer's join returning).
 *
 * Runs are short (~0.1 s for 200k items), so the warm-up must leave nothing for V8 to compile during the
 * timed part: a recompilation there takes one of the two cores for ~5-10 ms. It moves 300k items (the ring
 * wraps several times, item numbers reach 32-bit) in chunks, pausing one side or the other so the queue
 * also runs full and empty (worker.mjs). CPython, which compiles nothing, warms up with 20k. The report
 * ends with the share of CPU time other processes took during the run: the ratios assume none.
 *
 * `tsx bench/run.ts [objects] [bytes] [scaling] [joinable] [--repetitions=N]`. About 1-2 min for all on 2
 * cores.
 */

import os from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import { share } from '@ipc/core';
import { formatMicros, formatRate, formatRatio } from '../../../apps/bench/src/report/format.ts';
import { type Column, renderTable } from '../../../apps/bench/src/report/table.ts';
import { cpuTimes, machineHeader, othersLoadLine } from '../../../tooling/bench/machine.ts';
import { median } from '../../../tooling/bench/stats.ts';
import { JoinableQueue, Queue } from '../src/index.ts';
import {
  type PythonReport,
  pythonAvailable,
  runPython,
  runThreads,
  type ThreadReport,
  type ThreadSpec,
} from './threads.ts';

const SECTIONS = ['objects', 'bytes', 'scaling', 'joinable'] as const;
type Section = (typeof SECTIONS)[number];

interface Options {
  readonly sections: readonly Section[];
  readonly repetitions: number;
}

/** Sections 1, 3 and 4: items in the timed part (all producers together), the untimed warm-up, and maxsize. */
const OBJECTS_COUNT = 200_000;
/**
 * Untimed items before each thread run: with 100k, the ring's second wrap (~130k) fell in the timed part and
 * deoptimised the put and get paths there (a 10-20 ms stall in a ~70 ms run).
 */
const OBJECTS_WARM = 300_000;
/** CPython compiles nothing: its warm-up only has to reach the steady state. */
const CPYTHON_OBJECTS_WARM = 20_000;
const OBJECTS_MAXSIZE = 1024;
/** Section 2: 1 MiB payloads. maxsize 16 bounds what is in flight (16 MiB) in both queues. */
const BYTES_SIZE = 1 << 20;
const BYTES_COUNT = 500;
const BYTES_WARM = 20;
const BYTES_MAXSIZE = 16;
/** Section 3: producers and consumers. */
const WIDE = 4;
/** Section 4: the JoinableQueue's workers (its consumers), as in design.md §8. */
const JOINABLE_WORKERS = 2;
/** A run that has not reported after this long is stuck (a lost wake-up): it is killed and reported. */
const GUARD_MS = 60_000;

function parseOptions(args: readonly string[]): Options {
  let repetitions = 5;
  const sections: Section[] = [];
  for (const arg of args) {
    const [flag, value] = arg.split('=', 2);
    const integer = Number(value);
    if (flag === '--repetitions' && Number.isInteger(integer) && integer > 0) repetitions = integer;
    else if ((SECTIONS as readonly string[]).includes(arg)) sections.push(arg as Section);
    else throw new RangeError(`unknown argument ${arg}: expected ${SECTIONS.join(', ')} or --repetitions=N`);
  }
  return { sections: sections.length === 0 ? [...SECTIONS] : sections, repetitions };
}

/** A run that counted wrong: its rate would be meaningless. */
class InvalidRun extends Error {}

function expectEqual(what: string, observed: number, expected: number): void {
  if (observed !== expected) throw new InvalidRun(`invalid: ${what} is ${observed}, expected ${expected}`);
}

/**
 * What a transfer run moves: the kind of item (joinable: small objects through a JoinableQueue), how many,
 * and between how many threads; `cpythonWarm` is CPython's warm-up.
 */
interface Transfer {
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
function checkTotals(transfer: Transfer, received: number, sum: number, disorder: number): void {
  expectEqual('the count of items out of order or malformed', disorder, 0);
  expectEqual('the count of items received', received, transfer.count);
  expectEqual('the sum of the item numbers', sum, (transfer.count * (transfer.count - 1)) / 2);
}

/** Items per second of one threads run of `transfer` over `transport`. */
async function threadsRate(transfer: Transfer, transport: 'sync' | 'async' | 'post'): Promise<number> {
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
function timedMs(transfer: Transfer, reports: readonly ThreadReport[]): number {
  if (transfer.kind === 'joinable') return reports[0]?.ms ?? Number.NaN;
  return Math.max(...reports.map((report) => report.ms));
}

/** cpython.py's arguments for `transfer` (after the scenario): its guard in seconds, then the parameters. */
function pythonArgs(transfer: Transfer): number[] {
  const { kind, producers, consumers, maxsize, count, cpythonWarm, size } = transfer;
  // Half the run's guard: cpython.py then kills its own stuck processes and reports before we kill it.
  const guard = GUARD_MS / 2000;
  if (kind === 'joinable') return [guard, consumers, maxsize, count, cpythonWarm];
  return [guard, producers, consumers, maxsize, count, cpythonWarm, ...(kind === 'bytes' ? [size] : [])];
}

/** Items per second of one CPython run of `transfer`. */
function pythonRate(transfer: Transfer): number {
  const report: PythonReport = runPython(transfer.kind, pythonArgs(transfer), GUARD_MS);
  checkTotals(transfer, report.received, report.sum, report.disorder);
  return report.ops / (report.ms / 1000);
}

/** One row of a table: a label and how to measure one run of it (items per second). */
interface Row {
  readonly label: string;
  readonly measure: () => Promise<number> | number;
  readonly samples: number[];
  readonly failures: string[];
  /** Set after a failed run: later repetitions skip the row instead of failing the same way. */
  failed?: boolean;
}

function row(label: string, measure: Row['measure']): Row {
  return { label, measure, samples: [], failures: [] };
}

/** Runs every row `repetitions` times, round-robin, one run at a time. */
async function measureRows(rows: readonly Row[], repetitions: number): Promise<void> {
  for (let repetition = 0; repetition < repetitions; repetition++) {
    for (const r of rows) {
      if (r.failed) continue;
      try {
        r.samples.push(await r.measure());
      } catch (error) {
        r.failed = true;
        r.failures.push(`! ${r.label}, run ${repetition + 1}: ${(error as Error).message} (later runs skipped)`);
      }
    }
  }
}

/** The time one item takes at `perSecond`: ns below 1 µs, else µs. */
function formatPer(perSecond: number | undefined): string {
  if (perSecond === undefined) return '-';
  const ns = 1e9 / perSecond;
  return ns < 1000 ? `${ns < 10 ? ns.toFixed(1) : ns.toFixed(0)} ns` : formatMicros(ns / 1000);
}

/** The standard columns: median and best rate, median time per item, then one ratio per baseline. */
function rateColumns(unit: string, first: Column[], baselines: readonly string[]): Column[] {
  return [
    ...first,
    { header: `median ${unit}`, align: 'right' },
    { header: `best ${unit}`, align: 'right' },
    { header: 'median per item', align: 'right' },
    ...baselines.map((baseline): Column => ({ header: `vs ${baseline}`, align: 'right' })),
  ];
}

/** The median rate of a row's runs (undefined when none completed). */
const medianRate = (r: Row | undefined): number | undefined => r && median(r.samples);

/**
 * A row's cells: median and best, the time per item, and its ratio to each baseline. `scale` turns items/s
 * into the table's unit (MiB/s for payloads); ratios and time per item use items.
 */
function rateCells(r: Row, baselines: readonly (Row | undefined)[], scale = 1): string[] {
  const mid = medianRate(r);
  if (mid === undefined) return [r.failed ? 'failed' : 'not run', '-', '-', ...baselines.map(() => '-')];
  return [
    formatRate(mid * scale),
    formatRate(Math.max(...r.samples) * scale),
    formatPer(mid),
    ...baselines.map((baseline) => formatRatio(mid, medianRate(baseline))),
  ];
}

const failuresOf = (rows: readonly Row[]): string[] => rows.flatMap((r) => r.failures);

/** "name ≥ goal×: 12.3×, met" for the medians of `mine` and `base`. */
function target(name: string, mine: Row, base: Row | undefined, goal: number): string {
  const ours = medianRate(mine);
  const theirs = medianRate(base);
  if (ours === undefined || theirs === undefined) return `${name} ≥ ${goal}×: not measured`;
  return `${name} ≥ ${goal}×: ${formatRatio(ours, theirs)}, ${ours / theirs >= goal ? 'met' : 'MISSED'}`;
}

/** The rows of one transfer: @ipc sync and async, postMessage (1 → 1 only), CPython (if available). */
interface TransferRows {
  readonly sync: Row;
  readonly async: Row;
  readonly post: Row | undefined;
  readonly cpython: Row | undefined;
  readonly all: Row[];
}

/** The labels of the @ipc rows for `kind`: sync, then async. */
function ipcLabels(kind: Transfer['kind']): [string, string] {
  if (kind === 'joinable')
    return [
      '@ipc/queue JoinableQueue putSync, joinSync / getSync, taskDone',
      '@ipc/queue JoinableQueue await put(), join() / await get(), taskDone',
    ];
  return ['@ipc/queue Queue putSync / getSync', '@ipc/queue Queue await put() / await get()'];
}

function transferRows(transfer: Transfer, python: string | undefined): TransferRows {
  const [syncLabel, asyncLabel] = ipcLabels(transfer.kind);
  const sync = row(syncLabel, () => threadsRate(transfer, 'sync'));
  const async = row(asyncLabel, () => threadsRate(transfer, 'async'));
  const post =
    transfer.producers === 1 && transfer.consumers === 1
      ? row('Node postMessage over a MessageChannel (no backpressure)', () => threadsRate(transfer, 'post'))
      : undefined;
  const pythonClass = transfer.kind === 'joinable' ? 'JoinableQueue' : 'Queue';
  const cpython =
    python === undefined ? undefined : row(`${python}.${pythonClass}(${transfer.maxsize})`, () => pythonRate(transfer));
  return { sync, async, post, cpython, all: [sync, async, ...(post ? [post] : []), ...(cpython ? [cpython] : [])] };
}

const OBJECTS_1_TO_1: Transfer = {
  kind: 'objects',
  producers: 1,
  consumers: 1,
  count: OBJECTS_COUNT,
  warm: OBJECTS_WARM,
  cpythonWarm: CPYTHON_OBJECTS_WARM,
  maxsize: OBJECTS_MAXSIZE,
  size: 0,
};

/** The small objects' warm-up, threads and CPython: "300k (CPython 20.0k)". */
const warmText = (): string => `${formatRate(OBJECTS_WARM)} (CPython ${formatRate(CPYTHON_OBJECTS_WARM)})`;

/** Section 1's rows, kept for section 3's scaling ratios. */
let objectsRows: TransferRows | undefined;

/** Section 1: small objects, 1 → 1, and the §8 targets. */
async function objectsSection(options: Options, python: string | undefined): Promise<string> {
  const rows = transferRows(OBJECTS_1_TO_1, python);
  await measureRows(rows.all, options.repetitions);
  objectsRows = rows;
  const targets = [rows.sync, rows.async].map(
    (mine) =>
      `${mine === rows.sync ? 'sync' : 'async'}: ${target('vs CPython', mine, rows.cpython, 10)}; ` +
      `${target('vs postMessage', mine, rows.post, 3)}`,
  );
  return [
    renderTable(
      `Queue, 1 producer thread → 1 consumer thread, {i, s:'x'}, maxsize ${OBJECTS_MAXSIZE}, items/s (higher is better)\n` +
        `  ${formatRate(OBJECTS_COUNT)} items after ${warmText()} untimed; median and best of ` +
        `${options.repetitions} runs; ratios of medians; every run checks each item's i is in order, and the totals`,
      rateColumns('items/s', [{ header: 'implementation' }], ['CPython', 'postMessage']),
      rows.all.map((r) => [r.label, ...rateCells(r, [rows.cpython, rows.post])]),
    ),
    '  postMessage has no backpressure: the producer never waits, the consumer drains a growing backlog',
    `  targets (design.md §8), ${targets.join('\n                          ')}`,
    ...failuresOf(rows.all),
  ].join('\n');
}

/** Section 2: 1 MiB payloads, 1 → 1. */
async function bytesSection(options: Options, python: string | undefined): Promise<string> {
  const transfer: Transfer = {
    kind: 'bytes',
    producers: 1,
    consumers: 1,
    count: BYTES_COUNT,
    warm: BYTES_WARM,
    cpythonWarm: BYTES_WARM,
    maxsize: BYTES_MAXSIZE,
    size: BYTES_SIZE,
  };
  const rows = transferRows(transfer, python);
  await measureRows(rows.all, options.repetitions);
  const mib = BYTES_SIZE / 2 ** 20;
  return [
    renderTable(
      `Queue of ${mib} MiB payloads (Uint8Array / bytes), 1 producer → 1 consumer, maxsize ${BYTES_MAXSIZE}, ` +
        `MiB/s (higher is better)\n` +
        `  ${BYTES_COUNT} payloads after ${BYTES_WARM} untimed; median and best of ${options.repetitions} runs; ` +
        'ratios of medians; every run checks each payload (length, number in order, last byte) and the totals',
      rateColumns('MiB/s', [{ header: 'implementation' }], ['CPython', 'postMessage']),
      rows.all.map((r) => [r.label, ...rateCells(r, [rows.cpython, rows.post], mib)]),
    ),
    '  postMessage copies each payload (structured clone, no transfer list), as the queues do',
    '  every consumer makes a fresh 1 MiB buffer per payload: when the allocator has handed freed memory back to' +
      ' the OS, each one page-faults, and a run slows by half or more (compare best and median)',
    `  targets (design.md §8): sync: ${target('vs CPython', rows.sync, rows.cpython, 3)}; ` +
      `async: ${target('vs CPython', rows.async, rows.cpython, 3)}`,
    ...failuresOf(rows.all),
  ].join('\n');
}

/** Section 3: 4 producers → 4 consumers, against 1 → 1. */
async function scalingSection(options: Options, python: string | undefined): Promise<string> {
  const wide = transferRows({ ...OBJECTS_1_TO_1, producers: WIDE, consumers: WIDE }, python);
  let narrow = objectsRows;
  const measured = narrow === undefined ? 'measured here, interleaved' : 'section 1';
  if (narrow === undefined) {
    narrow = transferRows(OBJECTS_1_TO_1, python);
    const both = [narrow.sync, wide.sync, narrow.async, wide.async];
    if (narrow.cpython && wide.cpython) both.push(narrow.cpython, wide.cpython);
    await measureRows(both, options.repetitions);
  } else await measureRows(wide.all, options.repetitions);
  const pairs: [string, Row, Row | undefined][] = [
    ['@ipc/queue putSync / getSync', wide.sync, narrow.sync],
    ['@ipc/queue await put() / get()', wide.async, narrow.async],
    ...(wide.cpython ? [[`${python}.Queue`, wide.cpython, narrow.cpython] as [string, Row, Row | undefined]] : []),
  ];
  return [
    renderTable(
      `Queue, ${WIDE} producers → ${WIDE} consumers (${2 * WIDE} threads / processes), {i, s:'x'}, maxsize ` +
        `${OBJECTS_MAXSIZE}, total items/s (higher is better)\n` +
        `  ${formatRate(OBJECTS_COUNT)} items in all after ${warmText()} untimed; median and best of ` +
        `${options.repetitions} runs; ratios of medians; 1 → 1 is ${measured}; consumers stop on shutdown() ` +
        "(@ipc) or one None each (CPython), check each producer's order and the totals",
      [
        ...rateColumns('items/s', [{ header: 'implementation' }], ['CPython']),
        { header: '1 → 1 items/s', align: 'right' },
        { header: `${WIDE}→${WIDE} / 1→1`, align: 'right' },
      ],
      pairs.map(([label, w, n]) => [
        label,
        ...rateCells(w, [wide.cpython]),
        medianRate(n) === undefined ? '-' : formatRate(medianRate(n) ?? 0),
        formatRatio(medianRate(w), medianRate(n)),
      ]),
    ),
    `  ${2 * WIDE} busy threads on ${os.availableParallelism()} cores: total throughput ` +
      'cannot grow with the threads; the ratio shows what contention costs',
    ...failuresOf([...wide.all, ...(narrow === objectsRows ? [] : narrow.all)]),
  ].join('\n');
}

/** Section 4: JoinableQueue, 1 producer → 2 workers calling taskDone(), timed up to the producer's join. */
async function joinableSection(options: Options, python: string | undefined): Promise<string> {
  const rows = transferRows({ ...OBJECTS_1_TO_1, kind: 'joinable', consumers: JOINABLE_WORKERS }, python);
  await measureRows(rows.all, options.repetitions);
  return [
    renderTable(
      `JoinableQueue, 1 producer → ${JOINABLE_WORKERS} workers (threads / processes) calling taskDone() after ` +
        `each item, {i, s:'x'}, maxsize ${OBJECTS_MAXSIZE}, items/s (higher is better)\n` +
        `  ${formatRate(OBJECTS_COUNT)} items after ${warmText()} untimed, timed until the producer's join ` +
        `returns; median and best of ${options.repetitions} runs; ratios of medians; every run checks that ` +
        "each worker's i only go up, and the totals of both (each item received once)",
      rateColumns('items/s', [{ header: 'implementation' }], ['CPython']),
      rows.all.map((r) => [r.label, ...rateCells(r, [rows.cpython])]),
    ),
    '  no postMessage row: it has nothing like join() (a count of tasks done, shared by all the workers)',
    `  workers stop at a null (CPython: None) put after join returns, untimed; ${JOINABLE_WORKERS + 1} threads ` +
      `on ${os.availableParallelism()} cores`,
    `  target (design.md §8): sync: ${target('vs CPython', rows.sync, rows.cpython, 8)}; ` +
      `async: ${target('vs CPython', rows.async, rows.cpython, 8)}`,
    ...failuresOf(rows.all),
  ].join('\n');
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  console.log(await machineHeader('@ipc/queue bench'));
  // After the header's idle sample, which is not part of the run.
  const started = performance.now();
  const cpuBefore = cpuTimes();
  let python: string | undefined;
  if (pythonAvailable()) {
    try {
      const info = runPython('info', [GUARD_MS / 1000], GUARD_MS);
      python = `CPython ${info.version} (${info.method}) multiprocessing`;
      console.log(`${python}: start method '${info.method}', the platform default`);
    } catch (error) {
      console.log(`python3 failed (${(error as Error).message}): the CPython rows and ratios are skipped`);
    }
  } else console.log('python3 not found: the CPython rows and ratios are skipped');
  console.log();

  const runners: Record<Section, (options: Options, python: string | undefined) => Promise<string>> = {
    objects: objectsSection,
    bytes: bytesSection,
    scaling: scalingSection,
    joinable: joinableSection,
  };
  for (const section of options.sections) {
    const text = await runners[section](options, python);
    console.log(`${text}\n`);
    if (text.includes('\n! ')) process.exitCode = 1;
  }
  console.log(othersLoadLine(cpuBefore));
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

await main();
