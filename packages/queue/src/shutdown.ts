/**
 * The shutdown state every queue keeps in one shared word (Python 3.13's `Queue.shutdown`): it only moves
 * up, from open to draining (gets still drain what is queued) to immediate (gets fail at once).
 */

import { RING_OPEN } from '@ipc/core';

/** Open: no shutdown yet (core's ring refuses puts once its SHUTDOWN word is anything else). */
export const OPEN = RING_OPEN;
export const SHUTDOWN_DRAIN = 1;
export const SHUTDOWN_IMMEDIATE = 2;

/** Moves the shutdown word at `index` up to `level` (never down), then wakes every waiter of `wake`. */
export function raiseShutdown(words: Int32Array, index: number, level: number, wake: readonly number[]): void {
  let state = Atomics.load(words, index);
  while (state < level) {
    const found = Atomics.compareExchange(words, index, state, level);
    if (found === state) break;
    state = found;
  }
  // After the CAS: a waiter woken here sees the new state in its next attempt, and one parking after this
  // in its last look before the park (queue-base.ts, #parkWhileOpen): this notify may not find it parked.
  for (const word of wake) Atomics.notify(words, word);
}
