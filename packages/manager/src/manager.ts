/** `Manager`: Python's `multiprocessing.Manager()` (a started `SyncManager`) with its fourteen factories. */

import type { ElementOf, TypeCode } from '@ipc/shared';
import { BaseManager, type BaseManagerOptions } from './base-manager.ts';
import { BarrierProxy } from './client/proxies/barrier-proxy.ts';
import { ConditionProxy } from './client/proxies/condition-proxy.ts';
import { type DictKey, DictProxy } from './client/proxies/dict-proxy.ts';
import { EventProxy } from './client/proxies/event-proxy.ts';
import { ListProxy } from './client/proxies/list-proxy.ts';
import { LockProxy, RLockProxy } from './client/proxies/lock-proxy.ts';
import { NamespaceProxy } from './client/proxies/namespace-proxy.ts';
import { JoinableQueueProxy, QueueProxy } from './client/proxies/queue-proxy.ts';
import { BoundedSemaphoreProxy, SemaphoreProxy } from './client/proxies/semaphore-proxy.ts';
import { ArrayProxy, ValueProxy } from './client/proxies/value-proxy.ts';
import { type ProxyClass, proxyClasses } from './client/proxy.ts';

const BUILT_IN_PROXIES: Record<string, ProxyClass> = {
  dict: DictProxy,
  list: ListProxy,
  Namespace: NamespaceProxy,
  Queue: QueueProxy,
  JoinableQueue: JoinableQueueProxy,
  Lock: LockProxy,
  RLock: RLockProxy,
  Semaphore: SemaphoreProxy,
  BoundedSemaphore: BoundedSemaphoreProxy,
  Event: EventProxy,
  Condition: ConditionProxy,
  Barrier: BarrierProxy,
  Value: ValueProxy,
  Array: ArrayProxy,
};
for (const [typeid, Class] of Object.entries(BUILT_IN_PROXIES)) proxyClasses().set(typeid, Class);

/**
 * A manager server with Python's SyncManager types, and the factories that make them. Proxies work from
 * any thread (through shared memory), and from other processes and machines (`connect()` with its
 * `address` and `authkey`); they travel live in `Process` args and messages.
 *
 * **Python equivalent:** `multiprocessing.Manager()` / `managers.SyncManager`; `with Manager() as m:` is
 * `await using m = await Manager.start()`.
 *
 * @example
 * ```ts
 * await using manager = await Manager.start();
 * const d = await manager.dict();
 * const l = await manager.list([0, 1, 2]);
 * const workers = [0, 1, 2].map((n) => new Process({ target: work, args: [d, l, n] }));
 * for (const p of workers) p.start();
 * for (const p of workers) await p.join();
 * console.log(await d.copy(), await l.copy());
 * ```
 */
export class Manager extends BaseManager {
  /** A new manager of this class (a subclass serves its registered types too), started: Python's `Manager()`. */
  static async start<M extends Manager>(
    this: new (
      options?: BaseManagerOptions,
    ) => M,
    options: BaseManagerOptions = {},
  ): Promise<M> {
    const manager = new this(options);
    await manager.start();
    return manager;
  }

  protected static override get servesBuiltIns(): boolean {
    return true;
  }

  /** A managed dict, optionally filled from a Map, [key, value] pairs, or a plain object. */
  dict<K extends DictKey = DictKey, V = unknown>(
    init?: Map<K, V> | Array<[K, V]> | Record<string, V>,
  ): Promise<DictProxy<K, V>> {
    return this.create('dict', ...(init === undefined ? [] : [init]));
  }
  /** A managed list, optionally filled from an array. */
  list<T = unknown>(init?: readonly T[]): Promise<ListProxy<T>> {
    return this.create('list', ...(init === undefined ? [] : [init]));
  }
  /** A managed Namespace, optionally with attributes from a plain object. */
  Namespace(init?: Record<string, unknown>): Promise<NamespaceProxy> {
    return this.create('Namespace', ...(init === undefined ? [] : [init]));
  }
  /** A managed Queue (`maxsize` ≤ 0: unbounded). */
  Queue<T = unknown>(maxsize = 0): Promise<QueueProxy<T>> {
    return this.create('Queue', maxsize);
  }
  JoinableQueue<T = unknown>(maxsize = 0): Promise<JoinableQueueProxy<T>> {
    return this.create('JoinableQueue', maxsize);
  }
  Lock(): Promise<LockProxy> {
    return this.create('Lock');
  }
  RLock(): Promise<RLockProxy> {
    return this.create('RLock');
  }
  /** `{ robust: false }`: permits of a connection that ended are not given back (signalling semaphores). */
  Semaphore(value = 1, options?: { robust?: boolean }): Promise<SemaphoreProxy> {
    return this.create('Semaphore', value, options);
  }
  BoundedSemaphore(value = 1, options?: { robust?: boolean }): Promise<BoundedSemaphoreProxy> {
    return this.create('BoundedSemaphore', value, options);
  }
  Event(): Promise<EventProxy> {
    return this.create('Event');
  }
  /** A managed Condition over `lock` (a managed Lock or RLock of this manager), or over a new RLock. */
  Condition(lock?: LockProxy): Promise<ConditionProxy> {
    return this.create('Condition', ...(lock === undefined ? [] : [lock]));
  }
  Barrier(parties: number, options?: { timeout?: number }): Promise<BarrierProxy> {
    return this.create('Barrier', parties, options);
  }
  /** A managed Value: a typecode of @ipc/shared (stored as its typed array does), or `'any'` for any data. */
  Value<T = unknown>(typecode: TypeCode | 'any', value?: T): Promise<ValueProxy<T>> {
    return this.create('Value', typecode, value);
  }
  /** A managed Array of `typecode`, of `sizeOrItems` zeros or those items. */
  Array<C extends TypeCode>(
    typecode: C,
    sizeOrItems: number | readonly ElementOf<C>[],
  ): Promise<ArrayProxy<ElementOf<C>>> {
    return this.create('Array', typecode, sizeOrItems);
  }
}
