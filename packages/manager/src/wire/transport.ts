/**
 * One manager connection, either kind, as the client and the server use it: messages encoded at once by the
 * connection's own manager codec, sent in order, received one at a time.
 *
 * - A shared-memory `Connection` (threads of the server's process): sending stores the message in the
 *   pipe's ring at once; a send that finds 1024 messages unread waits, and the pipe keeps later sends of
 *   the thread behind it.
 * - A `SocketConnection` (other processes and machines): a socket write keeps order by itself.
 */

import { type Codec, type DataCodec, type Readiness, type ScratchBytes, WAITABLE } from '@ipc/core';
import type { Connection, SocketConnection } from '@ipc/pipe';
import { MAX_MESSAGE_BYTES } from './messages.ts';

/** What `recvWithin` returns when no message came. */
export const NOTHING: unique symbol = Symbol('nothing');

export interface Transport {
  /**
   * Encodes `message` now (a value changed afterwards is not affected) and sends it after those sent before.
   *
   * @throws {TypeError} for a value the manager codec cannot carry (nothing is sent).
   */
  send(message: unknown): void;
  /** Sends a message already encoded by this transport's codec. */
  sendEncoded(bytes: Uint8Array): void;
  /** The next message. @throws {EOFError} once the other side is gone. */
  recv(): Promise<unknown>;
  /**
   * The next message if one comes within `ms`, waiting synchronously (spinning for the first `spinMs`, then
   * a blocking wait), else {@link NOTHING}. Only shared-memory transports wait; a socket answers NOTHING
   * at once.
   *
   * @throws {EOFError} once the other side is gone.
   */
  recvWithin(ms: number, spinMs?: number): unknown;
  /** A promise that settles when everything sent so far has been handed on (for a last message). */
  flushed(): Promise<void>;
  /** True while too much that was sent waits to be written (the peer does not read): stop producing. */
  backlogged(): boolean;
  close(): void;
}

/**
 * Loads of the readiness word between two looks at the clock while `recvWithin` spins (a load costs about
 * 10 ns, performance.now() about 30).
 */
const LOADS_PER_CLOCK = 64;

/** No encoding failure recorded. */
const NO_FAILURE: unique symbol = Symbol('no failure');

/**
 * The manager codec as a pipe end uses it: an encoding that fails is recorded, so that `send` can throw
 * it (the pipe's `send` only reports it in the promise it returns).
 */
class RecordingCodec implements Codec {
  readonly #codec: DataCodec;
  failure: unknown = NO_FAILURE;

  constructor(codec: DataCodec) {
    this.#codec = codec;
  }

  encode(value: unknown): Uint8Array {
    return this.#codec.encode(value);
  }

  encodeScratch(value: unknown): ScratchBytes {
    try {
      return this.#codec.encodeScratch(value);
    } catch (error) {
      this.failure = error;
      throw error;
    }
  }

  decode(bytes: Uint8Array): unknown {
    return this.#codec.decodeRange(bytes, 0, bytes.length);
  }

  decodeRange(source: Uint8Array, start: number, end: number): unknown {
    return this.#codec.decodeRange(source, start, end);
  }
}

/**
 * A send's promise that was seen settled, and so cannot fail. A pipe send that stores its message at once
 * returns one shared settled promise: once it is known, a send that returns it needs no handler (which
 * would cost a promise and a microtask per message).
 */
let settledSend: Promise<void> | undefined;

const ignore = (): void => {};

/** A transport over one end of a shared-memory Pipe. */
export class PipeTransport implements Transport {
  readonly #connection: Connection;
  readonly #codec: RecordingCodec;
  /** The connection's readiness: a message (or EOF) is there; and the word that changes when one comes. */
  readonly readiness: Readiness;
  #last: Promise<void> = Promise.resolve();

  constructor(connection: Connection, codec: DataCodec) {
    this.#connection = connection;
    this.#codec = new RecordingCodec(codec);
    // Messages are encoded by the pipe straight into its ring, and decoded in place out of it.
    connection.useCodec(this.#codec);
    this.readiness = connection[WAITABLE];
  }

  send(message: unknown): void {
    const sent = this.#connection.send(message);
    if (sent === settledSend) {
      // Stored at once, after all the sends before it (a send waits behind those waiting for room).
      this.#last = sent;
      return;
    }
    const codec = this.#codec;
    if (codec.failure !== NO_FAILURE) {
      // Nothing was sent.
      const failure = codec.failure;
      codec.failure = NO_FAILURE;
      sent.catch(ignore);
      throw failure;
    }
    // Waiting for room (1024 messages unread: the pipe keeps it, in order), failed (the other end is gone:
    // the receive side sees it too and ends the connection), or stored and settled.
    this.#last = sent.then(() => {
      settledSend = sent;
    }, ignore);
  }

  sendEncoded(bytes: Uint8Array): void {
    // Stored at once unless 1024 messages are unread; then the pipe keeps a copy, and keeps the order.
    this.#last = this.#connection.sendBytes(bytes).catch(ignore);
  }

  recv(): Promise<unknown> {
    return this.#connection.recv();
  }

  /**
   * The next message if one is there, else {@link NOTHING}; never waits.
   *
   * @throws {EOFError} once the other side is gone and everything it sent was received.
   */
  tryRecv(): unknown {
    return this.readiness.ready() ? this.#connection.recvSync() : NOTHING;
  }

  recvWithin(ms: number, spinMs = ms): unknown {
    const { ready, spot } = this.readiness;
    const { i32, valueIndex, waitersIndex } = spot;
    if (!(ms > 0)) return ready() ? this.#connection.recvSync() : NOTHING;
    // The word is read before each look, so that a message put after a look changes it: the next look (or
    // the park, which returns at once for a word that moved) finds the message.
    let seen = Atomics.load(i32, valueIndex);
    // The first look comes after a first round of loads (a reply takes a microsecond or more): it finds a
    // message put before the word was first read; the clock is read from then on.
    let started = Number.NaN;
    for (;;) {
      for (let loads = 0; loads < LOADS_PER_CLOCK; loads++) {
        if (Atomics.load(i32, valueIndex) === seen) continue;
        seen = Atomics.load(i32, valueIndex);
        // A message (or the other end closed: recvSync throws EOFError).
        if (ready()) return this.#connection.recvSync();
      }
      if (Number.isNaN(started)) {
        if (ready()) return this.#connection.recvSync();
        started = performance.now();
      } else if (performance.now() - started >= spinMs) {
        break;
      }
    }
    // Then a blocking wait for the rest of `ms`: a sender that sees a waiter counted wakes it (core's park
    // protocol: counted first, then the word read, then the look).
    for (let left = started + ms - performance.now(); left > 0; left = started + ms - performance.now()) {
      Atomics.add(i32, waitersIndex, 1);
      try {
        seen = Atomics.load(i32, valueIndex);
        if (ready()) return this.#connection.recvSync();
        Atomics.wait(i32, valueIndex, seen, left);
      } finally {
        Atomics.sub(i32, waitersIndex, 1);
      }
      if (ready()) return this.#connection.recvSync();
    }
    // The other end may have closed without a message: it notifies, but does not change the word.
    return ready() ? this.#connection.recvSync() : NOTHING;
  }

  flushed(): Promise<void> {
    return this.#last;
  }

  backlogged(): boolean {
    // The pipe keeps sends that wait for room; the reader's 1024 unread messages bound them.
    return false;
  }

  close(): void {
    this.#connection.close();
  }
}

/** Bytes sent on a socket and not yet written, past which the sender is told to wait (`backlogged`). */
const SOCKET_BACKLOG_BYTES = 8 * 1024 * 1024;
/** Messages up to this size are copied by the socket behind its header; larger ones are written as given. */
const SOCKET_COPY_MAX_BYTES = 64 * 1024;

/** A transport over an authenticated socket connection. */
export class SocketTransport implements Transport {
  readonly #connection: SocketConnection<unknown>;
  readonly #codec: DataCodec;
  #last: Promise<void> = Promise.resolve();
  /** Bytes handed to the socket and not yet written. */
  #unwritten = 0;

  constructor(connection: SocketConnection<unknown>, codec: DataCodec) {
    this.#connection = connection;
    this.#codec = codec;
  }

  send(message: unknown): void {
    const { bytes, start, end } = this.#codec.encodeScratch(message);
    this.#sendRange(bytes, start, end);
  }

  sendEncoded(bytes: Uint8Array): void {
    this.#sendRange(bytes, 0, bytes.length);
  }

  #sendRange(bytes: Uint8Array, start: number, end: number): void {
    const length = end - start;
    // Said now, in the caller (a reply that cannot go is answered with this error instead).
    if (length > MAX_MESSAGE_BYTES) {
      throw new RangeError(`a manager message of ${length} bytes is over the limit of ${MAX_MESSAGE_BYTES}`);
    }
    // The socket copies small messages behind its frame header; a large one it writes as given, later, so
    // it gets its own copy: the codec's scratch memory is reused by the next message.
    const payload = length > SOCKET_COPY_MAX_BYTES ? bytes.slice(start, end) : bytes.subarray(start, end);
    this.#unwritten += length;
    // Written in call order.
    this.#last = this.#connection.sendBytes(payload).then(
      () => {
        this.#unwritten -= length;
      },
      () => {
        // The peer is gone: the receive loop sees it too and ends the connection.
        this.#unwritten -= length;
      },
    );
  }

  backlogged(): boolean {
    return this.#unwritten > SOCKET_BACKLOG_BYTES;
  }

  async recv(): Promise<unknown> {
    const bytes = await this.#connection.recvBytes();
    return this.#codec.decode(bytes);
  }

  recvWithin(): unknown {
    return NOTHING;
  }

  flushed(): Promise<void> {
    return this.#last;
  }

  close(): void {
    this.#connection.close();
  }
}
