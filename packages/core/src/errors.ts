/**
 * The error classes of every @ipc package (design.md §4), mirroring Python's `multiprocessing` and `queue`
 * exceptions. Each has a stable string `code` (like Node's `ERR_*` codes) and passes `cause` through.
 *
 * `instanceof` works across copies of this module (the ESM and CJS builds, or two versions of @ipc/core in
 * one process): each class checks a brand stored under `Symbol.for`, not its own identity. Errors keep
 * their class through `share()`/`revive()` and the codec, which rebuild them from `code`.
 */

const ERROR_CODE = Symbol.for('@ipc/core.errorCode');

/** Options every @ipc error takes: Node's `cause`, plus the fields of the error itself. */
export interface ProcessErrorOptions {
  cause?: unknown;
}

/** Maps each `code` to the codes it is an instance of, so `instanceof` can work across module copies. */
const LINEAGE = new Map<string, readonly string[]>();

function defineLineage(code: string, parent: string | undefined): void {
  LINEAGE.set(code, parent === undefined ? [code] : [code, ...(LINEAGE.get(parent) ?? [parent])]);
}

function hasLineage(value: unknown, code: string): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const own = (value as { [ERROR_CODE]?: unknown })[ERROR_CODE];
  if (typeof own !== 'string') return false;
  // Every branded error is a ProcessError, even one whose code a newer @ipc version added.
  if (code === 'ERR_IPC_PROCESS') return true;
  return (LINEAGE.get(own) ?? [own]).includes(code);
}

/**
 * The base of every @ipc error. **Python equivalent:** `multiprocessing.ProcessError`.
 *
 * @example
 * ```ts
 * try { queue.getNowait(); } catch (e) { if (e instanceof ProcessError) console.log(e.code); }
 * ```
 */
export class ProcessError extends Error {
  /** The stable machine-readable code, e.g. `'ERR_IPC_EMPTY'`. */
  declare readonly code: string;

  constructor(message: string, options: ProcessErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const code = (new.target as unknown as { CODE: string }).CODE;
    Object.defineProperty(this, 'code', { value: code, enumerable: true, configurable: true });
    // Configurable: errorFromRecord gives an error of an unknown code (from a newer @ipc) that code instead.
    Object.defineProperty(this, ERROR_CODE, { value: code, configurable: true });
    Object.defineProperty(this, 'name', { value: new.target.name, enumerable: false, configurable: true });
  }

  /** The code shared by every instance of this class. */
  static readonly CODE: string = 'ERR_IPC_PROCESS';

  // `this` is the class `instanceof` was asked about (a subclass inherits this method), not ProcessError.
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: the receiver is the point.
    return hasLineage(value, (this as unknown as { CODE: string }).CODE);
  }
}
defineLineage(ProcessError.CODE, undefined);

/**
 * Use of an object in a state that forbids it: closed, not started, started twice, released too many
 * times, released by a thread that does not own it. **Python equivalent:** the `ValueError`/`OSError`/
 * `AssertionError` Python raises in those cases; here it is one class in every package.
 */
export class InvalidStateError extends ProcessError {
  static override readonly CODE: string = 'ERR_IPC_INVALID_STATE';
}
defineLineage(InvalidStateError.CODE, ProcessError.CODE);

/** A non-blocking or timed `get` found nothing. **Python equivalent:** `queue.Empty`. */
export class Empty extends ProcessError {
  static override readonly CODE: string = 'ERR_IPC_EMPTY';
}
defineLineage(Empty.CODE, ProcessError.CODE);

/** A non-blocking or timed `put` found no room. **Python equivalent:** `queue.Full`. */
export class Full extends ProcessError {
  static override readonly CODE: string = 'ERR_IPC_FULL';
}
defineLineage(Full.CODE, ProcessError.CODE);

/** The queue was shut down. **Python equivalent:** `queue.ShutDown` (Python 3.13). */
export class ShutDown extends ProcessError {
  static override readonly CODE: string = 'ERR_IPC_SHUTDOWN';
}
defineLineage(ShutDown.CODE, ProcessError.CODE);

/** A wait for a result ran out of time. **Python equivalent:** `multiprocessing.TimeoutError`. */
export class TimeoutError extends ProcessError {
  static override readonly CODE: string = 'ERR_IPC_TIMEOUT';
}
defineLineage(TimeoutError.CODE, ProcessError.CODE);

/** A barrier was broken by `abort()`, `reset()` or a timeout. **Python equivalent:** `threading.BrokenBarrierError`. */
export class BrokenBarrierError extends ProcessError {
  static override readonly CODE: string = 'ERR_IPC_BROKEN_BARRIER';
}
defineLineage(BrokenBarrierError.CODE, ProcessError.CODE);

/** Options of {@link BufferTooShort}: the whole message that did not fit. */
export interface BufferTooShortOptions extends ProcessErrorOptions {
  data: Uint8Array;
}

/**
 * `recvBytesInto` was given a buffer smaller than the message. The whole message is in `data`.
 * **Python equivalent:** `multiprocessing.BufferTooShort` (whose `args[0]` holds the message).
 */
export class BufferTooShort extends ProcessError {
  static override readonly CODE: string = 'ERR_IPC_BUFFER_TOO_SHORT';
  /** The complete message that did not fit. */
  readonly data: Uint8Array;

  constructor(message: string, options: BufferTooShortOptions) {
    super(message, options);
    this.data = options.data;
  }
}
defineLineage(BufferTooShort.CODE, ProcessError.CODE);

/** The peer did not prove it knows the authkey. **Python equivalent:** `multiprocessing.AuthenticationError`. */
export class AuthenticationError extends ProcessError {
  static override readonly CODE: string = 'ERR_IPC_AUTHENTICATION';
}
defineLineage(AuthenticationError.CODE, ProcessError.CODE);

/** The other end closed and nothing is left to read. **Python equivalent:** `EOFError`. */
export class EOFError extends ProcessError {
  static override readonly CODE: string = 'ERR_IPC_EOF';
}
defineLineage(EOFError.CODE, ProcessError.CODE);

/** Options of {@link RemoteError}: what the remote side raised. */
export interface RemoteErrorOptions extends ProcessErrorOptions {
  remoteName: string;
  remoteStack?: string;
}

/**
 * A call on a manager proxy raised on the server. The remote class name, message and stack are kept.
 * **Python equivalent:** `multiprocessing.managers.RemoteError`.
 */
export class RemoteError extends ProcessError {
  static override readonly CODE: string = 'ERR_IPC_REMOTE';
  /** The class name of the error raised on the remote side. */
  readonly remoteName: string;
  /** The stack of the error on the remote side, when it had one. */
  readonly remoteStack: string | undefined;

  constructor(message: string, options: RemoteErrorOptions) {
    super(message, options);
    this.remoteName = options.remoteName;
    this.remoteStack = options.remoteStack;
  }
}
defineLineage(RemoteError.CODE, ProcessError.CODE);

type ErrorClass = typeof ProcessError;

const CLASSES: ReadonlyMap<string, ErrorClass> = new Map<string, ErrorClass>(
  [
    ProcessError,
    InvalidStateError,
    Empty,
    Full,
    ShutDown,
    TimeoutError,
    BrokenBarrierError,
    BufferTooShort,
    AuthenticationError,
    EOFError,
    RemoteError,
  ].map((cls) => [cls.CODE, cls as ErrorClass]),
);

/** The plain, structured-clonable form of an @ipc error, as carried by `share()` and the codec. */
export interface ErrorRecord {
  code: string;
  message: string;
  stack: string | undefined;
  cause: unknown;
  /** The fields a subclass adds (`data`, `remoteName`, `remoteStack`). */
  fields: Record<string, unknown>;
}

/** True for any @ipc error, from any copy of this module. */
export function isProcessError(value: unknown): value is ProcessError {
  return hasLineage(value, ProcessError.CODE);
}

/** Turns an @ipc error into its record; `cause` is left for the carrier to encode. */
export function errorToRecord(error: ProcessError): ErrorRecord {
  const { code, message, stack, cause, name: _name, ...fields } = error as ProcessError & Record<string, unknown>;
  return { code, message, stack, cause, fields };
}

/** Rebuilds an @ipc error of the right class from its record. Unknown codes become a `ProcessError`. */
export function errorFromRecord(record: ErrorRecord): ProcessError {
  const cls = CLASSES.get(record.code) ?? ProcessError;
  const options = { ...record.fields, ...(record.cause === undefined ? {} : { cause: record.cause }) };
  const error = new (cls as unknown as new (m: string, o: object) => ProcessError)(record.message, options);
  if (cls.CODE !== record.code) {
    Object.defineProperty(error, 'code', { value: record.code, enumerable: true, configurable: true });
    Object.defineProperty(error, ERROR_CODE, { value: record.code });
  }
  Object.defineProperty(error, 'stack', { value: record.stack, writable: true, configurable: true });
  return error;
}
