import { type Codec, Heap, initRing, RING_HEADER_WORDS, ringCapacity } from '@ipc/core';
import { Connection } from './connection/connection.ts';
import {
  CONNECTION_LAYOUT_VERSION,
  PIPE_BYTES,
  PIPE_TAG,
  PIPE_WORDS,
  PipeLayout,
  READABLE,
  ringBase,
  WRITABLE,
} from './connection/layout.ts';

/** Options of a pipe. */
export interface PipeOptions {
  /**
   * How objects become bytes and back (`send`/`recv`; bytes are sent as they are); default core's structured
   * codec. Ends that cross to other threads are given it there with `useCodec`.
   */
  codec?: Codec | undefined;
}

/** Bytes each direction's ring starts with; it doubles when a message finds too little room. */
const RING_BYTES = 32 * 1024;

/**
 * A pipe between threads: two connected {@link Connection} ends in shared memory. Duplex (the default): each
 * end sends and receives. One-way (`duplex: false`): the first end only receives, the second only sends.
 *
 * **Python equivalent:** `multiprocessing.Pipe(duplex=True)`, which returns `(conn1, conn2)`.
 *
 * @example
 * ```ts
 * const [mainEnd, childEnd] = Pipe();
 * new Process({ target: child, args: [childEnd] }).start();
 * await mainEnd.send('ping');
 * console.log(await mainEnd.recv());
 * const [readEnd, writeEnd] = Pipe(false);
 * const [a, b] = Pipe(true, { codec: jsonCodec });   // other threads: b.useCodec(jsonCodec)
 * ```
 */
export function Pipe<T = unknown>(duplex = true, options: PipeOptions = {}): [Connection<T>, Connection<T>] {
  if (typeof duplex !== 'boolean') throw new TypeError(`duplex must be a boolean, got ${typeof duplex}`);
  const { codec } = options;
  if (codec !== undefined && (typeof codec.encode !== 'function' || typeof codec.decode !== 'function')) {
    throw new TypeError('a codec has encode(value) and decode(bytes)');
  }
  const heap = Heap.current();
  const pipe = heap.allocate(PIPE_BYTES);
  const words = new Int32Array(heap.buffer, pipe, PIPE_WORDS);
  Atomics.store(words, 0, (PIPE_TAG << 16) | CONNECTION_LAYOUT_VERSION);
  Atomics.store(words, PipeLayout.CODEC_INDEX, codec === undefined ? 0 : 1);
  const capacity = ringCapacity(RING_BYTES, 'ring bytes');
  // Ring e is read by end e. A one-way pipe's end 1 only writes: its ring stays unset.
  for (const end of duplex ? [0, 1] : [0]) {
    initRing(words.subarray(ringBase(end), ringBase(end) + RING_HEADER_WORDS), heap, capacity, 0);
  }
  // One reference to the pipe block per end (allocate gave the first).
  heap.retain(pipe);
  return [
    new Connection<T>({ pipe, end: 0, flags: duplex ? READABLE | WRITABLE : READABLE, codec }),
    new Connection<T>({ pipe, end: 1, flags: duplex ? READABLE | WRITABLE : WRITABLE, codec }),
  ];
}
