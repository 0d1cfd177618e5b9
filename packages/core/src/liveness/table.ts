/**
 * The liveness algorithm over the table's Int32 view (layout.ts). Lock-free: every state change of a record
 * is one CAS of its OCCUPANT word, so a thread killed mid-way leaves the table usable.
 */

import {
  CLAIMING,
  GENERATION_LIMIT,
  LivenessRecord,
  RECORD_COUNT,
  RECORD_WORDS,
  TABLE_HEADER_WORDS,
} from './layout.ts';

/** A thread's identity in the liveness table; 0 means "no thread". */
export type ThreadToken = number;

function recordBase(index: number): number {
  return TABLE_HEADER_WORDS + index * RECORD_WORDS;
}

function indexOf(token: ThreadToken): number {
  return token % RECORD_COUNT;
}

/** True while the thread that holds `token`, and every thread above it, is alive. */
export function isTokenAlive(table: Int32Array, token: ThreadToken): boolean {
  if (token <= 0) return false;
  // Bounded walk: parents form a chain toward the main thread; a corrupt cycle cannot hang a caller.
  for (let depth = 0; depth < RECORD_COUNT && token > 0; depth++) {
    const base = recordBase(indexOf(token));
    if (Atomics.load(table, base + LivenessRecord.OCCUPANT_INDEX) !== token) return false;
    const parent = Atomics.load(table, base + LivenessRecord.PARENT_INDEX);
    // The record may have been released and taken by a new thread between the two loads, and PARENT then
    // be the new occupant's: only trust it if OCCUPANT still holds our token.
    if (Atomics.load(table, base + LivenessRecord.OCCUPANT_INDEX) !== token) return false;
    token = parent;
  }
  return token === 0;
}

function tryClaim(table: Int32Array, index: number, threadId: number, parent: ThreadToken): ThreadToken {
  const base = recordBase(index);
  if (Atomics.compareExchange(table, base + LivenessRecord.OCCUPANT_INDEX, 0, CLAIMING) !== 0) return 0;
  // While OCCUPANT is CLAIMING no token names this record, so the fields can be filled in without a race;
  // the final store publishes them (seq-cst) together with the token.
  const generation = (Atomics.load(table, base + LivenessRecord.GENERATION_INDEX) % (GENERATION_LIMIT - 1)) + 1;
  Atomics.store(table, base + LivenessRecord.GENERATION_INDEX, generation);
  Atomics.store(table, base + LivenessRecord.THREAD_ID_INDEX, threadId);
  Atomics.store(table, base + LivenessRecord.PARENT_INDEX, parent);
  const token = generation * RECORD_COUNT + index;
  Atomics.store(table, base + LivenessRecord.OCCUPANT_INDEX, token);
  return token;
}

/** Frees the records of threads that died without anyone marking them (their ancestor died). */
function sweepOrphans(table: Int32Array): void {
  for (let index = 0; index < RECORD_COUNT; index++) {
    const slot = recordBase(index) + LivenessRecord.OCCUPANT_INDEX;
    const token = Atomics.load(table, slot);
    if (token > 0 && !isTokenAlive(table, token)) Atomics.compareExchange(table, slot, token, 0);
  }
}

/**
 * Takes a record for a thread and returns its token.
 *
 * @throws {RangeError} when RECORD_COUNT threads are alive at once.
 */
export function claimRecord(table: Int32Array, threadId: number, parent: ThreadToken): ThreadToken {
  for (let pass = 0; pass < 2; pass++) {
    // Start at the thread id so that threads started together do not all fight over record 0.
    for (let probe = 0; probe < RECORD_COUNT; probe++) {
      const token = tryClaim(table, (threadId + probe) % RECORD_COUNT, threadId, parent);
      if (token !== 0) return token;
    }
    sweepOrphans(table);
  }
  throw new RangeError(`more than ${RECORD_COUNT} threads use @ipc at once`);
}

/** Marks the thread holding `token` dead. Idempotent; returns true if this call did it. */
export function releaseRecord(table: Int32Array, token: ThreadToken): boolean {
  if (token <= 0) return false;
  const slot = recordBase(indexOf(token)) + LivenessRecord.OCCUPANT_INDEX;
  return Atomics.compareExchange(table, slot, token, 0) === token;
}

/** Marks dead every record of thread `threadId` whose parent is `parent`. Returns how many it marked. */
export function releaseRecordsOfThread(table: Int32Array, threadId: number, parent: ThreadToken): number {
  let marked = 0;
  for (let index = 0; index < RECORD_COUNT; index++) {
    const base = recordBase(index);
    const token = Atomics.load(table, base + LivenessRecord.OCCUPANT_INDEX);
    if (
      token > 0 &&
      Atomics.load(table, base + LivenessRecord.THREAD_ID_INDEX) === threadId &&
      Atomics.load(table, base + LivenessRecord.PARENT_INDEX) === parent &&
      releaseRecord(table, token)
    ) {
      marked++;
    }
  }
  return marked;
}
