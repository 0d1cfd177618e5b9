import {
  type Codec,
  checkCount,
  SHARED_BLOCK,
  SharedBlock,
  type SharedType,
  ShutDown,
  type ThreadToken,
} from '@ipc/core';
import { type Decoder, type EMPTY, FULL, SHUT } from './protocol.ts';
import { checkMaxsize, queueOptions } from './queue.ts';
import { QueueBase } from './queue-base.ts';
import { waitForGuard } from './shutdown.ts';
import { TableLayout, tableBytes } from './table/layout.ts';
import { type Pick, type TableView, tableCount, tableGet, tablePut } from './table/table.ts';

/** Options of a LifoQueue or PriorityQueue. */
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
 * A queue over an entry table (table/layout.ts): messages in heap blocks, taken by `pick`. The base of
 * LifoQueue and PriorityQueue.
 */
/** An item ready for the table: its encoding in a heap block of its own, and its priority. */
interface TableItem {
  readonly block: number;
  readonly length: number;
  readonly key: number;
}

export abstract class TableQueue<T> extends QueueBase<T, TableItem> {
  readonly #view: TableView;
  readonly #maxsize: number;
  readonly #pick: Pick;

  protected constructor(type: SharedType, arg: number | TableQueueOptions | SharedBlock | undefined, pick: Pick) {
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
      capacity: Atomics.load(words, TableLayout.CAPACITY_INDEX),
      heap: block.heap,
    };
    this.#maxsize = Atomics.load(words, TableLayout.MAXSIZE_INDEX);
    this.shareCodecChoice(words, TableLayout.CODEC_INDEX, from === undefined, options.codec);
    this.#pick = pick;
    this.attachWaits(
      this.#maxsize,
      { i32: words, valueIndex: TableLayout.PUTS_INDEX, waitersIndex: TableLayout.GETTERS_INDEX },
      { i32: words, valueIndex: TableLayout.GETS_INDEX, waitersIndex: TableLayout.PUTTERS_INDEX },
      TableLayout.SHUTDOWN_INDEX,
    );
  }

  /** Messages in the queue now (a snapshot). **Python equivalent:** `qsize()`. */
  qsize(): number {
    return tableCount(this.#view.words);
  }

  /** The priority of an item (PriorityQueue); 0 for a LifoQueue. */
  protected abstract keyOf(item: T): number;

  protected override prepare(item: T, codec: Codec): TableItem {
    const key = this.keyOf(item);
    const payload = codec.encode(item);
    // The block is filled once, before any wait for room; a put that fails gives it back (unprepare).
    const block = this.#view.heap.allocate(Math.max(payload.length, 1), { zeroed: false });
    new Uint8Array(this.#view.heap.buffer, block, payload.length).set(payload);
    return { block, length: payload.length, key };
  }

  protected override unprepare(prepared: TableItem): void {
    this.#view.heap.release(prepared.block);
  }

  protected override tryPutItem(item: TableItem, token: ThreadToken): boolean {
    const outcome = tablePut(this.#view, token, item.block, item.length, item.key, this.#maxsize);
    if (outcome === SHUT) throw new ShutDown('the queue is shut down');
    return outcome !== FULL;
  }

  protected override waitForPuts(): void {
    waitForGuard(this.#view.words, TableLayout.GUARD_INDEX);
  }

  protected override tryTake(token: ThreadToken, decode: Decoder<T>): T | typeof EMPTY {
    return tableGet(this.#view, token, this.#pick, decode);
  }
}
