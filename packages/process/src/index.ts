/**
 * @ipc/process: Python's `multiprocessing.Process` on worker threads, and the module functions
 * `currentProcess()`, `parentProcess()`, `activeChildren()`, `cpuCount()`, `isMainProcess()`, `exit()`.
 */

// The errors this package throws, re-exported where they are used (design.md §4).
export { InvalidStateError, ProcessError } from '@ipc/core';
export {
  activeChildren,
  cpuCount,
  currentProcess,
  exit,
  isMainProcess,
  type ParentProcess,
  parentProcess,
} from './current.ts';
export { KILLED_EXIT_CODE, Process, type ProcessOptions, TERMINATED_EXIT_CODE } from './process.ts';
export type { TargetReference } from './target.ts';
