/**
 * What the current thread knows about itself as a process: its name, identity, daemon flag, authkey, parent,
 * and the children it started. Kept on `globalThis` under a `Symbol.for` key, so the child bootstrap and a
 * user module that loads @ipc/process (ESM or CJS build) see one context.
 */

import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import type { ThreadToken } from '@ipc/core';
import type { ProcessState } from './state/process-state.ts';

/** What a child knows about the process that started it. */
export interface ParentRecord {
  readonly name: string;
  readonly pid: number;
  /** The parent's liveness token (core), to answer `isAlive()`. */
  readonly token: ThreadToken;
}

/**
 * A started child, as its parent's registry holds it (any copy of the Process class). The methods work on
 * a closed Process object too: the registry is the parent's own bookkeeping.
 */
export interface ChildEntry {
  /** The Process object. */
  readonly process: object;
  readonly daemon: boolean;
  isAlive(): boolean;
  /** Blocks until the child has ended (through shared memory: works without the event loop). */
  joinSync(): void;
  terminate(): void;
}

export interface ProcessContext {
  readonly name: string;
  /** Python's `_identity`: the counters from the main process down to this one; [] in the main process. */
  readonly identity: readonly number[];
  readonly daemon: boolean;
  readonly authkey: Uint8Array;
  readonly parent: ParentRecord | null;
  /** This process's own shared state, in a child. */
  readonly state: ProcessState | null;
  /** How many children this process has created (names them). */
  childCounter: number;
  /** Started children that have not been seen to exit. */
  readonly children: Set<ChildEntry>;
  /** The Process object `currentProcess()` returns, once made. */
  current: object | undefined;
  /** True once this thread's 'exit' hook that ends its children is installed (children.ts). */
  exitHookInstalled: boolean;
}

const CONTEXT = Symbol.for('@ipc/process.context');

/** Makes this thread a child process; called once, by the child bootstrap, before any user code runs. */
export function enterChildContext(
  context: Omit<ProcessContext, 'childCounter' | 'children' | 'current' | 'exitHookInstalled'>,
): ProcessContext {
  const full: ProcessContext = {
    ...context,
    childCounter: 0,
    children: new Set(),
    current: undefined,
    exitHookInstalled: false,
  };
  (globalThis as { [CONTEXT]?: ProcessContext })[CONTEXT] = full;
  return full;
}

/** This thread's context; the main process's, unless the child bootstrap set one. */
export function processContext(): ProcessContext {
  const holder = globalThis as { [CONTEXT]?: ProcessContext };
  holder[CONTEXT] ??= {
    name: 'MainProcess',
    identity: [],
    daemon: false,
    authkey: new Uint8Array(randomBytes(32)),
    parent: null,
    state: null,
    childCounter: 0,
    children: new Set(),
    current: undefined,
    exitHookInstalled: false,
  };
  return holder[CONTEXT];
}

const IMPORT_SCOPE = Symbol.for('@ipc/process.importScope');

/**
 * Marks the code a child runs while importing the module of its target, and everything that code starts
 * asynchronously (top-level await, an unguarded `main()` and its timers). Starting a process there is
 * refused: that is the main code of the parent's module running again without its `isMainProcess()` guard,
 * and it would start processes without end. The target itself runs outside this scope.
 */
export function importScope(): AsyncLocalStorage<true> {
  const holder = globalThis as { [IMPORT_SCOPE]?: AsyncLocalStorage<true> };
  holder[IMPORT_SCOPE] ??= new AsyncLocalStorage<true>();
  return holder[IMPORT_SCOPE];
}
