import {
  type Codec,
  checkCount,
  currentThreadToken,
  defineSharedType,
  Empty,
  Full,
  InvalidStateError,
  type ParkingSpot,
  parkUntil,
  parkUntilSync,
  planWait,
  SHARED_BLOCK,
  SharedBlock,
  SharedHandle,
  type SharedType,
  ShutDown,
  structuredCodec,
  type WaitOptions,
  type WaitPlan,
  wakeParked,
} from '@ipc/core';
import {
  QUEUE_LAYOUT_VERSION,
  QUEUE_TAG,
  QueueLayout,
  queueBytes,
  RING_OFFSET_BYTES,
  SHUTDOWN_DRAIN,
  SHUTDOWN_IMMEDIATE,
} from './ring/layout.ts';
import {
  discardAll,
  EMPTY,
  FULL,
  messageCount,
  type RingView,
  raiseShutdown,
  shutdownState,
  tryGet,
  tryPut,
} from './ring/ring.ts';

/** Options of a queue. */
export interface QueueOptions {
  /** Most messages at once; 0 or less: no limit but the ring's bytes. Default 0. */
  maxsize?: number | undefined;
  /** Bytes of the ring that holds the encoded messages; a message over half of it is kept aside. Default 1 MiB. */
  capacityBytes?: number | undefined;
  /** How messages become bytes and back; default core's structured codec (structured clone + live primitives). */
  codec?: Codec | undefined;
}

/** Default ring size: 1 MiB. */
export const DEFAULT_CAPACITY_BYTES = 1 << 20;

const QUEUE_TYPE = defineSharedType({
  name: 'ipc.queue.Queue',
  tag: QUEUE_TAG,
  version: QUEUE_LAYOUT_VERSION,
  revive: (block) => new Queue(block),
  module: import.meta.url,
});

function checkCapacity(value: unknown): number {
  const capacity = checkCount(value, 'capacityBytes', 64, 2 ** 30);
  return (capacity + 3) & ~3;
}

/**
 * A multi-producer, multi-consumer FIFO queue in shared memory, usable from every worker it reaches
 * (Process args, messages, `share()`). Messages are encoded when put (structured clone fidelity; @ipc
 * primitives inside arrive live) and decoded when got: each is delivered exactly once, in order.
 *
 * **Python equivalent:** `multiprocessing.Queue(maxsize=0)`: `put`/`get` with `{ block, timeout }` (ms),
 * `putNowait`/`getNowait`, `qsize`, `empty`, `full`, `close`, `joinThread`, `cancelJoinThread`, and
 * Python 3.13's `shutdown(immediate)`.
 *
 * **Better than Python:** `put` encodes in the caller, so an unencodable item throws there and takes no
 * room (Python loses it in a feeder thread); a producer or consumer terminated mid-operation leaves no
 * torn message and no reserved space; `for await (const x of queue)` ends on `shutdown()`.
 *
 * **Thread rules:** every method may be called from any thread; `*Sync` forms block the calling thread.
 * `qsize()`, `empty()`, `full()` are snapshots.
 *
 * @example
 * ```ts
 * const q = new Queue<{ i: number }>(1024);
 * new Process({ target: consume, args: [q] }).start();
 * for (let i = 0; i < 3; i++) await q.put({ i });
 * q.shutdown();   // the consumer's `for await (const m of q)` ends once drained
 * ```
 */
export class Queue<T = unknown> extends SharedHandle {
  readonly #view: RingView;
  readonly #maxsize: number;
  readonly #codec: Codec;
  readonly #getSpot: ParkingSpot;
  readonly #putSpot: ParkingSpot;
  readonly #decode: (bytes: Uint8Array) => T;
  #closed = false;

  /**
   * A new queue, or (given a block by `revive`) the queue in that memory.
   *
   * @throws {RangeError}/{TypeError} for a bad maxsize or capacityBytes.
   */
  constructor(maxsizeOrOptions?: number | QueueOptions | SharedBlock) {
    const from = SharedBlock.isBlock(maxsizeOrOptions) ? maxsizeOrOptions : undefined;
    const options: QueueOptions =
      from !== undefined || maxsizeOrOptions === undefined
        ? {}
        : typeof maxsizeOrOptions === 'number'
          ? { maxsize: maxsizeOrOptions }
          : (maxsizeOrOptions as QueueOptions);
    const maxsize = Math.max(0, checkCount(options.maxsize ?? 0, 'maxsize', -(2 ** 31), 2 ** 31 - 1));
    const capacity = checkCapacity(options.capacityBytes ?? DEFAULT_CAPACITY_BYTES);
    super((new.target as typeof Queue).sharedType, from ?? queueBytes(capacity));
    const block = this[SHARED_BLOCK];
    const words = block.int32(0, RING_OFFSET_BYTES / 4);
    if (from === undefined) {
      Atomics.store(words, QueueLayout.MAXSIZE_INDEX, maxsize);
      Atomics.store(words, QueueLayout.CAPACITY_INDEX, capacity);
    }
    const ringBytes = Atomics.load(words, QueueLayout.CAPACITY_INDEX);
    this.#view = {
      words,
      bytes: block.bytes(RING_OFFSET_BYTES, ringBytes),
      ints: block.int32(RING_OFFSET_BYTES / 4, ringBytes / 4),
      capacity: ringBytes,
      heap: block.heap,
    };
    this.#maxsize = Atomics.load(words, QueueLayout.MAXSIZE_INDEX);
    this.#codec = options.codec ?? structuredCodec;
    const codec = this.#codec;
    this.#decode = (bytes) => codec.decode(bytes) as T;
    this.#getSpot = { i32: words, valueIndex: QueueLayout.PUT_COUNT_INDEX, waitersIndex: QueueLayout.GETTERS_INDEX };
    this.#putSpot = { i32: words, valueIndex: QueueLayout.GET_COUNT_INDEX, waitersIndex: QueueLayout.PUTTERS_INDEX };
  }

  /** The shared type of this class (subclasses with their own type override it). */
  protected static get sharedType(): SharedType {
    return QUEUE_TYPE;
  }

  /** The queue's memory, for subclasses that extend the protocol (JoinableQueue). */
  protected get view(): RingView {
    return this.#view;
  }

  /** The most messages the queue holds at once (0: no limit). */
  get maxsize(): number {
    return this.#maxsize;
  }

  /**
   * Puts `item` at the end, waiting (without blocking the event loop) while the queue is full.
   *
   * @throws {Full} when `block: false` or the timeout found it full; {ShutDown} after `shutdown()`;
   * {InvalidStateError} after `close()`; the codec's error (in the caller) for an item it cannot encode.
   */
  async put(item: T, options?: WaitOptions): Promise<void> {
    const { payload, plan } = this.#preparePut(item, options);
    const token = currentThreadToken();
    if (this.#putOnce(payload, token)) return;
    const done = await parkUntil(this.#putSpot, () => this.#putOnce(payload, token), this.#patiently(plan));
    if (done === undefined) throw new Full('the queue stayed full');
  }

  /** The blocking form of {@link Queue.put}. */
  putSync(item: T, options?: WaitOptions): void {
    const { payload, plan } = this.#preparePut(item, options);
    const token = currentThreadToken();
    if (this.#putOnce(payload, token)) return;
    const done = parkUntilSync(this.#putSpot, () => this.#putOnce(payload, token), this.#patiently(plan));
    if (done === undefined) throw new Full('the queue stayed full');
  }

  /** `put(item, { block: false })`, synchronously. **Python equivalent:** `put_nowait`. @throws {Full} */
  putNowait(item: T): void {
    this.putSync(item, { block: false });
  }

  /**
   * Takes the oldest message, waiting (without blocking the event loop) while the queue is empty.
   *
   * @throws {Empty} when `block: false` or the timeout found it empty; {ShutDown} after `shutdown()` once
   * drained (at once after an immediate shutdown); {InvalidStateError} after `close()`.
   */
  async get(options?: WaitOptions): Promise<T> {
    const plan = this.#prepareGet(options);
    const token = currentThreadToken();
    const first = this.#getOnce(token);
    if (first !== undefined) return first.value;
    try {
      const got = await parkUntil(this.#getSpot, () => this.#getOnce(token), this.#patiently(plan));
      if (got === undefined) throw new Empty('the queue stayed empty');
      return got.value;
    } catch (error) {
      this.#passWakeUpOn();
      throw error;
    }
  }

  /** The blocking form of {@link Queue.get}. */
  getSync(options?: WaitOptions): T {
    const plan = this.#prepareGet(options);
    const token = currentThreadToken();
    const first = this.#getOnce(token);
    if (first !== undefined) return first.value;
    try {
      const got = parkUntilSync(this.#getSpot, () => this.#getOnce(token), this.#patiently(plan));
      if (got === undefined) throw new Empty('the queue stayed empty');
      return got.value;
    } catch (error) {
      this.#passWakeUpOn();
      throw error;
    }
  }

  /** `get({ block: false })`, synchronously. **Python equivalent:** `get_nowait`. @throws {Empty} */
  getNowait(): T {
    return this.getSync({ block: false });
  }

  /** Messages in the queue now (a snapshot). **Python equivalent:** `qsize()`. */
  qsize(): number {
    return messageCount(this.#view.words);
  }

  /** True when the queue holds no message now (a snapshot). @throws {InvalidStateError} after `close()`. */
  empty(): boolean {
    this.#checkOpen();
    return this.qsize() === 0;
  }

  /** True when the queue holds `maxsize` messages now (a snapshot; never for an unlimited queue). */
  full(): boolean {
    return this.#maxsize > 0 && this.qsize() >= this.#maxsize;
  }

  /**
   * Says this thread will use the queue no more: later `put`, `get` and `empty` on this object throw
   * {@link InvalidStateError}. Other threads' objects, and the messages, are not affected.
   */
  close(): void {
    this.#closed = true;
  }

  /**
   * Python joins the feeder thread that flushes `put`s here. `put` here writes before it returns, so there is
   * nothing to wait for: resolves at once.
   *
   * @throws {InvalidStateError} if the queue was not closed first (Python asserts the same).
   */
  async joinThread(): Promise<void> {
    if (!this.#closed) throw new InvalidStateError('joinThread() needs close() first');
  }

  /** Python's way out of `joinThread()` blocking at exit; nothing blocks here, so it does nothing. */
  cancelJoinThread(): void {}

  /**
   * Shuts the queue down for every thread: later `put`s throw {@link ShutDown}; `get`s drain what is queued,
   * then throw ShutDown (at once, discarding what is queued, with `immediate: true`). Blocked callers wake.
   *
   * **Python equivalent:** `Queue.shutdown(immediate=False)` (3.13).
   */
  shutdown(options: { immediate?: boolean } = {}): void {
    const immediate = options.immediate === true;
    raiseShutdown(this.#view.words, immediate ? SHUTDOWN_IMMEDIATE : SHUTDOWN_DRAIN);
    if (immediate) this.discarded(discardAll(this.#view, currentThreadToken()));
  }

  /** Called with how many messages `shutdown({ immediate: true })` discarded (JoinableQueue counts them done). */
  protected discarded(_count: number): void {}

  /** Yields messages until the queue is shut down and drained: `for await (const item of queue)`. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for (;;) {
      try {
        yield await this.get();
      } catch (error) {
        if (error instanceof ShutDown) return;
        throw error;
      }
    }
  }

  #checkOpen(): void {
    if (this.#closed) throw new InvalidStateError('the queue is closed');
  }

  #preparePut(item: T, options: WaitOptions | undefined): { payload: Uint8Array; plan: WaitPlan } {
    this.#checkOpen();
    const plan = planWait(options);
    if (shutdownState(this.#view.words) !== 0) throw new ShutDown('the queue is shut down');
    // Encoded before any room is taken: an item that cannot travel throws here, in the caller.
    return { payload: this.#codec.encode(item), plan };
  }

  #prepareGet(options: WaitOptions | undefined): WaitPlan {
    this.#checkOpen();
    return planWait(options);
  }

  #putOnce(payload: Uint8Array, token: number): true | undefined {
    if (shutdownState(this.#view.words) !== 0) throw new ShutDown('the queue is shut down');
    return tryPut(this.#view, token, payload, this.#maxsize) === FULL ? undefined : true;
  }

  #getOnce(token: number): { value: T } | undefined {
    if (shutdownState(this.#view.words) === SHUTDOWN_IMMEDIATE) throw new ShutDown('the queue is shut down');
    const got = tryGet(this.#view, token, this.#decode);
    if (got !== EMPTY) return { value: got };
    if (shutdownState(this.#view.words) === 0) return undefined;
    // Shut down: one more look, for a put that committed between the try above and the shutdown.
    const last = tryGet(this.#view, token, this.#decode);
    if (last !== EMPTY) return { value: last };
    throw new ShutDown('the queue is shut down and drained');
  }

  #patiently(plan: WaitPlan): WaitPlan & { pollMs: number } {
    // Parked callers look again now and then: a peer that died mid-operation announces nothing.
    return { ...plan, pollMs: 50 };
  }

  /** A getter that leaves without a message may have been the one a put woke: wake another. */
  #passWakeUpOn(): void {
    wakeParked(this.#getSpot, 1);
  }
}
