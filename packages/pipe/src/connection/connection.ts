import {
  BufferTooShort,
  type Codec,
  currentThreadToken,
  type Decoder,
  deadlineAfter,
  defineSharedType,
  EOFError,
  fairlyResolved,
  type Heap,
  InvalidStateError,
  type ParkingSpot,
  type Payload,
  PayloadEncoder,
  parkUntil,
  parkUntilSync,
  type Readiness,
  RING_EMPTY,
  RING_FULL,
  RING_HEADER_WORDS,
  RingLayout,
  type RingView,
  releaseRing,
  ringMessageCount,
  ringTryGet,
  ringTryPut,
  ringView,
  SHARED_BLOCK,
  SharedBlock,
  SharedHandle,
  StructuredCodec,
  type ThreadToken,
  WAITABLE,
  type Waitable,
} from '@ipc/core';
import { addHolder, type Holders, hasLiveHolder, holdersOf, removeHolder } from './holders.ts';
import {
  CONNECTION_LAYOUT_VERSION,
  CONNECTION_TAG,
  END_BYTES,
  EndLayout,
  PIPE_WORDS,
  PipeLayout,
  READABLE,
  ringBase,
  WRITABLE,
} from './layout.ts';

const CONNECTION_TYPE = defineSharedType({
  name: 'ipc.pipe.Connection',
  tag: CONNECTION_TAG,
  version: CONNECTION_LAYOUT_VERSION,
  revive: (block) => new Connection(block),
  module: import.meta.url,
  releaseOwned: (block) => releasePipe(block.heap, Atomics.load(block.int32(), EndLayout.PIPE_INDEX) >>> 0),
  // A copy on its way to another thread keeps the end open until it arrives (layout.ts, IN_FLIGHT).
  sent: (block) => Atomics.add(...inFlightWord(block), 1),
  lost: (block) => leaveFlight(...inFlightWord(block)),
  received: (connection) => connection[ARRIVED](),
});

/** Module-private: what a Connection does when a message brings it to this thread (again). */
const ARRIVED = Symbol('arrived');

/**
 * One copy fewer in flight (it arrived, or will never), never below 0: a share() descriptor may be revived
 * more than once for its one departure, and a copy decoded just before its process died is also forgotten.
 */
function leaveFlight(words: Int32Array, index: number): void {
  for (let count = Atomics.load(words, index); count > 0; ) {
    const found = Atomics.compareExchange(words, index, count, count - 1);
    if (found === count) return;
    count = found;
  }
}

/** The pipe words and the index of the IN_FLIGHT word of the end whose block is `block`. */
function inFlightWord(block: SharedBlock): [Int32Array, number] {
  const words = block.int32(0, END_BYTES / 4);
  const pipe = new Int32Array(block.heap.buffer, Atomics.load(words, EndLayout.PIPE_INDEX) >>> 0, PIPE_WORDS);
  return [pipe, ringBase(Atomics.load(words, EndLayout.END_INDEX)) + PipeLayout.IN_FLIGHT_OFFSET];
}

/**
 * Drops a reference to a pipe block (an end block's, from core's releaseOwned, or a live object's
 * registration in closeOnCollect); the last one gives back the rings (and the messages still in them) first.
 * The last one is never dropped while another thread can use the pipe: an end that left its thread is
 * pinned, and its block keeps its reference for good.
 */
function releasePipe(heap: Heap, pipe: number): void {
  if (heap.references(pipe) === 1) {
    const words = new Int32Array(heap.buffer, pipe, PIPE_WORDS);
    for (const end of [0, 1]) {
      const ring = words.subarray(ringBase(end), ringBase(end) + RING_HEADER_WORDS);
      if (Atomics.load(ring, RingLayout.CAPACITY_INDEX) !== 0) releaseRing(ring, heap);
    }
  }
  heap.release(pipe);
}

/** What a Connection object's collection has to undo: its thread's holder slot and its reference to the pipe. */
interface Registration {
  readonly holders: Holders;
  readonly token: ThreadToken;
  readonly heap: Heap;
  readonly pipe: number;
  /** The end's block, which names this thread's current object of the end in `currentObjects`. */
  readonly key: string;
}

/**
 * This thread's current object of each end, by end block: an object collected after the thread revived the
 * end again (a new object: the old one's finalizer had not run yet) must not give up the slot the new one
 * shares (one slot per thread).
 */
const currentObjects = new Map<string, WeakRef<object>>();

/**
 * Closes the ends that were garbage-collected without close(), as Python closes a collected Connection's
 * file descriptor: the object's holder slot is given up, so the other end can see EOF. Each registration
 * holds a reference to the pipe block, so that the block is not freed (by the end block's own finalizer,
 * which may run first) before the slot is given up.
 */
const closeOnCollect = new FinalizationRegistry<Registration>(({ holders, token, heap, pipe, key }) => {
  try {
    if (currentObjects.get(key)?.deref() === undefined) {
      currentObjects.delete(key);
      removeHolder(holders, token);
    }
  } finally {
    releasePipe(heap, pipe);
  }
});

/** Longest park of a reader before it looks again: a writer that died announces nothing. */
const POLL_MS = 50;

/**
 * Most messages one direction holds unread: a send waits while there are this many, as a full OS pipe makes
 * Python's wait (a message larger than half the ring is kept in a heap block, so bytes are not bounded).
 */
export const MAX_UNREAD = 1024;

/** A wait without a deadline (a send or recv waits until it can, or the other end is closed). */
const FOREVER = deadlineAfter(undefined);

/** What a send returns: one settled promise for all of them. */
const SENT: Promise<void> = Promise.resolve();

/** Which end of which pipe a new Connection is (made by `Pipe()` only). */
export interface EndInit {
  readonly pipe: number;
  readonly end: number;
  readonly flags: number;
  /** The pipe's custom codec (`Pipe()` records that there is one in the pipe block). */
  readonly codec?: Codec | undefined;
}

/** A message `recvBytes(maxlength)` or `recvBytesInto` could not fit: taken, then reported with its bytes. */
class DidNotFit {
  readonly data: Uint8Array;
  constructor(data: Uint8Array) {
    this.data = data;
  }
}

/** The default codec: structured clone, @ipc primitives live. */
const structured = new StructuredCodec();

/** A decoder over the codec's `decodeRange`, or over `decode` of a subarray if it has none. */
function rangeDecoder(codec: Codec): Decoder<unknown> {
  if (codec.decodeRange !== undefined) return (source, start, end) => codec.decodeRange?.(source, start, end);
  return (source, start, end) => codec.decode(source.subarray(start, end));
}

/** How this thread's end encodes and decodes objects (bytes never go through it). */
interface CodecUse {
  readonly codec: Codec;
  readonly encoder: PayloadEncoder<unknown>;
  readonly decode: Decoder<unknown>;
}

function codecUse(codec: Codec): CodecUse {
  return { codec, encoder: new PayloadEncoder<unknown>(codec), decode: rangeDecoder(codec) };
}

const STRUCTURED: CodecUse = codecUse(structured);
const copyBytes: Decoder<Uint8Array> = (source, start, end) => source.slice(start, end);

/** Bytes `bytes[offset..offset + length)` to send as one message. */
function bytesPayload(bytes: Uint8Array, offset: number, length: number): Payload {
  return { length, writeTo: (target, at) => target.set(bytes.subarray(offset, offset + length), at) };
}

/** `value` as bytes (a typed array or DataView's own bytes, or an ArrayBuffer's). */
function bytesOf(value: ArrayBufferView | ArrayBuffer, name: string): Uint8Array {
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if ((value as unknown) instanceof ArrayBuffer || (value as unknown) instanceof SharedArrayBuffer) {
    return new Uint8Array(value);
  }
  throw new TypeError(`${name} must be a typed array, a DataView or an ArrayBuffer`);
}

function checkIndex(value: unknown, name: string, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new TypeError(`${name} must be an integer`);
  if (value < 0 || value > max) throw new RangeError(`${name} must be between 0 and ${max}, got ${value}`);
  return value;
}

/**
 * One end of a {@link Pipe}: send objects or bytes to the other end, and receive what it sends, between
 * any threads the end reaches (`Process` args, messages, `share()`). Each message is whole and arrives once,
 * in order; any size goes (large ones are kept in the shared heap); @ipc primitives inside messages arrive
 * live, Connections included.
 *
 * **Python equivalent:** `multiprocessing.connection.Connection`: `send`/`recv`, `send_bytes` →
 * `sendBytes`, `recv_bytes` → `recvBytes`, `recv_bytes_into` → `recvBytesInto`, `poll`, `close`, `closed`,
 * `readable`, `writable`. Every call has a Promise form and a `*Sync` form.
 *
 * **Closing** is per thread, as a process's copy of a file descriptor: `close()` closes this thread's
 * object, and a thread that ends closes its own. When no thread holds an end open any more, the other end's
 * `recv` throws {@link EOFError} once it has read everything, and its `send` throws InvalidStateError.
 *
 * @example
 * ```ts
 * const [parent, child] = Pipe();
 * new Process({ target: worker, args: [child] }).start();   // worker: child.sendSync('hi'); child.close()
 * console.log(await parent.recv());                          // 'hi'
 * ```
 */
export class Connection<T = unknown> extends SharedHandle implements Waitable {
  readonly #flags: number;
  /** The ring this end reads (undefined for a write-only end) and the one it writes (its peer's). */
  readonly #inbound: RingView | undefined;
  readonly #outbound: RingView | undefined;
  readonly #readSpot: ParkingSpot | undefined;
  readonly #mine: Holders;
  readonly #peer: Holders;
  /** Undefined in a thread that has not been given the pipe's custom codec yet (useCodec). */
  #codec: CodecUse | undefined;
  readonly #token: ThreadToken = currentThreadToken();
  readonly #registration: Registration;
  #closed = false;
  /**
   * The last async send of this object still waiting for room, and how many wait: a send made meanwhile
   * waits behind them, so that messages sent without awaiting each other arrive in the order sent.
   */
  #lastWaiting: Promise<void> | undefined;
  #waitingSends = 0;

  /**
   * The end in `from` (revived in this thread), or a new end (`Pipe()` makes them: use it).
   *
   * @throws {InvalidStateError} when 128 live threads already hold this end.
   */
  constructor(from: SharedBlock | EndInit) {
    const revived = SharedBlock.isBlock(from);
    super(CONNECTION_TYPE, revived ? from : END_BYTES);
    const block = this[SHARED_BLOCK];
    const words = block.int32(0, END_BYTES / 4);
    if (!revived) {
      Atomics.store(words, EndLayout.END_INDEX, from.end);
      Atomics.store(words, EndLayout.PIPE_INDEX, from.pipe);
      Atomics.store(words, EndLayout.FLAGS_INDEX, from.flags);
    }
    const end = Atomics.load(words, EndLayout.END_INDEX);
    const pipe = new Int32Array(block.heap.buffer, Atomics.load(words, EndLayout.PIPE_INDEX) >>> 0, PIPE_WORDS);
    const custom = revived ? undefined : from.codec;
    // Functions do not cross threads: a revived end of a pipe with a custom codec waits for useCodec().
    this.#codec =
      custom !== undefined
        ? codecUse(custom)
        : Atomics.load(pipe, PipeLayout.CODEC_INDEX) === 1
          ? undefined
          : STRUCTURED;
    const ring = (which: number) =>
      ringView(pipe.subarray(ringBase(which), ringBase(which) + RING_HEADER_WORDS), block.heap);
    this.#flags = Atomics.load(words, EndLayout.FLAGS_INDEX);
    this.#inbound = this.readable ? ring(end) : undefined;
    this.#outbound = this.writable ? ring(1 - end) : undefined;
    this.#readSpot =
      this.#inbound === undefined
        ? undefined
        : { i32: this.#inbound.words, valueIndex: RingLayout.PUT_COUNT_INDEX, waitersIndex: RingLayout.GETTERS_INDEX };
    this.#mine = holdersOf(pipe, end);
    this.#peer = holdersOf(pipe, 1 - end);
    if (!addHolder(this.#mine, this.#token)) {
      throw new InvalidStateError('128 threads already hold this end of the pipe open');
    }
    const pipeOffset = pipe.byteOffset;
    const key = `${block.heap.id}:${block.byteOffset}`;
    this.#registration = { holders: this.#mine, token: this.#token, heap: block.heap, pipe: pipeOffset, key };
    currentObjects.set(key, new WeakRef(this));
    this.#register();
  }

  /** Registers this object to be closed when collected; the registration holds a reference to the pipe. */
  #register(): void {
    this.#registration.heap.retain(this.#registration.pipe);
    closeOnCollect.register(this, this.#registration, this);
  }

  /**
   * A message brought this end to this thread: it is held here (open again if this thread had closed it, as a
   * received file descriptor is a new one), then no longer in flight. In that order: the end never looks
   * closed in between. A 129th live holder is refused (the decode throws), and its copy counted as arrived.
   */
  [ARRIVED](): void {
    if (this.#closed) this.#register();
    this.#closed = false;
    const held = addHolder(this.#mine, this.#token);
    // Arrived either way: a copy that could not be held is not in flight any more.
    leaveFlight(this.#mine.words, this.#mine.inFlight);
    if (!held) {
      this.#closed = true;
      throw new InvalidStateError('128 threads already hold this end of the pipe open');
    }
  }

  /**
   * Gives this thread's end the codec the pipe was made with (`Pipe(duplex, { codec })`): an end that crossed
   * to another thread needs it there before its first `send` or `recv` (bytes need no codec).
   *
   * @example
   * ```ts
   * export function worker(conn: Connection) { conn.useCodec(jsonCodec); conn.sendSync({ ok: true }); }
   * ```
   * @throws {TypeError} unless `codec` has `encode(value)` and `decode(bytes)`.
   */
  useCodec(codec: Codec): this {
    if (typeof codec?.encode !== 'function' || typeof codec.decode !== 'function') {
      throw new TypeError('a codec has encode(value) and decode(bytes)');
    }
    this.#codec = codecUse(codec);
    return this;
  }

  /** True unless this is a one-way pipe's write end. */
  get readable(): boolean {
    return (this.#flags & READABLE) !== 0;
  }

  /** True unless this is a one-way pipe's read end. */
  get writable(): boolean {
    return (this.#flags & WRITABLE) !== 0;
  }

  /** True once `close()` was called on this object. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Sends `obj` (structured clone; @ipc primitives arrive live). Waits (without blocking the event loop)
   * while the other end has {@link MAX_UNREAD} messages it has not received, as a full OS pipe makes
   * Python's `send` wait. Sends of one thread arrive in the order they were made, awaited or not.
   *
   * @throws {InvalidStateError} when this end is closed or not writable, or the other end is closed (also
   * while waiting); the codec's error for a value it cannot carry (nothing is sent).
   */
  send(obj: T): Promise<void> {
    try {
      this.#checkWritable();
      const { encoder } = this.#codecOrThrow();
      const payload = encoder.encode(obj);
      if (this.#waitingSends === 0 && this.#putOnce(payload)) return fairlyResolved(undefined, SENT);
      // Before the first await: the encoder's memory is reused by the next send in this thread.
      return this.#putLater(encoder.detach(payload, obj));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** The blocking form of {@link Connection.send}. */
  sendSync(obj: T): void {
    this.#checkWritable();
    const { encoder } = this.#codecOrThrow();
    const payload = encoder.encode(obj);
    if (this.#putOnce(payload)) return;
    const kept = encoder.detach(payload, obj);
    parkUntilSync(this.#writeSpot(), () => this.#putOnce(kept), { deadline: FOREVER, pollMs: POLL_MS });
  }

  /**
   * Sends `buf[offset..offset + size)` (bytes of any typed array, DataView or ArrayBuffer) as one message;
   * waits as {@link Connection.send} does (with its own copy of the bytes, if it has to).
   *
   * @throws {RangeError} for an offset or size outside the buffer; as {@link Connection.send}.
   */
  sendBytes(buf: ArrayBufferView | ArrayBuffer, offset = 0, size?: number): Promise<void> {
    try {
      this.#checkWritable();
      const { bytes, start, length } = this.#range(buf, offset, size);
      if (this.#waitingSends === 0 && this.#putOnce(bytesPayload(bytes, start, length))) {
        return fairlyResolved(undefined, SENT);
      }
      return this.#putLater(bytesPayload(bytes.slice(start, start + length), 0, length));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** The blocking form of {@link Connection.sendBytes}. */
  sendBytesSync(buf: ArrayBufferView | ArrayBuffer, offset = 0, size?: number): void {
    this.#checkWritable();
    const { bytes, start, length } = this.#range(buf, offset, size);
    const payload = bytesPayload(bytes, start, length);
    if (this.#putOnce(payload)) return;
    parkUntilSync(this.#writeSpot(), () => this.#putOnce(payload), { deadline: FOREVER, pollMs: POLL_MS });
  }

  #range(buf: ArrayBufferView | ArrayBuffer, offset: number, size: number | undefined) {
    const bytes = bytesOf(buf, 'buf');
    const start = checkIndex(offset, 'offset', bytes.length);
    const length = size === undefined ? bytes.length - start : checkIndex(size, 'size', bytes.length - start);
    return { bytes, start, length };
  }

  /**
   * Receives the next message, waiting (without blocking the event loop) until one comes.
   *
   * @throws {EOFError} when the other end is closed and everything it sent has been received;
   * {InvalidStateError} when this end is closed or not readable; the signal's reason when aborted.
   */
  recv(options?: { signal?: AbortSignal | undefined }): Promise<T> {
    try {
      return this.#take(this.#codecOrThrow().decode as Decoder<T>, options);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** The blocking form of {@link Connection.recv}. */
  recvSync(options?: { signal?: AbortSignal | undefined }): T {
    return this.#takeSync(this.#codecOrThrow().decode as Decoder<T>, options?.signal);
  }

  /**
   * Receives the next message's bytes (what `sendBytes` sent, or the encoding of what `send` sent).
   *
   * @throws {BufferTooShort} (carrying the whole message in `data`; it is taken, and the end stays usable)
   * when the message is longer than `maxlength` (Python raises OSError and closes); as {@link Connection.recv}.
   */
  async recvBytes(maxlength?: number): Promise<Uint8Array> {
    const limit = this.#checkMaxlength(maxlength);
    return this.#checkFit(await this.#take(this.#bytesUpTo(limit)));
  }

  /** The blocking form of {@link Connection.recvBytes}. */
  recvBytesSync(maxlength?: number): Uint8Array {
    const limit = this.#checkMaxlength(maxlength);
    return this.#checkFit(this.#takeSync(this.#bytesUpTo(limit)));
  }

  /**
   * Receives the next message's bytes into `buf` at byte `offset`; returns their number.
   *
   * @throws {BufferTooShort} (carrying the whole message in `data`; it is taken) when it does not fit;
   * {RangeError} for an offset outside `buf`; as {@link Connection.recv}.
   */
  async recvBytesInto(buf: ArrayBufferView | ArrayBuffer, offset = 0): Promise<number> {
    return this.#checkFit(await this.#take(this.#into(buf, offset)));
  }

  /** The blocking form of {@link Connection.recvBytesInto}. */
  recvBytesIntoSync(buf: ArrayBufferView | ArrayBuffer, offset = 0): number {
    return this.#checkFit(this.#takeSync(this.#into(buf, offset)));
  }

  /**
   * True when a `recv` would not wait: a message is there, or the other end is closed (recv throws EOFError).
   * Waits up to `timeout` ms for that (default 0: look once; `null`: wait for ever).
   */
  async poll(timeout: number | null = 0): Promise<boolean> {
    const spot = this.#checkReadable();
    const ready = await parkUntil(spot, () => (this.#ready() ? true : undefined), {
      deadline: deadlineAfter(timeout),
      pollMs: POLL_MS,
    });
    return ready === true;
  }

  /** The blocking form of {@link Connection.poll}. */
  pollSync(timeout: number | null = 0): boolean {
    const spot = this.#checkReadable();
    const ready = parkUntilSync(spot, () => (this.#ready() ? true : undefined), {
      deadline: deadlineAfter(timeout),
      pollMs: POLL_MS,
    });
    return ready === true;
  }

  /**
   * Closes this thread's object: its calls throw InvalidStateError from now on. The end stays open while
   * another thread holds it. Closing twice does nothing.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    removeHolder(this.#mine, this.#token);
    // Never the last reference: this object's end block holds one until the object is collected.
    if (closeOnCollect.unregister(this)) releasePipe(this.#registration.heap, this.#registration.pipe);
    // Readers of the other end re-check now rather than at their next poll.
    if (this.#outbound !== undefined) Atomics.notify(this.#outbound.words, RingLayout.PUT_COUNT_INDEX);
  }

  /** Receives messages until the other end is closed and drained: `for await (const m of conn)`. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for (;;) {
      try {
        yield await this.recv();
      } catch (error) {
        if (error instanceof EOFError) return;
        throw error;
      }
    }
  }

  /** The readiness protocol (core): `wait()` waits on several connections at once with it. */
  get [WAITABLE](): Readiness {
    const spot = this.#checkReadable();
    return { ready: () => this.#ready(), spot };
  }

  #ready(): boolean {
    return ringMessageCount((this.#inbound as RingView).words) > 0 || !hasLiveHolder(this.#peer);
  }

  #codecOrThrow(): CodecUse {
    if (this.#codec === undefined) {
      throw new InvalidStateError('this pipe was made with a custom codec: call useCodec(codec) in this thread first');
    }
    return this.#codec;
  }

  #checkOpen(): void {
    if (this.#closed) throw new InvalidStateError('this connection is closed');
  }

  /**
   * Checks a send's state before anything is encoded: the other end is looked at here too, so that a send
   * to a closed end does not first count the ends its message carries as in flight (layout.ts, IN_FLIGHT).
   */
  #checkWritable(): void {
    this.#checkOpen();
    if (this.#outbound === undefined) throw new InvalidStateError('this end of a one-way pipe only receives');
    if (!hasLiveHolder(this.#peer)) throw new InvalidStateError('the other end of the pipe is closed');
  }

  #checkReadable(): ParkingSpot {
    this.#checkOpen();
    if (this.#readSpot === undefined) throw new InvalidStateError('this end of a one-way pipe only sends');
    return this.#readSpot;
  }

  /** One try of a send: true when stored, undefined when the other end has MAX_UNREAD messages unread. */
  #putOnce(payload: Payload): true | undefined {
    if (!hasLiveHolder(this.#peer)) throw new InvalidStateError('the other end of the pipe is closed');
    return ringTryPut(this.#outbound as RingView, this.#token, payload, MAX_UNREAD) === RING_FULL ? undefined : true;
  }

  /** Stores `payload` once there is room and the sends before it (in this thread) are stored. */
  #putLater(payload: Payload): Promise<void> {
    const before = this.#lastWaiting;
    this.#waitingSends++;
    const put = (async () => {
      try {
        // A send before that failed (the other end closed) does not stop this one from trying (and failing).
        if (before !== undefined) await before.catch(() => undefined);
        await parkUntil(this.#writeSpot(), () => this.#putOnce(payload), { deadline: FOREVER, pollMs: POLL_MS });
      } finally {
        if (--this.#waitingSends === 0) this.#lastWaiting = undefined;
      }
    })();
    this.#lastWaiting = put;
    return put;
  }

  /** Where a waiting sender parks: the count of messages the other end took (core ring). */
  #writeSpot(): ParkingSpot {
    const words = (this.#outbound as RingView).words;
    return { i32: words, valueIndex: RingLayout.GET_COUNT_INDEX, waitersIndex: RingLayout.PUTTERS_INDEX };
  }

  /** One look for a message: it, undefined (none yet), or EOFError (none will come). */
  #takeOnce<R>(decode: Decoder<R>): { value: R } | undefined {
    const inbound = this.#inbound as RingView;
    const got = ringTryGet(inbound, this.#token, decode);
    if (got !== RING_EMPTY) return { value: got };
    if (hasLiveHolder(this.#peer)) return undefined;
    // The other end is closed: whatever it sent before closing is committed, so one more look finds it.
    const last = ringTryGet(inbound, this.#token, decode);
    if (last !== RING_EMPTY) return { value: last };
    throw new EOFError('the other end of the pipe is closed and everything it sent was received');
  }

  /**
   * A message decoded with `decode`, at once (a settled promise: fairly, so that a `for await` over a pipe
   * that never runs dry still lets timers and I/O run) or after a wait.
   */
  #take<R>(decode: Decoder<R>, options?: { signal?: AbortSignal | undefined }): Promise<R> {
    try {
      const spot = this.#checkReadable();
      const signal = options?.signal;
      signal?.throwIfAborted();
      const first = this.#takeOnce(decode);
      if (first !== undefined) return fairlyResolved(first.value);
      return this.#takeLater(spot, decode, signal);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async #takeLater<R>(spot: ParkingSpot, decode: Decoder<R>, signal: AbortSignal | undefined): Promise<R> {
    const got = await parkUntil(spot, () => this.#takeOnce(decode), { deadline: FOREVER, signal, pollMs: POLL_MS });
    return (got as { value: R }).value;
  }

  #takeSync<R>(decode: Decoder<R>, signal?: AbortSignal): R {
    const spot = this.#checkReadable();
    const got = parkUntilSync(spot, () => this.#takeOnce(decode), {
      deadline: FOREVER,
      signal,
      pollMs: POLL_MS,
    });
    return (got as { value: R }).value;
  }

  #checkMaxlength(maxlength: number | undefined): number {
    if (maxlength === undefined) return Number.POSITIVE_INFINITY;
    if (typeof maxlength !== 'number' || !Number.isInteger(maxlength) || maxlength < 0) {
      throw new RangeError(`maxlength must be a non-negative integer, got ${String(maxlength)}`);
    }
    return maxlength;
  }

  #bytesUpTo(limit: number): Decoder<Uint8Array | DidNotFit> {
    return (source, start, end) =>
      end - start > limit ? new DidNotFit(source.slice(start, end)) : copyBytes(source, start, end);
  }

  #into(buf: ArrayBufferView | ArrayBuffer, offset: number): Decoder<number | DidNotFit> {
    const target = bytesOf(buf, 'buf');
    const at = checkIndex(offset, 'offset', target.length);
    return (source, start, end) => {
      if (end - start > target.length - at) return new DidNotFit(source.slice(start, end));
      target.set(source.subarray(start, end), at);
      return end - start;
    };
  }

  #checkFit<R>(got: R | DidNotFit): R {
    if (got instanceof DidNotFit) {
      throw new BufferTooShort(`the message is ${got.data.length} bytes: the buffer is too small`, { data: got.data });
    }
    return got;
  }
}
