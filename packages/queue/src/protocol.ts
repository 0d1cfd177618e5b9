/**
 * What the data structures under the queue classes (core's message ring for Queue, table/ for LifoQueue and
 * PriorityQueue) share with them: how a try that could not do its work says why, and how a take is given a
 * decoder. The ring's are core's; the table answers with the same values.
 */

export { type Decoder, RING_EMPTY as EMPTY, RING_FULL as FULL, RING_SHUT as SHUT } from '@ipc/core';
