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
import { ConsumerJournal, ProducerJournal, QueueLayout, SPILL, SPILL_RECORD_BYTES, WRAP } from './layout.ts';

/** A queue's memory, as the protocol sees it. */
export interface RingView {
  /** The header words (layout.ts). */
  readonly words: Int32Array;
  /** The ring's bytes, and the same memory as Int32 (records start 4-aligned). */
  readonly bytes: Uint8Array;
  readonly ints: Int32Array;
  readonly capacity: number;
  /** The heap that holds the queue, and its spilled messages. */
  readonly heap: Heap;
}

/** What `tryPut`/`tryGet` found instead of doing their work. */
export const FULL = Symbol('full');
export const EMPTY = Symbol('empty');

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

/** True when a message of `length` bytes would fit now (a hint, read without the guard). */
export function hasRoom(view: RingView, length: number, maxsize: number): boolean {
  const { words } = view;
  if (maxsize > 0 && messageCount(words) >= maxsize) return false;
  const tail = Atomics.load(words, QueueLayout.TAIL_INDEX);
  const free = view.capacity - ((tail - Atomics.load(words, QueueLayout.HEAD_INDEX)) >>> 0);
  const need = recordBytes(view, length);
  return placement(view, tail, need).waste + need <= free;
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
): typeof FULL | undefined {
  if (!hasRoom(view, payload.length, maxsize)) return FULL;
  const { words } = view;
  if (enterGuard(words, QueueLayout.PRODUCER_GUARD_INDEX, token)) replayProducer(view);
  try {
    const count = Atomics.load(words, QueueLayout.PUT_COUNT_INDEX);
    if (maxsize > 0 && ((count - Atomics.load(words, QueueLayout.GET_COUNT_INDEX)) | 0) >= maxsize) return FULL;
    const tail = Atomics.load(words, QueueLayout.TAIL_INDEX);
    const free = view.capacity - ((tail - Atomics.load(words, QueueLayout.HEAD_INDEX)) >>> 0);
    const need = recordBytes(view, payload.length);
    const { at, waste } = placement(view, tail, need);
    if (waste + need > free) return FULL;
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
  if (enterGuard(words, QueueLayout.CONSUMER_GUARD_INDEX, token)) replayConsumer(view);
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
    // HEAD before GET_COUNT: a putter that sees the new count also sees the space it freed.
    Atomics.store(words, QueueLayout.HEAD_INDEX, headAfter);
    // The commit: the message is taken.
    Atomics.store(words, QueueLayout.GET_COUNT_INDEX, (count + 1) | 0);
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
