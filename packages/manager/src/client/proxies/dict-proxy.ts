import { BaseProxy } from '../proxy.ts';

/** A key of a managed dict: compared by value, as Python's hashable keys. */
export type DictKey = string | number | bigint | boolean | null | undefined;

/**
 * A proxy of a managed dict: a `Map` in the manager's server, reachable from any thread, process or machine.
 * Keys are strings, numbers, bigints, booleans, null or undefined (compared by value); values are any data,
 * or other proxies (which stay live: `(await d.get('inner')).append(1)` changes the inner list).
 *
 * **Python equivalent:** `manager.dict()` (`DictProxy`): `d[k] = v` is `set`, `d[k]` is `get` (undefined,
 * not KeyError, when missing), `del d[k]` is `delete` (false when missing), `k in d` is `has`.
 *
 * @example
 * ```ts
 * const d = await manager.dict<string, number>();
 * await d.set('a', 1);
 * await d.get('a'); // 1
 * await d.items(); // [['a', 1]]
 * ```
 */
export class DictProxy<K extends DictKey = DictKey, V = unknown> extends BaseProxy {
  /** The value for `key`, or `fallback` (undefined) when missing. Python's `d.get(k, default)`. */
  get(key: K): Promise<V | undefined>;
  get<D>(key: K, fallback: D): Promise<V | D>;
  get(key: K, fallback?: unknown): Promise<unknown> {
    return this.callMethod('get', [key, fallback]);
  }
  /** `d[k] = v`. */
  async set(key: K, value: V): Promise<void> {
    await this.callMethod('set', [key, value]);
  }
  /** Removes `key`; false when it was not there (`del d[k]` raises KeyError instead). */
  delete(key: K): Promise<boolean> {
    return this.callMethod('delete', [key]) as Promise<boolean>;
  }
  /** `k in d`. */
  has(key: K): Promise<boolean> {
    return this.callMethod('has', [key]) as Promise<boolean>;
  }
  keys(): Promise<K[]> {
    return this.callMethod('keys') as Promise<K[]>;
  }
  values(): Promise<V[]> {
    return this.callMethod('values') as Promise<V[]>;
  }
  /** The [key, value] pairs, in insertion order. */
  items(): Promise<Array<[K, V]>> {
    return this.callMethod('items') as Promise<Array<[K, V]>>;
  }
  /** `len(d)`. */
  len(): Promise<number> {
    return this.callMethod('len') as Promise<number>;
  }
  /**
   * Removes `key` and returns its value; `fallback` when missing if given.
   *
   * @throws {RemoteError} (`remoteName` `'KeyError'`) when missing without a fallback.
   */
  pop(key: K): Promise<V>;
  pop<D>(key: K, fallback: D): Promise<V | D>;
  pop(...args: unknown[]): Promise<unknown> {
    return this.callMethod('pop', args);
  }
  /** Removes and returns the last inserted [key, value]. @throws {RemoteError} (`'KeyError'`) when empty. */
  popitem(): Promise<[K, V]> {
    return this.callMethod('popitem') as Promise<[K, V]>;
  }
  /** The value of `key`, first setting it to `fallback` when missing. */
  setdefault(key: K, fallback?: V): Promise<V> {
    return this.callMethod('setdefault', [key, fallback]) as Promise<V>;
  }
  /** Sets every entry of a Map, [key, value] pairs, or a plain object. */
  async update(entries: Map<K, V> | Array<[K, V]> | Record<string, V>): Promise<void> {
    await this.callMethod('update', [entries]);
  }
  async clear(): Promise<void> {
    await this.callMethod('clear');
  }
  /** A copy of the whole dict, as a Map (keys keep their types: `0.25` and `'2'` stay apart). */
  copy(): Promise<Map<K, V>> {
    return this.callMethod('copy') as Promise<Map<K, V>>;
  }
}
