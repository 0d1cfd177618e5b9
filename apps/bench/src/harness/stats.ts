/** Summaries of repeated measurements; undefined when there is none (a failed or skipped row). */

/** The median: the middle value, or the mean of the two middle ones of an even count. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const upper = sorted[sorted.length >> 1] as number;
  return sorted.length % 2 === 1 ? upper : (upper + (sorted[(sorted.length >> 1) - 1] as number)) / 2;
}

/** The smallest value (the best time). */
export function best(values: readonly number[]): number | undefined {
  return values.length === 0 ? undefined : Math.min(...values);
}
