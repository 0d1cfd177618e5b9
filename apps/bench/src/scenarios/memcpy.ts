/**
 * The copy floor under a queue of large payloads: the two copies any shared-memory queue makes (into its
 * buffer, out to the receiver's own), by one thread with no synchronisation, through a buffer as large as the
 * queue's 16 in-flight payloads (so that, as in the queue, the copies go to memory, not only to cache).
 */

import { expectEqual } from '../harness/invalid-run.ts';

/** Payloads of `size` bytes per second, `count` of them after as many untimed, through `slots` slots. */
export function copyRate(size: number, count: number, slots: number): number {
  const source = new Uint8Array(size).map((_, b) => (b * 31) & 0xff);
  const ring = new Uint8Array(new SharedArrayBuffer(size * slots));
  const target = new Uint8Array(size);
  const copies = (n: number): void => {
    for (let i = 0; i < n; i++) {
      const slot = ring.subarray((i % slots) * size, ((i % slots) + 1) * size);
      slot.set(source);
      target.set(slot);
    }
  };
  copies(count);
  target.fill(0);
  const started = performance.now();
  copies(count);
  const ms = performance.now() - started;
  // Bytes whose pattern value is not 0 (what `target` was filled with before the timed part).
  for (const at of [1, (size >> 1) + 1, size - 1]) expectEqual(`byte ${at} copied`, target[at] ?? -1, source[at] ?? -2);
  return count / (ms / 1000);
}
