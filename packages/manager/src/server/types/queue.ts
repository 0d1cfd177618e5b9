/**
 * The managed Queue and JoinableQueue: Python's `queue.Queue(maxsize)` in the server (both typeids, as in
 * Python, whose manager serves `queue.Queue` for both), with `taskDone`/`join` and `shutdown`.
 *
 * Nothing taken is lost to a caller that left: a waiting `get` whose call is cancelled or whose connection
 * ended gives up before it takes an item.
 */

import { Empty, Full, InvalidStateError, planWait, ShutDown, type WaitOptions } from '@ipc/core';
import { type Caller, managedType } from '../managed-type.ts';
import { releaseReferencesIn } from '../stored-references.ts';
import { WaitList } from '../wait-list.ts';

class ServedQueue {
  readonly maxsize: number;
  /** The items, from `head` on (a moving start: shift() is O(n) on large arrays). */
  #items: unknown[] = [];
  #head = 0;
  unfinished = 0;
  shutDown = false;
  readonly #getters = new WaitList();
  readonly #putters = new WaitList();
  readonly #joiners = new WaitList();

  constructor(maxsize: number) {
    this.maxsize = maxsize;
  }

  get size(): number {
    return this.#items.length - this.#head;
  }

  full(): boolean {
    return this.maxsize > 0 && this.size >= this.maxsize;
  }

  async put(item: unknown, options: WaitOptions | undefined, caller: Caller): Promise<void> {
    const { deadline } = planWait(options);
    for (;;) {
      if (this.shutDown) throw new ShutDown('the queue is shut down');
      if (!this.full()) break;
      if (deadline.expired() || !(await this.#putters.wait(deadline, caller.signal))) {
        if (this.shutDown) throw new ShutDown('the queue is shut down');
        if (this.full()) throw new Full('the queue is full');
      }
    }
    this.#items.push(item);
    this.unfinished++;
    this.#getters.wakeOne();
  }

  async get(options: WaitOptions | undefined, caller: Caller): Promise<unknown> {
    const { deadline } = planWait(options);
    for (;;) {
      if (this.size > 0) break;
      if (this.shutDown) throw new ShutDown('the queue is shut down and empty');
      if (deadline.expired() || !(await this.#getters.wait(deadline, caller.signal))) {
        if (this.size === 0)
          throw this.shutDown ? new ShutDown('the queue is shut down and empty') : new Empty('the queue is empty');
      }
    }
    // The caller is still there (a cancelled wait rejected above): the item goes to it.
    const item = this.#items[this.#head];
    this.#items[this.#head++] = undefined;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    this.#putters.wakeOne();
    // Another getter may be waiting for what is left.
    if (this.size > 0) this.#getters.wakeOne();
    return item;
  }

  taskDone(): void {
    if (this.unfinished <= 0) throw new InvalidStateError('task_done() called too many times');
    if (--this.unfinished === 0) this.#joiners.wakeAll();
  }

  async join(caller: Caller): Promise<void> {
    const forever = planWait(undefined).deadline;
    while (this.unfinished > 0) await this.#joiners.wait(forever, caller.signal);
  }

  /** Drops the items left, giving back the references in them. */
  dropItems(): void {
    for (let i = this.#head; i < this.#items.length; i++) releaseReferencesIn(this.#items[i]);
    this.#items = [];
    this.#head = 0;
  }

  /** Python 3.13's shutdown: puts fail; gets drain (or, immediate, the items are dropped) then fail. */
  shutdown(immediate: boolean): void {
    this.shutDown = true;
    if (immediate) {
      this.unfinished -= this.size;
      this.dropItems();
      this.#head = 0;
      if (this.unfinished <= 0) {
        this.unfinished = 0;
        this.#joiners.wakeAll();
      }
    }
    this.#getters.wakeAll();
    this.#putters.wakeAll();
  }
}

function create([maxsize = 0]: unknown[]): ServedQueue {
  if (typeof maxsize !== 'number' || !Number.isInteger(maxsize)) {
    throw new TypeError(`maxsize must be an integer, got ${String(maxsize)}`);
  }
  return new ServedQueue(Math.max(0, maxsize));
}

const queueMethods = {
  put: (q: ServedQueue, [item, options]: unknown[], caller: Caller) => q.put(item, options as WaitOptions, caller),
  get: (q: ServedQueue, [options]: unknown[], caller: Caller) => q.get(options as WaitOptions, caller),
  qsize: (q: ServedQueue) => q.size,
  empty: (q: ServedQueue) => q.size === 0,
  full: (q: ServedQueue) => q.full(),
  taskDone: (q: ServedQueue) => q.taskDone(),
  join: (q: ServedQueue, _args: unknown[], caller: Caller) => q.join(caller),
  shutdown: (q: ServedQueue, [options]: unknown[]) =>
    q.shutdown((options as { immediate?: unknown } | undefined)?.immediate === true),
};

const dispose = { dispose: (q: ServedQueue) => q.dropItems() };

export const QUEUE_TYPE = managedType('Queue', create, queueMethods, dispose);
export const JOINABLE_QUEUE_TYPE = managedType('JoinableQueue', create, queueMethods, dispose);
