import { threadId, type Worker } from 'node:worker_threads';
import {
  callerModuleUrl,
  currentThreadToken,
  deadlineAfter,
  forgetHandles,
  InvalidStateError,
  markThreadExited,
  share,
  sharedTypeModules,
  structuredCodec,
  type Waitable,
} from '@ipc/core';
import { blockParentStdio } from './child/direct-stdio.ts';
import { findTarget } from './child/load-target.ts';
import { CHILD_SPEC_KEY, type ChildSpec } from './child/spec.ts';
import { endChildrenOnExit } from './children.ts';
import { type ChildEntry, importScope, processContext } from './context.ts';
import { AS_CURRENT_PROCESS, type CurrentProcessInit, PROCESS_BRAND } from './process-brand.ts';
import { startWorker, tsxApiForChildren } from './start-worker.ts';
import { ProcessStatus } from './state/layout.ts';
import { ProcessState } from './state/process-state.ts';
import { functionTarget, type TargetReference, type TargetSpec } from './target.ts';

/** Exit code of a process ended by `terminate()` (Python: -SIGTERM). */
export const TERMINATED_EXIT_CODE = -15;
/** Exit code of a process ended by `kill()` (Python: -SIGKILL). */
export const KILLED_EXIT_CODE = -9;

/** Options of a {@link Process}. */
export interface ProcessOptions {
  /**
   * What the child runs: a function exported by the module that creates the Process (the child imports that
   * module, so its main code must sit behind `if (isMainProcess())`), or `{ module, name }`. Async functions
   * are awaited. Omit it in a subclass that overrides `run()`.
   */
  target?: ((...args: never[]) => unknown) | TargetReference | undefined;
  /** Arguments for the target: any value the structured codec carries, including @ipc primitives (live). */
  args?: readonly unknown[] | undefined;
  /** Python's keyword arguments: passed to the target as one last argument, an object. */
  kwargs?: Record<string, unknown> | undefined;
  /** The name; defaults to `Process-N` (`Process-N:M` for a child's children). */
  name?: string | undefined;
  /** Daemon children are terminated when their parent ends; defaults to the creating process's flag. */
  daemon?: boolean | undefined;
}

// From the moment @ipc/process is loaded, this thread's stdout/stderr pipes block (see blockParentStdio):
// a write queued before the first child starts could otherwise come out after the child's lines.
blockParentStdio();

/** Longest delay a Node timer takes; a longer join timeout is as good as none. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** This package's directory (dist/ when built): its frames are not the module that created a Process. */
const OWN_DIRECTORY = new URL('.', import.meta.url).href;

function checkTimeout(timeout: number | undefined): number | undefined {
  if (timeout === undefined) return undefined;
  if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout < 0) {
    throw new RangeError(`join timeout must be a finite number of milliseconds >= 0, got ${String(timeout)}`);
  }
  return timeout > MAX_TIMER_MS ? undefined : timeout;
}

function checkName(name: unknown): string {
  if (typeof name !== 'string') throw new TypeError(`name must be a string, got ${typeof name}`);
  return name;
}

/**
 * The args of a Process collected without ever being started: the copies of @ipc primitives encoded in them
 * will never arrive (core forgetHandles; a pipe end stays open for its peer while a copy is in flight).
 */
const forgetArgsIfNeverStarted = new FinalizationRegistry<Uint8Array>((argsBytes) => forgetHandles(argsBytes));

/**
 * A process: a function run in its own worker thread, with Python's lifecycle.
 *
 * **Python equivalent:** `multiprocessing.Process`. Timeouts are milliseconds. `pid` is the worker's
 * `threadId` (unique in this OS process; `process.pid` is the OS process all workers share).
 *
 * **When to use:** CPU-bound work in parallel, or anything a Python program would put in a Process. Across
 * OS processes and machines, use a Manager (@ipc/manager).
 *
 * **Thread rules:** a Process object belongs to the thread that created it; only that thread may start,
 * join or terminate it. `joinSync()` blocks the calling thread.
 *
 * @example
 * ```ts
 * import { isMainProcess, Process } from '@ipc/process';
 *
 * export function work(name: string): void {
 *   console.log(`hello ${name}`);
 * }
 *
 * if (isMainProcess()) {
 *   const p = new Process({ target: work, args: ['bob'] });
 *   p.start();
 *   await p.join();
 *   console.log(p.exitcode); // 0
 * }
 * ```
 */
export class Process {
  readonly #target: TargetSpec | undefined;
  readonly #argsBytes: Uint8Array;
  readonly #callerUrl: string | undefined;
  #name: string;
  #daemon: boolean;
  #worker: Worker | undefined;
  #state: ProcessState | undefined;
  #exitCode: number | null = null;
  /** Set by terminate()/kill(): the exit code to report instead of the Worker's. */
  #endedBy: number | undefined;
  #closed = false;
  #exited: Promise<void> | undefined;
  /** The parent's registry entry for this child, from start() until close(). */
  #entry: ChildEntry | undefined;
  /** How many join() calls are waiting: a daemon's worker stays ref'd while any is. */
  #joiners = 0;
  /** This process's number among its parent's children: the last part of its default name. */
  readonly #identityIndex: number;
  /** The worker's threadId, kept because `Worker.threadId` reads -1 after the exit. */
  #pid: number | null = null;
  /** The target function when this thread has it: what the default `run()` calls. */
  readonly #runTarget: ((...args: never[]) => unknown) | undefined;
  #authkey: Uint8Array;

  static {
    Object.defineProperty(Process.prototype, PROCESS_BRAND, { value: true });
  }

  /** True for the object that stands for the current process (`currentProcess()`), not a child. */
  readonly #isCurrent: boolean;

  constructor(options: ProcessOptions = {}) {
    if (typeof options !== 'object' || options === null) throw new TypeError('Process options must be an object');
    const init = (options as { [AS_CURRENT_PROCESS]?: CurrentProcessInit })[AS_CURRENT_PROCESS];
    if (init !== undefined) {
      // The current process, seen from inside (currentProcess(), or a subclass instance in its child).
      const current = init.context;
      this.#isCurrent = true;
      this.#callerUrl = undefined;
      this.#target = undefined;
      this.#runTarget = init.runTarget;
      this.#argsBytes = init.argsBytes ?? structuredCodec.encode([]);
      this.#authkey = current.authkey;
      this.#name = current.name;
      this.#daemon = current.daemon;
      this.#identityIndex = current.identity.at(-1) ?? 0;
      this.#pid = threadId;
      this.#state = current.state ?? undefined;
      return;
    }
    this.#isCurrent = false;
    const context = processContext();
    // A subclass is looked up by the frame of its own constructor; a function target by its caller.
    this.#callerUrl = callerModuleUrl(OWN_DIRECTORY, new.target === Process ? undefined : new.target.name);
    this.#target = options.target === undefined ? undefined : functionTarget(options.target, this.#callerUrl);
    this.#runTarget = typeof options.target === 'function' ? options.target : undefined;
    this.#authkey = context.authkey;
    const args = options.args ?? [];
    if (!Array.isArray(args)) throw new TypeError(`args must be an array, got ${typeof args}`);
    if (options.kwargs !== undefined && (typeof options.kwargs !== 'object' || options.kwargs === null)) {
      throw new TypeError(`kwargs must be an object, got ${typeof options.kwargs}`);
    }
    // Encoded now, so that a value the child could not receive fails here, in the caller.
    this.#argsBytes = structuredCodec.encode(options.kwargs === undefined ? args : [...args, options.kwargs]);
    forgetArgsIfNeverStarted.register(this, this.#argsBytes, this);
    context.childCounter += 1;
    // Python names a process after its class: `Process-1`, or `Counter-1` for a subclass Counter.
    const identity = [...context.identity, context.childCounter].join(':');
    this.#name = options.name === undefined ? `${new.target.name}-${identity}` : checkName(options.name);
    this.#identityIndex = context.childCounter;
    this.#daemon = options.daemon === undefined ? context.daemon : Boolean(options.daemon);
  }

  /** The process's name; only a label (Python's `name`). */
  get name(): string {
    return this.#name;
  }

  set name(value: string) {
    this.#name = checkName(value);
  }

  /** Whether the process is a daemon: terminated, not joined, when its parent ends. Set it before `start()`. */
  get daemon(): boolean {
    return this.#daemon;
  }

  set daemon(value: boolean) {
    if (this.#worker !== undefined)
      throw new InvalidStateError('process has already started: set daemon before start()');
    this.#daemon = Boolean(value);
  }

  /** The worker's `threadId` once started, else null (Python's `pid`). */
  get pid(): number | null {
    this.#checkOpen();
    return this.#pid;
  }

  /** Same as `pid` (Python's `ident`). */
  get ident(): number | null {
    return this.pid;
  }

  /**
   * null while running or before start; 0 after a normal end; 1 after an uncaught error or rejected
   * promise; n after `exit(n)`; -15 after `terminate()`; -9 after `kill()`.
   */
  get exitcode(): number | null {
    this.#checkOpen();
    if (this.#exitCode !== null) return this.#exitCode;
    // joinSync() may have seen the exit in shared memory before the 'exit' event reached this thread.
    if (this.#state?.status === ProcessStatus.EXITED) return this.#endedBy ?? this.#state.exitCode;
    return null;
  }

  /**
   * The authentication key (Python's `authkey`): inherited from the creating process, and handed on to
   * this process's own children. Connections and managers use it to authenticate.
   */
  get authkey(): Uint8Array {
    return this.#authkey;
  }

  set authkey(value: Uint8Array) {
    if (!(value instanceof Uint8Array)) throw new TypeError(`authkey must be a Uint8Array, got ${typeof value}`);
    if (this.#worker !== undefined)
      throw new InvalidStateError('process has already started: set authkey before start()');
    this.#authkey = new Uint8Array(value);
  }

  /** An object `wait()` (@ipc/pipe) accepts: ready once the process has ended. */
  get sentinel(): Waitable {
    this.#checkOpen();
    if (this.#state === undefined) throw new InvalidStateError('process not started: it has no sentinel yet');
    return this.#state;
  }

  /**
   * Starts the process in a new worker thread.
   *
   * @throws {InvalidStateError} when started twice, closed, called in a daemon process, or called while a
   * child is still importing its main module (main code not behind `if (isMainProcess())`).
   */
  start(): void {
    this.#checkOpen();
    if (this.#isCurrent) throw new InvalidStateError('cannot start the current process');
    if (this.#worker !== undefined) throw new InvalidStateError('cannot start a process twice');
    const context = processContext();
    if (importScope().getStore() === true) {
      throw new InvalidStateError(
        'a process was started while the child was still importing its main module: put the code that starts ' +
          "processes behind `if (isMainProcess())`, like Python's `if __name__ == '__main__'`",
      );
    }
    if (context.daemon) throw new InvalidStateError('daemonic processes are not allowed to have children');
    const target = this.#subclassTarget() ?? this.#target;
    if (target === undefined) throw new TypeError('a Process needs a target, or a subclass that overrides run()');
    const state = new ProcessState();
    state.markStarted();
    const spec: ChildSpec = {
      target,
      argsBytes: this.#argsBytes,
      fieldsBytes: target.kind === 'subclass' ? structuredCodec.encode({ ...this }) : undefined,
      baseTarget: target.kind === 'subclass' ? this.#target : undefined,
      tsxApi: tsxApiForChildren(),
      typeModules: sharedTypeModules(),
      name: this.#name,
      identity: [...context.identity, this.#identityIndex],
      daemon: this.#daemon,
      authkey: this.#authkey,
      parent: { name: context.name, pid: threadId, token: currentThreadToken() },
      state: share(state),
    };
    const worker = startWorker({ workerData: { [CHILD_SPEC_KEY]: spec }, stdout: false, stderr: false });
    // From here the child owns the args: it decodes them, or the 'exit' handler below forgets them.
    forgetArgsIfNeverStarted.unregister(this);
    this.#worker = worker;
    this.#state = state;
    this.#pid = worker.threadId;
    if (this.#daemon) worker.unref();
    const entry: ChildEntry = this.#childEntry();
    this.#entry = entry;
    context.children.add(entry);
    endChildrenOnExit(context);
    let online = false;
    worker.once('online', () => {
      online = true;
    });
    this.#exited = new Promise<void>((resolve) => {
      worker.once('exit', (code) => {
        this.#exitCode = this.#endedBy ?? code;
        state.markExited(this.#exitCode);
        // Ended before it decoded its args: the primitives in them never arrived (a pipe end stays open for
        // its peer while a copy is in flight, so its peer would never see EOFError).
        if (!state.argsTaken) forgetHandles(this.#argsBytes);
        context.children.delete(entry);
        resolve();
      });
    });
    // The child prints its own uncaught errors (with its name); a failure before its handlers exist
    // (the bootstrap could not load) is printed here.
    worker.on('error', (error) => {
      const what = online ? `Process ${this.#name}:` : `Process ${this.#name} failed to start:`;
      process.stderr.write(`${what}\n${(error as Error).stack ?? String(error)}\n`);
    });
  }

  /**
   * Waits until the process ends, or `timeout` ms pass (then check `exitcode`, as in Python).
   *
   * @throws {InvalidStateError} before `start()` or after `close()`; {RangeError} for a negative or non-finite timeout.
   */
  async join(timeout?: number): Promise<void> {
    const ms = checkTimeout(timeout);
    this.#checkOpen();
    const { exited, worker } = this.#started('join');
    // A daemon's worker is unref'd: hold the event loop while anyone waits for it.
    if (this.#daemon && this.#joiners++ === 0) worker.ref();
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      if (ms === undefined) await exited;
      else await Promise.race([exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
    } finally {
      clearTimeout(timer);
      if (this.#daemon && --this.#joiners === 0 && this.#exitCode === null) worker.unref();
    }
  }

  /**
   * The blocking form of {@link Process.join}. It returns once the child has ended; the 'exit' event (and so
   * `isAlive()` turning false) reaches this thread when its event loop next runs, but `exitcode` is set at
   * once. After `terminate()` it returns at once: a terminated worker runs no more code.
   */
  joinSync(timeout?: number): void {
    const ms = checkTimeout(timeout);
    this.#checkOpen();
    this.#started('join');
    if (this.#endedBy !== undefined) {
      // A terminated worker runs no more code: it is as good as joined, whether or not its 'exit' event
      // has reached this thread yet.
      this.#exitCode = this.#endedBy;
      return;
    }
    this.#state?.waitExitedSync(deadlineAfter(ms));
  }

  /** True from `start()` until the process has ended (Python's `is_alive()`). */
  isAlive(): boolean {
    this.#checkOpen();
    if (this.#isCurrent) return true;
    // The child records its exit in shared memory before its thread ends: that counts, even before the
    // Worker's 'exit' event reaches this thread (after joinSync(), say).
    return this.#worker !== undefined && this.#exitCode === null && this.#state?.status !== ProcessStatus.EXITED;
  }

  /** Ends the process now; `exitcode` becomes -15 (Python: SIGTERM). No-op once it has ended. */
  terminate(): void {
    this.#end(TERMINATED_EXIT_CODE);
  }

  /** Ends the process now; `exitcode` becomes -9 (Python: SIGKILL). No-op once it has ended. */
  kill(): void {
    this.#end(KILLED_EXIT_CODE);
  }

  /**
   * Releases the process object; most methods then throw `InvalidStateError`.
   *
   * @throws {InvalidStateError} while the process is still running.
   */
  close(): void {
    if (this.#closed) return;
    if (this.#isCurrent) throw new InvalidStateError('cannot close the current process');
    if (this.#worker !== undefined && this.#exitCode === null && this.#state?.status !== ProcessStatus.EXITED) {
      throw new InvalidStateError(`cannot close process ${this.#name}: it is still running`);
    }
    this.#closed = true;
    if (this.#entry !== undefined) processContext().children.delete(this.#entry);
  }

  /**
   * What the child runs: by default, the target with the args (and kwargs last). A subclass overrides it
   * (and must be exported by its module); `super.run()` there calls the target. Called directly, it runs
   * the target in the calling thread, as in Python.
   */
  run(): unknown {
    const args = structuredCodec.decode(this.#argsBytes) as never[];
    if (this.#isCurrent) this.#state?.markArgsTaken();
    if (this.#runTarget !== undefined) return this.#runTarget(...args);
    const target = this.#target;
    if (target?.kind !== 'function') return undefined;
    return import(target.module).then((namespace: Record<string, unknown>) => findTarget(namespace, target)(...args));
  }

  #end(code: number): void {
    this.#checkOpen();
    this.#started('terminate');
    this.#terminate(code);
  }

  /** Ends the worker unless it has ended or is being ended; works on a closed object (the registry's use). */
  #terminate(code: number): void {
    const worker = this.#worker;
    if (worker === undefined) return;
    // Ended already (seen by the 'exit' event, or by joinSync() in shared memory), or being ended: no-op.
    if (this.#exitCode !== null || this.#endedBy !== undefined || this.#state?.status === ProcessStatus.EXITED) return;
    this.#endedBy = code;
    void worker.terminate();
    // Locks and queues held by the child are recovered from now: it runs no more code once terminated.
    markThreadExited(worker);
  }

  #started(what: string): { worker: Worker; exited: Promise<void> } {
    if (this.#isCurrent) throw new InvalidStateError(`can only ${what} a child process`);
    if (this.#worker === undefined || this.#exited === undefined) {
      throw new InvalidStateError(`can only ${what} a started process`);
    }
    return { worker: this.#worker, exited: this.#exited };
  }

  #checkOpen(): void {
    if (this.#closed) throw new InvalidStateError('process object is closed');
  }

  #childEntry(): ChildEntry {
    return {
      process: this,
      daemon: this.#daemon,
      isAlive: () => this.#exitCode === null && this.#state?.status !== ProcessStatus.EXITED,
      joinSync: () => {
        if (this.#endedBy === undefined) this.#state?.waitExitedSync(deadlineAfter(undefined));
      },
      terminate: () => this.#terminate(TERMINATED_EXIT_CODE),
    };
  }

  /** The target of a subclass that overrides `run()` (which wins over `target`, as in Python); else undefined. */
  #subclassTarget(): TargetSpec | undefined {
    const cls = this.constructor as { name: string; prototype: { run: unknown } };
    if (cls.prototype.run === Process.prototype.run) return undefined;
    if (this.#callerUrl === undefined) throw new TypeError(`cannot tell which module exports ${cls.name}`);
    return { kind: 'subclass', module: this.#callerUrl, className: cls.name };
  }
}
