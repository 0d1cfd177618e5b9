/**
 * @ipc/process benchmark (`pnpm bench:suite process`, which builds the packages first): what starting and joining a
 * process costs, against CPython's multiprocessing and Node's raw Worker, as ratios measured in the same run.
 *
 * For each implementation, `count` (100) trivial processes, two patterns: `sequential` (start, join, one after
 * the other) and `all-then-join` (all started, then all joined). Implementations:
 * - @ipc/process: `new Process({ target: { module, name: 'noop' } })`, start(), await join();
 * - raw Worker: `new Worker('', { eval: true })` until 'exit', the floor under any worker-based Process;
 * - CPython multiprocessing, start methods 'spawn' and 'fork' (skipped when python3 is missing).
 * The Node rows are timed in a plain `node` child process (node-starts.mjs), the CPython ones in a `python3`
 * child (cpython.py): a main under tsx makes every file-based worker load tsx's loader as well, which costs
 * more than the rest of a Process start. `--tsx` adds a row with exactly that (main run by `node --import tsx`).
 * Each script runs `repetitions` (3) times, round-robin; the table shows the best and the median, and ratios
 * of best runs, same pattern: > 1× means the row is faster. About 80–90 s on 2 cores, nearly all of it the
 * timed starts themselves (CPython spawn and @ipc sequential ~6.5 s each per run); `--repetitions=2` takes ~60 s.
 *
 * `pnpm bench:suite process [--count=N] [--repetitions=N] [--tsx]`
 */

import { commandAvailable } from '../../harness/child-report.ts';
import { machineHeader } from '../../harness/machine.ts';
import { best, median } from '../../harness/stats.ts';
import { formatRate, formatRatio } from '../../report/format.ts';
import { type Column, renderTable } from '../../report/table.ts';
import { benchFile, runScript, type ScriptReport } from './scripts.ts';

const PATTERNS = ['sequential', 'all-then-join'] as const;
type Pattern = (typeof PATTERNS)[number];

/** One child script, run once per repetition. */
interface Script {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Set when a run failed: the later repetitions skip the script instead of failing the same way. */
  failed?: boolean;
}

/** One implementation: a key in a script's timings (`<key>/<pattern>`). */
interface Implementation {
  readonly label: string;
  readonly script: Script;
  readonly key: string;
}

interface Options {
  readonly count: number;
  readonly repetitions: number;
  readonly tsx: boolean;
}

/** Each wait inside a script gives up after this long; a whole script run after `scriptTimeoutMs`. */
const GUARD_MS = 20_000;

function parseOptions(args: readonly string[]): Options {
  let count = 100;
  let repetitions = 3;
  let tsx = false;
  for (const arg of args) {
    const [flag, value] = arg.split('=', 2);
    const integer = Number(value);
    if (flag === '--tsx' && value === undefined) tsx = true;
    else if ((flag === '--count' || flag === '--repetitions') && Number.isInteger(integer) && integer > 0) {
      if (flag === '--count') count = integer;
      else repetitions = integer;
    } else throw new RangeError(`unknown argument ${arg}: expected --count=N, --repetitions=N or --tsx`);
  }
  return { count, repetitions, tsx };
}

const formatMs = (ms: number | undefined): string => (ms === undefined ? '-' : ms.toFixed(0));

const COLUMNS: Column[] = [
  { header: 'implementation' },
  { header: 'pattern' },
  { header: 'best ms', align: 'right' },
  { header: 'median ms', align: 'right' },
  { header: 'best proc/s', align: 'right' },
  { header: 'vs CPython spawn', align: 'right' },
  { header: 'vs CPython fork', align: 'right' },
  { header: 'vs raw Worker', align: 'right' },
];

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const started = performance.now();
  console.log(await machineHeader('@ipc/process bench'));

  // Generous: ~70 ms per start here for the slowest row (CPython spawn), four rows per script.
  const scriptTimeoutMs = Math.max(60_000, options.count * 600);
  const scriptArgs = [String(options.count), String(GUARD_MS)];
  const node: Script = { name: 'node', command: process.execPath, args: [benchFile('node-starts.mjs'), ...scriptArgs] };
  const underTsx: Script = {
    name: 'node --import tsx',
    command: process.execPath,
    args: ['--import', 'tsx', benchFile('node-starts.mjs'), ...scriptArgs],
  };
  const python: Script = {
    name: 'python3',
    command: 'python3',
    args: [benchFile('cpython.py'), String(options.count), String(GUARD_MS / 1000), 'spawn', 'fork'],
  };
  const hasPython = commandAvailable('python3');
  if (!hasPython) console.log('python3 not found: the CPython rows and ratios are skipped');
  const scripts = [node, ...(hasPython ? [python] : []), ...(options.tsx ? [underTsx] : [])];

  const ipc: Implementation = { label: '@ipc/process', script: node, key: 'process' };
  const raw: Implementation = { label: "raw Worker (eval '')", script: node, key: 'worker' };
  const spawn: Implementation = { label: 'CPython spawn', script: python, key: 'spawn' };
  const fork: Implementation = { label: 'CPython fork', script: python, key: 'fork' };
  const ipcTsx: Implementation = { label: '@ipc/process, main under tsx', script: underTsx, key: 'process' };
  const implementations = [ipc, ...(options.tsx ? [ipcTsx] : []), raw, ...(hasPython ? [spawn, fork] : [])];

  const samples = new Map<string, number[]>();
  const sampleKey = (implementation: Implementation, pattern: Pattern): string => `${implementation.label}|${pattern}`;
  const failures: string[] = [];
  const notes = new Set<string>();
  for (let repetition = 0; repetition < options.repetitions; repetition++) {
    for (const script of scripts) {
      if (script.failed) continue;
      let report: ScriptReport;
      try {
        report = await runScript(script.command, script.args, scriptTimeoutMs);
      } catch (error) {
        script.failed = true;
        failures.push(`! ${script.name}, run ${repetition + 1}: ${(error as Error).message} (later runs skipped)`);
        continue;
      }
      if (report.version !== undefined) notes.add(`CPython ${report.version}`);
      if (script === node && report.execArgv !== undefined && report.execArgv.length > 0) {
        notes.add(`warning: the plain node script ran with ${report.execArgv.join(' ')}`);
      }
      for (const implementation of implementations) {
        if (implementation.script !== script) continue;
        for (const pattern of PATTERNS) {
          const ms = report.ms[`${implementation.key}/${pattern}`];
          if (typeof ms !== 'number') continue;
          const key = sampleKey(implementation, pattern);
          samples.set(key, [...(samples.get(key) ?? []), ms]);
        }
      }
    }
  }

  const bestOf = (implementation: Implementation, pattern: Pattern): number | undefined =>
    best(samples.get(sampleKey(implementation, pattern)) ?? []);
  const rows = PATTERNS.flatMap((pattern) =>
    implementations.map((implementation) => {
      const runs = samples.get(sampleKey(implementation, pattern)) ?? [];
      const top = best(runs);
      if (top === undefined) return [implementation.label, pattern, 'failed or unavailable'];
      return [
        implementation.label,
        pattern,
        formatMs(top),
        formatMs(median(runs)),
        formatRate(options.count / (top / 1000)),
        formatRatio(bestOf(spawn, pattern), top),
        formatRatio(bestOf(fork, pattern), top),
        formatRatio(bestOf(raw, pattern), top),
      ];
    }),
  );
  console.log(
    `${[...notes].join(', ')}\n\n${renderTable(
      `Start + join of ${options.count} trivial processes, wall ms (lower is better)\n` +
        `  best and median of ${options.repetitions} runs; ` +
        "ratios = other's best ms / this row's best ms, same pattern (> 1× = this row faster)",
      COLUMNS,
      rows,
    )}`,
  );
  for (const failure of failures) console.log(failure);
  if (failures.length > 0) process.exitCode = 1;
  console.log(`\ndone in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

await main();
