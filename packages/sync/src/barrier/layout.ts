/**
 * Memory layout of a `Barrier`: a generation barrier whose whole state is one word, so that arriving,
 * tripping and breaking are single CAS steps, plus a record of each waiting party for liveness checks.
 *
 *   word 0   TAG_VERSION  BARRIER_TAG << 16 | BARRIER_LAYOUT_VERSION          written once at allocation
 *   word 1   STATE        bits 0..15 ARRIVED: parties waiting in this          arrivals (CAS); the
 *                         generation; bit 16 TRIPPING: the last party is      tripper, reset(), abort()
 *                         running the action; bit 17 BROKEN; bits 18..30
 *                         GENERATION (wraps at 2^13). Waiters park on it.
 *   word 2   WAITERS      threads parked on STATE                             parkers (core wait/park.ts)
 *   word 3   PARTIES      parties needed to trip                              written once
 *   word 4   HAS_TIMEOUT  1 if the barrier has a default timeout, else 0       written once
 *   word 5   ENDER        0, or the token of the thread ending the current     CAS 0 → token by the last
 *                         generation (the last party running the action, or     party or reset() before
 *                         reset()). TRIPPING is only set by the ENDER, and        they set TRIPPING; cleared
 *                         ENDER is cleared only after STATE left TRIPPING: so     after the next generation
 *                         a TRIPPING left by a thread that died names it, and     is published; a dead
 *                         whoever takes ENDER over ends that trip (broken)        ENDER is taken over
 *   words 6..7  TIMEOUT   the default timeout of wait() in ms, a Float64       written once
 *                         (8-byte aligned: blocks are 16-byte aligned); every
 *                         thread's Barrier object reads it, as Python pickles
 *                         the timeout with the barrier
 *   words 8..71  OUTCOMES  ring of how generations ended: generation g's      whoever ends a generation,
 *                          entry (g % OUTCOME_RING) holds g << 1 | broken,     before it publishes the
 *                          for waiters that wake after STATE moved on          next generation in STATE
 *   words 72..   PARTY records of 2 words, one per arrival index:
 *     +0 TOKEN       thread token of the party that arrived at this index    that party
 *     +1 GENERATION  the generation it arrived in (so stale records are      that party, after TOKEN
 *                    ignored)
 *
 * The generation bits in STATE rule out ABA: a CAS that read STATE in generation g fails once g ended,
 * even if ARRIVED is back to the same count.
 */

export const BARRIER_TAG = 0x0207;
/** 2: the ENDER word, and a ring of 64 outcomes. */
export const BARRIER_LAYOUT_VERSION = 2;

export const BarrierLayout = {
  STATE_INDEX: 1,
  WAITERS_INDEX: 2,
  PARTIES_INDEX: 3,
  HAS_TIMEOUT_INDEX: 4,
  ENDER_INDEX: 5,
  /** Index of the TIMEOUT Float64's first word (byte offset TIMEOUT_INDEX * 4). */
  TIMEOUT_INDEX: 6,
  FIRST_OUTCOME_INDEX: 8,
  FIRST_PARTY_INDEX: 72,
} as const;

export const BarrierState = {
  ARRIVED_MASK: 0xffff,
  TRIPPING: 1 << 16,
  BROKEN: 1 << 17,
  GENERATION_SHIFT: 18,
  GENERATION_MASK: 0x1fff,
} as const;

export const PartyRecord = {
  TOKEN: 0,
  GENERATION: 1,
} as const;

/**
 * Outcomes kept: a waiter that wakes after this many newer generations ended (only possible with more
 * threads than parties) cannot tell how its own ended, and reads it as passed.
 */
export const OUTCOME_RING = 64;
export const PARTY_RECORD_WORDS = 2;
/** Most parties a barrier can have (ARRIVED is 16 bits and must also hold `parties`). */
export const MAX_PARTIES = 0xffff;

/** Bytes of a barrier of `parties` parties. */
export function barrierBytes(parties: number): number {
  return (BarrierLayout.FIRST_PARTY_INDEX + parties * PARTY_RECORD_WORDS) * 4;
}
