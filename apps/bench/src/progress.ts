/**
 * The progress line while the summary runs: which scenario, row and repetition, and the time so far. On a
 * terminal it rewrites one line on stderr; elsewhere (CI logs, pipes) it prints one line per scenario, so
 * that logs stay short.
 */

import type { RowSpec, Scenario } from './scenario.ts';

export interface Progress {
  /** Before each run. */
  step(scenario: Scenario, row: RowSpec, repetition: number): void;
  /** Clears the line before the report is printed. */
  done(): void;
}

/** A progress line on `stream`, counting `total` runs in all. */
export function progressLine(stream: NodeJS.WriteStream, total: number, repetitions: number): Progress {
  const started = performance.now();
  let runs = 0;
  let lastScenario = '';
  const elapsed = (): string => `${((performance.now() - started) / 1000).toFixed(0)} s`;
  return {
    step(scenario, row, repetition) {
      runs++;
      if (stream.isTTY) {
        const text = `[${runs}/${total}] ${scenario.id}, run ${repetition + 1}/${repetitions}: ${row.label} (${elapsed()})`;
        stream.write(`\r\x1b[K${text.slice(0, (stream.columns ?? 120) - 1)}`);
      } else if (scenario.id !== lastScenario) {
        stream.write(`[${runs}/${total}] ${scenario.id} (${elapsed()})\n`);
      }
      lastScenario = scenario.id;
    },
    done() {
      if (stream.isTTY) stream.write('\r\x1b[K');
    },
  };
}
