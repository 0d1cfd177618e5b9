/**
 * The entry-table protocol (layout.ts) of LifoQueue and PriorityQueue: every change under one robust guard,
 * committed by one store of COUNT, journalled so that the next guard holder can undo a change whose thread
 * died before its commit. Messages live in heap blocks; a put allocates and fills its block before taking
 * the guard, so the guard is held for a few stores (and, for a get, one decode).
 */

import { enterGuard, type Heap, leaveGuard, type ThreadToken } from '@ipc/core';
import { type Decoder, EMPTY, FULL, SHUT } from '../protocol.ts';
import { OPEN } from '../shutdown.ts';
import { ENTRY_WORDS, Entry, TableJournal, TableLayout } from './layout.ts';

/** A table's memory, as the protocol sees it. */
export interface TableView {
  readonly words: Int32Array;
  /** The same memory as Float64, for the entries' keys. */
  readonly floats: Float64Array;
  readonly capacity: number;
  readonly heap: Heap;
}

/** Which entry a get takes: the last one put (LIFO), or the lowest key, oldest first among equals. */
export type Pick = 'last' | 'lowest';

function entryAt(index: number): number {
  return TableLayout.FIRST_ENTRY_INDEX + index * ENTRY_WORDS;
}

/** Messages in the table now (a snapshot). */
export function tableCount(words: Int32Array): number {
  return Atomics.load(words, TableLayout.COUNT_INDEX);
}

/** Undoes the change of a guard holder that died before its commit (COUNT still equals COUNT_BEFORE). */
function rollBack(view: TableView): void {
  const { words } = view;
  if (Atomics.load(words, TableJournal.OPEN) !== 1) return;
  const before = Atomics.load(words, TableJournal.COUNT_BEFORE);
  const count = Atomics.load(words, TableLayout.COUNT_INDEX);
  if (count === before) {
    const index = Atomics.load(words, TableJournal.INDEX);
    if (index >= 0) {
      // A get that did not commit: put the entry it removed back where it was.
      const entry = entryAt(index);
      for (let w = 0; w < ENTRY_WORDS; w++)
        Atomics.store(words, entry + w, Atomics.load(words, TableJournal.ENTRY + w));
    } else {
      // A put that did not commit: its block is garbage.
      const block = Atomics.load(words, entryAt(before) + Entry.BLOCK);
      if (block !== 0) view.heap.release(block);
    }
  }
  Atomics.store(words, TableJournal.OPEN, 0);
}

function enter(view: TableView, token: ThreadToken): void {
  if (enterGuard(view.words, TableLayout.GUARD_INDEX, token)) rollBack(view);
}

/**
 * Adds the message in heap block `block` (`length` bytes) with priority `key`, or returns FULL (the
 * caller keeps the block). Wakes one parked getter.
 */
export function tablePut(
  view: TableView,
  token: ThreadToken,
  block: number,
  length: number,
  key: number,
  maxsize: number,
): typeof FULL | typeof SHUT | undefined {
  const { words } = view;
  const limit = maxsize > 0 ? Math.min(maxsize, view.capacity) : view.capacity;
  if (tableCount(words) >= limit) return FULL;
  enter(view, token);
  try {
    if (Atomics.load(words, TableLayout.SHUTDOWN_INDEX) !== OPEN) return SHUT;
    const count = Atomics.load(words, TableLayout.COUNT_INDEX);
    if (count >= limit) return FULL;
    Atomics.store(words, TableJournal.COUNT_BEFORE, count);
    Atomics.store(words, TableJournal.INDEX, -1);
    const entry = entryAt(count);
    // Cleared first, so that a rollback before the BLOCK store frees nothing that is not ours.
    Atomics.store(words, entry + Entry.BLOCK, 0);
    Atomics.store(words, TableJournal.OPEN, 1);
    Atomics.store(words, entry + Entry.BLOCK, block);
    Atomics.store(words, entry + Entry.LENGTH, length);
    const seq = Atomics.load(words, TableLayout.NEXT_SEQ_INDEX);
    Atomics.store(words, entry + Entry.SEQ, seq);
    Atomics.store(words, TableLayout.NEXT_SEQ_INDEX, (seq + 1) | 0);
    view.floats[(entry + Entry.KEY) / 2] = key;
    // The commit.
    Atomics.store(words, TableLayout.COUNT_INDEX, count + 1);
    Atomics.store(words, TableJournal.OPEN, 0);
    Atomics.add(words, TableLayout.PUTS_INDEX, 1);
  } finally {
    leaveGuard(words, TableLayout.GUARD_INDEX);
  }
  if (Atomics.load(words, TableLayout.GETTERS_INDEX) > 0) Atomics.notify(words, TableLayout.PUTS_INDEX, 1);
  return undefined;
}

/** The index of the entry to take: the last, or the lowest key (lowest sequence among equal keys). */
function pickIndex(view: TableView, count: number, pick: Pick): number {
  if (pick === 'last') return count - 1;
  const { words, floats } = view;
  let best = 0;
  for (let index = 1; index < count; index++) {
    const entry = entryAt(index);
    const bestEntry = entryAt(best);
    const key = floats[(entry + Entry.KEY) / 2] ?? 0;
    const bestKey = floats[(bestEntry + Entry.KEY) / 2] ?? 0;
    const earlier = ((Atomics.load(words, entry + Entry.SEQ) - Atomics.load(words, bestEntry + Entry.SEQ)) | 0) < 0;
    if (key < bestKey || (key === bestKey && earlier)) best = index;
  }
  return best;
}

/**
 * Takes one message (per `pick`) and returns `decode` of its bytes, or EMPTY. A message that fails to
 * decode is taken all the same, and the error thrown. Wakes the parked putters.
 */
export function tableGet<T>(view: TableView, token: ThreadToken, pick: Pick, decode: Decoder<T>): T | typeof EMPTY {
  const { words } = view;
  if (tableCount(words) === 0) return EMPTY;
  enter(view, token);
  let block = 0;
  let decoded: { value: T } | { error: unknown };
  try {
    const count = Atomics.load(words, TableLayout.COUNT_INDEX);
    if (count === 0) return EMPTY;
    const index = pickIndex(view, count, pick);
    const entry = entryAt(index);
    Atomics.store(words, TableJournal.COUNT_BEFORE, count);
    Atomics.store(words, TableJournal.INDEX, index);
    for (let w = 0; w < ENTRY_WORDS; w++) Atomics.store(words, TableJournal.ENTRY + w, Atomics.load(words, entry + w));
    Atomics.store(words, TableJournal.OPEN, 1);
    block = Atomics.load(words, entry + Entry.BLOCK);
    try {
      const length = Atomics.load(words, entry + Entry.LENGTH);
      decoded = { value: decode(new Uint8Array(view.heap.buffer, block, length), 0, length) };
    } catch (error) {
      decoded = { error };
    }
    // The last entry fills the hole; then the commit.
    const last = entryAt(count - 1);
    if (last !== entry) {
      for (let w = 0; w < ENTRY_WORDS; w++) Atomics.store(words, entry + w, Atomics.load(words, last + w));
    }
    Atomics.store(words, TableLayout.COUNT_INDEX, count - 1);
    Atomics.store(words, TableJournal.OPEN, 0);
    Atomics.add(words, TableLayout.GETS_INDEX, 1);
  } finally {
    leaveGuard(words, TableLayout.GUARD_INDEX);
  }
  view.heap.release(block);
  if (Atomics.load(words, TableLayout.PUTTERS_INDEX) > 0) Atomics.notify(words, TableLayout.GETS_INDEX);
  if ('error' in decoded) throw decoded.error;
  return decoded.value;
}
