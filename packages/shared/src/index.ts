/**
 * @ipc/shared: Python's `multiprocessing.Value`, `Array`, `RawValue` and `RawArray` (sharedctypes) over shared
 * memory, for worker threads.
 */

export { InvalidStateError } from '@ipc/core';
export { RawArray, type RawView } from './array/raw-array.ts';
export { SharedArray as Array, SharedArray, type SharedArrayOptions } from './array/shared-array.ts';
export { checkElement, type ElementOf, type ElementType, elementType, type TypeCode } from './typecodes.ts';
export { RawValue } from './value/raw-value.ts';
export { Value, type ValueOptions } from './value/value.ts';
