/**
 * The message ring protocol (layout.ts): records written by producers under the producer guard and read by
 * consumers under the consumer guard, each side committing with one store of its count. Michael & Scott's
 * two-lock queue ("Simple, Fast, and Practical Non-Blocking and Blocking Concurrent Queue Algorithms",
 * 1996) over a byte ring, with core's robust guards and a journal per side so that a thread terminated
 * mid-operation leaves nothing half done (design.md §6).
 *
 * Why the bytes need no Atomics: a producer writes them with plain stores before its PUT_COUNT store, and
 * a consumer reads them after it loaded that PUT_COUNT; sequentially consistent atomics order the plain
 * accesses around them (the memory model's synchronizes-with). The same holds for HEAD and GET_COUNT.
 *
 * Why some header words need no Atomics either: a word that only the holders of one guard write (TAIL's
 * reads, the SEEN words, a journal's first word, a side's own count when read by that side) is written and
 * read under that guard, and each holder takes the guard with a CAS that reads the previous holder's
 * release store, so everything the previous holder did happens-before what this one does (not so for a
 * takeover, whose CAS reads a dead holder's token: a replay reads and rewrites what it needs atomically).
 * CAPACITY and RING_BLOCK change only under both guards, or in a growth's replay by a thread that took one
 * guard over; the other side's takeover loads OPEN and enters the replay guard after it, which orders
 * them too. A journal's first word is read by
 * a replay only after it loaded that journal's COUNT_AFTER (an atomic store made after it), so it is
 * ordered too. What stays atomic: the guards, each journal's COUNT_AFTER, the words the other side reads
 * (and TAIL, which a replay may overwrite), the commits, the waiter counts and SHUTDOWN.
 *
 * Cost per message (what `pnpm bench` measures): an Atomics call is a builtin call on Node 20 (~8 ns), and
 * a cache line that the other core wrote costs a transfer (~100 ns here), so each side does only what the
 * protocol needs (guard, SHUTDOWN for a put, two journal stores, its position and its commit, the waiter
 * count), touches the other side's line only when its cached view says full or empty (layout.ts), and
 * allocates nothing.
 */

import { enterGuard, leaveGuard } from '../guard/guard.ts';
import type { Heap } from '../heap/heap.ts';
import type { ThreadToken } from '../liveness/table.ts';
import { checkCount } from '../wait/options.ts';
import {
  ConsumerJournal,
  GrowJournal,
  MAX_RING_BYTES,
  PAYLOAD_OFFSET,
  ProducerJournal,
  RING_OPEN,
  RingLayout,
  recordBytes,
  SPILL,
  WRAP,
} from './layout.ts';

/** A put found no room: `maxsize` messages queued, or a store that cannot grow further. */
export const RING_FULL = Symbol('full');
/** A put found the ring's SHUTDOWN word set (under its guard: no put commits after the owner's wait for puts). */
export const RING_SHUT = Symbol('shut');
/** A take found no message. */
export const RING_EMPTY = Symbol('empty');

/** How a take turns the bytes `source[start..end)` into a message (they are reused once it returns). */
export type Decoder<T> = (source: Uint8Array, start: number, end: number) => T;

/**
 * A ring's memory, as one thread sees it: the header words, and views of the ring block, which this
 * thread rebuilds when the ring has grown (CAPACITY changed: it only grows, so it tells).
 */
export interface RingView {
  /** The header words (layout.ts). */
  readonly words: Int32Array;
  /** The heap that holds the header, the ring and its spilled messages. */
  readonly heap: Heap;
  /** The ring's bytes, and the same memory as Int32 (records start 8-aligned). */
  bytes: Uint8Array;
  ints: Int32Array;
  capacity: number;
}

/** A message to put: its encoded length, and how to write its bytes where the ring says. */
export interface Payload {
  readonly length: number;
  /** Writes the `length` bytes at `target[offset..)`. Called under the producer guard: runs no user code. */
  writeTo(target: Uint8Array, offset: number): void;
}

/**
 * A ring size of at least `bytes` (64 bytes to 1 GiB), rounded up to a power of two: the byte counters wrap
 * at 2^32, and a position is a counter modulo the capacity, which stays right across the wrap only for a
 * divisor of 2^32 (layout.ts).
 *
 * @throws {RangeError}/{TypeError} naming `name` for a size out of range or not an integer.
 */
export function ringCapacity(bytes: unknown, name: string): number {
  return 2 ** Math.ceil(Math.log2(checkCount(bytes, name, 64, MAX_RING_BYTES)));
}

/**
 * Sets up a new ring in the zeroed header `words`: a ring block of `capacity` bytes (from `ringCapacity`) in
 * `heap`, and `maxsize` (0: no limit but memory). The ring is a block of its own, so that a growth can
 * replace it by a larger one.
 */
export function initRing(words: Int32Array, heap: Heap, capacity: number, maxsize: number): void {
  Atomics.store(words, RingLayout.MAXSIZE_INDEX, maxsize);
  Atomics.store(words, RingLayout.RING_BLOCK_INDEX, heap.allocate(capacity));
  Atomics.store(words, RingLayout.CAPACITY_INDEX, capacity);
}

/** A view of the ring whose header is `words`, in `heap`. */
export function ringView(words: Int32Array, heap: Heap): RingView {
  // Empty (capacity 0) until the first syncRing, under a guard: read outside one, CAPACITY and RING_BLOCK
  // may not agree (a growth between them, undone by a replay, would leave this view on a freed block with
  // the capacity of the ring kept, and syncRing would never rebuild it).
  return { words, heap, bytes: new Uint8Array(0), ints: new Int32Array(0), capacity: 0 };
}

/** With either guard held: rebuilds the views when the ring has grown (plain loads: see the top). */
function syncRing(view: RingView): void {
  const capacity = view.words[RingLayout.CAPACITY_INDEX] as number;
  // A heap offset (up to 4 GiB) in an Int32 word: read as uint32 (layout.ts).
  if (capacity !== view.capacity) rebuild(view, capacity, (view.words[RingLayout.RING_BLOCK_INDEX] as number) >>> 0);
}

function rebuild(view: RingView, capacity: number, block: number): void {
  view.bytes = new Uint8Array(view.heap.buffer, block, capacity);
  view.ints = new Int32Array(view.heap.buffer, block, capacity >> 2);
  view.capacity = capacity;
}

/**
 * Messages whose record could take over half the ring go to a heap block, so that any message fits however
 * full the ring ran before (a record and the unused end it may skip take less than twice the record).
 */
function isSpilled(capacity: number, length: number): boolean {
  return recordBytes(length, false) > capacity / 2;
}

/**
 * Messages in the ring now (a snapshot). GET_COUNT first: PUT_COUNT is never below it, so a count read
 * later is at least the one read first (the other order went negative when gets passed the PUT_COUNT read).
 */
export function ringMessageCount(words: Int32Array): number {
  const got = Atomics.load(words, RingLayout.GET_COUNT_INDEX);
  return (Atomics.load(words, RingLayout.PUT_COUNT_INDEX) - got) | 0;
}

/**
 * Replays the journal of a producer that died in the guard (layout.ts): undoes it unless it committed, and
 * closes it. The SEEN words are reloaded: the dead one may have left them from before a growth it made.
 */
function replayProducer(view: RingView): void {
  const { words } = view;
  const count = Atomics.load(words, RingLayout.PUT_COUNT_INDEX);
  if (count !== Atomics.load(words, ProducerJournal.COUNT_AFTER)) {
    Atomics.store(words, RingLayout.TAIL_INDEX, Atomics.load(words, ProducerJournal.TAIL_BEFORE));
    // Claimed before released: a replay that dies here is run again, and must not release it twice.
    releaseClaimed(view, ProducerJournal.SPILL);
    Atomics.store(words, ProducerJournal.COUNT_AFTER, count);
  }
  // A committed spill belongs to its message now; either way the next operation starts with none.
  Atomics.store(words, ProducerJournal.SPILL, 0);
  Atomics.store(words, RingLayout.SEEN_GET_COUNT_INDEX, Atomics.load(words, RingLayout.GET_COUNT_INDEX));
  Atomics.store(words, RingLayout.SEEN_HEAD_INDEX, Atomics.load(words, RingLayout.HEAD_INDEX));
}

/**
 * Replays the journal of a consumer that died in the guard (layout.ts): finishes it if HEAD moved, else
 * undoes it; closes it, and releases the heap block of a finished take.
 */
function replayConsumer(view: RingView): void {
  const { words } = view;
  const countAfter = Atomics.load(words, ConsumerJournal.COUNT_AFTER);
  if (Atomics.load(words, RingLayout.GET_COUNT_INDEX) !== countAfter) {
    if (Atomics.load(words, RingLayout.HEAD_INDEX) === Atomics.load(words, ConsumerJournal.HEAD_AFTER)) {
      Atomics.store(words, RingLayout.GET_COUNT_INDEX, countAfter);
    } else {
      // The message stays, with its block: SPILL cleared before the journal is closed, so that a replay
      // of this replay never takes the block for a finished take's.
      Atomics.store(words, ConsumerJournal.SPILL, 0);
      Atomics.store(words, ConsumerJournal.COUNT_AFTER, Atomics.load(words, RingLayout.GET_COUNT_INDEX));
    }
  }
  releaseClaimed(view, ConsumerJournal.SPILL);
  Atomics.store(words, RingLayout.SEEN_PUT_COUNT_INDEX, Atomics.load(words, RingLayout.PUT_COUNT_INDEX));
}

/**
 * Finishes or undoes the growth of a producer that died holding both guards: forward if it stored the new
 * CAPACITY, else backward. Of two threads taking a guard over at once (one per side), one replays and the
 * other waits in the replay guard; a replayer may die too, so the replay can be run again from any step:
 * its stores are of journalled values, and each block is claimed (its journal word zeroed) before it is
 * released, so that it is never released twice (a replayer dying between the two leaks that one block).
 */
function replayGrow(view: RingView, token: ThreadToken): void {
  const { words } = view;
  if (Atomics.load(words, GrowJournal.OPEN) === 0) return;
  enterGuard(words, GrowJournal.REPLAY_GUARD, token);
  try {
    if (Atomics.load(words, GrowJournal.OPEN) === 0) return;
    if (Atomics.load(words, RingLayout.CAPACITY_INDEX) === Atomics.load(words, GrowJournal.OLD_CAPACITY)) {
      Atomics.store(words, RingLayout.HEAD_INDEX, Atomics.load(words, GrowJournal.OLD_HEAD));
      Atomics.store(words, RingLayout.TAIL_INDEX, Atomics.load(words, GrowJournal.OLD_TAIL));
      Atomics.store(words, RingLayout.RING_BLOCK_INDEX, Atomics.load(words, GrowJournal.OLD_BLOCK));
      releaseClaimed(view, GrowJournal.NEW_BLOCK);
    } else {
      releaseClaimed(view, GrowJournal.OLD_BLOCK);
    }
    Atomics.store(words, GrowJournal.OPEN, 0);
  } finally {
    leaveGuard(words, GrowJournal.REPLAY_GUARD);
  }
}

/** Releases the heap block whose offset the header word `index` holds, once: the word is zeroed first. */
function releaseClaimed(view: RingView, index: number): void {
  const block = Atomics.exchange(view.words, index, 0);
  if (block !== 0) view.heap.release(block >>> 0);
}

/**
 * With the producer guard held: doubles the ring (taking the consumer guard too) until a record of `need`
 * bytes fits; false when it would pass MAX_RING_BYTES. The queued records are copied in order to the start
 * of the new block; WRAP markers and the unused ring end are left behind.
 */
function grow(view: RingView, token: ThreadToken, need: number): boolean {
  const { words, heap } = view;
  if (enterGuard(words, RingLayout.CONSUMER_GUARD_INDEX, token)) {
    replayGrow(view, token);
    replayConsumer(view);
  }
  try {
    const head = Atomics.load(words, RingLayout.HEAD_INDEX);
    const tail = Atomics.load(words, RingLayout.TAIL_INDEX);
    const used = (tail - head) >>> 0;
    // At least doubled, also when only the ring's unused end was in the way: a ring never keeps its
    // capacity when replaced, since other threads tell a new ring by its capacity (syncRing).
    let capacity = view.capacity * 2;
    while (capacity - used < need) capacity *= 2;
    if (capacity > MAX_RING_BYTES) return false;
    const block = heap.allocate(capacity, { zeroed: false });
    // Journal at once, before the copy (the longest part, where a terminated grower most often stops: its
    // replay then gives the new block back) and before the first change of a shared word; CAPACITY is the
    // commit (layout.ts).
    Atomics.store(words, GrowJournal.OLD_BLOCK, Atomics.load(words, RingLayout.RING_BLOCK_INDEX));
    Atomics.store(words, GrowJournal.OLD_CAPACITY, view.capacity);
    Atomics.store(words, GrowJournal.OLD_HEAD, head);
    Atomics.store(words, GrowJournal.OLD_TAIL, tail);
    Atomics.store(words, GrowJournal.NEW_BLOCK, block);
    Atomics.store(words, GrowJournal.OPEN, 1);
    const copied = copyRecords(view, head, tail, new Uint8Array(heap.buffer, block, capacity));
    Atomics.store(words, RingLayout.HEAD_INDEX, 0);
    Atomics.store(words, RingLayout.TAIL_INDEX, copied);
    Atomics.store(words, RingLayout.RING_BLOCK_INDEX, block);
    Atomics.store(words, RingLayout.CAPACITY_INDEX, capacity);
    // HEAD went back to 0: the producers' view of it goes with it (layout.ts, SEEN words).
    words[RingLayout.SEEN_HEAD_INDEX] = 0;
    // With the journal still open, so that a grower stopped here (V8 stops a terminated thread when it
    // enters a function) has the old block released by the forward replay; claimed first, as there.
    releaseClaimed(view, GrowJournal.OLD_BLOCK);
    Atomics.store(words, GrowJournal.OPEN, 0);
    syncRing(view);
    return true;
  } finally {
    leaveGuard(words, RingLayout.CONSUMER_GUARD_INDEX);
  }
}

/**
 * Copies the records between the byte counters `head` and `tail` to the start of `target`, in order and
 * without WRAP markers, in runs of adjacent records; returns the bytes copied. Every record keeps its
 * 8-alignment (layout.ts), so each is as valid at its new place.
 */
function copyRecords(view: RingView, head: number, tail: number, target: Uint8Array): number {
  const { bytes, ints, capacity } = view;
  const mask = capacity - 1;
  let copied = 0;
  let runStart = 0;
  let runEnd = 0;
  for (let at = head; at !== tail; ) {
    const place = at & mask;
    const length = ints[place >> 2] as number;
    if (length === WRAP) {
      at = (at + capacity - place) | 0;
      continue;
    }
    if (place !== runEnd) {
      target.set(bytes.subarray(runStart, runEnd), copied);
      copied += runEnd - runStart;
      runStart = place;
    }
    const size = recordBytes(length, length === SPILL);
    runEnd = place + size;
    at = (at + size) | 0;
  }
  target.set(bytes.subarray(runStart, runEnd), copied);
  return copied + runEnd - runStart;
}

/**
 * Gives back the blocks a ring owns, when the structure holding it is freed (a type's `releaseOwned`, called only when no
 * other thread can be using it): the heap blocks of spilled messages still queued, then the ring.
 */
export function releaseRing(words: Int32Array, heap: Heap): void {
  const view = ringView(words, heap);
  syncRing(view);
  const { ints, capacity } = view;
  const tail = words[RingLayout.TAIL_INDEX] as number;
  for (let at = words[RingLayout.HEAD_INDEX] as number; at !== tail; ) {
    const place = at & (capacity - 1);
    const length = ints[place >> 2] as number;
    if (length === WRAP) {
      at = (at + capacity - place) | 0;
      continue;
    }
    if (length === SPILL) heap.release((ints[(place >> 2) + 1] as number) >>> 0);
    at = (at + recordBytes(length, length === SPILL)) | 0;
  }
  heap.release((words[RingLayout.RING_BLOCK_INDEX] as number) >>> 0);
}

/**
 * Returns once no producer is between its shutdown check and its commit (one enter and leave of the
 * producers' guard): after a shutdown, every put that saw the ring open has committed, and every later one
 * sees it shut. A guard taken over from a dead producer has its journal replayed first, as in a put.
 */
export function ringSettlePuts(view: RingView, token: ThreadToken): void {
  if (enterGuard(view.words, RingLayout.PRODUCER_GUARD_INDEX, token)) {
    replayGrow(view, token);
    replayProducer(view);
  }
  leaveGuard(view.words, RingLayout.PRODUCER_GUARD_INDEX);
}

/**
 * Appends one message, or returns RING_FULL when `maxsize` messages are queued or the ring lacks room and cannot
 * grow, RING_SHUT after a shutdown. Wakes one parked getter.
 */
export function ringTryPut(
  view: RingView,
  token: ThreadToken,
  payload: Payload,
  maxsize: number,
): typeof RING_FULL | typeof RING_SHUT | undefined {
  const { words } = view;
  const length = payload.length;
  if (enterGuard(words, RingLayout.PRODUCER_GUARD_INDEX, token)) {
    replayGrow(view, token);
    replayProducer(view);
  }
  let spill = 0;
  let journalled = false;
  let committed = false;
  try {
    // Atomic: with an immediate shutdown's wait for this guard (shutdown.ts), no put commits after it.
    if (Atomics.load(words, RingLayout.SHUTDOWN_INDEX) !== RING_OPEN) return RING_SHUT;
    // Plain loads and stores of the producers' own words, under their guard (see the top of this file).
    const count = words[RingLayout.PUT_COUNT_INDEX] as number;
    if (maxsize > 0 && ((count - (words[RingLayout.SEEN_GET_COUNT_INDEX] as number)) | 0) >= maxsize) {
      // Full by what producers saw last: look at the consumers' line (layout.ts, SEEN words).
      const got = Atomics.load(words, RingLayout.GET_COUNT_INDEX);
      words[RingLayout.SEEN_GET_COUNT_INDEX] = got;
      if (((count - got) | 0) >= maxsize) return RING_FULL;
    }
    syncRing(view);
    let spilled = isSpilled(view.capacity, length);
    let need = recordBytes(length, spilled);
    let tail = words[RingLayout.TAIL_INDEX] as number;
    let place = tail & (view.capacity - 1);
    // A record does not wrap: if it does not fit before the end, the end is skipped (a WRAP mark).
    let waste = need > view.capacity - place ? view.capacity - place : 0;
    if ((tail - (words[RingLayout.SEEN_HEAD_INDEX] as number)) >>> 0 > view.capacity - waste - need) {
      // Atomic: the consumers' reads of the records before this HEAD happen-before our writes over them.
      const head = Atomics.load(words, RingLayout.HEAD_INDEX);
      words[RingLayout.SEEN_HEAD_INDEX] = head;
      while ((tail - (words[RingLayout.SEEN_HEAD_INDEX] as number)) >>> 0 > view.capacity - waste - need) {
        // No room although the count allows another message: grow rather than wait (layout.ts, Growth). The
        // record is measured again after each growth: a message spilled in a small ring fits a large one.
        if (!grow(view, token, need)) return RING_FULL;
        spilled = isSpilled(view.capacity, length);
        need = recordBytes(length, spilled);
        tail = words[RingLayout.TAIL_INDEX] as number;
        place = tail & (view.capacity - 1);
        waste = need > view.capacity - place ? view.capacity - place : 0;
      }
    }
    // Journal (layout.ts), in this order: the value to restore, then the count that means "committed"
    // (atomic: it publishes the first word to a replay).
    words[ProducerJournal.TAIL_BEFORE] = tail;
    Atomics.store(words, ProducerJournal.COUNT_AFTER, (count + 1) | 0);
    journalled = true;
    if (waste > 0) {
      view.ints[place >> 2] = WRAP;
      place = 0;
    }
    if (spilled) {
      // Overwritten in full below: no need to zero it.
      spill = view.heap.allocate(length, { zeroed: false });
      Atomics.store(words, ProducerJournal.SPILL, spill);
      payload.writeTo(new Uint8Array(view.heap.buffer, spill, length), 0);
      view.ints[(place >> 2) + 1] = spill;
      view.ints[(place >> 2) + 2] = length;
      view.ints[place >> 2] = SPILL;
    } else {
      payload.writeTo(view.bytes, place + PAYLOAD_OFFSET);
      view.ints[place >> 2] = length;
    }
    Atomics.store(words, RingLayout.TAIL_INDEX, (tail + waste + need) | 0);
    // The commit: from this store on, consumers may read the record. Sequentially consistent, so every
    // plain store of the record above happens-before a consumer's plain loads after it loaded this count.
    Atomics.store(words, RingLayout.PUT_COUNT_INDEX, (count + 1) | 0);
    committed = true;
    if (spill !== 0) Atomics.store(words, ProducerJournal.SPILL, 0);
  } finally {
    if (journalled && !committed) {
      // Only a throw gets here (the heap full, a bad payload): TAIL was not moved yet. The journal is closed,
      // so that no later replay restores its TAIL (the ring may have grown by then), and the block given back.
      Atomics.store(words, ProducerJournal.COUNT_AFTER, words[RingLayout.PUT_COUNT_INDEX] as number);
      Atomics.store(words, ProducerJournal.SPILL, 0);
      if (spill !== 0) view.heap.release(spill);
    }
    leaveGuard(words, RingLayout.PRODUCER_GUARD_INDEX);
  }
  // PUT_COUNT changed before GETTERS is loaded (core wait/park.ts): a getter registered later sees it.
  if (Atomics.load(words, RingLayout.GETTERS_INDEX) > 0) Atomics.notify(words, RingLayout.PUT_COUNT_INDEX, 1);
  return undefined;
}

/**
 * Takes the oldest message and returns `decode` of its bytes, or RING_EMPTY. A message that fails to decode is
 * taken all the same (else every later get would fail on it) and the error is thrown. Wakes the putters.
 */
export function ringTryGet<T>(view: RingView, token: ThreadToken, decode: Decoder<T>): T | typeof RING_EMPTY {
  const { words } = view;
  if (enterGuard(words, RingLayout.CONSUMER_GUARD_INDEX, token)) {
    replayGrow(view, token);
    replayConsumer(view);
  }
  let spill = 0;
  let value: T | undefined;
  let failed = false;
  let error: unknown;
  try {
    // Plain loads and stores of the consumers' own words, under their guard (see the top of this file).
    const count = words[RingLayout.GET_COUNT_INDEX] as number;
    if ((((words[RingLayout.SEEN_PUT_COUNT_INDEX] as number) - count) | 0) <= 0) {
      // Empty by what consumers saw last: look at the producers' line (layout.ts, SEEN words). Atomic: the
      // producer's writes of the records before this count happen-before our reads of them.
      const put = Atomics.load(words, RingLayout.PUT_COUNT_INDEX);
      if (put === count) return RING_EMPTY;
      words[RingLayout.SEEN_PUT_COUNT_INDEX] = put;
    }
    syncRing(view);
    const { capacity, ints } = view;
    const head = words[RingLayout.HEAD_INDEX] as number;
    let place = head & (capacity - 1);
    let skipped = 0;
    if (ints[place >> 2] === WRAP) {
      skipped = capacity - place;
      place = 0;
    }
    const length = ints[place >> 2] as number;
    const headAfter = (head + skipped + recordBytes(length, length === SPILL)) | 0;
    // Journal (layout.ts), in this order: the HEAD to finish with, then the count that means "committed"
    // (atomic: it publishes the first word to a replay).
    words[ConsumerJournal.HEAD_AFTER] = headAfter;
    Atomics.store(words, ConsumerJournal.COUNT_AFTER, (count + 1) | 0);
    try {
      if (length === SPILL) {
        spill = (ints[(place >> 2) + 1] as number) >>> 0;
        // Before HEAD moves: a replay that finishes this take releases the block (layout.ts).
        Atomics.store(words, ConsumerJournal.SPILL, spill);
        const spilledLength = ints[(place >> 2) + 2] as number;
        value = decode(new Uint8Array(view.heap.buffer, spill, spilledLength), 0, spilledLength);
      } else {
        value = decode(view.bytes, place + PAYLOAD_OFFSET, place + PAYLOAD_OFFSET + length);
      }
    } catch (caught) {
      failed = true;
      error = caught;
    }
    // HEAD before GET_COUNT: a putter that sees the new count also sees the space it freed. From here on a
    // replay finishes this take instead of undoing it (layout.ts): a producer may use the space at once.
    Atomics.store(words, RingLayout.HEAD_INDEX, headAfter);
    // The commit: the message is taken.
    Atomics.store(words, RingLayout.GET_COUNT_INDEX, (count + 1) | 0);
    // Under the guard, claimed first: a consumer that dies here leaves it to the replay (layout.ts).
    if (spill !== 0) releaseClaimed(view, ConsumerJournal.SPILL);
  } finally {
    leaveGuard(words, RingLayout.CONSUMER_GUARD_INDEX);
  }
  // Every putter looks again: the space freed may fit a large message, not only the next one.
  if (Atomics.load(words, RingLayout.PUTTERS_INDEX) > 0) Atomics.notify(words, RingLayout.GET_COUNT_INDEX);
  if (failed) throw error;
  return value as T;
}
