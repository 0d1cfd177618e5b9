/**
 * Memory layout of a `Queue` (and of a `JoinableQueue` and a `SimpleQueue`, with their own tags): a message
 * ring, whose header words and protocol are core's (`@ipc/core`, ring/layout.ts: the diagram, the journals,
 * growth), plus the words core leaves to its owner:
 *
 *   word 0    TAG_VERSION   QUEUE_TAG, JOINABLE_QUEUE_TAG or SIMPLE_QUEUE_TAG << 16 |    written once
 *                           QUEUE_LAYOUT_VERSION
 *   word 4    SHUTDOWN      (core's) OPEN, SHUTDOWN_DRAIN, SHUTDOWN_IMMEDIATE             any thread, CAS up
 *                           (shutdown.ts): puts are refused once it is not OPEN
 *   word 5    CODEC         1 if made with a custom codec (other threads must be given   written once
 *                           it: useCodec), 0 for the structured codec
 *   word 224  DONE_COUNT    JoinableQueue: taskDone() calls (wraps); unfinished tasks    consumers (CAS)
 *                           are PUT_COUNT − DONE_COUNT, so a put needs no second counter
 *   word 225  JOINERS       JoinableQueue: threads parked on DONE_COUNT                  parkers (core park.ts)
 */

import { RING_HEADER_BYTES, RING_HEADER_WORDS, RingLayout } from '@ipc/core';

export {
  RingConsumerJournal as ConsumerJournal,
  RingGrowJournal as GrowJournal,
  RingProducerJournal as ProducerJournal,
  RingRecord,
  recordBytes,
} from '@ipc/core';

export const QUEUE_TAG = 0x0401;
export const JOINABLE_QUEUE_TAG = 0x0402;
export const SIMPLE_QUEUE_TAG = 0x0403;
/** 2: core's message ring (cache-line header, 8-aligned records); 1: the first ring. */
export const QUEUE_LAYOUT_VERSION = 2;

export const QueueLayout = {
  ...RingLayout,
  CODEC_INDEX: 5,
  DONE_COUNT_INDEX: 224,
  JOINERS_INDEX: 225,
} as const;

export const HEADER_WORDS = RING_HEADER_WORDS;
export const HEADER_BYTES = RING_HEADER_BYTES;
