/**
 * @ipc/pipe socket benchmark (section `sockets` of `pnpm bench:suite pipe`, run.ts): `Listener`/`Client` connections between two OS processes, against
 * CPython's `multiprocessing.connection` `Listener`/`Client` between two processes, as ratios of medians
 * measured in the same run.
 *
 * Workloads (both sides authenticate with an authkey first, untimed):
 * - ping-pong: round trips of a small object `{ i, s: 'x' }` (`send` + `recv` of the echo; CPython pickles
 *   it, @ipc encodes it with dataCodec), over a Unix socket and over TCP on 127.0.0.1;
 * - 1 KiB / 1 MiB: one-way streams of raw messages (`sendBytes` / `send_bytes`, each taken by the peer with
 *   `recvBytes` / `recv_bytes`), over a Unix socket; the time ends with the peer's answer after the last.
 *
 * Each run is a fresh pair of processes per transport (socket-node.mjs: plain `node` on the built package;
 * cpython-sockets.py: `python3`, the peer forked by multiprocessing), `repetitions` (5) times round-robin, so that a
 * burst of load elsewhere hits every row alike. Every call is awaited (or blocks, in CPython) before the
 * next: what a program written the obvious way does. Each run checks what it received. The report ends with
 * the share of CPU time other processes took during the run: the ratios assume none.
 *
 * About 30-40 s on 2 cores.
 */

import { fileURLToPath } from 'node:url';
import { commandAvailable, runForReport } from '../../harness/child-report.ts';
import { cpuTimes, machineHeader, othersLoadLine } from '../../harness/machine.ts';
import { median } from '../../harness/stats.ts';
import { formatRate, formatRatio } from '../../report/format.ts';
import { type Column, renderTable } from '../../report/table.ts';

type Transport = 'unix' | 'tcp';

/** One measured workload; `warm` items go first, untimed. */
interface Workload {
  readonly name: string;
  readonly transport: Transport;
  readonly kind: 'echo' | 'sink';
  readonly count: number;
  readonly warm: number;
  readonly size: number;
}

const MIB = 1024 * 1024;

const WORKLOADS: readonly Workload[] = [
  { name: 'ping-pong {i, s}, Unix socket', transport: 'unix', kind: 'echo', count: 20_000, warm: 5_000, size: 0 },
  { name: 'ping-pong {i, s}, TCP loopback', transport: 'tcp', kind: 'echo', count: 20_000, warm: 5_000, size: 0 },
  { name: '1 KiB messages, Unix socket', transport: 'unix', kind: 'sink', count: 100_000, warm: 20_000, size: 1024 },
  { name: '1 MiB messages, Unix socket', transport: 'unix', kind: 'sink', count: 500, warm: 50, size: MIB },
];

/** A child run that has not reported after this long is stuck: it is killed and reported. */
const RUN_TIMEOUT_MS = 120_000;

interface Report {
  readonly ms: Record<string, number>;
  readonly version?: string;
}

const isReport = (value: Record<string, unknown>): boolean => typeof value.ms === 'object' && value.ms !== null;

/** The plan a child runs for one transport: the workloads of that transport, as JSON. */
function planOf(transport: Transport): string {
  return JSON.stringify(WORKLOADS.filter((workload) => workload.transport === transport));
}

/** Operations per second of a workload that took `ms`: round trips, or messages. */
function rate(workload: Workload, ms: number): number {
  return workload.count / (ms / 1000);
}

/** The rate as shown: round trips/s, or messages/s and MiB/s. */
function showRate(workload: Workload, ms: number | undefined): string {
  if (ms === undefined) return '-';
  const perSecond = rate(workload, ms);
  if (workload.kind === 'echo') return `${formatRate(perSecond)} rt/s`;
  return `${formatRate(perSecond)} msg/s, ${formatRate((perSecond * workload.size) / MIB)} MiB/s`;
}

const COLUMNS: Column[] = [
  { header: 'workload' },
  { header: '@ipc/pipe (median)', align: 'right' },
  { header: 'CPython (median)', align: 'right' },
  { header: '@ipc / CPython', align: 'right' },
];

/** Runs the section `repetitions` times and prints its table. */
export async function benchSockets(repetitions: number): Promise<void> {
  const started = performance.now();
  console.log(await machineHeader('@ipc/pipe socket bench'));
  const hasPython = commandAvailable('python3');
  if (!hasPython) console.log('python3 not found: the CPython column is skipped');
  const before = cpuTimes();

  const samples = new Map<string, number[]>();
  const add = (key: string, ms: number): void => {
    samples.set(key, [...(samples.get(key) ?? []), ms]);
  };
  const failures: string[] = [];
  let pythonVersion = '';
  const scriptFile = (name: string): string => fileURLToPath(new URL(name, import.meta.url));
  for (let repetition = 0; repetition < repetitions; repetition++) {
    for (const transport of ['unix', 'tcp'] as const) {
      const children = [
        { side: 'ipc', command: process.execPath, args: [scriptFile('socket-node.mjs'), 'main', transport] },
        ...(hasPython
          ? [{ side: 'cpython', command: 'python3', args: [scriptFile('cpython-sockets.py'), transport] }]
          : []),
      ];
      for (const { side, command, args } of children) {
        try {
          const report = await runForReport<Report>(
            command,
            [...args, planOf(transport)],
            { timeoutMs: RUN_TIMEOUT_MS },
            isReport,
          );
          if (report.version !== undefined) pythonVersion = report.version;
          for (const [name, ms] of Object.entries(report.ms)) add(`${side}|${name}`, ms);
        } catch (error) {
          failures.push(`! ${side} ${transport}, run ${repetition + 1}: ${(error as Error).message}`);
        }
      }
    }
  }

  const medianOf = (side: string, workload: Workload): number | undefined =>
    median(samples.get(`${side}|${workload.name}`) ?? []);
  const rows = WORKLOADS.map((workload) => {
    const ipc = medianOf('ipc', workload);
    const cpython = medianOf('cpython', workload);
    return [
      workload.name,
      showRate(workload, ipc),
      showRate(workload, cpython),
      formatRatio(
        ipc === undefined ? undefined : rate(workload, ipc),
        cpython === undefined ? undefined : rate(workload, cpython),
      ),
    ];
  });
  console.log(
    `${pythonVersion === '' ? '' : `CPython ${pythonVersion}\n`}\n${renderTable(
      `Two OS processes over a socket connection, authenticated; medians of ${repetitions} runs\n` +
        '  ratio = @ipc rate / CPython rate (> 1× = @ipc faster)',
      COLUMNS,
      rows,
    )}`,
  );
  for (const failure of failures) console.log(failure);
  if (failures.length > 0) process.exitCode = 1;
  console.log(othersLoadLine(before));
  console.log(`\ndone in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
