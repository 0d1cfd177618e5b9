/** How a parent starts a child's worker thread: the bootstrap, and the Node flags it gets. */

import { Worker, type WorkerOptions } from 'node:worker_threads';
import { parentTsxApi, splitTsxFlags } from './child/typescript.ts';

/** The child bootstrap, built beside this module (dist/child.js). */
const BOOTSTRAP_URL = new URL('./child.js', import.meta.url);

/** This thread's tsx, if it was started with one (found once): children register it themselves. */
let tsxApi: string | null | undefined;
export function tsxApiForChildren(): string | undefined {
  tsxApi ??= parentTsxApi(splitTsxFlags(process.execArgv).tsx) ?? null;
  return tsxApi ?? undefined;
}

/**
 * Starts a child's worker on the bootstrap. It inherits the parent's Node flags, as Node's default does,
 * less the tsx preload (the child registers tsx itself: child/typescript.ts). Flags given explicitly must be
 * valid per worker (V8 and process-wide flags are not, and they already apply to every thread): Node names
 * the ones it refuses, and they are left out.
 */
export function startWorker(options: WorkerOptions): Worker {
  const execArgv = splitTsxFlags(process.execArgv).rest;
  if (execArgv.length === process.execArgv.length) return new Worker(BOOTSTRAP_URL, options);
  try {
    return new Worker(BOOTSTRAP_URL, { ...options, execArgv });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw error;
    const refused = new Set(((error as Error).message.split(': ')[1] ?? '').split(/,\s*/));
    return new Worker(BOOTSTRAP_URL, { ...options, execArgv: execArgv.filter((flag) => !refused.has(flag)) });
  }
}
