/**
 * `SocketConnection`: one end of a connection over a Unix socket or TCP, as `Listener.accept()` and
 * `Client()` return it. Python's `multiprocessing.connection.Connection` on a socket.
 *
 * Reading: the socket's bytes go to a FrameReader, cut into frames as they arrive (each header is checked
 * against `maxMessageBytes` as soon as it is in), and wait in a queue for `recv*()`. While more than
 * RECEIVE_HIGH_WATER_BYTES of complete messages wait, the socket is paused, so that a peer cannot fill this
 * process's memory faster than it reads (TCP then slows the peer down).
 *
 * Writing: each message is one frame written in one call (header and payload together), and a send resolves
 * once Node handed the bytes to the operating system: an error of that write (the peer is gone) rejects
 * that send, and the buffer of a resolved `sendBytes` may be reused at once.
 */

import type { Socket } from 'node:net';
import {
  AuthenticationError,
  BufferTooShort,
  type Codec,
  checkTimeout,
  EOFError,
  InvalidStateError,
  type ParkingSpot,
  ProcessError,
  type Readiness,
  WAITABLE,
  type Waitable,
  wakeParked,
} from '@ipc/core';
import { type ByteSource, checkMaxLength, receiveRange, sendRange } from './byte-ranges.ts';
import { FrameLengthError, type FrameReader, headerBytes, writeHeader } from './frame.ts';
import { isHandshakeFrame } from './handshake.ts';
import type { ResolvedOptions } from './options.ts';

/** Reading pauses while more than this many bytes of whole messages wait for recv(), and resumes below half. */
const RECEIVE_HIGH_WATER_BYTES = 8 * 1024 * 1024;
/**
 * What each waiting message counts beyond its payload (its header, and the object that holds it): without
 * it, empty messages (4 bytes each on the wire) would never reach the high water, and queue without bound.
 */
const QUEUED_MESSAGE_OVERHEAD_BYTES = 64;
/**
 * Payloads up to this size are copied behind their header and written as one buffer (one write, and on TCP
 * no Nagle delay between header and payload); bigger ones are written as header + payload in one writev.
 */
const COPY_MAX_BYTES = 64 * 1024;
/** What a send returns when the OS took its bytes at once. */
const WRITTEN: Promise<void> = Promise.resolve();
/** After close(), how long the socket waits for the peer to close its end before it is destroyed. */
const CLOSE_LINGER_MS = 5_000;

/** Why no more messages will arrive: the peer ended (EOF), or this end gave up on a protocol error. */
interface Ending {
  readonly kind: 'eof' | 'protocol';
  readonly message: string;
  readonly cause?: unknown;
}

interface Receiver {
  resolve(frame: Uint8Array): void;
  reject(error: Error): void;
}

/** A plain Uint8Array of its own holding `frame` (which may be a view of a bigger read buffer). */
function ownBytes(frame: Uint8Array): Uint8Array {
  if (frame.constructor === Uint8Array && frame.byteOffset === 0 && frame.byteLength === frame.buffer.byteLength) {
    return frame;
  }
  const copy = new Uint8Array(Buffer.allocUnsafeSlow(frame.length).buffer, 0, frame.length);
  copy.set(frame);
  return copy;
}

/** Set by SocketConnection's static block: the only way to make one (from Listener and Client). */
let construct: <T>(socket: Socket, reader: FrameReader, options: ResolvedOptions) => SocketConnection<T>;

/**
 * Wraps a connected (and authenticated) socket; `reader` holds what the peer sent so far. Internal to the
 * package: users get connections from `Listener.accept()` and `Client()`.
 */
export function createConnection<T>(
  socket: Socket,
  reader: FrameReader,
  options: ResolvedOptions,
): SocketConnection<T> {
  return construct<T>(socket, reader, options);
}

/**
 * One end of a connection to another thread, process or machine, over a Unix socket or TCP: what
 * `Listener.accept()` and `Client()` give. It has the surface of a `Pipe`'s `Connection` (async forms):
 * `send`/`recv` carry values through the connection's codec (data only by default), `sendBytes`/`recvBytes`/
 * `recvBytesInto` carry raw bytes, and `for await` reads until the peer closes.
 *
 * **Python equivalent:** `multiprocessing.connection.Connection` as `Listener.accept()` and `Client()`
 * return it. Differences: every call is async (a socket cannot be read without the event loop); messages are
 * not pickled but encoded by `dataCodec` (data only: no code runs on decoding); `poll()` is true only once a
 * whole message is in; `recvBytes(maxlength)` with a longer message throws `BufferTooShort` (holding it) and
 * the connection stays usable, where Python raises `OSError` and stops reading.
 *
 * **When to use:** between OS processes (a `child_process`, another program, CPython with raw bytes) or
 * machines. Between worker threads of one process, a `Pipe` is faster and can carry @ipc primitives.
 *
 * **Thread rules:** a connection belongs to the thread that made it. Concurrent `recv` calls are served in
 * call order, concurrent sends are written in call order.
 *
 * @example
 * ```ts
 * const listener = new Listener({ address: { host: '127.0.0.1', port: 0 }, authkey: 'secret' });
 * const { port } = (await listener.ready()) as { host: string; port: number };
 * const client = Client<string>({ host: '127.0.0.1', port }, { authkey: 'secret' });
 * const server = await listener.accept();
 * const conn = await client;
 * await conn.send('hello');
 * console.log(await server.recv()); // 'hello'
 * conn.close();
 * for await (const message of server) console.log(message); // ends at once: the peer closed
 * ```
 */
export class SocketConnection<T = unknown> implements Waitable, AsyncIterable<T>, Disposable {
  readonly #socket: Socket;
  readonly #reader: FrameReader;
  readonly #codec: Codec;
  readonly #maxMessageBytes: number;
  /** Whole messages received and not read yet, oldest first (only while no recv() waits). */
  readonly #frames: Uint8Array[] = [];
  #queuedBytes = 0;
  /** recv*() calls waiting for a message, oldest first (only while no message waits). */
  readonly #receivers: Receiver[] = [];
  /** poll() calls waiting for readiness. */
  readonly #pollers = new Set<() => void>();
  /** Why nothing more will arrive, once nothing will. */
  #ending: Ending | undefined;
  /** The error of a failed write: nothing more can be sent. */
  #writeError: Error | undefined;
  #closed = false;
  /** True while reading is paused because too much waits to be read. */
  #pausedForBackpressure = false;
  readonly #spot: ParkingSpot = {
    i32: new Int32Array(new SharedArrayBuffer(8)),
    valueIndex: 0,
    waitersIndex: 1,
  };

  static {
    construct = <U>(socket: Socket, reader: FrameReader, options: ResolvedOptions) =>
      new SocketConnection<U>(socket, reader, options);
  }

  private constructor(socket: Socket, reader: FrameReader, options: ResolvedOptions) {
    this.#socket = socket;
    this.#reader = reader;
    this.#codec = options.codec;
    this.#maxMessageBytes = options.maxMessageBytes;
    socket.on('data', this.#onData);
    socket.on('end', this.#onEnd);
    socket.on('error', this.#onError);
    socket.on('close', this.#onClose);
    // What came with the handshake's last frame; then the paused socket flows again.
    this.#takeFrames();
    socket.resume();
  }

  /**
   * Whether this end has been closed with {@link SocketConnection.close}. **Python equivalent:** `closed`.
   */
  get closed(): boolean {
    return this.#closed;
  }

  /** Whether `recv` may still return a message: not closed, and messages wait or the peer may send more. */
  get readable(): boolean {
    return !this.#closed && (this.#frames.length > 0 || this.#ending === undefined);
  }

  /** Whether `send` may still succeed: not closed, and neither the peer's close nor an error ended it. */
  get writable(): boolean {
    return !this.#closed && this.#ending === undefined && this.#writeError === undefined;
  }

  /**
   * Sends `obj`, encoded by the connection's codec. Resolves once the bytes are handed to the operating
   * system. **Python equivalent:** `send(obj)`.
   *
   * @throws {TypeError} for a value the codec cannot carry (a function, an @ipc primitive, ...);
   * {RangeError} when its encoding is over `maxMessageBytes`; {InvalidStateError} after `close()`, once the
   * peer has closed, or when the write fails (the peer is gone: `cause` holds the system error).
   */
  send(obj: T): Promise<void> {
    try {
      this.#checkWritable();
      const codec = this.#codec;
      const encoded = codec.encodeScratch?.(obj);
      const bytes = encoded === undefined ? codec.encode(obj) : encoded.bytes.subarray(encoded.start, encoded.end);
      this.#checkSize(bytes.length);
      // Copied behind the header, also when large: scratch bytes are reused by the next encode.
      return this.#write(this.#frame(bytes));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Sends `buf[offset..offset + size)` as one message of raw bytes (offsets count bytes, whatever the
   * element size). The buffer may be changed again once the promise resolves. **Python equivalent:**
   * `send_bytes(buf, offset=0, size=None)`.
   *
   * @throws {RangeError} for a negative or fractional offset or size, or a range past the end of `buf`, or
   * a message over `maxMessageBytes`; {TypeError} for something other than bytes; {InvalidStateError} as
   * `send` does.
   */
  sendBytes(buf: ByteSource, offset = 0, size?: number): Promise<void> {
    try {
      const bytes = sendRange(buf, offset, size);
      this.#checkWritable();
      this.#checkSize(bytes.length);
      if (bytes.length <= COPY_MAX_BYTES) return this.#write(this.#frame(bytes));
      const header = Buffer.allocUnsafe(headerBytes(bytes.length));
      writeHeader(header, bytes.length);
      return this.#write(header, bytes);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * The next message, decoded by the connection's codec. **Python equivalent:** `recv()`.
   *
   * @throws {EOFError} once the peer closed and every message before was read (also when it closed in the
   * middle of a message); {TypeError} for a message the codec cannot decode (it is consumed, and the
   * connection stays usable); {AuthenticationError} when the message is the handshake of a listener that
   * wants an authkey this end was not given; {ProcessError} after the peer broke the protocol (a message
   * over `maxMessageBytes`), which closed the connection; {InvalidStateError} after `close()`.
   */
  recv(): Promise<T> {
    return this.#next().then((frame) => this.#decode(frame));
  }

  /**
   * The next message as raw bytes (a Uint8Array of its own). **Python equivalent:** `recv_bytes(maxlength)`.
   *
   * @throws {BufferTooShort} when the message is longer than `maxlength`: it is consumed and held in the
   * error's `data`, and the connection stays usable (Python raises OSError and stops reading); {RangeError}
   * for a negative `maxlength`; the errors of `recv` otherwise.
   */
  recvBytes(maxlength?: number): Promise<Uint8Array> {
    try {
      const limit = checkMaxLength(maxlength);
      return this.#next().then((frame) => {
        const bytes = ownBytes(frame);
        if (limit !== undefined && bytes.length > limit) {
          throw new BufferTooShort(`a message of ${bytes.length} bytes is longer than maxlength ${limit}`, {
            data: bytes,
          });
        }
        return bytes;
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Reads the next message into `buf` at byte `offset` and returns its length. **Python equivalent:**
   * `recv_bytes_into(buf, offset=0)`.
   *
   * @throws {BufferTooShort} when the message does not fit after `offset`: it is consumed and held in the
   * error's `data`; {RangeError} for an offset below 0 or past the end of `buf` (checked before waiting);
   * the errors of `recv` otherwise.
   */
  recvBytesInto(buf: ByteSource, offset = 0): Promise<number> {
    try {
      const room = receiveRange(buf, offset);
      return this.#next().then((frame) => {
        if (frame.length > room.length) {
          throw new BufferTooShort(
            `a message of ${frame.length} bytes does not fit in the ${room.length} bytes after offset ${offset}`,
            { data: ownBytes(frame) },
          );
        }
        room.set(frame);
        return frame.length;
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Whether a `recv` would return (or throw) without waiting: a whole message is in, or the connection
   * ended. Waits up to `timeout` ms for that; `timeout` omitted (or 0) looks once, `null` waits for ever.
   * **Python equivalent:** `poll(timeout=0.0)` (`None` waits for ever; here the timeout is milliseconds).
   *
   * @throws {InvalidStateError} after `close()`; {TypeError}/{RangeError} for a bad timeout.
   */
  poll(timeout?: number | null): Promise<boolean> {
    try {
      if (this.#closed) throw new InvalidStateError('the connection is closed');
      const ms = timeout === null ? undefined : (checkTimeout(timeout ?? 0) as number);
      if (this.#ready()) return Promise.resolve(true);
      if (ms !== undefined && ms <= 0) return Promise.resolve(false);
      return new Promise((resolve) => {
        let timer: NodeJS.Timeout | undefined;
        const wake = (): void => {
          clearTimeout(timer);
          this.#pollers.delete(wake);
          resolve(true);
        };
        if (ms !== undefined) {
          timer = setTimeout(() => {
            this.#pollers.delete(wake);
            resolve(false);
          }, ms);
        }
        this.#pollers.add(wake);
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Closes this end: sends what was already given to `send`, then tells the peer (which reads EOF once it
   * has read everything before). Waiting `recv`/`poll` calls settle (recv with InvalidStateError); later
   * calls throw InvalidStateError. Idempotent. **Python equivalent:** `close()`.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#frames.length = 0;
    this.#queuedBytes = 0;
    for (const receiver of this.#receivers.splice(0)) {
      receiver.reject(new InvalidStateError('the connection was closed while a recv waited'));
    }
    const socket = this.#socket;
    // Half-close now (what was written is still sent), keep reading (and dropping) so that unread bytes do
    // not turn the close into a reset, and destroy the socket once the peer closed too, or after a linger.
    socket.end();
    socket.resume();
    setTimeout(() => socket.destroy(), CLOSE_LINGER_MS).unref();
    this.#changed();
  }

  /**
   * Lets the process exit while this connection is open and idle, as Node's `socket.unref()` (a `recv` that
   * waits does not keep it alive then either). Returns this connection.
   */
  unref(): this {
    this.#socket.unref();
    return this;
  }

  /** Undoes {@link SocketConnection.unref}: the open connection keeps the process alive (the default). */
  ref(): this {
    this.#socket.ref();
    return this;
  }

  /** `close()`, for `using conn = await Client(...)`. */
  [Symbol.dispose](): void {
    this.close();
  }

  /**
   * Yields each message (decoded) until the peer closes, or this end is closed; rethrows any other error.
   * **Python equivalent:** `while True: try: msg = conn.recv() except EOFError: break`.
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for (;;) {
      let message: T;
      try {
        message = await this.recv();
      } catch (error) {
        if (error instanceof EOFError || this.#closed) return;
        throw error;
      }
      yield message;
    }
  }

  /**
   * The readiness protocol of @ipc/core (`wait()` in this package): ready when `poll()` would be true. Only
   * an async wait works: the socket is read by this thread's event loop, which a blocking wait stops.
   */
  get [WAITABLE](): Readiness {
    return { ready: () => this.#ready(), spot: this.#spot };
  }

  #ready(): boolean {
    return this.#frames.length > 0 || this.#ending !== undefined || this.#closed;
  }

  /** Readiness may have changed: bump the waitable word, wake its waiters and the polls. */
  #changed(): void {
    Atomics.add(this.#spot.i32, this.#spot.valueIndex, 1);
    wakeParked(this.#spot);
    for (const wake of this.#pollers) wake();
  }

  #checkWritable(): void {
    if (this.#closed) throw new InvalidStateError('the connection is closed');
    if (this.#writeError !== undefined) {
      throw new InvalidStateError(`cannot send: the connection failed (${this.#writeError.message})`, {
        cause: this.#writeError,
      });
    }
    if (this.#ending !== undefined) {
      throw new InvalidStateError(
        this.#ending.kind === 'eof'
          ? 'cannot send: the peer closed the connection'
          : `cannot send: the connection was closed after ${this.#ending.message}`,
        { cause: this.#ending.cause },
      );
    }
  }

  #checkSize(length: number): void {
    if (length > this.#maxMessageBytes) {
      throw new RangeError(`a message of ${length} bytes is over maxMessageBytes (${this.#maxMessageBytes})`);
    }
  }

  /** `bytes` behind their header, in one buffer of its own. */
  #frame(bytes: Uint8Array): Buffer {
    const frame = Buffer.allocUnsafe(headerBytes(bytes.length) + bytes.length);
    frame.set(bytes, writeHeader(frame, bytes.length));
    return frame;
  }

  /**
   * Writes a frame (or its header, then its payload, in one writev); settles when the OS has the bytes. A
   * write that the OS took whole at once (the usual case for a small frame: Node tries the write before it
   * queues it) settles now, not on the callback's later tick: nothing is left that could fail.
   */
  #write(first: Uint8Array, second?: Uint8Array): Promise<void> {
    const socket = this.#socket;
    const outcome: { error?: Error | null; settle?: (error?: Error | null) => void } = {};
    const done = (error?: Error | null): void => {
      outcome.error = error ?? null;
      outcome.settle?.(error);
    };
    if (second === undefined) {
      socket.write(first, done);
    } else {
      socket.cork();
      socket.write(first);
      socket.write(second, done);
      socket.uncork();
    }
    // A failed write destroys the socket at once; a whole one leaves nothing queued.
    if (!socket.destroyed && socket.writableLength === 0) return WRITTEN;
    return new Promise((resolve, reject) => {
      outcome.settle = (error) => {
        if (error === undefined || error === null) {
          resolve();
          return;
        }
        this.#writeError ??= error;
        reject(new InvalidStateError(`cannot send: the connection failed (${error.message})`, { cause: error }));
      };
      if (outcome.error !== undefined) outcome.settle(outcome.error);
    });
  }

  /** The next whole message: a waiting one, or the next to arrive. */
  #next(): Promise<Uint8Array> {
    if (this.#closed) return Promise.reject(new InvalidStateError('the connection is closed'));
    const frame = this.#frames.shift();
    if (frame !== undefined) {
      this.#queuedBytes -= frame.length + QUEUED_MESSAGE_OVERHEAD_BYTES;
      if (this.#pausedForBackpressure && this.#queuedBytes <= RECEIVE_HIGH_WATER_BYTES / 2) {
        this.#pausedForBackpressure = false;
        this.#socket.resume();
      }
      return Promise.resolve(frame);
    }
    if (this.#ending !== undefined) return Promise.reject(this.#endingError(this.#ending));
    return new Promise((resolve, reject) => this.#receivers.push({ resolve, reject }));
  }

  #decode(frame: Uint8Array): T {
    try {
      return this.#codec.decode(frame) as T;
    } catch (error) {
      if (!isHandshakeFrame(frame)) throw error;
      throw new AuthenticationError(
        'received the authentication handshake of a peer that uses an authkey: give this end the same authkey',
        { cause: error },
      );
    }
  }

  #endingError(ending: Ending): Error {
    const options = ending.cause === undefined ? {} : { cause: ending.cause };
    return ending.kind === 'eof'
      ? new EOFError(ending.message, options)
      : new ProcessError(`the connection was closed after ${ending.message}`, options);
  }

  #onData = (chunk: Buffer): void => {
    // After close(), what still arrives is read only so that the close stays graceful.
    if (this.#closed) return;
    this.#reader.push(chunk);
    this.#takeFrames();
  };

  /** Cuts what arrived into messages: to the waiting receivers first, then into the queue. */
  #takeFrames(): void {
    let arrived = false;
    try {
      for (let frame = this.#reader.take(this.#maxMessageBytes); frame !== undefined; ) {
        arrived = true;
        const receiver = this.#receivers.shift();
        if (receiver === undefined) {
          this.#frames.push(frame);
          this.#queuedBytes += frame.length + QUEUED_MESSAGE_OVERHEAD_BYTES;
        } else {
          receiver.resolve(frame);
        }
        frame = this.#reader.take(this.#maxMessageBytes);
      }
    } catch (error) {
      if (!(error instanceof FrameLengthError)) throw error;
      // A frame this end refuses: nothing after it can be framed again. Messages before it stay readable.
      this.#end({ kind: 'protocol', message: `receiving ${error.message} (maxMessageBytes)` });
      this.#socket.destroy();
      return;
    }
    if (!this.#pausedForBackpressure && this.#queuedBytes > RECEIVE_HIGH_WATER_BYTES) {
      this.#pausedForBackpressure = true;
      this.#socket.pause();
    }
    if (arrived) this.#changed();
  }

  #onEnd = (): void => {
    const partial = this.#reader.buffered;
    this.#end({
      kind: 'eof',
      message:
        partial === 0
          ? 'the peer closed the connection'
          : `the peer closed the connection in the middle of a message (${partial} byte(s) of it received)`,
    });
  };

  #onError = (error: Error): void => {
    this.#writeError ??= error;
    this.#end({ kind: 'eof', message: `the connection failed: ${error.message}`, cause: error });
  };

  #onClose = (): void => {
    this.#end({ kind: 'eof', message: 'the connection was closed' });
  };

  /**
   * Records the first ending. Receivers wait only while no message does, so every waiting one is waiting for
   * a message that will never come: each is told why.
   */
  #end(ending: Ending): void {
    if (this.#ending !== undefined) return;
    this.#ending = ending;
    for (const receiver of this.#receivers.splice(0)) receiver.reject(this.#endingError(ending));
    this.#changed();
  }
}
