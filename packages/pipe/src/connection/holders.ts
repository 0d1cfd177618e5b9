/**
 * An end's holder table (layout.ts): which threads hold the end open. A slot holds a thread's liveness
 * token; a dead thread's slot is free again, so an end whose holders all died is closed without anyone
 * calling close(), as a process's file descriptors close when it exits.
 */

import { isThreadAlive, type ThreadToken } from '@ipc/core';
import { HOLDER_SLOTS, holdersBase, PipeLayout, ringBase } from './layout.ts';

/** Where one end's holders are: its table, and the count words in its ring's header. */
export interface Holders {
  readonly words: Int32Array;
  readonly first: number;
  readonly count: number;
  /** Copies of the end in messages not yet decoded (layout.ts, IN_FLIGHT). */
  readonly inFlight: number;
}

/** The holders of end `end` of the pipe whose words are `words`. */
export function holdersOf(words: Int32Array, end: number): Holders {
  return {
    words,
    first: holdersBase(end),
    count: ringBase(end) + PipeLayout.HOLDERS_OFFSET,
    inFlight: ringBase(end) + PipeLayout.IN_FLIGHT_OFFSET,
  };
}

/**
 * Records `token` as a holder, once (a thread is one holder however many times it revives the end). False
 * when every slot holds a live thread: the caller reports it.
 */
export function addHolder({ words, first, count }: Holders, token: ThreadToken): boolean {
  for (let i = first; i < first + HOLDER_SLOTS; i++) if (Atomics.load(words, i) === token) return true;
  for (let i = first; i < first + HOLDER_SLOTS; i++) {
    const found = Atomics.load(words, i);
    // A free slot, or one whose thread died: taken with a CAS (another thread may be taking it too).
    if ((found === 0 || !isThreadAlive(found)) && Atomics.compareExchange(words, i, found, token) === found) {
      if (found === 0) Atomics.add(words, count, 1);
      return true;
    }
  }
  return false;
}

/** Removes `token`'s slot (close()); true if it held one. */
export function removeHolder({ words, first, count }: Holders, token: ThreadToken): boolean {
  for (let i = first; i < first + HOLDER_SLOTS; i++) {
    if (Atomics.compareExchange(words, i, token, 0) === token) {
      Atomics.sub(words, count, 1);
      return true;
    }
  }
  return false;
}

/** True while some live thread holds the end open, or a copy of it is on its way to one. */
export function hasLiveHolder({ words, first, count, inFlight }: Holders): boolean {
  if (Atomics.load(words, inFlight) > 0) return true;
  if (Atomics.load(words, count) === 0) return false;
  for (let i = first; i < first + HOLDER_SLOTS; i++) {
    const token = Atomics.load(words, i);
    if (token !== 0 && isThreadAlive(token)) return true;
  }
  return false;
}
