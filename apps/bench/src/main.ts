/**
 * `pnpm bench`: every scenario of design.md §8 plus process start-up, for @ipc, CPython's multiprocessing
 * (python3, fork; skipped with a notice when missing), Node's postMessage and a raw floor where one exists,
 * in one run on one machine. Prints a progress line, then the table with ratios and targets; writes
 * benchmarks.json, benchmarks.md and benchmarks.svg (docs/ for a full run of everything, else
 * apps/bench/results/). Exits 1 when a run failed its checks. See options.ts for the flags.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuTimes, idleShare, othersCpuShare } from './harness/machine.ts';
import { machineInfo, pythonInfo } from './machine-info.ts';
import { parseOptions } from './options.ts';
import { progressLine } from './progress.ts';
import { renderChart } from './report/chart.ts';
import { renderMarkdown } from './report/markdown.ts';
import { renderTerminal } from './report/terminal.ts';
import type { BenchResults, ScenarioResult } from './results.ts';
import { rowFailed, runScenario } from './run-scenario.ts';
import { SCENARIOS } from './scenarios/index.ts';

const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));
const CHART_FILE = 'benchmarks.svg';

const options = parseOptions(
  process.argv.slice(2),
  SCENARIOS.map((scenario) => scenario.id),
);
const python = await pythonInfo();
if (python === undefined) console.log('python3 not found: the CPython rows are skipped');
const date = new Date();
const idleBefore = await idleShare(500);
const before = cpuTimes();
const scenarios = SCENARIOS.filter((factory) => options.only.length === 0 || options.only.includes(factory.id)).map(
  (factory) => factory.create(options.mode, python),
);
const runs = scenarios.reduce((sum, scenario) => sum + scenario.measurements.length, 0) * options.repetitions;
const progress = progressLine(process.stderr, runs, options.repetitions);
const results: ScenarioResult[] = [];
for (const scenario of scenarios) results.push(await runScenario(scenario, options.repetitions, progress.step));
progress.done();

const bench: BenchResults = {
  date: date.toISOString(),
  mode: options.mode,
  repetitions: options.repetitions,
  durationMs: Math.round(performance.now() - before.wallMs),
  machine: machineInfo(python, idleBefore, othersCpuShare(before)),
  scenarios: results,
};
console.log(renderTerminal(bench));

const published = options.mode === 'full' && options.only.length === 0;
const outDir = options.outDir ?? join(REPOSITORY, published ? 'docs' : 'apps/bench/results');
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'benchmarks.json'), `${JSON.stringify(bench, null, 2)}\n`);
writeFileSync(join(outDir, CHART_FILE), renderChart(bench));
writeFileSync(join(outDir, 'benchmarks.md'), renderMarkdown(bench, CHART_FILE));
console.log(`\nwrote benchmarks.json, .md and .svg to ${relative(REPOSITORY, outDir) || '.'}/`);
if (results.some((scenario) => scenario.rows.some(rowFailed))) process.exitCode = 1;
