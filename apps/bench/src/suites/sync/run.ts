/**
 * @ipc/sync benchmarks (`pnpm bench:suite sync`, which builds the packages first). Prints ratios measured in the
 * same run, never absolute targets:
 *
 * 1. lock     Lock acquireSync + non-atomic shared increment + release, 2 workers contending, `iterations`
 *             each, against a raw Atomics CAS spin-then-wait lock (raw-lock.mjs, the floor) and CPython's
 *             multiprocessing.Lock + Value('i', lock=False) with 2 processes (design.md §8: ≥ 0.8× the raw
 *             lock is the target);
 * 2. solo     uncontended acquire + release in one thread: acquireSync, await acquire(), the raw lock, and
 *             CPython's Lock in one process;
 * 3. event    ping-pong between two workers over two Events (set / wait / clear), waitSync and await wait(),
 *             against multiprocessing.Event between two processes;
 * 4. barrier  Barrier cycles with 2 and 8 parties, waitSync and await wait(), against multiprocessing.Barrier.
 *
 * Every row runs in fresh worker threads that load the built package (worker.mjs), or in a python3 child
 * (cpython.py, start method fork: the fastest here), one run at a time, `repetitions` (5)
 * times round-robin so that a burst of load elsewhere hits every row alike. Tables show the median and the
 * best run; ratios compare MEDIANS. Each run checks its own result (the counter, the answers, one index 0
 * per generation) and a run that counts wrong is reported as invalid, never as a rate.
 *
 * `pnpm bench:suite sync [lock] [solo] [event] [barrier] [--repetitions=N]`. About 50-60 s for all on 2 cores.
 */

import { share } from '@ipc/core';
import { Barrier, Event, Lock } from '@ipc/sync';
import { expectEqual } from '../../harness/invalid-run.ts';
import { machineHeader } from '../../harness/machine.ts';
import { failuresOf, measureRows, rateCells, rateColumns, row, targetText } from '../../harness/rows.ts';
import { parseSectionOptions, pythonLabel, runSections, type SectionOptions } from '../../harness/sections.ts';
import { median } from '../../harness/stats.ts';
import { formatPercent, formatRate } from '../../report/format.ts';
import { renderTable } from '../../report/table.ts';
import { cpythonLockIncrements, GUARD_MS, lockIncrements, rateOf } from './lock-increments.ts';
import { type PythonReport, runPython, runThreads } from './threads.ts';

const SECTIONS = ['lock', 'solo', 'event', 'barrier'] as const;
type Section = (typeof SECTIONS)[number];

type Options = SectionOptions<Section>;

/**
 * Sizes of each run: long enough to dwarf start-up skew (~0.1-0.5 s), short enough for ~1 min in all.
 * CPython does a third of the threads' lock iterations: it is 5-10× slower.
 */
const LOCK_ITERATIONS = 3_000_000;
const LOCK_WARM_ITERATIONS = 100_000;
const CPYTHON_LOCK_ITERATIONS = 1_000_000;
const CPYTHON_LOCK_WARM_ITERATIONS = 30_000;
const SOLO_MS = 250;
const SOLO_WARM_MS = 100;
const EVENT_MS = 400;
const EVENT_WARM_MS = 100;
const BARRIER_MS = 400;
const BARRIER_WARM_GENERATIONS = 200;

function pythonRate(report: PythonReport, what: string): number {
  expectEqual(what, report.observed, report.expected);
  return report.ops / (report.ms / 1000);
}

/** Section 1: the contended lock, and the §8 targets. */
async function lockSection(options: Options, python: string | undefined): Promise<string> {
  const iterations = LOCK_ITERATIONS;
  const warmIterations = LOCK_WARM_ITERATIONS;
  const ipc = row('@ipc/sync Lock acquireSync / release', () => lockIncrements('lock-ipc', iterations, warmIterations));
  const raw = row('raw Atomics CAS lock (spin 2000 loads, then wait)', () =>
    lockIncrements('lock-raw', iterations, warmIterations),
  );
  const cpython =
    python === undefined
      ? undefined
      : row(`${python}.Lock + Value('i', lock=False)`, () =>
          cpythonLockIncrements(CPYTHON_LOCK_ITERATIONS, CPYTHON_LOCK_WARM_ITERATIONS),
        );
  const rows = [ipc, raw, ...(cpython ? [cpython] : [])];
  await measureRows(rows, options.repetitions);

  return [
    renderTable(
      `Lock + shared increment, 2 threads contending, total acquire+release/s (higher is better)\n` +
        `  each thread ${formatRate(iterations)} iterations (CPython ${formatRate(CPYTHON_LOCK_ITERATIONS)}) after ` +
        `${formatRate(warmIterations)} (${formatRate(CPYTHON_LOCK_WARM_ITERATIONS)}) untimed; median and best of ` +
        `${options.repetitions} runs; ratios of medians; every run checks the final counter`,
      [
        ...rateColumns('ops/s', [{ header: 'implementation' }], ['raw CAS lock', 'CPython'], 'op'),
        { header: 'hand-offs', align: 'right' },
      ],
      rows.map((r) => [
        r.label,
        ...rateCells(r, [raw, cpython]),
        formatPercent(median(r.samples.map((sample) => sample.handOffs ?? Number.NaN))),
      ]),
    ),
    '  hand-offs = share of acquisitions (median run) that found the counter last written by the other thread:' +
      ' how often the lock changed hands; the rest were the same thread again (barging, as Python and pthreads allow)',
    '  a contended lock runs at one of two levels from run to run (see best vs median): a waiter that sleeps' +
      ' leaves the holder alone at full speed; rows are interleaved, so each level hits every row alike',
    `  targets (design.md §8): ${targetText('vs raw CAS lock', ipc, raw, 0.8)}`,
    ...failuresOf(rows),
  ].join('\n');
}

/** Section 2: uncontended acquire + release in one thread. */
async function soloSection(options: Options, python: string | undefined): Promise<string> {
  const data = { maxMs: SOLO_MS, warmMs: SOLO_WARM_MS };
  const threadsRun = async (scenario: 'solo-ipc-sync' | 'solo-ipc-async' | 'solo-raw'): Promise<number> => {
    const lock = scenario === 'solo-raw' ? undefined : share(new Lock());
    const rawLock = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    return rateOf(await runThreads(scenario, 1, { ...data, lock, rawLock }, GUARD_MS));
  };
  const sync = row('@ipc/sync Lock acquireSync / release', () => threadsRun('solo-ipc-sync'));
  const async = row('@ipc/sync Lock await acquire() / release', () => threadsRun('solo-ipc-async'));
  const raw = row('raw Atomics CAS lock', () => threadsRun('solo-raw'));
  const cpython =
    python === undefined
      ? undefined
      : row(`${python}.Lock acquire / release`, async () =>
          pythonRate(
            await runPython('solo', [GUARD_MS / 1000, SOLO_MS, SOLO_WARM_MS], GUARD_MS),
            'the lock being free',
          ),
        );
  const rows = [sync, async, raw, ...(cpython ? [cpython] : [])];
  await measureRows(rows, options.repetitions);
  return [
    renderTable(
      `Uncontended acquire + release in one thread, pairs/s (higher is better)\n` +
        `  median and best of ${options.repetitions} runs of ${SOLO_MS} ms; ratios of medians`,
      rateColumns('pairs/s', [{ header: 'implementation' }], ['raw CAS lock', 'CPython'], 'op'),
      rows.map((r) => [r.label, ...rateCells(r, [raw, cpython])]),
    ),
    ...failuresOf(rows),
  ].join('\n');
}

/** Section 3: Event ping-pong between two threads. */
async function eventSection(options: Options, python: string | undefined): Promise<string> {
  const threadsRun = async (scenario: 'event-sync' | 'event-async'): Promise<number> => {
    const stop = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    const reports = await runThreads(
      scenario,
      2,
      { a: share(new Event()), b: share(new Event()), stop, maxMs: EVENT_MS, warmMs: EVENT_WARM_MS },
      GUARD_MS,
    );
    const [ping, pong] = reports;
    if (ping === undefined || pong === undefined) throw new Error('a side did not report');
    expectEqual("pong's answers", pong.answered ?? Number.NaN, ping.sent ?? Number.NaN);
    return ping.ops / (ping.ms / 1000);
  };
  const sync = row('@ipc/sync Event set / waitSync / clear', () => threadsRun('event-sync'));
  const async = row('@ipc/sync Event set / await wait() / clear', () => threadsRun('event-async'));
  const cpython =
    python === undefined
      ? undefined
      : row(`${python}.Event set / wait / clear`, async () =>
          pythonRate(
            await runPython('event', [GUARD_MS / 1000, EVENT_MS, EVENT_WARM_MS], GUARD_MS * 2),
            "pong's answers",
          ),
        );
  const rows = [sync, async, ...(cpython ? [cpython] : [])];
  await measureRows(rows, options.repetitions);
  return [
    renderTable(
      `Event ping-pong between two threads (two Events), round trips/s (higher is better)\n` +
        `  median and best of ${options.repetitions} runs of ${EVENT_MS} ms; ratios of medians; ` +
        `every run checks that pong answered each ping`,
      rateColumns('RT/s', [{ header: 'implementation' }], ['CPython'], 'op'),
      rows.map((r) => [r.label, ...rateCells(r, [cpython])]),
    ),
    ...failuresOf(rows),
  ].join('\n');
}

/** Section 4: Barrier cycles with 2 and 8 parties. */
async function barrierSection(options: Options, python: string | undefined): Promise<string> {
  const threadsRun = async (scenario: 'barrier-sync' | 'barrier-async', parties: number): Promise<number> => {
    const stop = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    stop[0] = 2 ** 31 - 1;
    const reports = await runThreads(
      scenario,
      parties,
      {
        barrier: share(new Barrier(parties)),
        stop: stop.buffer,
        maxMs: BARRIER_MS,
        warmGenerations: BARRIER_WARM_GENERATIONS,
      },
      GUARD_MS,
    );
    const generations = reports[0]?.ops ?? 0;
    for (const report of reports) expectEqual(`party ${report.index}'s generations`, report.ops, generations);
    const zeros = reports.reduce((sum, report) => sum + (report.zeros ?? 0), 0);
    expectEqual('the count of index 0', zeros, BARRIER_WARM_GENERATIONS + generations);
    return generations / (Math.max(...reports.map((report) => report.ms)) / 1000);
  };
  const sections = [2, 8].map((parties) => {
    const sync = row('@ipc/sync Barrier waitSync', () => threadsRun('barrier-sync', parties));
    const async = row('@ipc/sync Barrier await wait()', () => threadsRun('barrier-async', parties));
    const cpython =
      python === undefined
        ? undefined
        : row(`${python}.Barrier wait`, async () =>
            pythonRate(
              await runPython(
                'barrier',
                [GUARD_MS / 1000, parties, BARRIER_MS, BARRIER_WARM_GENERATIONS],
                GUARD_MS * 2,
              ),
              'the count of index 0',
            ),
          );
    return { parties, rows: [sync, async, ...(cpython ? [cpython] : [])], cpython };
  });
  const rows = sections.flatMap((section) => section.rows);
  await measureRows(rows, options.repetitions);
  return [
    renderTable(
      `Barrier cycles, generations/s (higher is better)\n` +
        `  median and best of ${options.repetitions} runs of ${BARRIER_MS} ms; ratios of medians, same parties; ` +
        `every run checks one index 0 per generation`,
      rateColumns('gen/s', [{ header: 'parties', align: 'right' }, { header: 'implementation' }], ['CPython'], 'op'),
      sections.flatMap((section) =>
        section.rows.map((r) => [String(section.parties), r.label, ...rateCells(r, [section.cpython])]),
      ),
    ),
    '  8 parties on 2 cores: most of them are parked at any time, so a generation costs several wake-ups',
    ...failuresOf(rows),
  ].join('\n');
}

async function main(): Promise<void> {
  const options = parseSectionOptions(process.argv.slice(2), SECTIONS);
  const started = performance.now();
  console.log(await machineHeader('@ipc/sync bench'));
  const python = await pythonLabel(() => runPython('info', [GUARD_MS / 1000], GUARD_MS));

  const runners = {
    lock: lockSection,
    solo: soloSection,
    event: eventSection,
    barrier: barrierSection,
  };
  await runSections(options, runners, python);
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

await main();
