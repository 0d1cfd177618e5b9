import { ShutDown, type WaitOptions } from '@ipc/core';
import { BaseProxy } from '../proxy.ts';
import { remoteOptions } from './options.ts';

/**
 * A proxy of a managed Queue: Python's `queue.Queue` in the manager's server, for any thread, process or
 * machine. Items are data (and proxies, which stay live).
 *
 * **Python equivalent:** `manager.Queue(maxsize)`. Timeouts are milliseconds. A `get` whose signal aborts
 * takes no item (a result already on its way wins, so nothing is lost).
 *
 * @example
 * ```ts
 * const q = await manager.Queue<string>();
 * await q.put('job');
 * await q.get({ timeout: 1000 }); // 'job'
 * await q.shutdown(); // consumers' `for await` loops end once it is drained
 * ```
 */
export class QueueProxy<T = unknown> extends BaseProxy {
  /** @throws {Full} when `block: false` or the timeout passes with the queue full; {ShutDown} after shutdown. */
  async put(item: T, options?: WaitOptions): Promise<void> {
    await this.callMethod('put', [item, remoteOptions(options)], options?.signal);
  }
  /** `put(item, { block: false })`. */
  putNowait(item: T): Promise<void> {
    return this.put(item, { block: false });
  }
  /** @throws {Empty} when `block: false` or the timeout passes with nothing; {ShutDown} once shut down and drained. */
  get(options?: WaitOptions): Promise<T> {
    return this.callMethod('get', [remoteOptions(options)], options?.signal) as Promise<T>;
  }
  /** `get({ block: false })`. */
  getNowait(): Promise<T> {
    return this.get({ block: false });
  }
  qsize(): Promise<number> {
    return this.callMethod('qsize') as Promise<number>;
  }
  empty(): Promise<boolean> {
    return this.callMethod('empty') as Promise<boolean>;
  }
  full(): Promise<boolean> {
    return this.callMethod('full') as Promise<boolean>;
  }
  /** Python 3.13's `shutdown(immediate=False)`: puts fail; gets drain, then fail with ShutDown. */
  async shutdown(options: { immediate?: boolean } = {}): Promise<void> {
    await this.callMethod('shutdown', [{ immediate: options.immediate === true }]);
  }
  /** Marks one item got as processed (Python's `task_done`). @throws {InvalidStateError} when called too often. */
  async taskDone(): Promise<void> {
    await this.callMethod('taskDone');
  }
  /** Waits until every item put has been marked done. */
  async join(options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.callMethod('join', [], options.signal);
  }
  /** Yields items until the queue is shut down and drained. */
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
}

/**
 * A proxy of a managed JoinableQueue (the same server queue as {@link QueueProxy}, as in Python, whose
 * manager serves `queue.Queue` for both): `taskDone()` and `join()`.
 *
 * **Python equivalent:** `manager.JoinableQueue()`.
 */
export class JoinableQueueProxy<T = unknown> extends QueueProxy<T> {}
