/**
 * Each thread that loads @ipc/core takes a record in the liveness table, and the record is marked dead when
 * the thread ends, however it ends (design.md §6):
 *
 * - return, uncaught error, `process.exit()`: the thread's own `process` 'exit' event releases the record;
 * - `worker.terminate()` and resource-limit deaths run no JavaScript in the dying thread, so the parent
 *   thread releases its children's records from each Worker's 'exit' event (Node's `process.on('worker')`
 *   tells every thread about the workers it starts);
 * - a worker whose parent died was ended by Node with it: `isThreadAlive` walks up the parent chain.
 *
 * The parent's 'exit' handler needs the parent's event loop. A parent blocked in a `*Sync` call when its
 * child is terminated learns of it once it returns; the `Process` class (@ipc/process) calls
 * {@link markThreadExited} itself when it terminates a child, so its users are not exposed to that gap.
 */

import { getEnvironmentData, setEnvironmentData, threadId, type Worker } from 'node:worker_threads';
import { Heap } from '../heap/heap.ts';
import { claimRecord, isTokenAlive, releaseRecord, releaseRecordsOfThread, type ThreadToken } from './table.ts';

export type { ThreadToken } from './table.ts';

/** Environment-data key under which a thread hands its own token to the workers it starts. */
const PARENT_ENVIRONMENT_KEY = '@ipc/core.parentToken';

/**
 * Per-thread state shared by every copy of @ipc/core loaded in the thread (ESM and CJS builds, or two
 * versions), so that a thread has exactly one record.
 */
interface ThreadState {
  token: ThreadToken;
  table: Int32Array;
}
const THREAD_STATE = Symbol.for('@ipc/core.threadState');

function register(): ThreadState {
  const table = Heap.current().livenessTable;
  const inherited = getEnvironmentData(PARENT_ENVIRONMENT_KEY);
  const parent = typeof inherited === 'number' ? inherited : 0;
  const token = claimRecord(table, threadId, parent);
  setEnvironmentData(PARENT_ENVIRONMENT_KEY, token);
  process.once('exit', () => releaseRecord(table, token));
  process.on('worker', (worker: Worker) => {
    // threadId reads -1 once the worker has exited, so it is captured now.
    const childId = worker.threadId;
    worker.once('exit', () => releaseRecordsOfThread(table, childId, token));
  });
  return { token, table };
}

/** This copy's reference to the thread's state: a lock's every acquire and release asks for the token. */
let cachedState: ThreadState | undefined;

function threadState(): ThreadState {
  if (cachedState !== undefined) return cachedState;
  const holder = globalThis as { [THREAD_STATE]?: ThreadState };
  holder[THREAD_STATE] ??= register();
  cachedState = holder[THREAD_STATE];
  return cachedState;
}

/**
 * The calling thread's token in the liveness table: a positive Int32 that fits in a shared word (e.g. a
 * lock's owner word) and that {@link isThreadAlive} can check from any thread.
 *
 * @example
 * ```ts
 * Atomics.store(lockWords, OWNER_INDEX, currentThreadToken());
 * ```
 */
export function currentThreadToken(): ThreadToken {
  return threadState().token;
}

/**
 * True while the thread that owns `token` is alive. Tokens are never reused, so a token of a thread that
 * ended stays dead even after its record is taken by a new thread. 0 (no thread) is never alive.
 *
 * **Thread rules:** callable from any thread; the answer can be stale by the time it is used (a live thread
 * may die right after), but never the other way round: a dead token never comes back to life.
 */
export function isThreadAlive(token: ThreadToken): boolean {
  return isTokenAlive(threadState().table, token);
}

/**
 * Marks the worker `worker` dead now, before its 'exit' event: for callers that terminate a worker and may
 * block before their event loop turns. Only the thread that started the worker may call it.
 */
export function markThreadExited(worker: Worker): void {
  const state = threadState();
  releaseRecordsOfThread(state.table, worker.threadId, state.token);
}
