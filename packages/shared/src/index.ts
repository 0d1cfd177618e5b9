/**
 * @ipc/shared: Python's `multiprocessing.Value`, `Array`, `RawValue` and `RawArray` (sharedctypes) over shared
 * memory, for worker threads. (In progress: Value and RawValue are here; the arrays come next.)
 */

export { InvalidStateError } from '@ipc/core';
export type { ElementOf, TypeCode } from './typecodes.ts';
export { RawValue } from './value/raw-value.ts';
export { Value, type ValueOptions } from './value/value.ts';
