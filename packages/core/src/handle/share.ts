/**
 * `share()` and `revive()`: carry any @ipc primitive (or @ipc error) through raw `worker_threads`
 * `postMessage` / `workerData`, which only know structured clone.
 */

import { structuredCodec } from '../codec/structured-codec.ts';
import { type ErrorRecord, errorFromRecord, errorToRecord, isProcessError, type ProcessError } from '../errors.ts';
import { Heap } from '../heap/heap.ts';
import { isPortable, type Portable } from './portable.ts';
import { attachShared, isShareable, SHARED_BLOCK, type Shareable } from './shared-handle.ts';
import { sharedTypeNamed } from './shared-type.ts';

/** The structured-clonable form of a shared primitive. */
export interface SharedHandleDescriptor {
  readonly $ipc: 'handle';
  /** The registered type name, e.g. `'ipc.sync.Lock'`. */
  readonly type: string;
  /** The heap that holds it (shared, not copied, by structured clone). */
  readonly heap: SharedArrayBuffer;
  readonly byteOffset: number;
}

/** The structured-clonable form of an @ipc error. */
export interface SharedErrorDescriptor {
  readonly $ipc: 'error';
  readonly error: ErrorRecord;
}

/** The structured-clonable form of a portable object (`portable.ts`): its encoding by the structured codec. */
export interface SharedPortableDescriptor {
  readonly $ipc: 'portable';
  readonly bytes: Uint8Array;
}

/** What `share()` returns: plain data that `postMessage` and `workerData` carry. */
export type SharedDescriptor = SharedHandleDescriptor | SharedErrorDescriptor | SharedPortableDescriptor;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (typeof value === 'object') return `an instance of ${value.constructor?.name ?? 'Object'}`;
  return typeof value;
}

/**
 * Turns an @ipc primitive into a descriptor that survives structured clone; `revive(descriptor)` in any
 * worker of the process gives back a live object over the same memory. Portable objects (Manager proxies)
 * and @ipc errors are carried too, and come back with their class (and `code`).
 *
 * The primitive is pinned: its memory is kept until the process ends, since any number of threads may
 * revive the descriptor later.
 *
 * **Python equivalent:** none needed in Python, where `multiprocessing` pickles primitives into children.
 *
 * @throws {TypeError} for anything else, naming what it got.
 *
 * @example
 * ```ts
 * const worker = new Worker(url, { workerData: { lock: share(lock) } });
 * // in the worker:
 * const lock = revive(workerData.lock) as Lock;
 * ```
 */
export function share(value: Shareable | Portable | ProcessError): SharedDescriptor {
  if (isPortable(value)) return { $ipc: 'portable', bytes: structuredCodec.encode(value) };
  if (isShareable(value)) {
    const block = value[SHARED_BLOCK];
    block.heap.pin(block.byteOffset);
    block.type.sent?.(block);
    return { $ipc: 'handle', type: block.type.name, heap: block.heap.buffer, byteOffset: block.byteOffset };
  }
  if (isProcessError(value)) {
    const record = errorToRecord(value);
    const cause = isProcessError(record.cause) ? share(record.cause) : record.cause;
    return { $ipc: 'error', error: { ...record, cause } };
  }
  throw new TypeError(`share() takes an @ipc primitive, a Manager proxy or an @ipc error, got ${describe(value)}`);
}

function isDescriptor(value: unknown): value is SharedDescriptor {
  return typeof value === 'object' && value !== null && '$ipc' in value;
}

/**
 * Gives back the live object a descriptor from `share()` stands for. In a thread that already holds the
 * object, it returns that same object.
 *
 * @throws {TypeError} if `descriptor` is not one, or if its type's package is not loaded in this thread.
 */
export function revive(descriptor: SharedDescriptor): unknown {
  if (!isDescriptor(descriptor))
    throw new TypeError(`revive() takes a descriptor from share(), got ${describe(descriptor)}`);
  if (descriptor.$ipc === 'error') {
    const { cause } = descriptor.error;
    return errorFromRecord({ ...descriptor.error, cause: isDescriptor(cause) ? revive(cause) : cause });
  }
  if (descriptor.$ipc === 'portable') return structuredCodec.decode(descriptor.bytes);
  if (descriptor.$ipc === 'handle') {
    const type = sharedTypeNamed(descriptor.type);
    const object = attachShared(Heap.of(descriptor.heap), descriptor.byteOffset, type);
    type.received?.(object);
    return object;
  }
  throw new TypeError(`revive() got an unknown descriptor kind: ${String((descriptor as { $ipc: unknown }).$ipc)}`);
}
