/** Summaries of repeated measurements; undefined when there is none (a failed or skipped row). */

/** The median (the upper one of an even count). */
export function median(values: readonly number[]): number | undefined {
  return [...values].sort((a, b) => a - b)[values.length >> 1];
}

/** The smallest value (the best time). */
export function best(values: readonly number[]): number | undefined {
  return values.length === 0 ? undefined : Math.min(...values);
}
