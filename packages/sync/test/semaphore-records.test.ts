/**
 * The holder records of a robust semaphore, driven directly through its algorithm (src/semaphore), with
 * made-up tokens of threads that never lived (so `isThreadAlive` says they are dead).
 */
import { currentThreadToken } from '@ipc/core';
import { describe, expect, it } from 'vitest';
import {
  HOLDER_SLOTS,
  HolderSlot,
  Journal,
  NO_SLOT,
  SEMAPHORE_WORDS,
  SemaphoreLayout,
} from '../src/semaphore/layout.ts';
import { reclaimDeadHolder, returnPermits, tryTakeRecorded } from '../src/semaphore/semaphore-algorithm.ts';

function semaphoreWords(value: number): Int32Array {
  const i32 = new Int32Array(new SharedArrayBuffer(SEMAPHORE_WORDS * 4));
  i32[SemaphoreLayout.VALUE_INDEX] = value;
  i32[SemaphoreLayout.ROBUST_INDEX] = 1;
  return i32;
}

function recordsOf(i32: Int32Array, token: number): number[] {
  const counts: number[] = [];
  for (let index = 0; index < HOLDER_SLOTS; index++) {
    const slot = SemaphoreLayout.FIRST_SLOT_INDEX + index * 2;
    if (i32[slot + HolderSlot.TOKEN] === token) counts.push(i32[slot + HolderSlot.COUNT] ?? 0);
  }
  return counts;
}

describe('robust semaphore holder records', () => {
  it('keep one record per thread, even after its home slot was freed by a dead holder', () => {
    const me = currentThreadToken();
    const ghost = me + HOLDER_SLOTS; // same home slot, never alive
    const i32 = semaphoreWords(3);
    // The ghost holds one permit in my home slot.
    expect(tryTakeRecorded(i32, ghost, NO_SLOT)).not.toBeUndefined();
    // I take one: recorded elsewhere. The ghost's permit comes back to me; then I take another.
    expect(tryTakeRecorded(i32, me, NO_SLOT)).not.toBeUndefined();
    expect(reclaimDeadHolder(i32, me, NO_SLOT)).toBe(true);
    expect(tryTakeRecorded(i32, me, NO_SLOT)).not.toBeUndefined();
    expect(recordsOf(i32, me)).toEqual([3]);
    expect(i32[SemaphoreLayout.VALUE_INDEX]).toBe(0);
    // Releasing all three leaves nothing recorded: my ending would return nothing more.
    expect(returnPermits(i32, me, 3, -1, true)).toBe(true);
    expect(recordsOf(i32, me)).toEqual([0]);
    expect(i32[SemaphoreLayout.VALUE_INDEX]).toBe(3);
  });

  it('roll back a change that a dead thread left half done when the next thread takes the guard', () => {
    const me = currentThreadToken();
    const ghost = me + 1;
    const i32 = semaphoreWords(1);
    // The ghost took the guard, journalled "VALUE 1, no record", stored VALUE 0, and died.
    i32[SemaphoreLayout.GUARD_INDEX] = ghost;
    i32[Journal.VALUE_BEFORE] = 1;
    i32[Journal.SLOT_A] = NO_SLOT;
    i32[Journal.SLOT_B] = NO_SLOT;
    i32[Journal.OPEN] = 1;
    i32[SemaphoreLayout.VALUE_INDEX] = 0;
    expect(tryTakeRecorded(i32, me, NO_SLOT)).toBeUndefined();
    // A waiter looking for dead holders takes the abandoned guard: the permit is back, and taken by it.
    expect(reclaimDeadHolder(i32, me, NO_SLOT)).toBe(false);
    expect(i32[SemaphoreLayout.VALUE_INDEX]).toBe(1);
    expect(tryTakeRecorded(i32, me, NO_SLOT)).not.toBeUndefined();
    expect(i32[SemaphoreLayout.GUARD_INDEX]).toBe(0);
  });
});
