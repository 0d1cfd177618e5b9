import {
  BrokenBarrierError,
  checkCount,
  checkTimeout,
  currentThreadToken,
  deadlineAfter,
  defineSharedType,
  type ParkingSpot,
  type ParkOptions,
  parkUntil,
  parkUntilSync,
  planTimed,
  SHARED_BLOCK,
  SharedBlock,
  SharedHandle,
  type TimedWaitOptions,
  type WaitPlan,
} from '@ipc/core';
import { LIVENESS_POLL_MS } from '../recovery.ts';
import {
  type Arrival,
  breakCurrent,
  breakGeneration,
  claimEnder,
  endGeneration,
  hasDeadParty,
  isTripping,
  type Outcome,
  outcomeFor,
  recoverAbandonedTrip,
  releaseEnder,
  startEnding,
  tryArrive,
} from './barrier-algorithm.ts';
import {
  BARRIER_LAYOUT_VERSION,
  BARRIER_TAG,
  BarrierLayout,
  BarrierState,
  barrierBytes,
  MAX_PARTIES,
} from './layout.ts';

const NO_DEADLINE = deadlineAfter(undefined);

const BARRIER_TYPE = defineSharedType({
  name: 'ipc.sync.Barrier',
  tag: BARRIER_TAG,
  version: BARRIER_LAYOUT_VERSION,
  revive: (block) => new Barrier(block),
  module: import.meta.url,
});

/** Options of a barrier. */
export interface BarrierOptions {
  /**
   * Called by the last party to arrive, before any party is released. If it throws, the barrier breaks
   * and that party's `wait` throws the error. It runs in the thread of the last party, and only a thread
   * whose Barrier object was given it has it: the thread that created the barrier (functions do not
   * cross threads). A revived barrier can be given one with {@link Barrier.setAction}.
   */
  action?: (() => void) | undefined;
  /**
   * Default timeout of `wait`, in milliseconds (omitted: wait for ever). Unlike the action it travels with
   * the barrier: every thread's `wait` uses it.
   */
  timeout?: number | undefined;
}

/**
 * A barrier for a fixed number of parties: each `wait` blocks until `parties` threads are waiting, then
 * all are released together and the barrier can be used again (cyclic).
 *
 * **Python equivalent:** `multiprocessing.Barrier(parties, action=None, timeout=None)`: `wait` returns a
 * distinct index from 0 to parties−1; `reset()`, `abort()`, `parties`, `nWaiting` (`n_waiting`),
 * `broken`. A timeout, an abort, a failing action, or `reset()` while parties wait breaks it: waiters
 * throw {@link BrokenBarrierError}, and later waits too until `reset()`.
 *
 * **Better than Python:** a party that dies while waiting breaks the barrier (within `LIVENESS_POLL_MS`
 * of its death being recorded), so the others do not wait for ever. A party that dies before it arrives
 * cannot be told from a slow one: give `timeout`.
 *
 * **Thread rules:** every method may be called from any thread; `waitSync` blocks the calling thread.
 *
 * @example
 * ```ts
 * const barrier = new Barrier(3);
 * // in each of 3 workers:
 * const index = barrier.waitSync();   // 0, 1 or 2
 * ```
 */
export class Barrier extends SharedHandle {
  readonly #i32: Int32Array;
  readonly #spot: ParkingSpot;
  readonly #timeout: number | undefined;
  #action: (() => void) | undefined;

  /**
   * A barrier for `parties` threads, or (given a block by `revive`) the one in that memory.
   *
   * @throws {RangeError} if `parties` is not an integer from 1 to 65535 or the timeout is NaN/infinite.
   */
  constructor(parties: number | SharedBlock, options: BarrierOptions = {}) {
    const from = SharedBlock.isBlock(parties) ? parties : undefined;
    const count = from === undefined ? checkCount(parties, 'parties', 1, MAX_PARTIES) : 0;
    const timeout = checkTimeout(options.timeout);
    if (options.action !== undefined && typeof options.action !== 'function')
      throw new TypeError('action must be a function');
    super(BARRIER_TYPE, from ?? barrierBytes(count));
    const block = this[SHARED_BLOCK];
    this.#i32 = block.int32();
    // The default timeout lives in the barrier's memory, so that a revived barrier keeps it.
    const storedTimeout = new Float64Array(block.heap.buffer, block.byteOffset + BarrierLayout.TIMEOUT_INDEX * 4, 1);
    if (from === undefined) {
      Atomics.store(this.#i32, BarrierLayout.PARTIES_INDEX, count);
      // Written before the block is handed to another thread, which orders these stores before its loads.
      if (timeout !== undefined) {
        storedTimeout[0] = timeout;
        Atomics.store(this.#i32, BarrierLayout.HAS_TIMEOUT_INDEX, 1);
      }
    }
    this.#spot = { i32: this.#i32, valueIndex: BarrierLayout.STATE_INDEX, waitersIndex: BarrierLayout.WAITERS_INDEX };
    this.#timeout = Atomics.load(this.#i32, BarrierLayout.HAS_TIMEOUT_INDEX) === 1 ? storedTimeout[0] : undefined;
    this.#action = options.action;
  }

  /** Gives this thread's barrier object the action to run when a party of this thread arrives last. */
  setAction(action: (() => void) | undefined): void {
    if (action !== undefined && typeof action !== 'function') throw new TypeError('action must be a function');
    this.#action = action;
  }

  /** The number of parties needed to pass the barrier. */
  get parties(): number {
    return Atomics.load(this.#i32, BarrierLayout.PARTIES_INDEX);
  }

  /** The number of parties waiting now (a snapshot). **Python equivalent:** `n_waiting`. */
  get nWaiting(): number {
    const state = Atomics.load(this.#i32, BarrierLayout.STATE_INDEX);
    // ARRIVED keeps counting the parties of a tripping or broken generation, but none of them waits any
    // more: they are being released, or leave with BrokenBarrierError (Python's n_waiting drops to 0 as
    // they leave), and nobody arrives until the generation ends or reset().
    return (state & (BarrierState.TRIPPING | BarrierState.BROKEN)) !== 0 ? 0 : state & BarrierState.ARRIVED_MASK;
  }

  /** True while the barrier is broken (until `reset()`). */
  get broken(): boolean {
    return (Atomics.load(this.#i32, BarrierLayout.STATE_INDEX) & BarrierState.BROKEN) !== 0;
  }

  /**
   * Waits, without blocking the event loop, until `parties` threads wait; resolves with this party's index
   * (0..parties−1, distinct within a generation; the last to arrive gets parties−1).
   *
   * @throws {BrokenBarrierError} (rejects) if the barrier is or becomes broken, or the timeout passes (which
   * breaks it); the signal's `reason` when `signal` aborts (which breaks it too: the party left).
   */
  async wait(timeoutOrOptions?: number | TimedWaitOptions): Promise<number> {
    const plan = this.#plan(timeoutOrOptions);
    const arrival = await parkUntil(this.#spot, this.#arrivalAttempt(), this.#untilTripped(plan));
    const passed = this.#afterArrival(arrival);
    if (passed !== undefined) return passed;
    const { generation, index } = arrival as Arrival;
    let outcome: Outcome | 'timed out' | undefined;
    try {
      outcome = await parkUntil(this.#spot, this.#outcomeAttempt(generation), { ...plan, pollMs: LIVENESS_POLL_MS });
      outcome ??= this.#giveUp(generation);
      outcome ??= await parkUntil(this.#spot, this.#outcomeAttempt(generation), this.#untilTripped(plan));
    } catch (reason) {
      breakGeneration(this.#i32, generation);
      throw reason;
    }
    return this.#settle(outcome, index);
  }

  /** The blocking form of {@link Barrier.wait}. */
  waitSync(timeoutOrOptions?: number | TimedWaitOptions): number {
    const plan = this.#plan(timeoutOrOptions);
    const arrival = parkUntilSync(this.#spot, this.#arrivalAttempt(), this.#untilTripped(plan));
    const passed = this.#afterArrival(arrival);
    if (passed !== undefined) return passed;
    const { generation, index } = arrival as Arrival;
    let outcome: Outcome | 'timed out' | undefined;
    try {
      outcome = parkUntilSync(this.#spot, this.#outcomeAttempt(generation), { ...plan, pollMs: LIVENESS_POLL_MS });
      outcome ??= this.#giveUp(generation);
      outcome ??= parkUntilSync(this.#spot, this.#outcomeAttempt(generation), this.#untilTripped(plan));
    } catch (reason) {
      breakGeneration(this.#i32, generation);
      throw reason;
    }
    return this.#settle(outcome, index);
  }

  /**
   * Returns the barrier to its empty, unbroken state. Parties waiting now fail with BrokenBarrierError.
   * If the last party is running the action, waits for it to finish first; if that party died in the
   * action, ends its generation in its place instead of waiting for ever.
   */
  reset(): void {
    const token = currentThreadToken();
    while (!claimEnder(this.#i32, token)) {
      // The last party is running the action: wait for its generation to end (a short, rare wait).
      // claimEnder takes over from it if it died.
      Atomics.wait(this.#i32, BarrierLayout.ENDER_INDEX, Atomics.load(this.#i32, BarrierLayout.ENDER_INDEX), 1);
    }
    endGeneration(this.#i32, startEnding(this.#i32), true, false);
    releaseEnder(this.#i32);
  }

  /** Breaks the barrier: parties waiting now and later fail with BrokenBarrierError until `reset()`. */
  abort(): void {
    breakCurrent(this.#i32);
  }

  #plan(timeoutOrOptions: number | TimedWaitOptions | undefined): WaitPlan {
    const given =
      typeof timeoutOrOptions === 'object' && timeoutOrOptions !== null ? timeoutOrOptions.timeout : timeoutOrOptions;
    // null means "the default", like Python's None.
    if ((given !== undefined && given !== null) || this.#timeout === undefined) return planTimed(timeoutOrOptions);
    const signal = typeof timeoutOrOptions === 'object' ? timeoutOrOptions.signal : undefined;
    return planTimed({ timeout: this.#timeout, signal });
  }

  /**
   * The wait for a trip in progress to end: no deadline, as in Python, where waits queue behind the action
   * (the action is the caller's code and normally short); a tripper that dies is noticed by the attempts.
   */
  #untilTripped(plan: WaitPlan): ParkOptions {
    return { deadline: NO_DEADLINE, signal: plan.signal, pollMs: LIVENESS_POLL_MS };
  }

  /** An attempt to arrive; while the previous generation trips, also checks that its tripper lives. */
  #arrivalAttempt(): (parks: number) => Arrival | 'broken' | undefined {
    return (parks) => {
      const arrival = tryArrive(this.#i32, currentThreadToken());
      if (arrival === undefined && parks > 0) recoverAbandonedTrip(this.#i32, currentThreadToken());
      return arrival;
    };
  }

  /**
   * Handles the arrival: throws for a broken barrier, trips it for the last party (returning its index),
   * or returns undefined for a party that must wait.
   */
  #afterArrival(arrival: Arrival | 'broken' | undefined): number | undefined {
    // Without a deadline the arrival wait ends only with an arrival or 'broken'.
    if (arrival === undefined || arrival === 'broken') throw new BrokenBarrierError('the Barrier is broken');
    if (!arrival.last) return undefined;
    try {
      this.#action?.();
    } catch (error) {
      endGeneration(this.#i32, arrival.generation, true, true);
      releaseEnder(this.#i32);
      throw error;
    }
    const broken = endGeneration(this.#i32, arrival.generation, false, true);
    // ENDER is given back only once the next generation is published (layout.ts).
    releaseEnder(this.#i32);
    if (broken) throw new BrokenBarrierError('the Barrier is broken');
    return arrival.index;
  }

  /**
   * An attempt that resolves once the generation ended. After a park it also checks the parties: a dead
   * waiting party breaks a filling generation, a dead tripper ends a passing one (broken).
   */
  #outcomeAttempt(generation: number): (parks: number) => Outcome | undefined {
    return (parks) => {
      const outcome = outcomeFor(this.#i32, generation);
      if (outcome !== undefined || parks === 0) return outcome;
      if (isTripping(this.#i32, generation)) recoverAbandonedTrip(this.#i32, currentThreadToken());
      else if (hasDeadParty(this.#i32, generation)) breakGeneration(this.#i32, generation);
      return outcomeFor(this.#i32, generation);
    };
  }

  /**
   * The deadline passed: breaks a filling generation (Python's rule for a timeout) and returns how it
   * ended, or undefined when it is passing (the last party runs the action): then the caller waits for it.
   */
  #giveUp(generation: number): Outcome | 'timed out' | undefined {
    if (breakGeneration(this.#i32, generation)) return 'timed out';
    return outcomeFor(this.#i32, generation);
  }

  #settle(outcome: Outcome | 'timed out' | undefined, index: number): number {
    if (outcome === 'timed out') throw new BrokenBarrierError('timed out waiting at the Barrier');
    if (outcome !== 'passed') throw new BrokenBarrierError('the Barrier is broken');
    return index;
  }
}
