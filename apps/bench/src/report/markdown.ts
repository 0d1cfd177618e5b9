/**
 * `docs/benchmarks.md`: the page `pnpm bench` writes from a run. Same facts as the terminal report (machine,
 * medians, spread, ratios, targets met or MISSED), plus the chart and a short account of the method.
 */

import type { BenchResults, ScenarioResult } from '../results.ts';
import { BASELINE_SIDES, SIDE_NAMES } from './comparison.ts';
import { machineFacts } from './machine-facts.ts';
import { rowCells } from './row-cells.ts';
import { describeTally, formatReached, tallyTargets, targetStatus } from './target-status.ts';

/**
 * `text` safe inside a markdown table cell or heading: HTML specials as entities, markdown punctuation and
 * the cell separator `|` backslash-escaped, so labels such as `{i, s:'x'}` or `__init__` print as written.
 */
function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|]/g, (character) => `\\${character}`);
}

/** A markdown table; `alignRight[c]` right-aligns column `c`. */
function markdownTable(headers: readonly string[], alignRight: readonly boolean[], rows: readonly string[][]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  const rule = line(headers.map((_, c) => (alignRight[c] ? '--:' : '---')));
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

/** The rows table of one scenario, with a note column when any row carries a note. */
function rowsTable(scenario: ScenarioResult, repetitions: number): string {
  const cells = scenario.rows.map((row) => rowCells(scenario, row, repetitions));
  const withNotes = cells.some((row) => row.note !== undefined);
  const headers = ['Row', 'Median', 'Spread', 'Runs', ...BASELINE_SIDES.map((side) => `vs ${SIDE_NAMES[side]}`)];
  const rows = cells.map((row) => [
    escapeMarkdown(row.label),
    escapeMarkdown(row.median),
    row.spread,
    row.runs,
    ...row.ratios,
    ...(withNotes ? [escapeMarkdown(row.note ?? '')] : []),
  ]);
  return markdownTable(
    withNotes ? [...headers, 'Note'] : headers,
    headers.map((_, c) => c > 0),
    rows,
  );
}

/** The targets table of one scenario; MISSED in bold. */
function targetsTable(scenario: ScenarioResult): string {
  if (scenario.targets.length === 0) return 'No target for this scenario.';
  const rows = scenario.targets.map((target) => {
    const status = targetStatus(target);
    return [
      escapeMarkdown(target.text),
      escapeMarkdown(formatReached(target, scenario.unit)),
      status === 'MISSED' ? '**MISSED**' : status,
    ];
  });
  return markdownTable(['Target (design.md §8)', 'Reached', 'Result'], [false, true, false], rows);
}

/** One scenario: heading, unit and workload, rows, targets. */
function scenarioSection(scenario: ScenarioResult, repetitions: number): string {
  return [
    `### ${escapeMarkdown(scenario.title)}`,
    `${escapeMarkdown(scenario.about)} Unit: ${escapeMarkdown(scenario.unit)}. Workload: ${escapeMarkdown(scenario.workload)}.`,
    rowsTable(scenario, repetitions),
    targetsTable(scenario),
  ].join('\n\n');
}

/** The summary of targets under the introduction, naming each missed one. */
function targetSummary(results: BenchResults): string {
  const tally = tallyTargets(results);
  const missed = tally.missed.map(
    ({ scenarioTitle, target, unit }) =>
      `- **MISSED**: ${escapeMarkdown(scenarioTitle)}: ${escapeMarkdown(target.text)}, reached ${escapeMarkdown(formatReached(target, unit))}`,
  );
  const summary = `Targets of design.md §8 in this run: ${describeTally(tally)}.`;
  return missed.length === 0 ? summary : `${summary}\n\n${missed.join('\n')}`;
}

/** The method, in short: what makes the rows of one run comparable and how to read the columns. */
function howItIsMeasured(repetitions: number): string {
  return `## How it is measured

- Every side of a scenario moves the same payloads, the same number of times.
- Each row runs ${repetitions === 1 ? 'once' : `${repetitions} times`} after an untimed warm-up; the table shows the median rate.
- Every run checks its results (every message received, counters exact). A run that fails its checks is not
  counted: the Runs column shows how many were.
- Rows run round-robin, one run at a time, so that a burst of load elsewhere hits every row alike.
- CPython uses its fastest start method (fork on Linux). A floor row is the bare mechanism underneath, with no
  library around it: Atomics on a SharedArrayBuffer (one word bounced, a compare-and-swap lock), a memory
  copy, a bare Worker.
- A ratio is an @ipc row's median divided by the median of the baseline side's first row, both from the same
  run. Baseline rows show \`-\`.
- Spread is ±(max − min) / 2 / median of a row's runs; \`-\` with fewer than two runs.`;
}

/**
 * The markdown of `docs/benchmarks.md` for `results`, with the chart linked as `chartFile` (a path relative to
 * the page); ends with a newline.
 *
 * @example
 * writeFileSync('docs/benchmarks.md', renderMarkdown(results, 'benchmarks.svg'));
 */
export function renderMarkdown(results: BenchResults, chartFile: string): string {
  const facts = machineFacts(results).map(([label, value]) => `- ${label}: ${escapeMarkdown(value)}`);
  const sections = [
    '# Benchmarks',
    'This page is generated by `pnpm bench`: do not edit it by hand. To reproduce, run `pnpm bench` from the ' +
      'repository root, or `pnpm bench --quick` for a shorter run. Rates depend on the machine; the ratios ' +
      'between rows of the same run travel better.',
    targetSummary(results),
    '## Machine',
    facts.join('\n'),
    '## Results',
    `![Median rate of every row, one log scale per scenario](${chartFile})`,
    ...results.scenarios.map((scenario) => scenarioSection(scenario, results.repetitions)),
    howItIsMeasured(results.repetitions),
  ];
  return `${sections.join('\n\n')}\n`;
}
