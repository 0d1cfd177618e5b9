/**
 * Found by a review: a producer terminated while it grows the ring (copying the queued records to the new
 * block, the longest part of a growth) leaks the new block, of up to 2 GiB: the growth's journal is opened
 * only after the copy. Real workers, terminated after a range of delays until one dies mid-growth; in a
 * file of its own, since it takes a few hundred MiB of heap.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Futex, Heap, SHARED_BLOCK } from '@ipc/core';
import { Process } from '@ipc/process';
import { Empty, Queue } from '@ipc/queue';
import { expect, it } from 'vitest';
import { HEADER_WORDS, QueueLayout } from '../src/ring/layout.ts';
import { GUARD_MS } from './helpers.ts';

const TARGETS = new URL('./fixtures/fault-targets.mjs', import.meta.url);
const MiB = 2 ** 20;

setFlagsFromString('--expose-gc');
/** Each try leaves a queue of ~100 MiB of shared memory: collected at once, its ring goes back to the heap. */
const gc = runInNewContext('gc') as () => void;

it('a producer terminated while growing the ring leaves no block behind', async () => {
  const heap = Heap.current();
  const top = () => (new Int32Array(heap.buffer, 0, 4)[2] as number) * 16;
  const alive = (block: number) => {
    try {
      heap.retain(block);
      heap.release(block);
      return true;
    } catch {
      return false;
    }
  };
  let conclusive = 0;
  for (let delay = 0; delay < 12 && conclusive < 2; delay += 0.5) {
    // The queues of earlier tries (a loaded machine makes many inconclusive ones) would fill the 4 GiB heap.
    gc();
    await new Promise((resolve) => setImmediate(resolve));
    const q = new Queue<Uint8Array>({ capacityBytes: 32 * MiB });
    const words = q[SHARED_BLOCK].int32(0, HEADER_WORDS);
    const ready = new Futex(0);
    // Two 15 MiB messages, then a third that does not fit: the ring grows, copying 30 MiB.
    const child = new Process({ target: { module: TARGETS, name: 'fillThenGrow' }, args: [q, 15 * MiB, 2, ready] });
    child.start();
    const end = performance.now() + GUARD_MS;
    while (ready.load() === 0) {
      if (performance.now() > end) throw new Error('guard: the producer did not fill the ring');
      await new Promise((resolve) => setImmediate(resolve));
    }
    const topBefore = top();
    const at = performance.now() + delay;
    while (performance.now() < at) {}
    child.terminate();
    await child.join(GUARD_MS);
    // Grown (committed), or not started: nothing to learn from this delay.
    const newBlock = topBefore + 16;
    if (top() === topBefore || words[QueueLayout.CAPACITY_INDEX] !== 32 * MiB) continue;
    conclusive++;
    // Died mid-growth: a get and a put take both guards over (and replay what the producer left).
    for (;;) {
      try {
        q.getNowait();
      } catch (error) {
        expect(error).toBeInstanceOf(Empty);
        break;
      }
    }
    q.putSync(new Uint8Array(8));
    expect(words[QueueLayout.CAPACITY_INDEX]).toBe(32 * MiB);
    expect(alive(newBlock)).toBe(false);
  }
  expect(conclusive).toBeGreaterThan(0);
}, 60_000);
