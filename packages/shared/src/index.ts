/**
 * @ipc/shared: Python's `multiprocessing.Value`, `Array`, `RawValue` and `RawArray` (sharedctypes) over shared
 * memory, for worker threads. (In progress: the element types are here; the classes come next.)
 */

export type { ElementOf, TypeCode } from './typecodes.ts';
