/**
 * Wait/notify ping-pong between two worker threads: the latency floor under every blocking hand-off
 * (Pipe round trips, Queue get on an empty queue, Event, Condition; design.md §5 and §8).
 *
 * The main thread only starts the pair and awaits their reports; the two workers (ping-pong-worker.mjs,
 * which loads the built `dist/`) bounce one shared Int32 word. Transports:
 * - raw Atomics.wait/notify: the naive baseline, always notifies and never spins;
 * - raw spin: busy loop on Atomics.load, never sleeps (the floor, at the price of two busy cores);
 * - Futex waitWhileSync: @ipc's sync wait (spin up to DEFAULT_SPIN_SYNC loads, then park), store + notify,
 *   where notify costs one load when nobody is parked;
 * - Futex await waitWhile: the async form in both workers (short spin, then Atomics.waitAsync);
 * - parkUntilSync with spin budgets 0, 200, 2000, 10000 on a plain SharedArrayBuffer: why the default.
 * Each pair runs up to `maxRoundTrips` or `maxMs` after an untimed warm-up, `repetitions` times round-robin;
 * ratios compare the best run of each row, all from the same process. "parked" is the share of hand-offs
 * (warm-up included) whose notify woke a sleeping thread. A pair that fails (a wait timed out: a lost
 * wake-up) or gets stuck is terminated and reported, and the run goes on.
 *
 * Reading it: a park + wake costs tens of µs, a spinning hand-off well under 1 µs. When a wake-up takes
 * longer than the partner's spin budget, the partner has parked too by the time the answer comes, and the
 * pair can stay in that sleep/wake lock-step; on a loaded machine the spread between best and median shows it.
 */

import { Worker } from 'node:worker_threads';
import {
  DEFAULT_SPIN_SYNC,
  deadlineAfter,
  Futex,
  type ParkingSpot,
  parkUntilSync,
  type SharedDescriptor,
  share,
} from '@ipc/core';
import { median } from '../../harness/stats.ts';
import { formatMicros, formatPercent, formatRate, formatRatio } from '../../report/format.ts';
import { type Column, renderTable } from '../../report/table.ts';

/** How the two workers hand the word over; see ping-pong-worker.mjs. */
export type Transport = 'atomics-wait' | 'atomics-spin' | 'futex-sync' | 'futex-async' | 'park-sync';

/** Options for {@link runPingPongBench}. */
export interface PingPongBenchOptions {
  /** Runs of each pair; the report shows the best and the median. */
  readonly repetitions: number;
  /** Timed round trips of one run at most... */
  readonly maxRoundTrips: number;
  /** ...or this many milliseconds, whichever comes first. */
  readonly maxMs: number;
  /** Untimed round trips before timing at most... */
  readonly warmupRoundTrips: number;
  /** ...or this many milliseconds. */
  readonly warmupMs: number;
  /** Timeout of every single wait in the workers: a lost wake-up fails the run after this long. */
  readonly waitTimeoutMs: number;
}

/** The printed report, and what went wrong (empty when every run completed). */
export interface PingPongReport {
  readonly text: string;
  readonly failures: readonly string[];
}

/** What one worker posts when it is done. */
interface WorkerReport {
  readonly role: 'ping' | 'pong';
  readonly roundTrips: number;
  readonly ms: number;
  readonly publishes: number;
  readonly woken: number;
}

/** One run's outcome: timed round trips per second, and the share of hand-offs that had to wake a sleeper. */
export interface PairResult {
  readonly perSecond: number;
  readonly parked: number | undefined;
  /** Ping's timed round trips, and every hand-off pong answered (warm-up included). */
  readonly roundTrips: number;
  readonly answered: number;
}

/** One row of the report: a transport, and for `park-sync` the spin budget. */
export interface Pair {
  readonly label: string;
  readonly transport: Transport;
  readonly spin?: number;
}

const WORKER_URL = new URL('./ping-pong-worker.mjs', import.meta.url);

/** The memory a transport needs, as structured-clonable worker data. */
function sharedWord(transport: Transport): { futex: SharedDescriptor } | { buffer: SharedArrayBuffer } {
  if (transport === 'futex-sync' || transport === 'futex-async') return { futex: share(new Futex(0)) };
  // Word 0 is the value; word 1 the parked-waiter count that parkUntilSync/wakeParked keep.
  return { buffer: new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT) };
}

/** Waits for one worker's report; rejects on its 'error' or when it exits without reporting. */
function reportOf(worker: Worker): Promise<WorkerReport> {
  return new Promise((resolve, reject) => {
    worker.once('message', (report: WorkerReport) => resolve(report));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`worker exited with code ${code} before reporting`)));
  });
}

/** Runs one ping-pong pair and terminates both workers, whatever happens. */
export async function runPair(pair: Pair, options: PingPongBenchOptions): Promise<PairResult> {
  const shared = sharedWord(pair.transport);
  const workers = (['ping', 'pong'] as const).map(
    (role) =>
      new Worker(WORKER_URL, {
        workerData: {
          transport: pair.transport,
          role,
          spin: pair.spin,
          maxRoundTrips: options.maxRoundTrips,
          maxMs: options.maxMs,
          warmupRoundTrips: options.warmupRoundTrips,
          warmupMs: options.warmupMs,
          waitTimeoutMs: options.waitTimeoutMs,
          ...shared,
        },
      }),
  );
  // Start-up, warm-up, the run and one wait timeout fit well inside this; past it the pair is stuck.
  const guardMs = options.warmupMs + options.maxMs + options.waitTimeoutMs + 10_000;
  let guard: NodeJS.Timeout | undefined;
  const stuck = new Promise<never>((_, reject) => {
    guard = setTimeout(() => reject(new Error(`no report within ${guardMs} ms`)), guardMs);
  });
  try {
    const reports = await Promise.race([Promise.all(workers.map(reportOf)), stuck]);
    const ping = reports.find((report) => report.role === 'ping');
    const pong = reports.find((report) => report.role === 'pong');
    if (ping === undefined || pong === undefined) throw new Error('ping or pong did not report');
    const publishes = reports.reduce((sum, report) => sum + report.publishes, 0);
    const woken = reports.reduce((sum, report) => sum + report.woken, 0);
    return {
      perSecond: ping.roundTrips / (ping.ms / 1000),
      parked: pair.transport === 'atomics-spin' ? undefined : woken / publishes,
      roundTrips: ping.roundTrips,
      answered: pong.roundTrips,
    };
  } finally {
    clearTimeout(guard);
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

/**
 * How long parkUntilSync spends spinning with a budget of `spin` loads, in µs: timed through the real code
 * path with a deadline already passed (so it returns after one spin instead of parking), minus the cost of
 * the same call with no spin.
 */
function spinMicros(spin: number): number {
  if (spin === 0) return 0;
  const spot: ParkingSpot = {
    i32: new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT)),
    valueIndex: 0,
    waitersIndex: 1,
  };
  const deadline = deadlineAfter(0);
  const callMicros = (budget: number): number => {
    const options = { deadline, spin: budget };
    const calls = Math.ceil(1_000_000 / Math.max(budget, 100));
    const spinCalls = (): void => {
      for (let i = 0; i < calls; i++) parkUntilSync(spot, () => undefined, options);
    };
    spinCalls();
    const start = performance.now();
    spinCalls();
    return ((performance.now() - start) * 1000) / calls;
  };
  return Math.max(0, callMicros(spin) - callMicros(0));
}

const COLUMNS: Column[] = [
  { header: 'transport' },
  { header: 'best RT/s', align: 'right' },
  { header: 'median RT/s', align: 'right' },
  { header: 'best per RT', align: 'right' },
  { header: 'parked', align: 'right' },
  { header: 'vs Atomics.wait', align: 'right' },
  { header: 'vs spin', align: 'right' },
];

/**
 * Runs every pair `repetitions` times, round-robin so that a burst of load from elsewhere on the machine
 * hits every row alike, one pair at a time (two pairs would compete for the cores), and returns the report.
 * Ratios compare best runs: the least disturbed measurement of each transport.
 */
export async function runPingPongBench(options: PingPongBenchOptions): Promise<PingPongReport> {
  const waitPair: Pair = { label: 'raw Atomics.wait + notify (no spin)', transport: 'atomics-wait' };
  const spinPair: Pair = { label: 'raw spin on Atomics.load (no sleep)', transport: 'atomics-spin' };
  const mainPairs: Pair[] = [
    waitPair,
    spinPair,
    { label: 'Futex waitWhileSync + store + notify', transport: 'futex-sync' },
    { label: 'Futex await waitWhile + store + notify', transport: 'futex-async' },
  ];
  const budgetPairs: Pair[] = [0, 200, 2000, 10_000].map((spin) => ({
    label: `spin ${spin} loads ≈ ${formatMicros(spinMicros(spin))}${spin === DEFAULT_SPIN_SYNC ? ' (default)' : ''}`,
    transport: 'park-sync',
    spin,
  }));
  const pairs = [...mainPairs, ...budgetPairs];
  const runs = new Map<Pair, PairResult[]>(pairs.map((pair) => [pair, []]));
  const failures: string[] = [];
  for (let repetition = 0; repetition < options.repetitions; repetition++) {
    for (const pair of pairs) {
      try {
        runs.get(pair)?.push(await runPair(pair, options));
      } catch (error) {
        failures.push(`! ${pair.label}, run ${repetition + 1}: ${(error as Error).message}`);
      }
    }
  }

  const best = (pair: Pair): PairResult | undefined =>
    runs
      .get(pair)
      ?.reduce<PairResult | undefined>((a, b) => (a === undefined || b.perSecond > a.perSecond ? b : a), undefined);
  const waitBest = best(waitPair)?.perSecond;
  const spinBest = best(spinPair)?.perSecond;
  const row = (pair: Pair): string[] => {
    const top = best(pair);
    if (top === undefined) return [pair.label, 'failed'];
    return [
      pair.label,
      formatRate(top.perSecond),
      formatRate(median((runs.get(pair) ?? []).map((result) => result.perSecond)) ?? Number.NaN),
      formatMicros(1e6 / top.perSecond),
      formatPercent(top.parked),
      formatRatio(top.perSecond, waitBest),
      formatRatio(top.perSecond, spinBest),
    ];
  };

  const limits =
    `best and median of ${options.repetitions} runs, each up to ${formatRate(options.maxRoundTrips)} round trips ` +
    `or ${options.maxMs / 1000} s after a warm-up`;
  const text = [
    renderTable(
      `Ping-pong between two workers, round trips/s (higher is better)\n  ${limits}`,
      COLUMNS,
      mainPairs.map(row),
    ),
    '',
    renderTable(
      'Spin budget: loads parkUntilSync makes before parking (timed here), same ping-pong on a plain SharedArrayBuffer',
      COLUMNS,
      budgetPairs.map(row),
    ),
    '  parked = share of hand-offs (in the best run) whose notify woke a sleeping thread; the rest were caught spinning',
    ...failures,
  ].join('\n');
  return { text, failures };
}
