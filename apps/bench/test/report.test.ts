import { describe, expect, it } from 'vitest';
import { renderChart, SIDE_COLOURS } from '../src/report/chart.ts';
import { relativeSpread } from '../src/report/comparison.ts';
import {
  formatDuration,
  formatMultiple,
  formatPercent,
  formatRate,
  formatRatio,
  formatSpread,
} from '../src/report/format.ts';
import { renderMarkdown } from '../src/report/markdown.ts';
import { formatReached, targetStatus } from '../src/report/target-status.ts';
import { renderTerminal } from '../src/report/terminal.ts';
import type { BenchResults } from '../src/results.ts';
import { results } from './fixtures/bench-results.ts';

/** The lines of `text` from the first one containing `start` on, up to (not including) the next blank line. */
function block(text: string, start: string): string[] {
  const lines = text.split('\n');
  const first = lines.findIndex((line) => line.includes(start));
  expect(first, `no line contains ${start}`).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((line, l) => l > first && line === '');
  return lines.slice(first, end === -1 ? undefined : end);
}

/** The only line of `lines` that contains `needle`. */
function lineWith(lines: readonly string[], needle: string): string {
  const found = lines.filter((line) => line.includes(needle));
  expect(found, `lines containing ${needle}`).toHaveLength(1);
  return found[0] ?? '';
}

/** The cells of a markdown table line, split on unescaped `|`. */
function markdownCells(line: string): string[] {
  return line
    .split(/(?<!\\)\|/)
    .slice(1, -1)
    .map((cell) => cell.trim());
}

/** The markup of the chart group of scenario `id`. */
function chartGroup(svg: string, id: string): string {
  const match = svg.match(new RegExp(`<g class="scenario" data-scenario="${id}">([\\s\\S]*?)</g>`));
  expect(match, `group ${id}`).not.toBeNull();
  return match?.[1] ?? '';
}

/** `{ side, width }` of each bar of a chart group, in document order. */
function bars(group: string): { side: string; width: number }[] {
  return [...group.matchAll(/<rect class="bar (\w+)"[^>]*? width="([\d.]+)"/g)].map((match) => ({
    side: match[1] ?? '',
    width: Number(match[2]),
  }));
}

describe('formatters', () => {
  it('formats rates with a metric suffix and three significant digits', () => {
    expect(formatRate(1_234_567)).toBe('1.23M');
    expect(formatRate(456_000)).toBe('456k');
    expect(formatRate(789)).toBe('789');
    expect(formatRate(1000)).toBe('1.00k');
    expect(formatRate(2.5e9)).toBe('2.50G');
    expect(formatRate(0.5)).toBe('0.500');
    expect(formatRate(0)).toBe('0');
  });

  it('rounds a rate before choosing its suffix', () => {
    expect(formatRate(999.6)).toBe('1.00k');
    expect(formatRate(999_999)).toBe('1.00M');
    expect(formatRate(999_499)).toBe('999k');
  });

  it('shows a missing or non-finite rate as -', () => {
    expect(formatRate(undefined)).toBe('-');
    expect(formatRate(Number.NaN)).toBe('-');
    expect(formatRate(Number.POSITIVE_INFINITY)).toBe('-');
  });

  it('formats ratios by magnitude, never in exponent notation', () => {
    expect(formatRatio(1.234, 1)).toBe('1.23×');
    expect(formatRatio(12.34, 1)).toBe('12.3×');
    expect(formatRatio(123.4, 1)).toBe('123×');
    expect(formatRatio(1234.4, 1)).toBe('1234×');
    expect(formatRatio(0.042, 1)).toBe('0.042×');
    expect(formatRatio(99.96, 1)).toBe('100×');
    expect(formatMultiple(1.2e-7)).toBe('0.00000012×');
  });

  it('shows a ratio as - when either side is missing or the baseline is zero', () => {
    expect(formatRatio(undefined, 5)).toBe('-');
    expect(formatRatio(5, undefined)).toBe('-');
    expect(formatRatio(5, 0)).toBe('-');
    expect(formatMultiple(undefined)).toBe('-');
  });

  it('formats percentages and spreads', () => {
    expect(formatPercent(0.973)).toBe('97%');
    expect(formatPercent(undefined)).toBe('-');
    expect(formatSpread(0.042)).toBe('±4.2%');
    expect(formatSpread(0.12)).toBe('±12%');
    expect(formatSpread(0)).toBe('±0.0%');
    expect(formatSpread(undefined)).toBe('-');
  });

  it('formats durations in seconds, with minutes from one minute up', () => {
    expect(formatDuration(45_400)).toBe('45 s');
    expect(formatDuration(192_000)).toBe('3 min 12 s');
  });

  it('takes the spread as half the range over the median, and none from a single sample', () => {
    expect(relativeSpread({ side: 'ipc', label: 'x', samples: [90, 100, 110], median: 100, min: 90, max: 110 })).toBe(
      0.1,
    );
    expect(relativeSpread({ side: 'ipc', label: 'x', samples: [100], median: 100, min: 100, max: 100 })).toBe(
      undefined,
    );
    expect(relativeSpread({ side: 'cpython', label: 'x', samples: [] })).toBe(undefined);
  });
});

describe('renderTerminal', () => {
  const text = renderTerminal(results);
  const queue = block(text, 'Queue 1 producer');
  const pipe = block(text, 'Pipe ping-pong');
  const manager = block(text, 'Manager dict');

  it('describes the machine and the run first', () => {
    const header = block(text, '@ipc benchmarks');
    for (const fact of [
      '2025-06-01T12:00:00.000Z',
      'full, 3 repetitions per row, 3 min 12 s in all',
      'v20.20.2',
      'Python 3.11.2',
      'AMD EPYC 7B13, 2 cores',
      '7.8 GiB',
      'linux x64',
      '97%',
      '3% of all CPU time during the run',
    ]) {
      expect(header.join('\n')).toContain(fact);
    }
  });

  it("prints an @ipc row's median, spread, runs and ratio against each baseline", () => {
    const cells = lineWith(queue, '@ipc Queue putSync/getSync').split(/\s{2,}/);
    expect(cells).toEqual(['@ipc Queue putSync/getSync', '1.50M msg/s', '±6.7%', '3/3', '10.0×', '3.00×', '0.83×']);
    const pipeCells = lineWith(pipe, '@ipc Pipe').split(/\s{2,}/);
    expect(pipeCells.slice(-3)).toEqual(['14.0×', '7.78×', '0.39×']);
  });

  it('prints - in the ratio columns of baseline rows', () => {
    for (const label of ['CPython 3.11 multiprocessing.Queue', 'Node postMessage', 'raw SPSC ring']) {
      expect(
        lineWith(queue, label)
          .split(/\s{2,}/)
          .slice(-3),
      ).toEqual(['-', '-', '-']);
    }
  });

  it('says whether each target was met, MISSED or not measured', () => {
    expect(
      lineWith(queue, '≥ 10× CPython')
        .trim()
        .split(/\s{2,}/),
    ).toEqual(['met', '≥ 10× CPython', 'reached 10.0×']);
    expect(
      lineWith(pipe, '≥ 400k/s')
        .trim()
        .split(/\s{2,}/),
    ).toEqual(['MISSED', '≥ 400k/s', 'reached 350k round trips/s']);
    expect(
      lineWith(manager, '≥ 5× CPython')
        .trim()
        .split(/\s{2,}/),
    ).toEqual(['not measured', '≥ 5× CPython']);
  });

  it('ends with the tally of targets, naming the missed one', () => {
    const tally = block(text, 'targets: 2 met');
    expect(tally).toEqual([
      'targets: 2 met, 1 MISSED, 1 not measured',
      '  MISSED  Pipe ping-pong round trips: ≥ 400k/s, reached 350k round trips/s',
    ]);
    expect(text.endsWith('round trips/s\n')).toBe(true);
  });

  it("shows a row without samples with '-' and its note as a footnote", () => {
    const cells = lineWith(manager, 'CPython 3.11 Manager').split(/\s{2,}/);
    expect(cells).toEqual(['CPython 3.11 Manager().dict() (fork) [2]', '-', '-', '0/3', '-', '-', '-']);
    expect(manager).toContain('[2] skipped: python3 not found');
    expect(manager).toContain('[1] 1 run failed its checks');
    expect(lineWith(manager, '@ipc Manager').split(/\s{2,}/)).toEqual([
      '@ipc Manager dict proxy [1]',
      '100k iterations/s',
      '±2.5%',
      '2/3',
      '-',
      '-',
      '-',
    ]);
  });

  it('fits in 120 columns', () => {
    for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(120);
  });
});

describe('renderMarkdown', () => {
  const markdown = renderMarkdown(results, 'benchmarks.svg');
  const tableLines = markdown.split('\n').filter((line) => line.startsWith('|'));

  it('says the page is generated and how to reproduce it', () => {
    expect(markdown.startsWith('# Benchmarks\n')).toBe(true);
    expect(markdown).toContain('generated by `pnpm bench`');
    expect(markdown).toContain('do not edit it by hand');
    expect(markdown).toContain('`pnpm bench --quick`');
    expect(markdown).toContain('- date: 2025-06-01T12:00:00.000Z');
    expect(markdown).toContain('- cpu: AMD EPYC 7B13, 2 cores');
  });

  it('links the chart', () => {
    expect(markdown).toMatch(/!\[[^\]]+\]\(benchmarks\.svg\)/);
  });

  it('says under each scenario what its sides do', () => {
    const [first] = results.scenarios;
    expect(markdown).toContain(`### ${first?.title}\n\n${first?.about} Unit: ${first?.unit}.`);
  });

  it('gives every row its median, spread, runs and ratios', () => {
    expect(markdownCells(lineWith(tableLines, '@ipc Queue'))).toEqual([
      '@ipc Queue putSync/getSync',
      '1.50M msg/s',
      '±6.7%',
      '3/3',
      '10.0×',
      '3.00×',
      '0.83×',
    ]);
    expect(markdownCells(lineWith(tableLines, 'CPython 3.11 Pipe')).slice(-3)).toEqual(['-', '-', '-']);
  });

  it('marks missed targets in bold and names them in the summary', () => {
    expect(markdownCells(lineWith(tableLines, '≥ 400k/s'))).toEqual(['≥ 400k/s', '350k round trips/s', '**MISSED**']);
    expect(markdownCells(lineWith(tableLines, '≥ 10× CPython'))).toEqual(['≥ 10× CPython', '10.0×', 'met']);
    expect(markdownCells(lineWith(tableLines, '≥ 5× CPython'))).toEqual(['≥ 5× CPython', '-', 'not measured']);
    expect(markdown).toContain('2 met, 1 MISSED, 1 not measured');
    expect(markdown).toContain('- **MISSED**: Pipe ping-pong round trips: ≥ 400k/s, reached 350k round trips/s');
  });

  it('shows notes in a note column', () => {
    expect(markdownCells(lineWith(tableLines, 'CPython 3.11 Manager'))).toEqual([
      'CPython 3.11 Manager().dict() (fork)',
      '-',
      '-',
      '0/3',
      '-',
      '-',
      '-',
      'skipped: python3 not found',
    ]);
  });

  it('escapes markdown and HTML in labels', () => {
    expect(markdown).toContain('| @ipc Pipe &lt;send&amp;recv&gt; |');
    expect(markdown).not.toContain('<send');
  });

  it('keeps the same number of cells on every line of a table', () => {
    const tables = markdown.split('\n\n').filter((part) => part.startsWith('|'));
    expect(tables).toHaveLength(6);
    for (const table of tables) {
      const widths = table.split('\n').map((line) => markdownCells(line).length);
      expect(new Set(widths).size, table).toBe(1);
    }
  });

  it('explains the method', () => {
    const method = markdown.slice(markdown.indexOf('## How it is measured'));
    for (const point of [
      'same payloads',
      'warm-up',
      'not\n  counted',
      'fork on Linux',
      'same\n  run',
      '(max − min) / 2 / median',
    ]) {
      expect(method).toContain(point);
    }
  });
});

describe('renderChart', () => {
  const svg = renderChart(results);

  it('is a standalone, balanced SVG document', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.endsWith('</svg>\n')).toBe(true);
    const open: string[] = [];
    for (const [tag, closing, name, selfClosing] of svg.matchAll(/<(\/?)([a-zA-Z]+)[^<>]*?(\/?)>/g)) {
      if (selfClosing) continue;
      if (closing) expect(open.pop(), tag).toBe(name);
      else open.push(name ?? '');
    }
    expect(open).toEqual([]);
    expect(svg).not.toMatch(/<(script|link|style|image)\b/);
    expect(svg).not.toContain('NaN');
  });

  it('escapes XML specials in labels', () => {
    expect(svg).toContain('@ipc Pipe &lt;send&amp;recv&gt;');
    expect(svg.replace(/<[^<>]*>/g, '')).not.toMatch(/&(?!(amp|lt|gt|quot|apos);)|[<>]/);
  });

  it('draws one bar per measured row, longer for higher rates', () => {
    for (const scenario of results.scenarios) {
      const drawn = bars(chartGroup(svg, scenario.id));
      const measured = scenario.rows.filter((row) => row.median !== undefined);
      expect(drawn.map((bar) => bar.side)).toEqual(measured.map((row) => row.side));
      for (const bar of drawn) expect(bar.width).toBeGreaterThan(0);
      const byRate = [...measured.keys()].sort((a, b) => (measured[a]?.median ?? 0) - (measured[b]?.median ?? 0));
      const byWidth = [...drawn.keys()].sort((a, b) => (drawn[a]?.width ?? 0) - (drawn[b]?.width ?? 0));
      expect(byWidth).toEqual(byRate);
    }
  });

  it('labels every bar with its median and unit', () => {
    const queue = chartGroup(svg, 'queue-1p1c');
    for (const value of ['1.50M msg/s', '150k msg/s', '500k msg/s', '1.80M msg/s'])
      expect(queue).toContain(`>${value}<`);
  });

  it('colours bars by side', () => {
    for (const side of ['ipc', 'cpython', 'postMessage', 'floor'] as const) {
      expect(svg).toMatch(new RegExp(`<rect class="bar ${side}"[^>]*fill="${SIDE_COLOURS[side]}"`));
    }
  });

  it('gives a skipped row its note instead of a bar', () => {
    const manager = chartGroup(svg, 'manager-dict');
    expect(bars(manager).map((bar) => bar.side)).toEqual(['ipc']);
    expect(manager).toContain('>skipped: python3 not found<');
  });

  it('keeps bars visible and finite at exact powers of ten and draws none when nothing was measured', () => {
    const edges: BenchResults = {
      ...results,
      scenarios: [
        {
          id: 'decades',
          title: 'Exact powers of ten',
          unit: 'starts/s',
          workload: '10 starts per run',
          about: 'What the sides do.',
          rows: [
            { side: 'ipc', label: 'a', samples: [1000], median: 1000, min: 1000, max: 1000 },
            { side: 'floor', label: 'b', samples: [10], median: 10, min: 10, max: 10 },
          ],
          targets: [],
        },
        {
          id: 'nothing',
          title: 'Nothing measured',
          unit: 'msg/s',
          workload: '1 message per run',
          about: 'What the sides do.',
          rows: [{ side: 'ipc', label: 'c', samples: [], note: 'failed: worker exited' }],
          targets: [],
        },
      ],
    };
    const chart = renderChart(edges);
    const widths = bars(chartGroup(chart, 'decades')).map((bar) => bar.width);
    expect(widths).toHaveLength(2);
    expect(widths[0]).toBeGreaterThan(widths[1] ?? Number.POSITIVE_INFINITY);
    expect(widths[1]).toBeGreaterThan(0);
    expect(chartGroup(chart, 'decades')).toContain('>1k<');
    expect(bars(chartGroup(chart, 'nothing'))).toEqual([]);
    expect(chartGroup(chart, 'nothing')).toContain('>failed: worker exited<');
    expect(chart).not.toMatch(/NaN|Infinity/);
  });

  it('is deterministic', () => {
    const copy: BenchResults = structuredClone(results);
    expect(renderChart(copy)).toBe(svg);
  });
});

describe('targetStatus', () => {
  const target = { kind: 'ratio', baseline: 'cpython', ratio: 10 } as const;

  it('is MISSED for an @ipc row that failed its checks, though nothing was reached', () => {
    const failed = { target, text: '≥ 10× CPython', met: false };
    expect([targetStatus(failed), formatReached(failed, 'msg/s')]).toEqual(['MISSED', '-']);
  });

  it('is not measured without a verdict', () => {
    expect(targetStatus({ target, text: '≥ 10× CPython' })).toBe('not measured');
  });
});

describe('a quick run', () => {
  it('says its verdicts are indicative only', () => {
    expect(renderTerminal({ ...results, mode: 'quick' })).toContain('judge targets on a full run');
    expect(renderTerminal(results)).not.toContain('judge targets on a full run');
  });
});
