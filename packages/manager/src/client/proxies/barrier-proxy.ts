import { BaseProxy } from '../proxy.ts';
import { timedOptions } from './options.ts';

/**
 * A proxy of a managed Barrier (no `action`: a function cannot travel to the server).
 *
 * **Python equivalent:** `manager.Barrier(parties, timeout=...)`; the properties `parties`, `n_waiting` and
 * `broken` are the methods `parties()`, `nWaiting()` and `broken()` here (each asks the server).
 *
 * @example
 * ```ts
 * const start = await manager.Barrier(3);
 * const index = await start.wait(); // 0, 1 or 2: the order of arrival
 * ```
 */
export class BarrierProxy extends BaseProxy {
  /**
   * Waits until all parties wait; resolves with this party's arrival index (0 .. parties - 1).
   *
   * @throws {BrokenBarrierError} when the barrier is or gets broken (a timeout, `abort()`, `reset()` while
   * waiting, a party whose connection ended).
   */
  wait(timeoutOrOptions?: number | { timeout?: number; signal?: AbortSignal }): Promise<number> {
    const { timeout, signal } = timedOptions(timeoutOrOptions);
    return this.callMethod('wait', [timeout], signal) as Promise<number>;
  }
  async reset(): Promise<void> {
    await this.callMethod('reset');
  }
  async abort(): Promise<void> {
    await this.callMethod('abort');
  }
  parties(): Promise<number> {
    return this.callMethod('parties') as Promise<number>;
  }
  nWaiting(): Promise<number> {
    return this.callMethod('nWaiting') as Promise<number>;
  }
  broken(): Promise<boolean> {
    return this.callMethod('broken') as Promise<boolean>;
  }
}
