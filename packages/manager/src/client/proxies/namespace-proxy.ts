import { BaseProxy } from '../proxy.ts';

/**
 * A proxy of a managed Namespace: named attributes in the manager's server.
 *
 * **Python equivalent:** `manager.Namespace()`: `ns.x = 1` is `set('x', 1)`, `ns.x` is `get('x')`
 * (undefined, not AttributeError, when missing), `del ns.x` is `delete('x')`.
 *
 * @example
 * ```ts
 * const ns = await manager.Namespace();
 * await ns.set('x', 1);
 * await ns.get('x'); // 1
 * await ns.toObject(); // { x: 1 }
 * ```
 */
export class NamespaceProxy extends BaseProxy {
  get<T = unknown>(name: string): Promise<T | undefined>;
  get<T, D>(name: string, fallback: D): Promise<T | D>;
  get(name: string, fallback?: unknown): Promise<unknown> {
    return this.callMethod('get', [name, fallback]);
  }
  async set(name: string, value: unknown): Promise<void> {
    await this.callMethod('set', [name, value]);
  }
  /** Removes `name`; false when it was not there. */
  delete(name: string): Promise<boolean> {
    return this.callMethod('delete', [name]) as Promise<boolean>;
  }
  has(name: string): Promise<boolean> {
    return this.callMethod('has', [name]) as Promise<boolean>;
  }
  /** Every attribute, as a plain object. */
  toObject(): Promise<Record<string, unknown>> {
    return this.callMethod('toObject') as Promise<Record<string, unknown>>;
  }
}
