/**
 * Memory layout of a `Queue` (and of a `JoinableQueue` and a `SimpleQueue`, with their own tags): a byte ring of self-delimiting records, with producers and consumers each
 * serialised by a robust guard (a two-lock queue), so that one producer and one consumer never contend.
 *
 *   word 0   TAG_VERSION  QUEUE_TAG << 16 | QUEUE_LAYOUT_VERSION                  written once
 *   word 1   PUT_COUNT    messages committed (wraps as Int32); getters park on it    producers, guarded
 *   word 2   GET_COUNT    messages taken (wraps); putters park on it                 consumers, guarded
 *   word 3   GETTERS      threads parked on PUT_COUNT                                parkers (core park.ts)
 *   word 4   PUTTERS      threads parked on GET_COUNT                                parkers (core park.ts)
 *   word 5   MAXSIZE      most messages at once; 0 = no limit                        written once
 *   word 6   CAPACITY     bytes of the ring (a multiple of 4); only grows            a producer holding
 *                                                                                    both guards (grow)
 *   word 7   PRODUCER_GUARD  core robust guard of the producers                      producers
 *   word 8   CONSUMER_GUARD  core robust guard of the consumers                      consumers
 *   word 9   TAIL         byte counter of the next record's place (wraps as uint32)  producers, guarded
 *   word 10  HEAD         byte counter of the next record to read (wraps)            consumers, guarded
 *   word 11  SHUTDOWN     OPEN, SHUTDOWN_DRAIN, SHUTDOWN_IMMEDIATE (shutdown.ts)      any thread, CAS up
 *   words 12..16  PRODUCER JOURNAL: TAIL_BEFORE, TAIL_AFTER, COUNT_BEFORE,          the producer in the
 *                 SPILL (heap offset of a spilled message, 0 if none), OPEN         guard
 *   words 17..20  CONSUMER JOURNAL: HEAD_BEFORE, HEAD_AFTER, COUNT_BEFORE, OPEN     the consumer in the guard
 *   word 21  DONE_COUNT   JoinableQueue: taskDone() calls (wraps); unfinished     consumers (CAS)
 *                         tasks are PUT_COUNT − DONE_COUNT, so a put needs no
 *                         second counter (nothing to leave half done)
 *   word 22  JOINERS      JoinableQueue: threads parked on DONE_COUNT             parkers (core park.ts)
 *   word 23  RING_BLOCK   heap byte offset of the ring's block                      as CAPACITY
 *   words 24..29  GROW JOURNAL: OPEN (1; 2 while replayed), OLD_BLOCK,              the grower
 *                 OLD_CAPACITY, OLD_HEAD, OLD_TAIL, NEW_BLOCK
 *   word 30  CODEC        1 if made with a custom codec (other threads must be given  written once
 *                         it: useCodec), 0 for the structured codec
 *   word 31  reserved (0)
 *
 * The RING, a heap block of CAPACITY bytes, holds records, each 4-aligned:
 *                 [length: Int32][payload: length bytes][padding to 4]  a message's encoded bytes
 *                 [WRAP: Int32]                                          the rest of the ring is unused:
 *                                                                        the next record is at its start
 *                 [SPILL: Int32][heap byte offset][length]               the bytes are in a heap block
 *
 * The commit of a message is one store: PUT_COUNT (after its bytes and TAIL); of a take, GET_COUNT (then
 * HEAD moves, and never back: a producer may reuse the space at once); of a growth, CAPACITY (after
 * RING_BLOCK, HEAD and TAIL). A thread terminated in a guard leaves a journal that the next one replays: forward if its commit store happened, backward if not; so no record
 * is ever half visible, and no space stays reserved.
 *
 * Growth: a put that finds too little room while the count allows more (maxsize not reached) doubles the
 * ring, up to MAX_RING_BYTES, instead of waiting: with both guards held it copies the queued records to a
 * new block, in order, from its start. So a producer never waits for a consumer that is not there yet
 * (Python's "join a process before draining its queue" deadlock), as long as memory lasts.
 */

export const QUEUE_TAG = 0x0401;
export const JOINABLE_QUEUE_TAG = 0x0402;
export const SIMPLE_QUEUE_TAG = 0x0403;
export const QUEUE_LAYOUT_VERSION = 1;

export const QueueLayout = {
  PUT_COUNT_INDEX: 1,
  GET_COUNT_INDEX: 2,
  GETTERS_INDEX: 3,
  PUTTERS_INDEX: 4,
  MAXSIZE_INDEX: 5,
  CAPACITY_INDEX: 6,
  PRODUCER_GUARD_INDEX: 7,
  CONSUMER_GUARD_INDEX: 8,
  TAIL_INDEX: 9,
  HEAD_INDEX: 10,
  SHUTDOWN_INDEX: 11,
  DONE_COUNT_INDEX: 21,
  JOINERS_INDEX: 22,
  RING_BLOCK_INDEX: 23,
  CODEC_INDEX: 30,
} as const;

export const GrowJournal = {
  OPEN: 24,
  OLD_BLOCK: 25,
  OLD_CAPACITY: 26,
  OLD_HEAD: 27,
  OLD_TAIL: 28,
  NEW_BLOCK: 29,
} as const;

/** The largest ring a queue grows to (its messages over half of it are spilled to heap blocks anyway). */
export const MAX_RING_BYTES = 1 << 30;

export const ProducerJournal = {
  TAIL_BEFORE: 12,
  TAIL_AFTER: 13,
  COUNT_BEFORE: 14,
  SPILL: 15,
  OPEN: 16,
} as const;

export const ConsumerJournal = {
  HEAD_BEFORE: 17,
  HEAD_AFTER: 18,
  COUNT_BEFORE: 19,
  OPEN: 20,
} as const;

export const HEADER_WORDS = 32;
export const HEADER_BYTES = HEADER_WORDS * 4;

/** A record length that says: the ring continues at its start. */
export const WRAP = -1;
/** A record length that says: the message's bytes are in a heap block (offset and length follow). */
export const SPILL = -2;
export const SPILL_RECORD_BYTES = 12;
