/**
 * @ipc/queue benchmarks (`pnpm bench:suite queue`, which builds the packages first). Prints ratios measured in the
 * same run, never absolute targets:
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
 * (cpython.py, start method fork: the fastest here), one run at a time, `repetitions` (5)
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
 * `pnpm bench:suite queue [objects] [bytes] [scaling] [joinable] [--repetitions=N]`. About 1-2 min for all on 2
 * cores.
 */

import os from 'node:os';
import { cpuTimes, machineHeader, othersLoadLine } from '../../harness/machine.ts';
import {
  failuresOf,
  measureRows,
  medianRate,
  type Row,
  rateCells,
  rateColumns,
  row,
  targetText,
} from '../../harness/rows.ts';
import { parseSectionOptions, pythonLabel, runSections, type SectionOptions } from '../../harness/sections.ts';
import { formatRate, formatRatio } from '../../report/format.ts';
import { renderTable } from '../../report/table.ts';
import { runPython } from './threads.ts';
import { GUARD_MS, pythonRate, type Transfer, threadsRate } from './transfer.ts';

const SECTIONS = ['objects', 'bytes', 'scaling', 'joinable'] as const;
type Section = (typeof SECTIONS)[number];

type Options = SectionOptions<Section>;

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
      `${mine === rows.sync ? 'sync' : 'async'}: ${targetText('vs CPython', mine, rows.cpython, 10)}; ` +
      `${targetText('vs postMessage', mine, rows.post, 3)}`,
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
    `  targets (design.md §8): sync: ${targetText('vs CPython', rows.sync, rows.cpython, 3)}; ` +
      `async: ${targetText('vs CPython', rows.async, rows.cpython, 3)}`,
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
    `  target (design.md §8): sync: ${targetText('vs CPython', rows.sync, rows.cpython, 8)}; ` +
      `async: ${targetText('vs CPython', rows.async, rows.cpython, 8)}`,
    ...failuresOf(rows.all),
  ].join('\n');
}

async function main(): Promise<void> {
  const options = parseSectionOptions(process.argv.slice(2), SECTIONS);
  console.log(await machineHeader('@ipc/queue bench'));
  // After the header's idle sample, which is not part of the run.
  const started = performance.now();
  const cpuBefore = cpuTimes();
  const python = await pythonLabel(() => runPython('info', [GUARD_MS / 1000], GUARD_MS));

  const runners = {
    objects: objectsSection,
    bytes: bytesSection,
    scaling: scalingSection,
    joinable: joinableSection,
  };
  await runSections(options, runners, python);
  console.log(othersLoadLine(cpuBefore));
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

await main();
