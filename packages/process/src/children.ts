/**
 * What happens to a process's children when it ends, as in Python: daemon children are terminated, then
 * non-daemon children are joined. It runs in the thread's 'exit' event, so it covers every way a thread
 * ends while it can run code (its target returns, an uncaught error, `exit(n)`, the main code finishing).
 * The joins are synchronous: they wait on the children's shared state, which needs no event loop, and the
 * children's output goes straight to the file descriptors, so nothing is lost while the parent waits.
 */

import type { ProcessContext } from './context.ts';

/** Terminates the daemon children, then waits for the others to end. */
export function endChildrenSync(context: ProcessContext): void {
  const children = [...context.children];
  for (const child of children) if (child.daemon && child.isAlive()) child.terminate();
  for (const child of children) if (!child.daemon) child.joinSync();
}

/** Installs, once per thread, the 'exit' hook that ends this thread's children. */
export function endChildrenOnExit(context: ProcessContext): void {
  if (context.exitHookInstalled) return;
  context.exitHookInstalled = true;
  process.on('exit', () => endChildrenSync(context));
}
