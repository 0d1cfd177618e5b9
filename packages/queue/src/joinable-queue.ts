import {
  deadlineAfter,
  defineSharedType,
  InvalidStateError,
  type ParkingSpot,
  parkUntil,
  parkUntilSync,
  releaseRing,
  type SharedBlock,
  type SharedType,
} from '@ipc/core';
import { Queue, type QueueOptions } from './queue.ts';
import { JOINABLE_QUEUE_TAG, QUEUE_LAYOUT_VERSION, QueueLayout } from './ring/layout.ts';

const JOINABLE_QUEUE_TYPE = defineSharedType({
  name: 'ipc.queue.JoinableQueue',
  tag: JOINABLE_QUEUE_TAG,
  version: QUEUE_LAYOUT_VERSION,
  revive: (block) => new JoinableQueue(block),
  module: import.meta.url,
  releaseOwned: (block) => releaseRing(block.int32(), block.heap),
});

/**
 * A `Queue` that counts unfinished tasks: each `put` adds one, each `taskDone()` (called by a consumer when
 * it has finished with an item it got) removes one, and `join()` waits until none is left.
 *
 * **Python equivalent:** `multiprocessing.JoinableQueue(maxsize=0)`: `task_done` → `taskDone`, `join`.
 *
 * **Thread rules:** as `Queue`. `joinSync` blocks the calling thread; `join` does not block the event loop.
 *
 * @example
 * ```ts
 * const tasks = new JoinableQueue<string>();
 * new Process({ target: worker, args: [tasks], daemon: true }).start();  // get(); ...; taskDone()
 * for (const t of ['a', 'b']) await tasks.put(t);
 * await tasks.join();   // both done
 * ```
 */
export class JoinableQueue<T = unknown> extends Queue<T> {
  readonly #joinSpot: ParkingSpot;

  /** A new joinable queue, or (given a block by `revive`) the one in that memory. */
  constructor(maxsizeOrOptions?: number | QueueOptions | SharedBlock) {
    super(maxsizeOrOptions);
    this.#joinSpot = {
      i32: this.view.words,
      valueIndex: QueueLayout.DONE_COUNT_INDEX,
      waitersIndex: QueueLayout.JOINERS_INDEX,
    };
  }

  protected static override get sharedType(): SharedType {
    return JOINABLE_QUEUE_TYPE;
  }

  /**
   * Says that an item got from the queue has been processed. When every put item has been, `join()` returns.
   *
   * @throws {InvalidStateError} when called more times than items were put ("task_done() called too many times").
   */
  taskDone(): void {
    const { words } = this.view;
    let done = Atomics.load(words, QueueLayout.DONE_COUNT_INDEX);
    for (;;) {
      if (done === Atomics.load(words, QueueLayout.PUT_COUNT_INDEX)) {
        throw new InvalidStateError('taskDone() called too many times');
      }
      const found = Atomics.compareExchange(words, QueueLayout.DONE_COUNT_INDEX, done, (done + 1) | 0);
      if (found === done) break;
      done = found;
    }
    // DONE_COUNT changed before JOINERS is loaded (core wait/park.ts): a joiner registered later sees it.
    if (Atomics.load(words, QueueLayout.JOINERS_INDEX) > 0) Atomics.notify(words, QueueLayout.DONE_COUNT_INDEX);
  }

  /** Tasks put and not yet marked done (a snapshot). */
  get unfinishedTasks(): number {
    const { words } = this.view;
    // DONE_COUNT first, as core's ringMessageCount: never negative.
    const done = Atomics.load(words, QueueLayout.DONE_COUNT_INDEX);
    return (Atomics.load(words, QueueLayout.PUT_COUNT_INDEX) - done) | 0;
  }

  /** Waits, without blocking the event loop, until every item put has been marked done. */
  async join(): Promise<void> {
    await parkUntil(this.#joinSpot, this.#allDone, { deadline: deadlineAfter(undefined) });
  }

  /** The blocking form of {@link JoinableQueue.join}. */
  joinSync(): void {
    parkUntilSync(this.#joinSpot, this.#allDone, { deadline: deadlineAfter(undefined) });
  }

  readonly #allDone = (): true | undefined => (this.unfinishedTasks === 0 ? true : undefined);

  /** Items discarded by an immediate shutdown will never be processed: they count as done. */
  protected override discarded(count: number): void {
    if (count === 0) return;
    Atomics.add(this.view.words, QueueLayout.DONE_COUNT_INDEX, count);
    Atomics.notify(this.view.words, QueueLayout.DONE_COUNT_INDEX);
  }
}
