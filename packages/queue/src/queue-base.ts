import {
  type Codec,
  currentThreadToken,
  Empty,
  Full,
  fairlyResolved,
  InvalidStateError,
  type ParkingSpot,
  parkUntil,
  parkUntilSync,
  planWait,
  type SharedBlock,
  SharedHandle,
  type SharedType,
  ShutDown,
  structuredCodec,
  type ThreadToken,
  type WaitOptions,
  type WaitPlan,
  wakeParked,
} from '@ipc/core';
import { type Decoder, EMPTY } from './protocol.ts';
import { OPEN, raiseShutdown, SHUTDOWN_DRAIN, SHUTDOWN_IMMEDIATE } from './shutdown.ts';

/** What a put that found room returns: one settled promise for all of them. */
const PUT_DONE: Promise<void> = Promise.resolve();

/** A decoder over the codec's `decodeRange`, or over `decode` of a subarray if it has none. */
function rangeDecoder<T>(codec: Codec): Decoder<T> {
  if (codec.decodeRange !== undefined) return (source, start, end) => codec.decodeRange?.(source, start, end) as T;
  return (source, start, end) => codec.decode(source.subarray(start, end)) as T;
}

/** Longest park of a waiter before it looks again: a peer that died mid-operation announces nothing. */
const POLL_MS = 50;

/**
 * What every queue class shares: Python's `Queue` surface (both forms of `put` and `get`, the nowait forms,
 * `qsize`/`empty`/`full`, `close`, `joinThread`, `shutdown`, async iteration) over a few primitives that
 * each data structure supplies (a ring for `Queue`, an entry table for `LifoQueue`/`PriorityQueue`).
 *
 * `P` is what a data structure stores for an item (`prepare`): its encoding, and what it derives from it.
 */
export abstract class QueueBase<T, P> extends SharedHandle {
  #codec: Codec | undefined;
  #decode: Decoder<T> | undefined;
  #closed = false;
  #maxsize = 0;
  #getSpot: ParkingSpot | undefined;
  #putSpot: ParkingSpot | undefined;
  #shutdownIndex = 0;

  protected constructor(type: SharedType, from: SharedBlock | number, codec: Codec | undefined) {
    super(type, from);
    this.#setCodec(codec ?? structuredCodec);
  }

  #setCodec(codec: Codec | undefined): void {
    this.#codec = codec;
    this.#decode = codec === undefined ? undefined : rangeDecoder<T>(codec);
  }

  /**
   * Records in the queue's word `index` whether it was made with a custom codec, or (for a queue revived
   * in another thread, `created` false) learns it: functions do not cross threads, so such a queue has no
   * codec here until {@link QueueBase.useCodec} gives it one.
   */
  protected shareCodecChoice(words: Int32Array, index: number, created: boolean, codec: Codec | undefined): void {
    if (created) Atomics.store(words, index, codec === undefined ? 0 : 1);
    else if (Atomics.load(words, index) === 1 && codec === undefined) this.#setCodec(undefined);
  }

  /**
   * Gives this thread's object the codec the queue was made with (`new Queue({ codec })`): a queue that
   * crossed to another thread needs it there before its first `put` or `get`.
   *
   * @example
   * ```ts
   * export function worker(q: Queue) { q.useCodec(jsonCodec); ... }
   * ```
   */
  useCodec(codec: Codec): this {
    if (typeof codec?.encode !== 'function' || typeof codec.decode !== 'function') {
      throw new TypeError('a codec has encode(value) and decode(bytes)');
    }
    this.#setCodec(codec);
    return this;
  }

  #codecOrThrow(): Codec {
    if (this.#codec === undefined) {
      throw new InvalidStateError('this queue was made with a custom codec: call useCodec(codec) in this thread first');
    }
    return this.#codec;
  }

  /**
   * Called once by a subclass constructor, with its memory in place: the maxsize it keeps, the word getters
   * park on (it changes with every put), the word putters park on (it changes with every get), and the
   * index of the shutdown word (shutdown.ts) among the same words.
   */
  protected attachWaits(maxsize: number, getSpot: ParkingSpot, putSpot: ParkingSpot, shutdownIndex: number): void {
    this.#maxsize = maxsize;
    this.#getSpot = getSpot;
    this.#putSpot = putSpot;
    this.#shutdownIndex = shutdownIndex;
  }

  /** The shutdown state (shutdown.ts). */
  private shutdownState(): number {
    return Atomics.load(this.getSpot.i32, this.#shutdownIndex);
  }

  /** Raises the shutdown state and wakes every getter and putter. */
  private raiseShutdown(level: number): void {
    raiseShutdown(this.getSpot.i32, this.#shutdownIndex, level, [this.getSpot.valueIndex, this.putSpot.valueIndex]);
  }

  private get getSpot(): ParkingSpot {
    return this.#getSpot as ParkingSpot;
  }

  private get putSpot(): ParkingSpot {
    return this.#putSpot as ParkingSpot;
  }
  /**
   * Turns an item into what `tryPutItem` stores, encoding it with `codec` before any room is taken: an item
   * that cannot travel throws here, in the caller. What it returns may use memory that the next `prepare`
   * reuses: see `detach`.
   */
  protected abstract prepare(item: T, codec: Codec): P;
  /** What a put that has to wait keeps of `prepared` across its waits (its own copy, where it needs one). */
  protected detach(prepared: P, _item: T): P {
    return prepared;
  }
  /** Gives back what `prepare` took, for an item that was not stored (Full, ShutDown, an abort). */
  protected unprepare(_prepared: P): void {}
  /** Stores one prepared message; false when there is no room. @throws {ShutDown} once shut down. */
  protected abstract tryPutItem(prepared: P, token: ThreadToken): boolean;
  /** Takes one message, decoded with `decode`; EMPTY when there is none. */
  protected abstract tryTake(token: ThreadToken, decode: Decoder<T>): T | typeof EMPTY;
  /** The most messages the queue holds at once (0: no limit). */
  get maxsize(): number {
    return this.#maxsize;
  }
  /** Messages in the queue now (a snapshot). **Python equivalent:** `qsize()`. */
  abstract qsize(): number;

  /**
   * Puts `item`, waiting (without blocking the event loop) while the queue is full.
   *
   * @throws {Full} when `block: false` or the timeout found it full; {ShutDown} after `shutdown()`;
   * {InvalidStateError} after `close()`; the codec's error (in the caller) for an item it cannot encode.
   */
  put(item: T, options?: WaitOptions): Promise<void> {
    // Not an async function: when there is room (the common case) it returns a settled promise without the
    // machinery of one (~100 ns a call). Every error still arrives as a rejection.
    try {
      const plan = this.#preparePut(options);
      const token = currentThreadToken();
      const prepared = this.prepare(item, this.#codecOrThrow());
      let kept: P;
      try {
        if (this.tryPutItem(prepared, token)) return fairlyResolved(undefined, PUT_DONE);
        // Before the first await: the memory `prepare` used is reused by the next put in this thread.
        kept = this.detach(prepared, item);
      } catch (error) {
        this.unprepare(prepared);
        throw error;
      }
      return this.#putLater(kept, token, plan);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async #putLater(prepared: P, token: ThreadToken, plan: WaitPlan): Promise<void> {
    try {
      const done = await parkUntil(this.putSpot, () => this.#putOnce(prepared, token), {
        ...plan,
        pollMs: POLL_MS,
        beforePark: this.#parkWhileOpen,
      });
      if (done === undefined) throw new Full('the queue stayed full');
    } catch (error) {
      this.unprepare(prepared);
      throw error;
    }
  }

  /** The blocking form of {@link QueueBase.put}. */
  putSync(item: T, options?: WaitOptions): void {
    const plan = this.#preparePut(options);
    const token = currentThreadToken();
    const prepared = this.prepare(item, this.#codecOrThrow());
    let kept = prepared;
    try {
      if (this.tryPutItem(prepared, token)) return;
      kept = this.detach(prepared, item);
      const done = parkUntilSync(this.putSpot, () => this.#putOnce(kept, token), {
        ...plan,
        pollMs: POLL_MS,
        beforePark: this.#parkWhileOpen,
      });
      if (done === undefined) throw new Full('the queue stayed full');
    } catch (error) {
      this.unprepare(kept);
      throw error;
    }
  }

  /** `put(item, { block: false })`, synchronously. **Python equivalent:** `put_nowait`. @throws {Full} */
  putNowait(item: T): void {
    this.putSync(item, { block: false });
  }

  /**
   * Takes a message, waiting (without blocking the event loop) while the queue is empty.
   *
   * @throws {Empty} when `block: false` or the timeout found it empty; {ShutDown} after `shutdown()` once
   * drained (at once after an immediate shutdown); {InvalidStateError} after `close()`.
   */
  get(options?: WaitOptions): Promise<T> {
    // Not an async function, as put(): a message at hand comes back in a settled promise.
    try {
      const plan = this.#prepareGet(options);
      const token = currentThreadToken();
      const got = this.#getOnce(token);
      // Fairly: a `for await` over a queue that never runs dry must still let timers and I/O run (core).
      if (got !== EMPTY) return fairlyResolved(got);
      return this.#getLater(token, plan);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async #getLater(token: ThreadToken, plan: WaitPlan): Promise<T> {
    try {
      const got = await parkUntil(this.getSpot, () => this.#boxedGetOnce(token), {
        ...plan,
        pollMs: POLL_MS,
        beforePark: this.#parkWhileOpen,
      });
      if (got === undefined) throw new Empty('the queue stayed empty');
      return got.value;
    } catch (error) {
      this.#passWakeUpOn();
      throw error;
    }
  }

  /** The blocking form of {@link QueueBase.get}. */
  getSync(options?: WaitOptions): T {
    const plan = this.#prepareGet(options);
    const token = currentThreadToken();
    const first = this.#getOnce(token);
    if (first !== EMPTY) return first;
    try {
      const got = parkUntilSync(this.getSpot, () => this.#boxedGetOnce(token), {
        ...plan,
        pollMs: POLL_MS,
        beforePark: this.#parkWhileOpen,
      });
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

  /** True when the queue holds no message now (a snapshot). @throws {InvalidStateError} after `close()`. */
  empty(): boolean {
    this.#checkOpen();
    return this.qsize() === 0;
  }

  /** True when the queue holds `maxsize` messages now (a snapshot; never for an unlimited queue). */
  full(): boolean {
    return this.maxsize > 0 && this.qsize() >= this.maxsize;
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
    this.raiseShutdown(immediate ? SHUTDOWN_IMMEDIATE : SHUTDOWN_DRAIN);
    if (!immediate) return;
    // Puts check the state under their guard: once it is free, none can commit after the discard below.
    this.waitForPuts();
    const token = currentThreadToken();
    let discarded = 0;
    while (this.tryTake(token, () => undefined as T) !== EMPTY) discarded++;
    this.discarded(discarded);
  }

  /** Returns once no put is between its shutdown check and its commit. */
  protected abstract waitForPuts(): void;

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

  /** Checks a put's options and the queue's state; throws before anything is encoded. */
  #preparePut(options: WaitOptions | undefined): WaitPlan {
    this.#checkOpen();
    const plan = planWait(options);
    // Before anything is stored, as acquire() does: an aborted call has no effect.
    plan.signal?.throwIfAborted();
    if (this.shutdownState() !== OPEN) throw new ShutDown('the queue is shut down');
    return plan;
  }

  #prepareGet(options: WaitOptions | undefined): WaitPlan {
    this.#checkOpen();
    // Before anything is taken: a message must not be used up by a thread that cannot decode it.
    this.#codecOrThrow();
    const plan = planWait(options);
    plan.signal?.throwIfAborted();
    return plan;
  }

  /**
   * A wait's last look before it parks (park.ts `beforePark`): parks on the word only while the queue is
   * open, else tries once more. A shutdown's notify finds no one parked if it comes between a waiter's
   * attempt and its park (the word it parks on did not change): that waiter would sleep until its poll.
   * What is left is the few instructions between this load and the park.
   */
  readonly #parkWhileOpen = (seen: number): number | undefined => (this.shutdownState() === OPEN ? seen : undefined);

  /** One try of a waiting put (tryPutItem throws ShutDown under its guard). */
  #putOnce(prepared: P, token: ThreadToken): true | undefined {
    return this.tryPutItem(prepared, token) ? true : undefined;
  }

  /** One try of a get: a message, EMPTY, or ShutDown once shut down and drained. */
  #getOnce(token: ThreadToken): T | typeof EMPTY {
    const decode = this.#decode as Decoder<T>;
    if (this.shutdownState() === SHUTDOWN_IMMEDIATE) throw new ShutDown('the queue is shut down');
    const got = this.tryTake(token, decode);
    if (got !== EMPTY || this.shutdownState() === OPEN) return got;
    // Shut down: a put that saw the queue open may still be committing. Once the puts' guard is free, every
    // such put has committed, and one more look finds what they put.
    this.waitForPuts();
    const last = this.tryTake(token, decode);
    if (last !== EMPTY) return last;
    throw new ShutDown('the queue is shut down and drained');
  }

  /** `#getOnce` as a wait loop's attempt: a message may be undefined itself, so it comes in a box. */
  #boxedGetOnce(token: ThreadToken): { value: T } | undefined {
    const got = this.#getOnce(token);
    return got === EMPTY ? undefined : { value: got };
  }

  /** A getter that leaves without a message may have been the one a put woke: wake another. */
  #passWakeUpOn(): void {
    wakeParked(this.getSpot, 1);
  }
}
