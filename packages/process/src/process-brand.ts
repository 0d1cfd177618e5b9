/** Keys shared by every copy of @ipc/process (ESM and CJS builds) in a thread. */

/** Own property of `Process.prototype`: marks the Process base class of any copy. */
export const PROCESS_BRAND = Symbol.for('@ipc/process.Process');

/** Option key that builds a Process object standing for the current process (not a child to start). */
export const AS_CURRENT_PROCESS = Symbol.for('@ipc/process.asCurrentProcess');
