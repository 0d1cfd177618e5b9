/** Blocking-call options as they go to the server: the signal stays here (an abort sends CANCEL). */

import type { WaitOptions } from '@ipc/core';

export function remoteOptions(options: WaitOptions | undefined): { block?: boolean; timeout?: number } | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`options must be an object like { block, timeout, signal }, got ${typeof options}`);
  }
  const { block, timeout, signal } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new TypeError('signal must be an AbortSignal');
  return { ...(block === undefined ? {} : { block }), ...(timeout === undefined ? {} : { timeout }) };
}

/** `wait(timeout)` or `wait({ timeout, signal })`: the timeout for the server, the signal for the call. */
export function timedOptions(
  timeoutOrOptions: number | { timeout?: number | undefined; signal?: AbortSignal | undefined } | undefined,
): { timeout: number | undefined; signal: AbortSignal | undefined } {
  if (typeof timeoutOrOptions === 'object' && timeoutOrOptions !== null) {
    const { timeout, signal } = timeoutOrOptions;
    if (signal !== undefined && !(signal instanceof AbortSignal)) throw new TypeError('signal must be an AbortSignal');
    return { timeout, signal };
  }
  return { timeout: timeoutOrOptions, signal: undefined };
}

/** What `withHeld` needs: a proxy that acquires and releases (a Lock, a Semaphore, a Condition). */
interface Acquirable {
  acquire(): Promise<boolean>;
  release(): Promise<void>;
}

/** Python's `with x:` for a proxy: runs `fn` between `acquire()` and `release()`, released however it ends. */
export async function withHeld<R>(held: Acquirable, fn: () => R | Promise<R>): Promise<R> {
  await held.acquire();
  try {
    return await fn();
  } finally {
    await held.release();
  }
}
