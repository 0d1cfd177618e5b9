import { describe, expect, it } from 'vitest';
import { Heap } from '../src/index.ts';
import { churnHeap } from './helpers/heap-churn.ts';

describe('the shared heap under concurrent allocation', () => {
  // Scenario: four threads allocate and free at once; no block is ever handed out twice.
  it('never hands one block to two threads (4 workers x 3000 operations, seeded)', async () => {
    const reports = await churnHeap(4, 3000, 20261123);
    for (const report of reports) {
      expect(report.heapId).toBe(Heap.current().id);
      expect(report.corrupt).toBe(0);
    }
  });
});
