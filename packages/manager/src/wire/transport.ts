/**
 * One manager connection, either kind, as the client and the server use it: messages encoded at once by the
 * connection's own manager codec, sent in order, received one at a time.
 *
 * - A shared-memory `Connection` (threads of the server's process): sending stores the message in the
 *   pipe's ring at once; a send that finds 1024 messages unread waits, and the pipe keeps later sends of
 *   the thread behind it.
 * - A `SocketConnection` (other processes and machines): a socket write keeps order by itself.
 */

import type { DataCodec } from '@ipc/core';
import type { Connection, SocketConnection } from '@ipc/pipe';

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
   * The next message if one comes within `ms`, waiting synchronously (spin, then a blocking wait), else
   * {@link NOTHING}. Only shared-memory transports wait; a socket answers NOTHING at once.
   *
   * @throws {EOFError} once the other side is gone.
   */
  recvWithin(ms: number): unknown;
  /** A promise that settles when everything sent so far has been handed on (for a last message). */
  flushed(): Promise<void>;
  close(): void;
}

/** A transport over one end of a shared-memory Pipe. */
export class PipeTransport implements Transport {
  readonly #connection: Connection;
  readonly #codec: DataCodec;
  #last: Promise<void> = Promise.resolve();

  constructor(connection: Connection, codec: DataCodec) {
    this.#connection = connection;
    this.#codec = codec;
    // Received messages are decoded in place, out of the pipe's ring.
    connection.useCodec(codec);
  }

  send(message: unknown): void {
    const { bytes, start, end } = this.#codec.encodeScratch(message);
    this.sendEncoded(bytes.subarray(start, end));
  }

  sendEncoded(bytes: Uint8Array): void {
    // Stored at once unless 1024 messages are unread; then the pipe keeps a copy, and keeps the order.
    this.#last = this.#connection.sendBytes(bytes).catch(() => {
      // The other end is gone: the receive loop sees it too and ends the connection.
    });
  }

  recv(): Promise<unknown> {
    return this.#connection.recv();
  }

  recvWithin(ms: number): unknown {
    const connection = this.#connection;
    // Spinning, not Atomics.wait: a blocking wait this short costs more than it saves.
    const end = performance.now() + ms;
    do {
      if (connection.pollSync(0)) return connection.recvSync();
    } while (performance.now() < end);
    return NOTHING;
  }

  flushed(): Promise<void> {
    return this.#last;
  }

  close(): void {
    this.#connection.close();
  }
}

/** A transport over an authenticated socket connection. */
export class SocketTransport implements Transport {
  readonly #connection: SocketConnection<unknown>;
  readonly #codec: DataCodec;
  #last: Promise<void> = Promise.resolve();

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
    // The socket copies the bytes behind its frame header before this returns, and writes in call order.
    this.#last = this.#connection.sendBytes(bytes, start, end - start).catch(() => {
      // The peer is gone: the receive loop sees it too and ends the connection.
    });
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
