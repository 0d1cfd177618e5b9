/**
 * The entry-table protocol (layout.ts) of LifoQueue and PriorityQueue: entries kept in the order they are
 * taken (the next one last), every change under one robust guard and committed by one store of COUNT. A get
 * pops the last entry and needs no journal; a put that shifts entries to make room journals the shift, so that
 * the next guard holder can undo it if its thread died before the commit. Messages live in heap blocks; a put
 * allocates and fills its block before taking the guard.
 */

import { enterGuard, type Heap, leaveGuard, type ThreadToken } from '@ipc/core';
import { type Decoder, EMPTY, FULL, SHUT } from '../protocol.ts';
import { OPEN } from '../shutdown.ts';
import { Entry, entryAt, InsertJournal, TableLayout, TakeJournal } from './layout.ts';

/** A table's memory, as the protocol sees it. */
export interface TableView {
  readonly words: Int32Array;
  /** The same memory as Float64, for the entries' keys. */
  readonly floats: Float64Array;
  /** The whole heap as bytes, where the messages' blocks are. */
  readonly bytes: Uint8Array;
  readonly capacity: number;
  readonly heap: Heap;
}

/**
 * True when the queued message encoded at `source[start..end)` comes out after the one being put (a
 * PriorityQueue's `compare`, over the decoded message). It may throw: the put then fails, nothing changed.
 */
export type ComesAfter = (source: Uint8Array, start: number, end: number) => boolean;

/** Where a put's entry goes (layout.ts, ORDER): on top, by a number priority, or by a comparison. */
export type Placement =
  | { readonly by: 'top' }
  | { readonly by: 'key'; readonly key: number }
  | { readonly by: 'compare'; readonly comesAfter: ComesAfter };

/** LifoQueue's placement: every put goes on top. */
export const ON_TOP: Placement = { by: 'top' };

/** Messages in the table now (a snapshot). */
export function tableCount(words: Int32Array): number {
  return Atomics.load(words, TableLayout.COUNT_INDEX);
}

/**
 * Undoes the put of a guard holder that died before its commit (layout.ts, ROLLBACK). Called only by the
 * thread that took the guard over, before it does anything else (exported for the tests, which stop it
 * halfway).
 */
export function rollBack(view: TableView): void {
  const { words } = view;
  if (Atomics.load(words, InsertJournal.OPEN) !== 1) return;
  const before = Atomics.load(words, InsertJournal.COUNT_BEFORE);
  // COUNT = COUNT_BEFORE + 1: the put committed (it died before closing its journal); nothing to undo.
  if (Atomics.load(words, TableLayout.COUNT_INDEX) === before) {
    const index = Atomics.load(words, InsertJournal.INDEX);
    // SEQs are unique, and slot COUNT held the new SEQ before the journal opened: entry[index + 1] has the SEQ
    // that entry[index] had only if the shift happened. Shifting back also drops the new entry, if written.
    if (
      index < before &&
      Atomics.load(words, entryAt(index + 1) + Entry.SEQ) === Atomics.load(words, InsertJournal.OLD_SEQ)
    ) {
      words.copyWithin(entryAt(index), entryAt(index + 1), entryAt(before + 1));
    }
    const block = Atomics.load(words, InsertJournal.BLOCK) >>> 0;
    // Cleared before the release: a rollback that dies in between is rolled back again, and must not release
    // the block a second time (a leak is the lesser harm).
    Atomics.store(words, InsertJournal.BLOCK, 0);
    if (block !== 0) view.heap.release(block);
  }
  Atomics.store(words, InsertJournal.OPEN, 0);
}

/**
 * Finishes the get of a guard holder that died between its take journal and its block's release (layout.ts,
 * ORDER): releases the block if the get committed. Claimed first: a replay that dies never releases it twice.
 */
function finishTake(view: TableView): void {
  const { words } = view;
  const block = Atomics.load(words, TakeJournal.BLOCK) >>> 0;
  if (block === 0) return;
  Atomics.store(words, TakeJournal.BLOCK, 0);
  if (Atomics.load(words, TableLayout.COUNT_INDEX) === Atomics.load(words, TakeJournal.COUNT_AFTER)) {
    view.heap.release(block);
  }
}

function enter(view: TableView, token: ThreadToken): void {
  if (enterGuard(view.words, TableLayout.GUARD_INDEX, token)) {
    rollBack(view);
    finishTake(view);
  }
}

/**
 * Returns once no put is between its shutdown check and its commit (an immediate shutdown's wait, shutdown.ts):
 * takes the guard and gives it back. Unlike a bare enter and leave, it rolls back a dead holder's put, whose
 * journal no later holder would replay once the guard is free again.
 */
export function tableSettle(view: TableView, token: ThreadToken): void {
  enter(view, token);
  leaveGuard(view.words, TableLayout.GUARD_INDEX);
}

/** p: the number of entries that come out after the new one (they are at the front: a binary search). */
function placeOf(view: TableView, count: number, placement: Placement): number {
  if (placement.by === 'top') return count;
  const { words, floats, bytes } = view;
  let low = 0;
  let high = count;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const entry = entryAt(middle);
    let after: boolean;
    if (placement.by === 'key') {
      // Strictly greater: an equal key that is already queued comes out before the new one (FIFO among ties).
      after = (floats[(entry + Entry.KEY) / 2] as number) > placement.key;
    } else {
      const block = Atomics.load(words, entry + Entry.BLOCK) >>> 0;
      after = placement.comesAfter(bytes, block, block + Atomics.load(words, entry + Entry.LENGTH));
    }
    if (after) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Adds the message in heap block `block` (`length` bytes) where `placement` says, or returns FULL or SHUT
 * (the caller keeps the block). Wakes one parked getter. Throws what `placement.comesAfter` throws, with the
 * table unchanged.
 */
export function tablePut(
  view: TableView,
  token: ThreadToken,
  block: number,
  length: number,
  placement: Placement,
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
    // Before any store: a comparison that throws leaves the table as it was.
    const index = placeOf(view, count, placement);
    // Step 1. The SEQ is used up before anything is written: a put that committed has always moved NEXT_SEQ
    // on, so no later put can give its SEQ to a second entry (the rollback's test relies on unique SEQs).
    const seq = Atomics.load(words, TableLayout.NEXT_SEQ_INDEX);
    Atomics.store(words, TableLayout.NEXT_SEQ_INDEX, (seq + 1) | 0);
    const shifts = index < count;
    // Step 2, before the journal opens: slot COUNT (beyond the end, count < limit ≤ CAPACITY) may hold a stale
    // copy of entry[count − 1] from an earlier shift back; with the new SEQ there, entry[index + 1].SEQ equals
    // OLD_SEQ only once the shift has happened.
    if (shifts) Atomics.store(words, entryAt(count) + Entry.SEQ, seq);
    // Step 3: the journal, then OPEN last, so that a rollback never reads a half-written journal.
    Atomics.store(words, InsertJournal.COUNT_BEFORE, count);
    Atomics.store(words, InsertJournal.INDEX, index);
    Atomics.store(words, InsertJournal.OLD_SEQ, shifts ? Atomics.load(words, entryAt(index) + Entry.SEQ) : seq);
    Atomics.store(words, InsertJournal.BLOCK, block);
    Atomics.store(words, InsertJournal.OPEN, 1);
    // Step 4: one builtin call, which a terminated thread does not stop halfway (no interrupt check inside).
    // Entry words move whole, the Float64 KEY words with them.
    if (shifts) words.copyWithin(entryAt(index + 1), entryAt(index), entryAt(count));
    // Step 5: the new entry, SEQ included (entry[index + 1] keeps OLD_SEQ: the rollback still sees the shift).
    const entry = entryAt(index);
    Atomics.store(words, entry + Entry.BLOCK, block);
    Atomics.store(words, entry + Entry.LENGTH, length);
    Atomics.store(words, entry + Entry.SEQ, seq);
    if (placement.by === 'key') view.floats[(entry + Entry.KEY) / 2] = placement.key;
    // Step 6, the commit: getters (under the guard) see the entry from here.
    Atomics.store(words, TableLayout.COUNT_INDEX, count + 1);
    // Step 7. A death before this store is seen as committed (COUNT ≠ COUNT_BEFORE): nothing undone.
    Atomics.store(words, InsertJournal.OPEN, 0);
    Atomics.add(words, TableLayout.PUTS_INDEX, 1);
  } finally {
    leaveGuard(words, TableLayout.GUARD_INDEX);
  }
  if (Atomics.load(words, TableLayout.GETTERS_INDEX) > 0) Atomics.notify(words, TableLayout.PUTS_INDEX, 1);
  return undefined;
}

/**
 * Takes the last entry's message and returns `decode` of its bytes, or EMPTY. A message that fails to decode
 * is taken all the same, and the error thrown. Wakes the parked putters.
 */
export function tableGet<T>(view: TableView, token: ThreadToken, decode: Decoder<T>): T | typeof EMPTY {
  const { words } = view;
  if (tableCount(words) === 0) return EMPTY;
  enter(view, token);
  let decoded: { value: T } | { error: unknown };
  try {
    const count = Atomics.load(words, TableLayout.COUNT_INDEX);
    if (count === 0) return EMPTY;
    const entry = entryAt(count - 1);
    const block = Atomics.load(words, entry + Entry.BLOCK) >>> 0;
    // Decoded before the commit: a get that dies while decoding has changed nothing, and the message stays.
    try {
      decoded = { value: decode(view.bytes, block, block + Atomics.load(words, entry + Entry.LENGTH)) };
    } catch (error) {
      decoded = { error };
    }
    // The take journal (layout.ts, ORDER): COUNT_AFTER before BLOCK, which says the journal is there.
    Atomics.store(words, TakeJournal.COUNT_AFTER, count - 1);
    Atomics.store(words, TakeJournal.BLOCK, block);
    // The commit. No entry moves.
    Atomics.store(words, TableLayout.COUNT_INDEX, count - 1);
    Atomics.add(words, TableLayout.GETS_INDEX, 1);
    // The block is no entry's any more: claimed, then given back, under the guard.
    Atomics.store(words, TakeJournal.BLOCK, 0);
    view.heap.release(block);
  } finally {
    leaveGuard(words, TableLayout.GUARD_INDEX);
  }
  if (Atomics.load(words, TableLayout.PUTTERS_INDEX) > 0) Atomics.notify(words, TableLayout.GETS_INDEX);
  if ('error' in decoded) throw decoded.error;
  return decoded.value;
}

/**
 * Gives back the message blocks a table owns, when its memory is freed (core's `releaseOwned`, called only
 * when no other thread can be using it).
 */
export function releaseTable(words: Int32Array, heap: Heap): void {
  const count = Atomics.load(words, TableLayout.COUNT_INDEX);
  for (let index = 0; index < count; index++) heap.release(Atomics.load(words, entryAt(index) + Entry.BLOCK) >>> 0);
}
