import { defineSharedType, InvalidStateError, SharedBlock } from '@ipc/core';
import { queueOptions } from './queue.ts';
import { PRIORITY_QUEUE_TAG, TABLE_LAYOUT_VERSION, TableLayout } from './table/layout.ts';
import { releaseTable } from './table/table.ts';
import { type Compare, type TableOrder, TableQueue, type TableQueueOptions } from './table-queue.ts';

const PRIORITY_QUEUE_TYPE = defineSharedType({
  name: 'ipc.queue.PriorityQueue',
  tag: PRIORITY_QUEUE_TAG,
  version: TABLE_LAYOUT_VERSION,
  revive: (block) => new PriorityQueue(block),
  module: import.meta.url,
  releaseOwned: (block) => releaseTable(block.int32(), block.heap),
});

/**
 * A PriorityQueue item ordered without `compare`: `[priority, ...rest]` with a number priority, lowest first.
 *
 * **Python equivalent:** the `(priority, item)` tuples of `queue.PriorityQueue`.
 *
 * @example
 * ```ts
 * type Job = [priority: number, task: string]; // a PriorityItem
 * const jobs = new PriorityQueue<Job>();
 * ```
 */
export type PriorityItem = readonly [number, ...unknown[]];

/**
 * Options of a PriorityQueue: those of every table queue, and `compare`.
 *
 * **Python equivalent:** `maxsize` of `queue.PriorityQueue(maxsize=0)`; `compare` stands for the items'
 * `__lt__`.
 *
 * @example
 * ```ts
 * const q = new PriorityQueue<Job>({ maxsize: 100, compare: (a, b) => a.deadline - b.deadline });
 * ```
 */
export interface PriorityQueueOptions<T> extends TableQueueOptions {
  /**
   * How items are ordered, as in `Array.prototype.sort`: negative when `a` comes out before `b`. Without it,
   * items are `[priority, ...rest]` arrays, lowest number first. It receives items as a get returns them
   * (decoded copies), runs while the queue's guard is held (about log2(n) calls per put), and must be quick
   * and pure: what it throws, `put` throws, and nothing is put. Functions do not cross threads: a queue made
   * with one must be given it with {@link PriorityQueue.useCompare} in every other thread that puts.
   */
  compare?: Compare<T> | undefined;
}

/**
 * The constructor arguments of a `PriorityQueue<T>`: a maxsize or options (or none) for `[priority, ...]`
 * items; options with `compare` for any other item type, which is then inferred from `compare`.
 *
 * **Python equivalent:** `queue.PriorityQueue(maxsize=0)`'s arguments.
 *
 * @example
 * ```ts
 * new PriorityQueue<[number, string]>(10);                        // [priority, ...] items
 * new PriorityQueue({ compare: (a: Job, b: Job) => a.at - b.at });  // PriorityQueue<Job>
 * new PriorityQueue<Job>();                                       // type error: Job needs a compare
 * ```
 */
export type PriorityQueueArgs<T> = [T] extends [PriorityItem]
  ? [maxsizeOrOptions?: number | PriorityQueueOptions<T> | SharedBlock]
  : [options: PriorityQueueOptions<T> & { compare: Compare<T> }];

/**
 * A queue that hands out the lowest priority first, in shared memory, with the `Queue` surface. Items are
 * `[priority, ...rest]` tuples with a number priority, as in Python's idiom, or anything ordered by a
 * `compare` option. Equal priorities (and ties of `compare`) come out in the order they were put (stable,
 * unlike Python's heap, which compares the rest of the tuple). A put costs a binary search and a shift of
 * the entries that come out after the new one; a get takes the last entry, in constant time.
 *
 * **Python equivalent:** `queue.PriorityQueue(maxsize=0)` with `(priority, item)` tuples; `compare` stands
 * for Python's items with `__lt__` (a dataclass with `order=True`).
 *
 * @example
 * ```ts
 * const jobs = new PriorityQueue<[number, string]>();
 * jobs.putSync([5, 'later']);
 * jobs.putSync([1, 'first']);
 * jobs.getSync();   // [1, 'first']
 *
 * const deadlines = new PriorityQueue({ compare: (a: Job, b: Job) => a.deadline - b.deadline });
 * ```
 */
export class PriorityQueue<T = [number, unknown]> extends TableQueue<T> {
  /** True when the queue was made with a compare (the COMPARE word), in whichever thread. */
  readonly #byCompare: boolean;
  #compare: Compare<T> | undefined;

  /**
   * A new priority queue (maxsize, or options), or (given a block by `revive`) the one in that memory.
   *
   * @throws {TypeError} when `compare` is given and not a function; {RangeError}/{TypeError} for a bad
   * maxsize or capacity.
   */
  constructor(...args: PriorityQueueArgs<T>) {
    const arg = args[0] as number | PriorityQueueOptions<T> | SharedBlock | undefined;
    const { compare } = queueOptions(arg) as PriorityQueueOptions<T>;
    // Checked before the memory is taken.
    if (compare !== undefined) checkCompare(compare);
    super(PRIORITY_QUEUE_TYPE, arg);
    const words = this.tableWords;
    // Written once, by the thread that makes the queue; read by every thread it reaches.
    if (!SharedBlock.isBlock(arg)) Atomics.store(words, TableLayout.COMPARE_INDEX, compare === undefined ? 0 : 1);
    this.#byCompare = Atomics.load(words, TableLayout.COMPARE_INDEX) === 1;
    this.#compare = compare;
  }

  /**
   * Gives this thread's object the compare the queue was made with (`new PriorityQueue({ compare })`): a
   * queue that crossed to another thread needs it there before its first `put` (gets need none: the next
   * item is always at hand). It must order as the original does, or the order is lost.
   *
   * **Python equivalent:** none needed there: Python's items carry their `__lt__` with their class, while
   * functions do not cross threads here.
   *
   * @throws {TypeError} unless `compare` is a function; {InvalidStateError} for a queue made without one
   * (it orders `[priority, ...]` items by number).
   *
   * @example
   * ```ts
   * export function worker(q: PriorityQueue<Job>) { q.useCompare(byDeadline); q.putSync(job); }
   * ```
   */
  useCompare(compare: Compare<T>): this {
    checkCompare(compare);
    if (!this.#byCompare) {
      throw new InvalidStateError('this PriorityQueue was made without compare: it orders [priority, ...] items');
    }
    this.#compare = compare;
    return this;
  }

  /**
   * @throws {TypeError} without compare, unless the item is an array whose first element is a number (not
   * NaN); {InvalidStateError} for a queue made with a compare that this thread was not given.
   */
  protected override orderOf(item: T): TableOrder<T> {
    if (this.#byCompare) {
      if (this.#compare === undefined) {
        throw new InvalidStateError(
          'this PriorityQueue was made with a compare function: call useCompare(compare) in this thread first',
        );
      }
      return this.#compare;
    }
    const priority: unknown = Array.isArray(item) ? item[0] : undefined;
    if (typeof priority !== 'number' || Number.isNaN(priority)) {
      throw new TypeError(
        'a PriorityQueue item is a [priority, ...] array whose priority is a number (or give the queue a compare)',
      );
    }
    return { by: 'key', key: priority };
  }
}

function checkCompare(compare: unknown): void {
  if (typeof compare !== 'function') {
    throw new TypeError(`compare must be a function (a, b) => number, got ${typeof compare}`);
  }
}
