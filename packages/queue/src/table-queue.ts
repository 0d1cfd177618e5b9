import {
  type Codec,
  checkCount,
  currentThreadToken,
  InvalidStateError,
  SHARED_BLOCK,
  SharedBlock,
  type SharedType,
  ShutDown,
  type ThreadToken,
} from '@ipc/core';
import { type Decoder, type EMPTY, FULL, SHUT } from './protocol.ts';
import { checkMaxsize, queueOptions } from './queue.ts';
import { QueueBase } from './queue-base.ts';
import { TableLayout, tableBytes } from './table/layout.ts';
import { type Placement, type TableView, tableCount, tableGet, tablePut, tableSettle } from './table/table.ts';

/**
 * Options of a LifoQueue or PriorityQueue.
 *
 * **Python equivalent:** `maxsize` of `queue.LifoQueue(maxsize=0)`; `capacity` and `codec` are this
 * library's.
 *
 * @example
 * ```ts
 * const stack = new LifoQueue<string>({ maxsize: 100, codec: jsonCodec });
 * ```
 */
export interface TableQueueOptions {
  /** Most messages at once; 0 or less: no limit but `capacity`. Default 0. */
  maxsize?: number | undefined;
  /** Entries the table holds (default: maxsize, or 4096 without one). */
  capacity?: number | undefined;
  /** How messages become bytes and back; default core's structured codec. */
  codec?: Codec | undefined;
}

/** Entries of a table without maxsize or capacity. */
export const DEFAULT_TABLE_CAPACITY = 4096;

/**
 * How a PriorityQueue orders its items, with `Array.prototype.sort`'s convention: negative when `a` comes out
 * before `b`, positive when after, 0 (or NaN) for a tie (ties come out in the order they were put). It must
 * be quick and pure: it runs while the queue's guard is held.
 *
 * **Python equivalent:** the items' `__lt__` (or a comparison given to `functools.cmp_to_key`).
 *
 * @example
 * ```ts
 * const byDeadline: Compare<Job> = (a, b) => a.deadline - b.deadline;
 * const q = new PriorityQueue({ compare: byDeadline });
 * ```
 */
export type Compare<T> = (a: T, b: T) => number;

/**
 * An item ready for the table: its encoding in a heap block of its own, and where it goes. By a comparison,
 * the item is compared as a get will return it (decoded from its block), so `compare` always sees like with
 * like, whatever the codec does to a value.
 */
interface TableItem {
  readonly block: number;
  readonly length: number;
  readonly placement: Placement;
}

/** How a table queue orders a put: a placement, or (PriorityQueue with `compare`) a comparison. */
export type TableOrder<T> = Placement | Compare<T>;

/** A decoder over the codec's `decodeRange`, or over `decode` of a subarray if it has none. */
function decoderOf<T>(codec: Codec): Decoder<T> {
  if (codec.decodeRange !== undefined) return (source, start, end) => codec.decodeRange?.(source, start, end) as T;
  return (source, start, end) => codec.decode(source.subarray(start, end)) as T;
}

/**
 * A queue over an entry table (table/layout.ts) kept in the order its messages are taken: the base of
 * LifoQueue and PriorityQueue. A subclass says where each put goes (`orderOf`).
 */
export abstract class TableQueue<T> extends QueueBase<T, TableItem> {
  readonly #view: TableView;
  readonly #maxsize: number;
  /** The decoder of the codec of the last put by comparison, made once per codec. */
  #decoder: { readonly codec: Codec; readonly decode: Decoder<T> } | undefined;
  /** True while a comparison runs under the guard: the queue's own guarded calls would wait for ever. */
  #comparing = false;

  protected constructor(type: SharedType, arg: number | TableQueueOptions | SharedBlock | undefined) {
    const from = SharedBlock.isBlock(arg) ? arg : undefined;
    const options = queueOptions(arg) as TableQueueOptions;
    const maxsize = checkMaxsize(options.maxsize);
    const capacity = checkCount(
      options.capacity ?? (maxsize > 0 ? maxsize : DEFAULT_TABLE_CAPACITY),
      'capacity',
      1,
      2 ** 24,
    );
    super(type, from ?? tableBytes(capacity), options.codec);
    const block = this[SHARED_BLOCK];
    const words = block.int32();
    if (from === undefined) {
      Atomics.store(words, TableLayout.MAXSIZE_INDEX, maxsize);
      Atomics.store(words, TableLayout.CAPACITY_INDEX, capacity);
    }
    this.#view = {
      words,
      floats: new Float64Array(block.heap.buffer, block.byteOffset, words.length >> 1),
      bytes: new Uint8Array(block.heap.buffer),
      capacity: Atomics.load(words, TableLayout.CAPACITY_INDEX),
      heap: block.heap,
    };
    this.#maxsize = Atomics.load(words, TableLayout.MAXSIZE_INDEX);
    this.shareCodecChoice(words, TableLayout.CODEC_INDEX, from === undefined, options.codec);
    this.attachWaits(
      this.#maxsize,
      { i32: words, valueIndex: TableLayout.PUTS_INDEX, waitersIndex: TableLayout.GETTERS_INDEX },
      { i32: words, valueIndex: TableLayout.GETS_INDEX, waitersIndex: TableLayout.PUTTERS_INDEX },
      TableLayout.SHUTDOWN_INDEX,
    );
  }

  /** The table's header and entries, for a subclass's own header words (PriorityQueue's COMPARE). */
  protected get tableWords(): Int32Array {
    return this.#view.words;
  }

  /** Messages in the queue now (a snapshot). **Python equivalent:** `qsize()`. */
  qsize(): number {
    return tableCount(this.#view.words);
  }

  /**
   * Where `item` goes: a placement, or a comparison of queued items with it. Checks the item (and the state a
   * put needs) before anything is encoded or allocated: what it throws, the put throws.
   */
  protected abstract orderOf(item: T): TableOrder<T>;

  protected override prepare(item: T, codec: Codec): TableItem {
    const order = this.orderOf(item);
    const payload = codec.encode(item);
    // The block is filled once, before any wait for room; a put that fails gives it back (unprepare).
    const block = this.#view.heap.allocate(Math.max(payload.length, 1), { zeroed: false });
    const { bytes } = this.#view;
    bytes.set(payload, block);
    if (typeof order !== 'function') return { block, length: payload.length, placement: order };
    try {
      const decode = this.#decoderFor(codec);
      // The new item as a get will return it: compared with decoded items, it is compared like with like.
      const value = decode(bytes, block, block + payload.length);
      const comesAfter = (source: Uint8Array, start: number, end: number): boolean => {
        this.#comparing = true;
        try {
          // `> 0` as Array.prototype.sort reads it: NaN, like 0, is a tie.
          return order(decode(source, start, end), value) > 0;
        } finally {
          this.#comparing = false;
        }
      };
      return { block, length: payload.length, placement: { by: 'compare', comesAfter } };
    } catch (error) {
      this.#view.heap.release(block);
      throw error;
    }
  }

  #decoderFor(codec: Codec): Decoder<T> {
    let decoder = this.#decoder;
    if (decoder?.codec !== codec) {
      decoder = { codec, decode: decoderOf<T>(codec) };
      this.#decoder = decoder;
    }
    return decoder.decode;
  }

  protected override unprepare(prepared: TableItem): void {
    this.#view.heap.release(prepared.block);
  }

  /** Refuses the queue's own guarded calls from inside a comparison (its guard is held: they would spin). */
  #checkNotComparing(): void {
    if (this.#comparing) throw new InvalidStateError('compare must not use the queue it orders');
  }

  protected override tryPutItem(item: TableItem, token: ThreadToken): boolean {
    this.#checkNotComparing();
    const outcome = tablePut(this.#view, token, item.block, item.length, item.placement, this.#maxsize);
    if (outcome === SHUT) throw new ShutDown('the queue is shut down');
    return outcome !== FULL;
  }

  protected override waitForPuts(): void {
    this.#checkNotComparing();
    // A guard taken over here from a dead putter has its put rolled back first (table.ts).
    tableSettle(this.#view, currentThreadToken());
  }

  protected override tryTake(token: ThreadToken, decode: Decoder<T>): T | typeof EMPTY {
    this.#checkNotComparing();
    return tableGet(this.#view, token, decode);
  }
}
