import {
  attachShared,
  checkCount,
  currentThreadToken,
  defineSharedType,
  InvalidStateError,
  isShareable,
  type ParkingSpot,
  parkUntil,
  parkUntilSync,
  planTimed,
  SHARED_BLOCK,
  SharedBlock,
  SharedHandle,
  type TimedWaitOptions,
  type WaitOptions,
} from '@ipc/core';
import { RELEASE_SAVE, RESTORE_DEPTH } from '../lock/condition-hooks.ts';
import { LOCK_TYPE, type Lock } from '../lock/lock.ts';
import { RLOCK_TYPE, RLock } from '../lock/rlock.ts';
import {
  CONDITION_BYTES,
  CONDITION_LAYOUT_VERSION,
  CONDITION_TAG,
  CONDITION_WORDS,
  ConditionLayout,
  LOCK_KIND_LOCK,
  LOCK_KIND_RLOCK,
  QUEUE_SLOTS,
} from './layout.ts';
import { enqueueWaiter, isNotified, leaveQueue, notifyWaiters, type QueuedWaiter } from './waiter-queue.ts';

/** LOCK_KIND of a Lock or RLock from any copy of this package, or undefined for anything else. */
function lockKindOf(value: unknown): number | undefined {
  if (!isShareable(value)) return undefined;
  const name = value[SHARED_BLOCK].type.name;
  if (name === LOCK_TYPE.name) return LOCK_KIND_LOCK;
  return name === RLOCK_TYPE.name ? LOCK_KIND_RLOCK : undefined;
}

const CONDITION_TYPE = defineSharedType({
  name: 'ipc.sync.Condition',
  tag: CONDITION_TAG,
  version: CONDITION_LAYOUT_VERSION,
  revive: (block) => new Condition(block),
  module: import.meta.url,
});

/**
 * A condition variable in shared memory: threads holding its lock `wait` until another thread, also
 * holding the lock, calls `notify`.
 *
 * **Python equivalent:** `multiprocessing.Condition(lock=None)` (`threading.Condition`); the default lock
 * is a new `RLock`. `wait_for` → `waitFor`, `notify_all` → `notifyAll`; timeouts in milliseconds.
 *
 * `notify(n)` wakes exactly n waiters, oldest first; waiters whose thread died are skipped. `wait` releases
 * the lock completely (an RLock at any depth) and restores it before returning, even on timeout or abort.
 * A lock holder that died is taken over by the next waiter to re-acquire it (see `lock.abandoned`).
 *
 * **Thread rules:** `wait`, `waitFor` and `notify*` need the lock held by the calling thread. `waitSync`
 * blocks the thread; `wait` does not block the event loop. Up to 256 waits at once (each async task counts).
 *
 * @example
 * ```ts
 * const ready = new Condition();
 * const items = new Futex(0);                 // shared with the producer (e.g. in Process args)
 * await ready.withLock(async () => {
 *   await ready.waitFor(() => items.load() > 0, 1000);
 * });
 * // in the producer, holding the lock:  items.add(1); ready.notify();
 * ```
 */
export class Condition extends SharedHandle {
  readonly #i32: Int32Array;
  readonly #lock: Lock | RLock;

  /**
   * A condition over `lock` (a new RLock by default), or (given a block by `revive`) the one in that memory.
   *
   * @throws {TypeError} if `lock` is not a `Lock` or `RLock` of @ipc/sync.
   */
  constructor(lock?: Lock | RLock | SharedBlock) {
    const from = SharedBlock.isBlock(lock) ? lock : undefined;
    // By type name, not instanceof: a lock made by the other build (ESM/CJS) of this package is fine too.
    if (lock !== undefined && from === undefined && lockKindOf(lock) === undefined) {
      throw new TypeError('Condition needs a Lock or an RLock from @ipc/sync');
    }
    super(CONDITION_TYPE, from ?? CONDITION_BYTES);
    this.#i32 = this[SHARED_BLOCK].int32(0, CONDITION_WORDS);
    const block = this[SHARED_BLOCK];
    if (from === undefined) {
      const own = (lock as Lock | RLock | undefined) ?? new RLock();
      const lockBlock = own[SHARED_BLOCK];
      // Compared by buffer: the ESM and CJS builds of @ipc/core each have their own Heap object for it.
      if (lockBlock.heap.buffer !== block.heap.buffer)
        throw new TypeError('the lock of a Condition must live in the same heap');
      // Other threads revive the lock from its offset, so its memory must outlive every copy of this
      // condition: pin it, as share() does.
      lockBlock.heap.pin(lockBlock.byteOffset);
      Atomics.store(this.#i32, ConditionLayout.LOCK_OFFSET_INDEX, lockBlock.byteOffset);
      Atomics.store(this.#i32, ConditionLayout.LOCK_KIND_INDEX, lockKindOf(own) ?? LOCK_KIND_RLOCK);
      this.#lock = own;
    } else {
      const kind = Atomics.load(this.#i32, ConditionLayout.LOCK_KIND_INDEX);
      const offset = Atomics.load(this.#i32, ConditionLayout.LOCK_OFFSET_INDEX);
      this.#lock = attachShared(block.heap, offset, kind === LOCK_KIND_RLOCK ? RLOCK_TYPE : LOCK_TYPE) as Lock | RLock;
    }
  }

  /** The lock this condition uses. */
  get lock(): Lock | RLock {
    return this.#lock;
  }

  /** Acquires the underlying lock (see `Lock.acquire`). */
  acquire(options?: WaitOptions): Promise<boolean> {
    return this.#lock.acquire(options);
  }

  /** Acquires the underlying lock, blocking (see `Lock.acquireSync`). */
  acquireSync(options?: WaitOptions): boolean {
    return this.#lock.acquireSync(options);
  }

  /** Releases the underlying lock. */
  release(): void {
    this.#lock.release();
  }

  /** Runs `fn` holding the underlying lock. **Python equivalent:** `with cond:`. */
  withLock<T>(fn: () => T | Promise<T>, options?: WaitOptions): Promise<T> {
    return this.#lock.withLock(fn, options);
  }

  /** `using g = await cond.guard();` holds the underlying lock for the block. */
  guard(options?: WaitOptions): Promise<Disposable> {
    return this.#lock.guard(options);
  }

  /** `using g = cond.guardSync();` holds the underlying lock for the block. */
  guardSync(options?: WaitOptions): Disposable {
    return this.#lock.guardSync(options);
  }

  /**
   * Releases the lock, waits (without blocking the event loop) until notified or until the timeout, then
   * re-acquires the lock. Resolves `true` if notified, `false` on timeout.
   *
   * @throws {InvalidStateError} if the calling thread does not hold the lock; the signal's `reason`
   * (rejects, after the lock is re-acquired) when `signal` aborts. A notify that reached this waiter as it
   * aborted is passed on to the next waiter, not lost.
   */
  async wait(timeoutOrOptions?: number | TimedWaitOptions): Promise<boolean> {
    const plan = planTimed(timeoutOrOptions);
    const { waiter, depth } = this.#enqueueAndRelease();
    // Stays undefined when the park throws (an abort): #restore then passes on a notify it got anyway.
    let parked: boolean | undefined;
    let notified: boolean;
    try {
      parked =
        (await parkUntil(this.#spotOf(waiter), () => (isNotified(this.#i32, waiter) ? true : undefined), plan)) ===
        true;
    } finally {
      await this.#lock.acquire();
      notified = this.#restore(waiter, depth, parked);
    }
    return notified;
  }

  /** The blocking form of {@link Condition.wait}. */
  waitSync(timeoutOrOptions?: number | TimedWaitOptions): boolean {
    const plan = planTimed(timeoutOrOptions);
    const { waiter, depth } = this.#enqueueAndRelease();
    // Stays undefined when the park throws (an aborted signal): see #restore.
    let parked: boolean | undefined;
    let notified: boolean;
    try {
      parked =
        parkUntilSync(this.#spotOf(waiter), () => (isNotified(this.#i32, waiter) ? true : undefined), plan) === true;
    } finally {
      this.#lock.acquireSync();
      notified = this.#restore(waiter, depth, parked);
    }
    return notified;
  }

  /**
   * Waits until `predicate()` is truthy and returns its last value (falsy when the timeout passed first).
   * The predicate runs with the lock held.
   *
   * **Python equivalent:** `wait_for(predicate, timeout=None)`.
   */
  async waitFor<T>(predicate: () => T, timeoutOrOptions?: number | TimedWaitOptions): Promise<T> {
    const { deadline, signal } = planTimed(timeoutOrOptions);
    let result = predicate();
    while (!result) {
      const left = deadline.remaining();
      if (left <= 0) break;
      await this.wait({ timeout: Number.isFinite(left) ? left : undefined, signal });
      result = predicate();
    }
    return result;
  }

  /** The blocking form of {@link Condition.waitFor}. */
  waitForSync<T>(predicate: () => T, timeoutOrOptions?: number | TimedWaitOptions): T {
    const { deadline, signal } = planTimed(timeoutOrOptions);
    let result = predicate();
    while (!result) {
      const left = deadline.remaining();
      if (left <= 0) break;
      this.waitSync({ timeout: Number.isFinite(left) ? left : undefined, signal });
      result = predicate();
    }
    return result;
  }

  /**
   * Wakes up to `n` (default 1) threads waiting on this condition, oldest first.
   *
   * @throws {InvalidStateError} if the calling thread does not hold the lock; {RangeError} for a bad `n`.
   */
  notify(n = 1): void {
    checkCount(n, 'n', 0);
    this.#checkOwned('notify');
    notifyWaiters(this.#i32, n);
  }

  /** Wakes every waiting thread. **Python equivalent:** `notify_all()`. */
  notifyAll(): void {
    this.#checkOwned('notify');
    notifyWaiters(this.#i32, Number.POSITIVE_INFINITY);
  }

  #checkOwned(what: string): void {
    if (!this.#lock.isOwned())
      throw new InvalidStateError(`cannot ${what} on a Condition whose lock this thread does not hold`);
  }

  #enqueueAndRelease(): { waiter: QueuedWaiter; depth: number } {
    this.#checkOwned('wait');
    const waiter = enqueueWaiter(this.#i32, currentThreadToken());
    if (waiter === undefined) throw new InvalidStateError(`more than ${QUEUE_SLOTS} waits at once on this Condition`);
    return { waiter, depth: this.#lock[RELEASE_SAVE]() };
  }

  /**
   * With the lock held again: restores its depth and withdraws the waiter unless it was notified; returns
   * whether it was. `parked` is the park's outcome, undefined when the park threw (an abort). A notify can
   * reach a waiter that is leaving by an abort (after the abort, or before it ran); that waiter throws and
   * will not act on it, so the notify goes on to the next waiter instead of being lost (POSIX: a cancelled
   * waiter "shall not consume any condition signal" that other waiters could take).
   */
  #restore(waiter: QueuedWaiter, depth: number, parked: boolean | undefined): boolean {
    this.#lock[RESTORE_DEPTH](depth);
    const notified = leaveQueue(this.#i32, waiter);
    // A notify meant for us goes to the oldest other waiter, if any.
    if (notified && parked === undefined) notifyWaiters(this.#i32, 1);
    return notified;
  }

  #spotOf(waiter: QueuedWaiter): ParkingSpot {
    return { i32: this.#i32, valueIndex: waiter.slot, waitersIndex: ConditionLayout.WAITERS_INDEX };
  }
}
