import { BaseProxy } from '../proxy.ts';

/**
 * A proxy of a managed list: an array in the manager's server. Indices are Python's (negative from the
 * end); out of range is a RangeError (Python's IndexError); `remove`/`index` of a missing value are a
 * RangeError (Python's ValueError). Values compare by value.
 *
 * **Python equivalent:** `manager.list()` (`ListProxy`): `l[i]` is `get(i)`, `l[i] = v` is `set(i, v)`,
 * `del l[i]` is `delete(i)`, `x in l` is `has(x)`, `l[a:b]` is `slice(a, b)`.
 *
 * @example
 * ```ts
 * const l = await manager.list([0, 1, 2]);
 * await l.append(3);
 * await l.get(-1); // 3
 * await l.copy(); // [0, 1, 2, 3]
 * ```
 */
export class ListProxy<T = unknown> extends BaseProxy {
  get(index: number): Promise<T> {
    return this.callMethod('get', [index]) as Promise<T>;
  }
  async set(index: number, value: T): Promise<void> {
    await this.callMethod('set', [index, value]);
  }
  /** `del l[index]`. */
  async delete(index: number): Promise<void> {
    await this.callMethod('delete', [index]);
  }
  async append(value: T): Promise<void> {
    await this.callMethod('append', [value]);
  }
  async extend(values: readonly T[]): Promise<void> {
    await this.callMethod('extend', [values]);
  }
  /** Inserts before `index` (clamped to the list, as Python). */
  async insert(index: number, value: T): Promise<void> {
    await this.callMethod('insert', [index, value]);
  }
  /** Removes and returns the item at `index` (default: the last). */
  pop(index?: number): Promise<T> {
    return this.callMethod('pop', index === undefined ? [] : [index]) as Promise<T>;
  }
  /** Removes the first item equal to `value`. */
  async remove(value: T): Promise<void> {
    await this.callMethod('remove', [value]);
  }
  /** The index of the first item equal to `value`, looking in `start..stop`. */
  index(value: T, start?: number, stop?: number): Promise<number> {
    return this.callMethod('index', [value, start, stop]) as Promise<number>;
  }
  count(value: T): Promise<number> {
    return this.callMethod('count', [value]) as Promise<number>;
  }
  /** `value in l`. */
  has(value: T): Promise<boolean> {
    return this.callMethod('has', [value]) as Promise<boolean>;
  }
  async reverse(): Promise<void> {
    await this.callMethod('reverse');
  }
  /**
   * Sorts in place in Python's order (numbers, strings, arrays; a mix is a TypeError). No `key` function: it
   * cannot travel to the server; sort a `copy()` locally for that.
   */
  async sort(options: { reverse?: boolean } = {}): Promise<void> {
    await this.callMethod('sort', [{ reverse: options.reverse === true }]);
  }
  /** `len(l)`. */
  len(): Promise<number> {
    return this.callMethod('len') as Promise<number>;
  }
  /** `l[start:end]`, Python's slice bounds. */
  slice(start?: number, end?: number): Promise<T[]> {
    return this.callMethod('slice', [start, end]) as Promise<T[]>;
  }
  /** The whole list. */
  copy(): Promise<T[]> {
    return this.callMethod('copy') as Promise<T[]>;
  }
  async clear(): Promise<void> {
    await this.callMethod('clear');
  }
}
