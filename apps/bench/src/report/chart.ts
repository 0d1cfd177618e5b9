/**
 * The SVG chart of `docs/benchmarks.md`: one group of horizontal bars per scenario, one bar per row,
 * coloured by side. Scenarios count different things at different magnitudes, so each group has its own
 * log10 axis in whole decades, from below its slowest row to above its fastest: bars compare within a group,
 * and every bar is labelled with its median and unit. Standalone (no external fonts or scripts) and
 * deterministic: the same results give the same bytes.
 */

import type { BenchResults, RowResult, ScenarioResult, Side } from '../results.ts';
import { SIDE_NAMES } from './comparison.ts';
import { formatRate } from './format.ts';
import { container, element, escapeXml, px, textElement } from './svg.ts';

const WIDTH = 900;
const MARGIN = 16;
/** Row labels sit left of the bars; longer labels are cut (the full text is in a tooltip). */
const LABEL_MAX_CHARS = 46;
const BAR_X = 330;
/** Room right of the longest bar for its value label. */
const VALUE_LABEL_ROOM = 130;
const BAR_MAX_WIDTH = WIDTH - MARGIN - VALUE_LABEL_ROOM - BAR_X;
const BAR_HEIGHT = 16;
const ROW_PITCH = 22;
const FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

/** Bar colour of each side, also used by the legend. */
export const SIDE_COLOURS: Readonly<Record<Side, string>> = {
  ipc: '#2f6fde',
  cpython: '#e8a33d',
  postMessage: '#3aa676',
  floor: '#8c939b',
};

/** Legend entries, in the order sides usually appear in a scenario. */
const LEGEND_SIDES: readonly Side[] = ['ipc', 'cpython', 'postMessage', 'floor'];

const LEGEND_NAMES: Readonly<Record<Side, string>> = {
  ipc: SIDE_NAMES.ipc,
  cpython: 'CPython multiprocessing',
  postMessage: 'Node postMessage',
  floor: 'floor (bare mechanism)',
};

/** A group's log axis in whole decades: `10^lowExponent` at the bars' start, `10^highExponent` at their end. */
interface DecadeAxis {
  readonly lowExponent: number;
  readonly highExponent: number;
}

/** Medians that can be drawn on a log scale. */
function drawableMedian(row: RowResult): number | undefined {
  return row.median !== undefined && Number.isFinite(row.median) && row.median > 0 ? row.median : undefined;
}

/**
 * The decades a group spans. The low end is at most half the slowest median, so the shortest bar is still
 * visible; the high end is the first power of ten at or above the fastest.
 */
function decadeAxis(medians: readonly number[]): DecadeAxis {
  const lowExponent = Math.floor(Math.log10(Math.min(...medians) / 2));
  // The epsilon keeps an exact power of ten (log10 off by one ulp) from spilling into the next decade.
  const highExponent = Math.ceil(Math.log10(Math.max(...medians)) - 1e-9);
  return { lowExponent, highExponent: Math.max(highExponent, lowExponent + 1) };
}

/** Horizontal offset from the bars' start of `value` on `axis`. */
function offsetOf(axis: DecadeAxis, value: number): number {
  return ((Math.log10(value) - axis.lowExponent) / (axis.highExponent - axis.lowExponent)) * BAR_MAX_WIDTH;
}

/** `label` cut to what fits left of the bars. */
function fittedLabel(label: string): string {
  return label.length <= LABEL_MAX_CHARS ? label : `${label.slice(0, LABEL_MAX_CHARS - 1)}…`;
}

/** One row at `top`: label, then a bar with its value, or the reason there is none. */
function rowMarkup(scenario: ScenarioResult, row: RowResult, axis: DecadeAxis | undefined, top: number): string {
  const baseline = top + BAR_HEIGHT - 4;
  const label = element('text', { x: MARGIN, y: baseline }, [
    element('title', {}, [escapeXml(row.label)]),
    escapeXml(fittedLabel(row.label)),
  ]);
  const median = drawableMedian(row);
  if (median === undefined || axis === undefined) {
    const reason = row.median === undefined ? (row.note ?? 'no samples') : `${formatRate(row.median)} ${scenario.unit}`;
    return (
      label +
      textElement({ class: 'missing', x: BAR_X + 4, y: baseline, fill: '#6b7280', 'font-style': 'italic' }, reason)
    );
  }
  const width = px(offsetOf(axis, median));
  const bar = element('rect', {
    class: `bar ${row.side}`,
    x: BAR_X,
    y: top,
    width,
    height: BAR_HEIGHT,
    fill: SIDE_COLOURS[row.side],
  });
  const value = textElement({ x: px(BAR_X + width + 6), y: baseline }, `${formatRate(median)} ${scenario.unit}`);
  return label + bar + value;
}

/** Metric suffixes of tick labels, one per three decades. */
const DECADE_SUFFIXES = ['', 'k', 'M', 'G'] as const;

/** `10^exponent` as a tick label, without the trailing zeros of three significant digits: `10k`, `1M`. */
function decadeLabel(exponent: number): string {
  if (exponent < 0) return String(10 ** exponent);
  const group = Math.min(Math.floor(exponent / 3), DECADE_SUFFIXES.length - 1);
  return `${10 ** (exponent - 3 * group)}${DECADE_SUFFIXES[group]}`;
}

/** Vertical lines at each decade across the group's rows, labelled below: one line of markup per decade. */
function axisMarkup(axis: DecadeAxis, top: number, bottom: number): string[] {
  const tickStyle = { 'text-anchor': 'middle', 'font-size': 10, fill: '#6b7280' };
  const decades: string[] = [];
  for (let exponent = axis.lowExponent; exponent <= axis.highExponent; exponent++) {
    const x = px(BAR_X + offsetOf(axis, 10 ** exponent));
    decades.push(
      element('line', { x1: x, y1: top, x2: x, y2: bottom, stroke: '#d1d5db', 'stroke-width': 1 }) +
        textElement({ x, y: bottom + 12, ...tickStyle }, decadeLabel(exponent)),
    );
  }
  return decades;
}

/** One scenario's group starting at `top`, and the y where the next may start. */
function scenarioMarkup(scenario: ScenarioResult, top: number): { readonly markup: string; readonly next: number } {
  const medians = scenario.rows.map(drawableMedian).filter((median) => median !== undefined);
  const axis = medians.length === 0 ? undefined : decadeAxis(medians);
  const title = textElement(
    { x: MARGIN, y: top + 14, 'font-size': 14, 'font-weight': 'bold' },
    `${scenario.title} (${scenario.unit}, log scale)`,
  );
  const rowsTop = top + 24;
  const rowsBottom = rowsTop + scenario.rows.length * ROW_PITCH;
  const grid = axis === undefined ? [] : axisMarkup(axis, rowsTop - 3, rowsBottom - 3);
  const rows = scenario.rows.map((row, r) => rowMarkup(scenario, row, axis, rowsTop + r * ROW_PITCH));
  const group = container('g', { class: 'scenario', 'data-scenario': scenario.id }, [title, ...grid, ...rows]);
  return { markup: group, next: rowsBottom + 32 };
}

/** The swatch and name of each side, in one line at `top`. */
function legendMarkup(top: number): string {
  const entryWidth = (WIDTH - 2 * MARGIN) / LEGEND_SIDES.length;
  const entries = LEGEND_SIDES.map((side, s) => {
    const x = MARGIN + s * entryWidth;
    return (
      element('rect', { x, y: top, width: 12, height: 12, fill: SIDE_COLOURS[side] }) +
      textElement({ x: x + 18, y: top + 10 }, LEGEND_NAMES[side])
    );
  });
  return container('g', { class: 'legend' }, entries);
}

/**
 * The chart of every scenario's median rates as a standalone SVG document (starts with `<svg`, 900 px wide).
 * Rows without samples get no bar, only their note (`skipped: python3 not found`) or `no samples`.
 *
 * @example
 * writeFileSync('docs/benchmarks.svg', renderChart(results));
 */
export function renderChart(results: BenchResults): string {
  const heading = '@ipc benchmarks: median rate of each row, higher is better';
  const subheading = `${results.date}, ${results.mode} mode, ${results.repetitions} runs per row, Node ${results.machine.node}, ${results.machine.cores} cores`;
  const parts = [
    element('title', {}, [escapeXml(heading)]),
    element('rect', { width: WIDTH, height: '100%', fill: '#ffffff' }),
    textElement({ x: MARGIN, y: 26, 'font-size': 16, 'font-weight': 'bold' }, heading),
    textElement({ x: MARGIN, y: 46, fill: '#4b5563' }, subheading),
    legendMarkup(60),
  ];
  let top = 96;
  for (const scenario of results.scenarios) {
    const { markup, next } = scenarioMarkup(scenario, top);
    parts.push(markup);
    top = next;
  }
  const height = top - 16;
  const svg = container(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      width: WIDTH,
      height,
      viewBox: `0 0 ${WIDTH} ${height}`,
      role: 'img',
      'font-family': FONT_FAMILY,
      'font-size': 12,
      fill: '#111827',
    },
    parts,
  );
  return `${svg}\n`;
}
