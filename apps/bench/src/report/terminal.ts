/**
 * The plain-text report `pnpm bench` prints: machine facts, one table per scenario with its targets, and a
 * closing line that counts met and MISSED targets. No colours: it is pasted into issues and read in CI logs,
 * so everything that matters (a missed target above all) is said in words.
 */

import type { BenchResults, ScenarioResult } from '../results.ts';
import { BASELINE_SIDES, SIDE_NAMES } from './comparison.ts';
import { machineFacts } from './machine-facts.ts';
import { rowCells } from './row-cells.ts';
import { alignColumns, type Column, renderTable } from './table.ts';
import { describeTally, formatReached, tallyTargets, targetStatus } from './target-status.ts';

/** How to read the ratio and spread columns, printed once above the tables. */
const LEGEND = [
  "Ratios: the @ipc row's median ÷ the baseline's median, from this run. A side's baseline is its first row;",
  "baseline rows show '-'. Spread: ±(max − min) / 2 / median over the runs. Runs: counted / asked",
  '(a run that fails its checks is not counted). Targets are about the first @ipc row of each scenario.',
];

const ROW_COLUMNS: readonly Column[] = [
  { header: 'row' },
  { header: 'median', align: 'right' },
  { header: 'spread', align: 'right' },
  { header: 'runs', align: 'right' },
  ...BASELINE_SIDES.map((side): Column => ({ header: `vs ${SIDE_NAMES[side]}`, align: 'right' })),
];

const TARGET_COLUMNS: readonly Column[] = [{ header: 'status' }, { header: 'target' }, { header: 'reached' }];

const FACT_COLUMNS: readonly Column[] = [{ header: 'fact' }, { header: 'value' }];

/** One scenario: its table (notes as numbered footnotes, so long notes keep the table narrow), then targets. */
function renderScenario(scenario: ScenarioResult, repetitions: number): string {
  const notes: string[] = [];
  const rows = scenario.rows.map((row) => {
    const cells = rowCells(scenario, row, repetitions);
    let label = cells.label;
    if (cells.note !== undefined) {
      notes.push(cells.note);
      label = `${label} [${notes.length}]`;
    }
    return [label, cells.median, cells.spread, cells.runs, ...cells.ratios];
  });
  const title = `${scenario.title}\nunit ${scenario.unit}; ${scenario.workload}`;
  const targets = alignColumns(
    TARGET_COLUMNS,
    scenario.targets.map((target) => {
      const status = targetStatus(target);
      return [status, target.text, status === 'not measured' ? '' : `reached ${formatReached(target, scenario.unit)}`];
    }),
  );
  return [
    renderTable(title, ROW_COLUMNS, rows),
    ...notes.map((note, n) => `[${n + 1}] ${note}`),
    targets.length === 0 ? 'targets: none' : 'targets:',
    ...targets.map((line) => `  ${line}`),
  ].join('\n');
}

/** The closing lines: the tally of every target, then each missed one by scenario. */
function renderTally(results: BenchResults): string[] {
  const tally = tallyTargets(results);
  return [
    `targets: ${describeTally(tally)}`,
    ...tally.missed.map(
      ({ scenarioTitle, target, unit }) =>
        `  MISSED  ${scenarioTitle}: ${target.text}, reached ${formatReached(target, unit)}`,
    ),
    ...(results.mode === 'quick' ? [QUICK_NOTE] : []),
  ];
}

/** Under a quick run's tally: its verdicts are indicative only. */
const QUICK_NOTE =
  'quick run: 2 repetitions and some smaller counts, so verdicts near a target can go either way; ' +
  'judge targets on a full run (pnpm bench)';

/**
 * The whole run as plain text for a terminal or a CI log, at most about 120 columns wide with the usual
 * labels; ends with a newline.
 *
 * @example
 * process.stdout.write(renderTerminal(results));
 */
export function renderTerminal(results: BenchResults): string {
  const sections = [
    ['@ipc benchmarks', ...alignColumns(FACT_COLUMNS, machineFacts(results))].join('\n'),
    LEGEND.join('\n'),
    ...results.scenarios.map((scenario) => renderScenario(scenario, results.repetitions)),
    renderTally(results).join('\n'),
  ];
  return `${sections.join('\n\n')}\n`;
}
