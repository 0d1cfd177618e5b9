import { Worker } from 'node:worker_threads';

/** Every wait on another thread in these tests is bounded by this guard, so a deadlock fails fast. */
export const GUARD_MS = 5_000;

/** Rejects after `ms` with a message naming what was awaited. */
export function withGuard<T>(promise: Promise<T>, what: string, ms = GUARD_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`guard: ${what} did not happen within ${ms} ms`)), ms);
  });
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}

/** A worker started from a fixture, with guarded helpers to read its messages and its exit. */
export interface TestWorker {
  readonly worker: Worker;
  /** The next message the worker posts. */
  message<T = unknown>(): Promise<T>;
  /** The worker's exit code, once it exits. */
  exit(): Promise<number>;
}

/**
 * Starts `test/fixtures/<name>.mjs` (which loads the built package) with `workerData`. Each `message()` and
 * `exit()` waits at most `guardMs` from the time it is called.
 */
export function startFixture(name: string, workerData: unknown = {}, guardMs = GUARD_MS): TestWorker {
  const worker = new Worker(new URL(`../fixtures/${name}.mjs`, import.meta.url), { workerData });
  const inbox: unknown[] = [];
  const readers: Array<(value: unknown) => void> = [];
  worker.on('message', (value) => {
    const reader = readers.shift();
    if (reader) reader(value);
    else inbox.push(value);
  });
  const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
  const failed = new Promise<never>((_, reject) => worker.once('error', reject));
  failed.catch(() => {});
  return {
    worker,
    exit: () => withGuard(exited, `exit of ${name}`, guardMs),
    message<T>() {
      const next =
        inbox.length > 0 ? Promise.resolve(inbox.shift()) : new Promise<unknown>((resolve) => readers.push(resolve));
      return withGuard(Promise.race([next, failed]), `a message from ${name}`, guardMs) as Promise<T>;
    },
  };
}
