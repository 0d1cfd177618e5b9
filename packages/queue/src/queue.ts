import {
  type Codec,
  checkCount,
  currentThreadToken,
  defineSharedType,
  initRing,
  type Payload,
  PayloadEncoder,
  type RingView,
  releaseRing,
  ringCapacity,
  ringMessageCount,
  ringSettlePuts,
  ringTryGet,
  ringTryPut,
  ringView,
  SHARED_BLOCK,
  SharedBlock,
  type SharedType,
  ShutDown,
  type ThreadToken,
} from '@ipc/core';
import { type Decoder, type EMPTY, FULL, SHUT } from './protocol.ts';
import { QueueBase } from './queue-base.ts';
import { HEADER_BYTES, QUEUE_LAYOUT_VERSION, QUEUE_TAG, QueueLayout } from './ring/layout.ts';

/** Options of a queue. */
export interface QueueOptions {
  /** Most messages at once; 0 or less: no limit but the ring's bytes. Default 0. */
  maxsize?: number | undefined;
  /**
   * Bytes of the ring that first holds the encoded messages (it doubles when a put finds no room and
   * `maxsize` allows another message); a message over half of it is kept aside in a heap block. Default 1 MiB.
   */
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
  releaseOwned: (block) => releaseRing(block.int32(), block.heap),
});

/** The options of a queue constructor's first argument (a maxsize, options, or a revived block). */
export function queueOptions(arg: number | QueueOptions | SharedBlock | undefined): QueueOptions {
  if (arg === undefined || SharedBlock.isBlock(arg)) return {};
  if (typeof arg === 'number') return { maxsize: arg };
  if (typeof arg !== 'object' || arg === null) throw new TypeError(`expected a maxsize or options, got ${typeof arg}`);
  return arg;
}

/** A checked maxsize: an integer; 0 or less means no limit (stored as 0). */
export function checkMaxsize(value: unknown): number {
  return Math.max(0, checkCount(value ?? 0, 'maxsize', -(2 ** 31), 2 ** 31 - 1));
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
export class Queue<T = unknown> extends QueueBase<T, Payload> {
  readonly #view: RingView;
  readonly #maxsize: number;
  /** Made for the codec of the first put (a queue revived elsewhere may be given its codec later). */
  #encoder: PayloadEncoder<T> | undefined;

  /**
   * A new queue, or (given a block by `revive`) the queue in that memory.
   *
   * @throws {RangeError}/{TypeError} for a bad maxsize or capacityBytes.
   */
  constructor(maxsizeOrOptions?: number | QueueOptions | SharedBlock) {
    const from = SharedBlock.isBlock(maxsizeOrOptions) ? maxsizeOrOptions : undefined;
    const options = queueOptions(maxsizeOrOptions);
    const maxsize = checkMaxsize(options.maxsize);
    const capacity = ringCapacity(options.capacityBytes ?? DEFAULT_CAPACITY_BYTES, 'capacityBytes');
    super((new.target as typeof Queue).sharedType, from ?? HEADER_BYTES, options.codec);
    const block = this[SHARED_BLOCK];
    const words = block.int32(0, HEADER_BYTES / 4);
    if (from === undefined) initRing(words, block.heap, capacity, maxsize);
    this.#view = ringView(words, block.heap);
    this.shareCodecChoice(words, QueueLayout.CODEC_INDEX, from === undefined, options.codec);
    this.#maxsize = Atomics.load(words, QueueLayout.MAXSIZE_INDEX);
    this.attachWaits(
      this.#maxsize,
      { i32: words, valueIndex: QueueLayout.PUT_COUNT_INDEX, waitersIndex: QueueLayout.GETTERS_INDEX },
      { i32: words, valueIndex: QueueLayout.GET_COUNT_INDEX, waitersIndex: QueueLayout.PUTTERS_INDEX },
      QueueLayout.SHUTDOWN_INDEX,
    );
  }

  /** The shared type of this class (subclasses with their own type override it). */
  protected static get sharedType(): SharedType {
    return QUEUE_TYPE;
  }

  /** The queue's memory, for subclasses that extend the protocol (JoinableQueue). */
  protected get view(): RingView {
    return this.#view;
  }

  /** Messages in the queue now (a snapshot). **Python equivalent:** `qsize()`. */
  qsize(): number {
    return ringMessageCount(this.#view.words);
  }

  protected override prepare(item: T, codec: Codec): Payload {
    let encoder = this.#encoder;
    if (encoder?.codec !== codec) {
      encoder = new PayloadEncoder(codec as Codec<T>);
      this.#encoder = encoder;
    }
    return encoder.encode(item);
  }

  protected override detach(payload: Payload, item: T): Payload {
    return (this.#encoder as PayloadEncoder<T>).detach(payload, item);
  }

  protected override tryPutItem(payload: Payload, token: ThreadToken): boolean {
    const outcome = ringTryPut(this.#view, token, payload, this.#maxsize);
    if (outcome === SHUT) throw new ShutDown('the queue is shut down');
    return outcome !== FULL;
  }

  protected override waitForPuts(): void {
    ringSettlePuts(this.#view, currentThreadToken());
  }

  protected override tryTake(token: ThreadToken, decode: Decoder<T>): T | typeof EMPTY {
    return ringTryGet(this.#view, token, decode);
  }
}
