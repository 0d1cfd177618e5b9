/** Python's module-level functions of `multiprocessing`: who am I, who started me, who are my children. */

import { availableParallelism } from 'node:os';
import { isThreadAlive } from '@ipc/core';
import { processContext } from './context.ts';
import { Process } from './process.ts';
import { AS_CURRENT_PROCESS } from './process-brand.ts';

/**
 * The Process object of the calling thread: `name` is `'MainProcess'` in the main thread; in a child, its
 * name, daemon flag and pid. **Python equivalent:** `multiprocessing.current_process()`.
 *
 * @example
 * ```ts
 * console.log(`${currentProcess().name} (pid ${currentProcess().pid}) is working`);
 * ```
 */
export function currentProcess(): Process {
  const context = processContext();
  context.current ??= new Process({ [AS_CURRENT_PROCESS]: { context } } as never);
  return context.current as Process;
}

/** The process that started the current one, as seen from the child. */
export interface ParentProcess {
  readonly name: string;
  /** The parent's `threadId` (0 for the main thread). */
  readonly pid: number;
  /** Same as `pid`. */
  readonly ident: number;
  /** True while the parent thread is alive. */
  isAlive(): boolean;
}

/**
 * The parent of the current process, or null in the main process.
 * **Python equivalent:** `multiprocessing.parent_process()`.
 */
export function parentProcess(): ParentProcess | null {
  const { parent } = processContext();
  if (parent === null) return null;
  return { name: parent.name, pid: parent.pid, ident: parent.pid, isAlive: () => isThreadAlive(parent.token) };
}

/**
 * The live children of the current process (started and not yet ended).
 * **Python equivalent:** `multiprocessing.active_children()`.
 */
export function activeChildren(): Process[] {
  return [...processContext().children].filter((child) => child.isAlive()).map((child) => child.process as Process);
}

/** The number of CPUs this process may use. **Python equivalent:** `multiprocessing.cpu_count()`. */
export function cpuCount(): number {
  return availableParallelism();
}

/**
 * True in the main process, false in a child. Guard the main code of a module that holds Process targets
 * with it: each child imports that module. **Python equivalent:** `if __name__ == '__main__':`.
 *
 * @example
 * ```ts
 * export function work(): void {}
 * if (isMainProcess()) new Process({ target: work }).start();
 * ```
 */
export function isMainProcess(): boolean {
  return processContext().parent === null;
}

/**
 * Ends the current process with `code` (default 0), the Python way: its daemon children are terminated and
 * its other children joined first. A child ends and its parent sees `exitcode === code`; in the main thread
 * the whole program exits. Unlike `sys.exit()` it raises nothing, so `finally` blocks do not run.
 * **Python equivalent:** `sys.exit(code)`.
 *
 * @throws {RangeError} for a code that is not an integer.
 */
export function exit(code = 0): never {
  if (!Number.isInteger(code)) throw new RangeError(`exit code must be an integer, got ${code}`);
  // In a worker, process.exit() ends only this thread: the process this Process stands for. Its 'exit'
  // event ends the children first (children.ts).
  process.exit(code);
}
