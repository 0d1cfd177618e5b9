/**
 * Memory layout of the liveness table: one record per thread that uses @ipc, so that any thread can ask
 * whether another is still alive (design.md §6). Locks, semaphores and queues store the *token* of the
 * thread that holds them; a waiter that finds the token dead recovers the resource.
 *
 * The table is one block of the process-wide heap (heap/layout.ts, LIVENESS_GRANULE):
 *
 *   word 0            TAG_VERSION   LIVENESS_TAG << 16 | LIVENESS_LAYOUT_VERSION       written once
 *   words 1..3        reserved (0)
 *   then RECORD_COUNT records of RECORD_WORDS Int32 words:
 *     +0 OCCUPANT     token of the living thread in this record; 0 = free or dead;   CAS by owner, parent,
 *                     CLAIMING (-1) while a new owner fills in the record            or a sweeper
 *     +1 GENERATION   how many times the record was taken; part of the token          owner, while claiming
 *     +2 THREAD_ID    `worker_threads.threadId` of the occupant                       owner, while claiming
 *     +3 PARENT       token of the thread that started the occupant, 0 for the main  owner, while claiming
 *                     thread; a thread whose ancestor is dead is dead too, since Node ends a worker's
 *                     workers with it
 *
 * Token: GENERATION * RECORD_COUNT + record index, always in 1..2^31-1. The generation makes a token
 * unique over time: when a record is reused its new token differs, so a stale token reads as dead.
 */

export const LIVENESS_TAG = 0x11fe;
export const LIVENESS_LAYOUT_VERSION = 1;

/** Threads that can be alive at once (Node's practical worker count is far lower). */
export const RECORD_COUNT = 4096;
/** Generations wrap below this bound so that tokens stay positive Int32 values. */
export const GENERATION_LIMIT = 2 ** 31 / RECORD_COUNT;

export const TABLE_HEADER_WORDS = 4;
export const RECORD_WORDS = 4;

/** Int32 slots of one record, relative to the record's first word. */
export const LivenessRecord = {
  OCCUPANT_INDEX: 0,
  GENERATION_INDEX: 1,
  THREAD_ID_INDEX: 2,
  PARENT_INDEX: 3,
} as const;

/** OCCUPANT value while a new owner fills in the record. */
export const CLAIMING = -1;

export const LIVENESS_TABLE_WORDS = TABLE_HEADER_WORDS + RECORD_COUNT * RECORD_WORDS;
export const LIVENESS_TABLE_BYTES = LIVENESS_TABLE_WORDS * 4;
