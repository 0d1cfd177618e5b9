/**
 * The ring protocol (layout.ts): records written by producers under the producer guard and read by
 * consumers under the consumer guard, each side committing with one store of its count. Michael & Scott's
 * two-lock queue ("Simple, Fast, and Practical Non-Blocking and Blocking Concurrent Queue Algorithms",
 * 1996) over a byte ring, with core's robust guards and a journal per side so that a thread terminated
 * mid-operation leaves nothing half done (design.md §6).
 *
 * Why the bytes need no Atomics: a producer writes them with plain stores before its PUT_COUNT store, and
 * a consumer reads them after it loaded that PUT_COUNT; sequentially consistent atomics order the plain
 * accesses around them (the memory model's synchronizes-with). The same holds for HEAD and GET_COUNT.
 */

import { enterGuard, type Heap, leaveGuard, type ThreadToken } from '@ipc/core';
import { OPEN } from '../shutdown.ts';
import {
  ConsumerJournal,
  GrowJournal,
  MAX_RING_BYTES,
  ProducerJournal,
  QueueLayout,
  SPILL,
  SPILL_RECORD_BYTES,
  WRAP,
} from './layout.ts';

/**
 * A queue's memory, as one thread sees it: the header words, and views of the ring block, which this
 * thread rebuilds when the ring has grown (CAPACITY changed: it only grows, so it tells).
 */
export interface RingView {
  /** The header words (layout.ts). */
  readonly words: Int32Array;
  /** The heap that holds the queue, its ring and its spilled messages. */
  readonly heap: Heap;
  /** The ring's bytes, and the same memory as Int32 (records start 4-aligned). */
  bytes: Uint8Array;
  ints: Int32Array;
  capacity: number;
}

/** A view of the queue whose header is `words`, in `heap`. */
export function ringView(words: Int32Array, heap: Heap): RingView {
  const view: RingView = { words, heap, bytes: new Uint8Array(0), ints: new Int32Array(0), capacity: 0 };
  syncRing(view);
  return view;
}

/** Rebuilds the views when the ring has grown. CAPACITY is stored after RING_BLOCK, so they agree. */
function syncRing(view: RingView): void {
  const capacity = Atomics.load(view.words, QueueLayout.CAPACITY_INDEX);
  if (capacity === view.capacity) return;
  const block = Atomics.load(view.words, QueueLayout.RING_BLOCK_INDEX);
  view.bytes = new Uint8Array(view.heap.buffer, block, capacity);
  view.ints = new Int32Array(view.heap.buffer, block, capacity >> 2);
  view.capacity = capacity;
}

/** What `tryPut`/`tryGet` found instead of doing their work. */
export const FULL = Symbol('full');
export const EMPTY = Symbol('empty');
/** The queue was shut down (seen under the producer guard, so no put commits after an immediate shutdown). */
export const SHUT = Symbol('shut');

/** Bytes a message of `length` encoded bytes takes in the ring (a spilled one: a spill record). */
export function recordBytes(view: RingView, length: number): number {
  return isSpilled(view, length) ? SPILL_RECORD_BYTES : 4 + ((length + 3) & ~3);
}

/** Messages over half the ring go to a heap block, so that any message fits however full the ring runs. */
function isSpilled(view: RingView, length: number): boolean {
  return 4 + length > view.capacity / 2;
}

/** Messages in the queue now (a snapshot). */
export function messageCount(words: Int32Array): number {
  return (Atomics.load(words, QueueLayout.PUT_COUNT_INDEX) - Atomics.load(words, QueueLayout.GET_COUNT_INDEX)) | 0;
}

/** Ring bytes a record of `need` bytes takes at `tail`, counting the unused end of the ring if it wraps. */
function placement(view: RingView, tail: number, need: number): { at: number; waste: number } {
  const at = (tail >>> 0) % view.capacity;
  const contiguous = view.capacity - at;
  return need > contiguous ? { at, waste: contiguous } : { at, waste: 0 };
}

/**
 * True when a put of `length` bytes may succeed now: the count allows it, and the ring has room or can
 * grow (a hint, read without the guards).
 */
export function mayPut(view: RingView, length: number, maxsize: number): boolean {
  const { words } = view;
  if (maxsize > 0 && messageCount(words) >= maxsize) return false;
  syncRing(view);
  return view.capacity < MAX_RING_BYTES || fits(view, recordBytes(view, length));
}

/** True when a record of `need` bytes fits at TAIL now. */
function fits(view: RingView, need: number): boolean {
  const { words } = view;
  const tail = Atomics.load(words, QueueLayout.TAIL_INDEX);
  const free = view.capacity - ((tail - Atomics.load(words, QueueLayout.HEAD_INDEX)) >>> 0);
  return placement(view, tail, need).waste + need <= free;
}

/**
 * With the producer guard held: doubles the ring (taking the consumer guard too) until a record of `need`
 * bytes fits; false when it would pass MAX_RING_BYTES. The queued records are copied in order to the start
 * of the new block; WRAP markers and the unused ring end are left behind.
 */
function grow(view: RingView, token: ThreadToken, need: number): boolean {
  const { words, heap } = view;
  if (enterGuard(words, QueueLayout.CONSUMER_GUARD_INDEX, token)) {
    replayGrow(view);
    replayConsumer(view);
  }
  try {
    syncRing(view);
    const head = Atomics.load(words, QueueLayout.HEAD_INDEX);
    const tail = Atomics.load(words, QueueLayout.TAIL_INDEX);
    const used = (tail - head) >>> 0;
    // At least doubled, also when only the ring's unused end was in the way: a ring never keeps its
    // capacity when replaced, since other threads tell a new ring by its capacity (syncRing).
    let capacity = view.capacity * 2;
    while (capacity - used < need) capacity *= 2;
    if (capacity > MAX_RING_BYTES) return false;
    const block = heap.allocate(capacity);
    const target = new Uint8Array(heap.buffer, block, capacity);
    let copied = 0;
    for (let at = head; at !== tail; ) {
      const place = (at >>> 0) % view.capacity;
      const length = view.ints[place >> 2] ?? 0;
      if (length === WRAP) {
        at = (at + view.capacity - place) | 0;
        continue;
      }
      const size = length === SPILL ? SPILL_RECORD_BYTES : 4 + ((length + 3) & ~3);
      target.set(view.bytes.subarray(place, place + size), copied);
      copied += size;
      at = (at + size) | 0;
    }
    // Journal before the first change of a shared word; CAPACITY is the commit (layout.ts).
    Atomics.store(words, GrowJournal.OLD_BLOCK, Atomics.load(words, QueueLayout.RING_BLOCK_INDEX));
    Atomics.store(words, GrowJournal.OLD_CAPACITY, view.capacity);
    Atomics.store(words, GrowJournal.OLD_HEAD, head);
    Atomics.store(words, GrowJournal.OLD_TAIL, tail);
    Atomics.store(words, GrowJournal.NEW_BLOCK, block);
    Atomics.store(words, GrowJournal.OPEN, 1);
    Atomics.store(words, QueueLayout.HEAD_INDEX, 0);
    Atomics.store(words, QueueLayout.TAIL_INDEX, copied);
    Atomics.store(words, QueueLayout.RING_BLOCK_INDEX, block);
    Atomics.store(words, QueueLayout.CAPACITY_INDEX, capacity);
    Atomics.store(words, GrowJournal.OPEN, 0);
    heap.release(Atomics.load(words, GrowJournal.OLD_BLOCK));
    syncRing(view);
    return true;
  } finally {
    leaveGuard(words, QueueLayout.CONSUMER_GUARD_INDEX);
  }
}

/**
 * Finishes or undoes the growth of a producer that died holding both guards: forward if it stored the new
 * CAPACITY, else backward. Of two threads taking a guard over at once, one replays (OPEN 1 → 2) and the
 * other waits for it.
 */
function replayGrow(view: RingView): void {
  const { words, heap } = view;
  const open = Atomics.compareExchange(words, GrowJournal.OPEN, 1, 2);
  if (open === 0) return;
  if (open === 2) {
    while (Atomics.load(words, GrowJournal.OPEN) === 2) Atomics.wait(words, GrowJournal.OPEN, 2, 1);
    return;
  }
  if (Atomics.load(words, QueueLayout.CAPACITY_INDEX) === Atomics.load(words, GrowJournal.OLD_CAPACITY)) {
    Atomics.store(words, QueueLayout.HEAD_INDEX, Atomics.load(words, GrowJournal.OLD_HEAD));
    Atomics.store(words, QueueLayout.TAIL_INDEX, Atomics.load(words, GrowJournal.OLD_TAIL));
    Atomics.store(words, QueueLayout.RING_BLOCK_INDEX, Atomics.load(words, GrowJournal.OLD_BLOCK));
    heap.release(Atomics.load(words, GrowJournal.NEW_BLOCK));
  } else {
    heap.release(Atomics.load(words, GrowJournal.OLD_BLOCK));
  }
  Atomics.store(words, GrowJournal.OPEN, 0);
}

/** Replays the journal of a producer that died in the guard: forward if it committed, else backward. */
function replayProducer(view: RingView): void {
  const { words } = view;
  if (Atomics.load(words, ProducerJournal.OPEN) !== 1) return;
  const before = Atomics.load(words, ProducerJournal.COUNT_BEFORE);
  const committed = Atomics.load(words, QueueLayout.PUT_COUNT_INDEX) !== before;
  Atomics.store(
    words,
    QueueLayout.TAIL_INDEX,
    Atomics.load(words, committed ? ProducerJournal.TAIL_AFTER : ProducerJournal.TAIL_BEFORE),
  );
  const spill = Atomics.load(words, ProducerJournal.SPILL);
  if (!committed && spill !== 0) view.heap.release(spill);
  Atomics.store(words, ProducerJournal.OPEN, 0);
}

/** Replays the journal of a consumer that died in the guard: forward if it committed, else backward. */
function replayConsumer(view: RingView): void {
  const { words } = view;
  if (Atomics.load(words, ConsumerJournal.OPEN) !== 1) return;
  const before = Atomics.load(words, ConsumerJournal.COUNT_BEFORE);
  const committed = Atomics.load(words, QueueLayout.GET_COUNT_INDEX) !== before;
  Atomics.store(
    words,
    QueueLayout.HEAD_INDEX,
    Atomics.load(words, committed ? ConsumerJournal.HEAD_AFTER : ConsumerJournal.HEAD_BEFORE),
  );
  Atomics.store(words, ConsumerJournal.OPEN, 0);
}

/**
 * Appends one message (its encoded bytes), or returns FULL when `maxsize` messages are queued or the ring
 * lacks room. Wakes one parked getter.
 */
export function tryPut(
  view: RingView,
  token: ThreadToken,
  payload: Uint8Array,
  maxsize: number,
): typeof FULL | typeof SHUT | undefined {
  if (!mayPut(view, payload.length, maxsize)) return FULL;
  const { words } = view;
  if (enterGuard(words, QueueLayout.PRODUCER_GUARD_INDEX, token)) {
    replayGrow(view);
    replayProducer(view);
  }
  try {
    if (Atomics.load(words, QueueLayout.SHUTDOWN_INDEX) !== OPEN) return SHUT;
    syncRing(view);
    const count = Atomics.load(words, QueueLayout.PUT_COUNT_INDEX);
    if (maxsize > 0 && ((count - Atomics.load(words, QueueLayout.GET_COUNT_INDEX)) | 0) >= maxsize) return FULL;
    // No room although the count allows another message: grow rather than wait (layout.ts, Growth). The
    // record's size is asked again after each growth: a message spilled in a small ring fits a large one.
    let need = recordBytes(view, payload.length);
    while (!fits(view, need)) {
      if (!grow(view, token, need)) return FULL;
      need = recordBytes(view, payload.length);
    }
    const tail = Atomics.load(words, QueueLayout.TAIL_INDEX);
    const { at, waste } = placement(view, tail, need);
    const spill = isSpilled(view, payload.length) ? view.heap.allocate(payload.length) : 0;
    const tailAfter = (tail + waste + need) | 0;
    // The journal is complete before OPEN says so, and before the first byte of the record changes.
    Atomics.store(words, ProducerJournal.TAIL_BEFORE, tail);
    Atomics.store(words, ProducerJournal.TAIL_AFTER, tailAfter);
    Atomics.store(words, ProducerJournal.COUNT_BEFORE, count);
    Atomics.store(words, ProducerJournal.SPILL, spill);
    Atomics.store(words, ProducerJournal.OPEN, 1);
    let place = at;
    if (waste > 0) {
      view.ints[place >> 2] = WRAP;
      place = 0;
    }
    if (spill !== 0) {
      new Uint8Array(view.heap.buffer, spill, payload.length).set(payload);
      view.ints[(place >> 2) + 1] = spill;
      view.ints[(place >> 2) + 2] = payload.length;
      view.ints[place >> 2] = SPILL;
    } else {
      view.bytes.set(payload, place + 4);
      view.ints[place >> 2] = payload.length;
    }
    Atomics.store(words, QueueLayout.TAIL_INDEX, tailAfter);
    // The commit: from this store on, consumers may read the record.
    Atomics.store(words, QueueLayout.PUT_COUNT_INDEX, (count + 1) | 0);
    Atomics.store(words, ProducerJournal.OPEN, 0);
  } finally {
    leaveGuard(words, QueueLayout.PRODUCER_GUARD_INDEX);
  }
  // PUT_COUNT changed before GETTERS is loaded (core wait/park.ts): a getter registered later sees it.
  if (Atomics.load(words, QueueLayout.GETTERS_INDEX) > 0) Atomics.notify(words, QueueLayout.PUT_COUNT_INDEX, 1);
  return undefined;
}

/**
 * Takes the oldest message and returns `decode` of its bytes, or EMPTY. A message that fails to decode is
 * taken all the same (else every later get would fail on it) and the error is thrown. Wakes the putters.
 */
export function tryGet<T>(view: RingView, token: ThreadToken, decode: (bytes: Uint8Array) => T): T | typeof EMPTY {
  const { words } = view;
  if (messageCount(words) === 0) return EMPTY;
  if (enterGuard(words, QueueLayout.CONSUMER_GUARD_INDEX, token)) {
    replayGrow(view);
    replayConsumer(view);
  }
  syncRing(view);
  let spill = 0;
  let decoded: { value: T } | { error: unknown };
  try {
    const count = Atomics.load(words, QueueLayout.GET_COUNT_INDEX);
    if (Atomics.load(words, QueueLayout.PUT_COUNT_INDEX) === count) return EMPTY;
    const head = Atomics.load(words, QueueLayout.HEAD_INDEX);
    let place = (head >>> 0) % view.capacity;
    let skipped = 0;
    if (view.ints[place >> 2] === WRAP) {
      skipped = view.capacity - place;
      place = 0;
    }
    const length = view.ints[place >> 2] ?? 0;
    let bytes: Uint8Array;
    let need: number;
    if (length === SPILL) {
      spill = view.ints[(place >> 2) + 1] ?? 0;
      bytes = new Uint8Array(view.heap.buffer, spill, view.ints[(place >> 2) + 2]);
      need = SPILL_RECORD_BYTES;
    } else {
      bytes = view.bytes.subarray(place + 4, place + 4 + length);
      need = 4 + ((length + 3) & ~3);
    }
    const headAfter = (head + skipped + need) | 0;
    Atomics.store(words, ConsumerJournal.HEAD_BEFORE, head);
    Atomics.store(words, ConsumerJournal.HEAD_AFTER, headAfter);
    Atomics.store(words, ConsumerJournal.COUNT_BEFORE, count);
    Atomics.store(words, ConsumerJournal.OPEN, 1);
    try {
      decoded = { value: decode(bytes) };
    } catch (error) {
      decoded = { error };
    }
    // The commit first, then HEAD: a producer may write into the space as soon as HEAD moves, so HEAD must
    // never move back, and the journal replays a take forward once GET_COUNT says it happened. A putter that
    // sees the new count before HEAD finds less room than there is, and looks again (it is woken below, or
    // its poll comes round).
    Atomics.store(words, QueueLayout.GET_COUNT_INDEX, (count + 1) | 0);
    Atomics.store(words, QueueLayout.HEAD_INDEX, headAfter);
    Atomics.store(words, ConsumerJournal.OPEN, 0);
  } finally {
    leaveGuard(words, QueueLayout.CONSUMER_GUARD_INDEX);
  }
  if (spill !== 0) view.heap.release(spill);
  // Every putter looks again: the space freed may fit a large message, not only the next one.
  if (Atomics.load(words, QueueLayout.PUTTERS_INDEX) > 0) Atomics.notify(words, QueueLayout.GET_COUNT_INDEX);
  if ('error' in decoded) throw decoded.error;
  return decoded.value;
}
