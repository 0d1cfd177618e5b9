/**
 * Found by a review: heap byte offsets (the ring's block, a spilled message's block) are kept in Int32 words,
 * and the heap is up to 4 GiB: a block above 2 GiB reads back negative. In a file of its own: it fills this
 * process's heap past 2 GiB (address space only: the filler is never touched).
 */
import { Heap, SHARED_BLOCK } from '@ipc/core';
import { describe, expect, it } from 'vitest';
import { Queue } from '../src/index.ts';
import { HEADER_WORDS, QueueLayout } from '../src/ring/layout.ts';

const heap = Heap.current();
// One block of the largest class (2 GiB): every fresh block after it lies above 2 GiB.
const filler = heap.allocate(2 ** 30 + 1, { zeroed: false });

function ringBlockWord(q: Queue<unknown>): number {
  return q[SHARED_BLOCK].int32(0, HEADER_WORDS)[QueueLayout.RING_BLOCK_INDEX] as number;
}

describe('heap offsets above 2 GiB', () => {
  it('a queue whose ring lies above 2 GiB puts and gets', () => {
    // A ring size no earlier block had: its block is fresh, so above the filler.
    const q = new Queue<string>({ capacityBytes: 2 ** 21 });
    expect(ringBlockWord(q)).toBeLessThan(0);
    q.putSync('above');
    expect(q.getSync()).toBe('above');
  });

  it('a spilled message whose block lies above 2 GiB comes back whole', () => {
    const q = new Queue<Uint8Array>({ capacityBytes: 1024 });
    const big = new Uint8Array(3 * 2 ** 20).fill(5);
    q.putSync(big);
    const got = q.getSync();
    expect(got.length).toBe(big.length);
    expect(got.every((b) => b === 5)).toBe(true);
  });

  it('a ring that grows into a block above 2 GiB keeps its messages', () => {
    const q = new Queue<string>({ capacityBytes: 1024 });
    const messages = Array.from({ length: 100 }, (_, i) => `message ${i} ${'y'.repeat(i)}`);
    for (const m of messages) q.putSync(m);
    expect(ringBlockWord(q)).toBeLessThan(0);
    for (const m of messages) expect(q.getSync()).toBe(m);
  });
});

it('(the filler is given back)', () => {
  heap.release(filler);
});
