/** Keys shared by every copy of @ipc/process (ESM and CJS builds) in a thread. */

import type { ProcessContext } from './context.ts';

/** Own property of `Process.prototype`: marks the Process base class of any copy. */
export const PROCESS_BRAND = Symbol.for('@ipc/process.Process');

/** Option key that builds a Process object standing for the current process (not a child to start). */
export const AS_CURRENT_PROCESS = Symbol.for('@ipc/process.asCurrentProcess');

/** What a Process object standing for the current process is built from. */
export interface CurrentProcessInit {
  readonly context: ProcessContext;
  /** The target its default `run()` calls (a subclass's `super.run()` in its child). */
  readonly runTarget?: ((...args: never[]) => unknown) | undefined;
  /** The encoded args for that target. */
  readonly argsBytes?: Uint8Array | undefined;
}
