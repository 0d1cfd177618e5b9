/**
 * Memory layout of a `Pipe`: one PIPE block holding the two directions' message rings and the two ends'
 * holder tables, and one small END block per `Connection` (what crosses threads), naming the pipe block and
 * which end it is. Two blocks rather than one per end so that the ends do not keep each other alive: each
 * end block holds one reference to the pipe block, and the last end freed frees the pipe's memory.
 *
 * END block (a `Connection`'s own memory):
 *   word 0   TAG_VERSION  CONNECTION_TAG << 16 | CONNECTION_LAYOUT_VERSION                written once
 *   word 1   END          0 or 1: which end of the pipe                                   written once
 *   word 2   PIPE         heap byte offset of the pipe block (uint32)                     written once
 *   word 3   FLAGS        READABLE | WRITABLE                                             written once
 *
 * PIPE block (no handle of its own):
 *   words 0..255    RING 0, read by end 0, written by end 1 (@ipc/core ring/layout.ts), whose owner words are:
 *     word 0   TAG_VERSION  PIPE_TAG << 16 | CONNECTION_LAYOUT_VERSION                    written once
 *     word 5   HOLDERS      slots of end 0's holder table in use (a hint: a holder that    holders (add)
 *                           died without close() still counts)
 *     word 6   IN_FLIGHT    copies of end 0 written into messages (Process args, a queue's  senders (add),
 *                           message, share()) and not yet decoded: the end stays open for   receivers (sub)
 *                           the peer while one is on its way to a new holder
 *     word 7   CODEC        1 if the pipe was made with a custom codec (other threads must    written once
 *                           be given it: useCodec), 0 for the structured codec
 *   words 256..511  RING 1, read by end 1, written by end 0; owner words 5 and 6 are end 1's. A one-way
 *                   pipe's ring 1 is never set up (end 1 only writes): its CAPACITY stays 0.
 *   words 512..639  HOLDERS of end 0: one slot per thread that holds the end open, its    holders (CAS)
 *                   liveness token (0: free)
 *   words 640..767  HOLDERS of end 1
 *
 * A thread's Connection object registers in its end's table when it is made or revived, and unregisters on
 * close(); a dead thread's slot counts as free (core liveness), so an end whose holders all died is closed
 * as a process's file descriptors close when it exits. An end is CLOSED when no slot holds a live thread's
 * token and no copy is in flight: then a `recv` on the other end throws EOFError once its ring is drained (Python: every copy of the
 * write end closed), and a `send` from the other end throws InvalidStateError (Python: BrokenPipeError). A
 * close() wakes the other end's parked readers (they park on the PUT_COUNT of
 * the ring they read; a holder that dies is noticed by their 50 ms poll).
 */

export const CONNECTION_TAG = 0x0501;
export const PIPE_TAG = 0x0502;
export const CONNECTION_LAYOUT_VERSION = 1;

export const EndLayout = {
  END_INDEX: 1,
  PIPE_INDEX: 2,
  FLAGS_INDEX: 3,
} as const;

export const END_BYTES = 16;

export const PipeLayout = {
  /** Word of ring `end`'s header where that end's holder count is (an owner word of core's ring). */
  HOLDERS_OFFSET: 5,
  IN_FLIGHT_OFFSET: 6,
  /** Word of ring 0's header (the pipe's) that says whether the pipe has a custom codec. */
  CODEC_INDEX: 7,
  FIRST_HOLDER_INDEX: 512,
} as const;

/** Threads that can hold one end open at once, each in a slot. */
export const HOLDER_SLOTS = 128;

/** The first word of ring `end`'s header in the pipe block. */
export function ringBase(end: number): number {
  return end * 256;
}

/** The first word of end `end`'s holder table in the pipe block. */
export function holdersBase(end: number): number {
  return PipeLayout.FIRST_HOLDER_INDEX + end * HOLDER_SLOTS;
}

export const PIPE_WORDS = PipeLayout.FIRST_HOLDER_INDEX + 2 * HOLDER_SLOTS;
export const PIPE_BYTES = PIPE_WORDS * 4;

export const READABLE = 1;
export const WRITABLE = 2;
