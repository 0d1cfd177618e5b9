/**
 * The barrier protocol over a barrier's words (layout.ts). A generation (sense-reversing) barrier: the
 * last of `parties` arrivals ends the generation, and waiters wait for the generation number to move on
 * (Mellor-Crummey & Scott, "Algorithms for Scalable Synchronization on Shared-Memory Multiprocessors",
 * 1991, sense-reversing centralized barrier). Python's `threading.Barrier` semantics on top: the last
 * arrival runs the action first, and a broken barrier (abort, timeout, failed action, reset while waiting,
 * a waiting party that died) fails every waiter with BrokenBarrierError.
 */

import { isThreadAlive, type ThreadToken } from '@ipc/core';
import { BarrierLayout, BarrierState, OUTCOME_RING, PARTY_RECORD_WORDS, PartyRecord } from './layout.ts';

export function generationOf(state: number): number {
  return (state >>> BarrierState.GENERATION_SHIFT) & BarrierState.GENERATION_MASK;
}

function stateOfGeneration(generation: number, broken: boolean): number {
  return (
    ((generation & BarrierState.GENERATION_MASK) << BarrierState.GENERATION_SHIFT) | (broken ? BarrierState.BROKEN : 0)
  );
}

/** A party's place in a generation. */
export interface Arrival {
  readonly index: number;
  readonly generation: number;
  /** True for the last party: it must run the action and end the generation. */
  readonly last: boolean;
}

/**
 * One attempt to arrive: an Arrival, 'broken', or undefined while the previous generation is still
 * tripping (the caller waits for STATE to change and tries again).
 */
export function tryArrive(i32: Int32Array, token: ThreadToken): Arrival | 'broken' | undefined {
  const parties = Atomics.load(i32, BarrierLayout.PARTIES_INDEX);
  let state = Atomics.load(i32, BarrierLayout.STATE_INDEX);
  for (;;) {
    if ((state & BarrierState.BROKEN) !== 0) return 'broken';
    if ((state & BarrierState.TRIPPING) !== 0) return undefined;
    const index = state & BarrierState.ARRIVED_MASK;
    const last = index + 1 === parties;
    // The last party claims ENDER before it sets TRIPPING, so that a TRIPPING always names a thread
    // whose death can be noticed; while reset() holds ENDER, it waits for the generation reset() ends.
    if (last && !claimEnder(i32, token)) return undefined;
    const next = (state + 1) | (last ? BarrierState.TRIPPING : 0);
    const found = Atomics.compareExchange(i32, BarrierLayout.STATE_INDEX, state, next);
    if (found === state) {
      const generation = generationOf(state);
      const record = BarrierLayout.FIRST_PARTY_INDEX + index * PARTY_RECORD_WORDS;
      // TOKEN before GENERATION: a checker that sees this generation also sees this party's token.
      Atomics.store(i32, record + PartyRecord.TOKEN, token);
      Atomics.store(i32, record + PartyRecord.GENERATION, generation);
      return { index, generation, last };
    }
    if (last) releaseEnder(i32);
    state = found;
  }
}

/**
 * Claims ENDER for `token`: true once it holds it. A holder that died is taken over, and a trip it left
 * half done (TRIPPING still set) is ended, broken, before this returns; false while a live thread holds it.
 */
export function claimEnder(i32: Int32Array, token: ThreadToken): boolean {
  const holder = Atomics.compareExchange(i32, BarrierLayout.ENDER_INDEX, 0, token);
  if (holder === 0) return true;
  // The CAS expects the dead token: of several threads taking over at once, one succeeds.
  if (isThreadAlive(holder) || Atomics.compareExchange(i32, BarrierLayout.ENDER_INDEX, holder, token) !== holder) {
    return false;
  }
  const state = Atomics.load(i32, BarrierLayout.STATE_INDEX);
  if ((state & BarrierState.TRIPPING) !== 0) endGeneration(i32, generationOf(state), true, false);
  return true;
}

/** Gives ENDER back, after the generation it ended was published (or when a claim was not used). */
export function releaseEnder(i32: Int32Array): void {
  Atomics.store(i32, BarrierLayout.ENDER_INDEX, 0);
}

/**
 * Ends a trip whose ENDER died, if there is one: for waiters, which would otherwise wait for a generation
 * nobody will end. Does nothing while ENDER is free or held by a live thread.
 */
export function recoverAbandonedTrip(i32: Int32Array, token: ThreadToken): void {
  const holder = Atomics.load(i32, BarrierLayout.ENDER_INDEX);
  if (holder === 0 || isThreadAlive(holder)) return;
  if (claimEnder(i32, token)) releaseEnder(i32);
}

/**
 * Ends `generation`, whose end the caller owns (it set TRIPPING): records the outcome, then publishes the
 * next generation and wakes every waiter. The generation ends broken when `broken` is true or the barrier
 * was broken meanwhile; an abort() stays in force for the next generation. Returns true if it ended broken.
 */
export function endGeneration(i32: Int32Array, generation: number, broken: boolean, keepBroken: boolean): boolean {
  let state = Atomics.load(i32, BarrierLayout.STATE_INDEX);
  for (;;) {
    const endsBroken = broken || (state & BarrierState.BROKEN) !== 0;
    // The outcome is stored before STATE moves on, so a waiter that sees the new generation reads it.
    Atomics.store(
      i32,
      BarrierLayout.FIRST_OUTCOME_INDEX + (generation % OUTCOME_RING),
      (generation << 1) | (endsBroken ? 1 : 0),
    );
    const next = stateOfGeneration(generation + 1, keepBroken && endsBroken);
    const found = Atomics.compareExchange(i32, BarrierLayout.STATE_INDEX, state, next);
    if (found === state) {
      Atomics.notify(i32, BarrierLayout.STATE_INDEX);
      return endsBroken;
    }
    // Only BROKEN can have changed (abort() or a waiter's timeout while the action ran): store again.
    state = found;
  }
}

/** How a generation ended for its waiters. */
export type Outcome = 'passed' | 'broken';

/** How a waiter's generation ended, or undefined while it is still open (and not broken). */
export function outcomeFor(i32: Int32Array, generation: number): Outcome | undefined {
  const state = Atomics.load(i32, BarrierLayout.STATE_INDEX);
  if (generationOf(state) === generation) {
    return (state & BarrierState.BROKEN) !== 0 ? 'broken' : undefined;
  }
  const outcome = Atomics.load(i32, BarrierLayout.FIRST_OUTCOME_INDEX + (generation % OUTCOME_RING));
  return outcome === ((generation << 1) | 1) ? 'broken' : 'passed';
}

/**
 * Breaks `generation` if it is still filling; wakes every waiter. Returns false if it had already ended or
 * is passing: once the last party set TRIPPING, a waiter that leaves (timeout, abort, death) no longer
 * breaks it, as in Python, where waits queue behind the action (a dead tripper: recoverAbandonedTrip).
 */
export function breakGeneration(i32: Int32Array, generation: number): boolean {
  let state = Atomics.load(i32, BarrierLayout.STATE_INDEX);
  for (;;) {
    if (generationOf(state) !== generation || (state & BarrierState.TRIPPING) !== 0) return false;
    if ((state & BarrierState.BROKEN) !== 0) return true;
    const found = Atomics.compareExchange(i32, BarrierLayout.STATE_INDEX, state, state | BarrierState.BROKEN);
    if (found === state) {
      Atomics.notify(i32, BarrierLayout.STATE_INDEX);
      return true;
    }
    state = found;
  }
}

/** True while the last party of `generation` runs the action (TRIPPING set, the generation not ended). */
export function isTripping(i32: Int32Array, generation: number): boolean {
  const state = Atomics.load(i32, BarrierLayout.STATE_INDEX);
  return generationOf(state) === generation && (state & BarrierState.TRIPPING) !== 0;
}

/** True when a party that arrived in `generation` has died since. */
export function hasDeadParty(i32: Int32Array, generation: number): boolean {
  const arrived = Atomics.load(i32, BarrierLayout.STATE_INDEX) & BarrierState.ARRIVED_MASK;
  for (let index = 0; index < arrived; index++) {
    const record = BarrierLayout.FIRST_PARTY_INDEX + index * PARTY_RECORD_WORDS;
    if (Atomics.load(i32, record + PartyRecord.GENERATION) !== generation) continue;
    if (!isThreadAlive(Atomics.load(i32, record + PartyRecord.TOKEN))) return true;
  }
  return false;
}

/**
 * With ENDER held by the caller: sets TRIPPING on the current generation (reset()), so that arrivals wait
 * for the generation it ends. Returns that generation.
 */
export function startEnding(i32: Int32Array): number {
  return generationOf(Atomics.or(i32, BarrierLayout.STATE_INDEX, BarrierState.TRIPPING));
}

/** Sets BROKEN on the current generation (abort()); wakes every waiter. */
export function breakCurrent(i32: Int32Array): void {
  const state = Atomics.or(i32, BarrierLayout.STATE_INDEX, BarrierState.BROKEN);
  if ((state & BarrierState.BROKEN) === 0) Atomics.notify(i32, BarrierLayout.STATE_INDEX);
}
