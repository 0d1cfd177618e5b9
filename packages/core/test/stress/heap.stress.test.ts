import { describe, expect, it } from 'vitest';
import { churnHeap } from '../helpers/heap-churn.ts';

describe('stress: the shared heap', () => {
  it.each([1, 2, 3])(
    '8 workers x 20000 operations, seed %i',
    async (seed) => {
      const reports = await churnHeap(8, 20_000, seed, 50_000);
      expect(reports.map((r) => r.corrupt)).toEqual(new Array(8).fill(0));
    },
    60_000,
  );
});
