// Helpers of the Event, Condition and Barrier tests (the shared ones are in helpers.ts).
import { Worker } from 'node:worker_threads';
import { SHARED_BLOCK } from '@ipc/core';
import type { Event } from '@ipc/sync';
import { GUARD_MS, sleep, withGuard } from './helpers.ts';

/** The module that holds the Process targets of these tests. */
const WAIT_TARGETS = new URL('./fixtures/wait-targets.mjs', import.meta.url);

/** A Process target reference to `fixtures/wait-targets.mjs`'s export `name`. */
export function waitTarget(name: string) {
  return { module: WAIT_TARGETS, name };
}

/** Result codes the targets report (see wait-targets.mjs). */
export const NOTIFIED = 1;
export const TIMED_OUT = -1;
export const BROKEN = -1;

/** Polls `check` every few ms until it is true; fails the test instead of hanging. */
export async function until(check: () => boolean, what: string, ms = GUARD_MS): Promise<void> {
  const end = performance.now() + ms;
  while (!check()) {
    if (performance.now() > end) throw new Error(`guard: ${what} did not happen within ${ms} ms`);
    await sleep(2);
  }
}

/**
 * How many threads are parked (asleep) on the event now: its WAITERS word, word 2 of src/event/layout.ts.
 * Lets a test wait until waiters in other threads really sleep, instead of guessing with a sleep.
 */
export function parkedOn(event: Event): number {
  return Atomics.load(event[SHARED_BLOCK].int32(0, 3), 2);
}

/** Milliseconds `fn` took, and what it returned (awaited). */
export async function timed<T>(fn: () => T | Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}

/** Milliseconds until `promise` rejected, and the rejection; fails if it resolves or the guard fires. */
export function rejection(promise: Promise<unknown>, what: string): Promise<{ error: unknown; ms: number }> {
  const start = performance.now();
  const settled = promise.then(
    () => {
      throw new Error(`${what} resolved; it should have rejected`);
    },
    (error: unknown) => ({ error, ms: performance.now() - start }),
  );
  return withGuard(settled, what);
}

/** Starts `fixtures/wait-raw-worker.mjs` (the share()/revive() path) and resolves with its message. */
export function rawEventWorker(workerData: unknown): { worker: Worker; message: Promise<unknown> } {
  const worker = new Worker(new URL('./fixtures/wait-raw-worker.mjs', import.meta.url), { workerData });
  const message = withGuard(
    new Promise<unknown>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    }),
    'raw worker message',
  );
  return { worker, message };
}
