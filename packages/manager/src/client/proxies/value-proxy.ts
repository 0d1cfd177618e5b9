import { BaseProxy } from '../proxy.ts';

/**
 * A proxy of a managed Value. A numeric typecode stores as @ipc/shared's `Value` does (wrapping, rounding;
 * a fraction for an integer code is a TypeError); the typecode `'any'` takes any data.
 *
 * **Python equivalent:** `manager.Value(typecode, value)` (`ValueProxy`): `v.value` is `get()`,
 * `v.value = x` is `set(x)`.
 *
 * @example
 * ```ts
 * const counter = await manager.Value('i', 0);
 * await counter.set((await counter.get()) + 1); // not atomic: hold a manager Lock around it
 * ```
 */
export class ValueProxy<T = unknown> extends BaseProxy {
  get(): Promise<T> {
    return this.callMethod('get') as Promise<T>;
  }
  async set(value: T): Promise<void> {
    await this.callMethod('set', [value]);
  }
}

/**
 * A proxy of a managed Array of one typecode (@ipc/shared's codes).
 *
 * **Python equivalent:** `manager.Array(typecode, sequence)` (`ArrayProxy`): `len(a)` is `len()`, `a[i]`
 * is `get(i)`, `a[i] = x` is `set(i, x)`.
 *
 * @example
 * ```ts
 * const a = await manager.Array('d', [1, 2, 3]);
 * await a.set(0, 0.5);
 * await a.toArray(); // [0.5, 2, 3]
 * ```
 */
export class ArrayProxy<T extends number | bigint = number> extends BaseProxy {
  len(): Promise<number> {
    return this.callMethod('len') as Promise<number>;
  }
  get(index: number): Promise<T> {
    return this.callMethod('get', [index]) as Promise<T>;
  }
  async set(index: number, value: T): Promise<void> {
    await this.callMethod('set', [index, value]);
  }
  slice(start?: number, end?: number): Promise<T[]> {
    return this.callMethod('slice', [start, end]) as Promise<T[]>;
  }
  toArray(): Promise<T[]> {
    return this.callMethod('toArray') as Promise<T[]>;
  }
}
