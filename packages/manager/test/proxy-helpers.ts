/** Helpers of the proxy tests: workers that run proxy calls, and their bounded results. */

import type { BaseProxy, Manager, QueueProxy } from '@ipc/manager';
import { Process, TERMINATED_EXIT_CODE } from '@ipc/process';
import { expect } from 'vitest';
import { joinAll, sleep, withGuard } from './helpers.ts';

/** The module that holds the Process targets of the proxy tests. */
export const PROXY_TARGETS = new URL('./fixtures/proxy-targets.mjs', import.meta.url);

/** A Process target reference to `fixtures/proxy-targets.mjs`'s export `name`. */
export function proxyTarget(name: string) {
  return { module: PROXY_TARGETS, name };
}

/** An error as a worker reports it (fixtures/proxy-targets.mjs `describeError`). */
export interface ReportedError {
  name: string;
  code: string | undefined;
  remoteName: string | undefined;
  message: string;
}

/** What a worker's call ended with. */
export type Outcome = { value: unknown } | { error: ReportedError };

/** Starts a Process of `proxy-targets.mjs`'s `name` with `args`. */
export function startWorker(name: string, args: readonly unknown[]): Process {
  const process = new Process({ target: proxyTarget(name), args });
  process.start();
  return process;
}

/** The next result a worker put on `results`, bounded by the guard. */
export function nextResult<T = unknown>(results: QueueProxy, what: string): Promise<T> {
  return withGuard(results.get() as Promise<T>, what);
}

/** Joins the processes (guarded) and checks that each ended normally. */
export async function joinOk(...processes: Process[]): Promise<void> {
  expect(await joinAll(processes)).toEqual(processes.map(() => 0));
}

/**
 * Runs `calls` (`[method, args]`, the proxy's public methods) on `proxy` in a new worker thread, in order,
 * and returns what each ended with.
 */
export async function callsInWorker(manager: Manager, proxy: BaseProxy, calls: Array<[string, unknown[]?]>) {
  const results = await manager.Queue<Outcome[]>();
  const worker = startWorker('runCalls', [proxy, calls, results]);
  const outcomes = await nextResult<Outcome[]>(results, 'the outcomes of the calls in the worker');
  await joinOk(worker);
  return outcomes;
}

/** The values of outcomes that must all have succeeded. */
export function valuesOf(outcomes: Outcome[]): unknown[] {
  return outcomes.map((outcome) => {
    if ('error' in outcome) throw new Error(`the worker's call failed: ${JSON.stringify(outcome.error)}`);
    return outcome.value;
  });
}

/** Waits until `check()` resolves truthy (polled every 10 ms), bounded by the guard. */
export async function until(check: () => Promise<unknown>, what: string): Promise<void> {
  const poll = async (): Promise<void> => {
    while (!(await check())) await sleep(10);
  };
  await withGuard(poll(), what);
}

/** True once `promise` has settled, checked after 50 ms (to show that a wait is still waiting). */
export async function settledSoon(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  await sleep(50);
  return done;
}

/**
 * Starts a worker that waits in the last of `calls` on `proxy` (fixtures `waitUntilKilled`), terminates it
 * while it waits, and returns once the server has handled the end of its connection (its waiting calls are
 * given up then).
 */
export async function killWhileWaiting(manager: Manager, proxy: BaseProxy, calls: Array<[string, unknown[]?]>) {
  const probe = await manager.Semaphore(1);
  const ready = await manager.Event();
  const worker = startWorker('waitUntilKilled', [probe, proxy, calls, ready]);
  await withGuard(ready.wait(), 'the worker waits');
  worker.terminate();
  expect(await joinAll([worker])).toEqual([TERMINATED_EXIT_CODE]);
  await until(async () => (await probe.getValue()) === 1, "the end of the killed worker's connection");
}
