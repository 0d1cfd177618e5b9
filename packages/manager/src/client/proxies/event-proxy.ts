import { BaseProxy } from '../proxy.ts';
import { timedOptions } from './options.ts';

/**
 * A proxy of a managed Event.
 *
 * **Python equivalent:** `manager.Event()`.
 *
 * @example
 * ```ts
 * const ready = await manager.Event();
 * // elsewhere: await ready.set();
 * if (await ready.wait(5000)) console.log('ready');
 * ```
 */
export class EventProxy extends BaseProxy {
  async set(): Promise<void> {
    await this.callMethod('set');
  }
  async clear(): Promise<void> {
    await this.callMethod('clear');
  }
  isSet(): Promise<boolean> {
    return this.callMethod('isSet') as Promise<boolean>;
  }
  /** True once set (or woken by a `set()`), false when `timeout` ms pass first. */
  wait(timeoutOrOptions?: number | { timeout?: number; signal?: AbortSignal }): Promise<boolean> {
    const { timeout, signal } = timedOptions(timeoutOrOptions);
    return this.callMethod('wait', [timeout], signal) as Promise<boolean>;
  }
}
