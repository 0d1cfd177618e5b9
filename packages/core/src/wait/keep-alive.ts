/**
 * A pending `Atomics.waitAsync` does not keep Node's event loop alive (design.md §5): a worker whose only
 * work is `await lock.acquire()` would exit while waiting. Each thread keeps one long interval timer,
 * unref'd while nothing waits and ref'd while at least one async wait is pending. `ref()`/`unref()` cost a
 * flag flip, so waits do not create timers.
 */

let pending = 0;
let timer: ReturnType<typeof setInterval> | undefined;

/** Marks the start of an async wait: the thread's event loop stays alive until `release()`. */
export function holdEventLoop(): void {
  if (pending++ === 0) {
    timer ??= setInterval(() => {}, 2 ** 30);
    timer.ref();
  }
}

/** Marks the end of an async wait started with `holdEventLoop()`. */
export function releaseEventLoop(): void {
  if (--pending === 0) timer?.unref();
}
