/**
 * Finds the module that called into a package, from V8's structured stack trace: `new Process({ target:
 * work })` names a function, and the child must import the module that exports it; `BaseManager.register`
 * records where it was called, so that a started manager's server can import that module.
 */

import { pathToFileURL } from 'node:url';

/** This package's directory: its frames are never the caller either. */
const CORE_DIRECTORY = new URL('.', import.meta.url).href;

/**
 * The file URL of the module that called into a package: the first stack frame outside `ownDirectory` (the
 * package's `new URL('.', import.meta.url).href`: dist/ when built), or, given `className`, the frame of
 * that class's constructor (so that `class C extends B extends Process` finds C's module even when B has its
 * own constructor in another module). Undefined when there is none.
 */
export function callerModuleUrl(ownDirectory: string, className?: string): string | undefined {
  const { prepareStackTrace, stackTraceLimit } = Error;
  const holder: { stack?: NodeJS.CallSite[] } = {};
  try {
    Error.stackTraceLimit = 50;
    Error.prepareStackTrace = (_error, frames) => frames;
    Error.captureStackTrace(holder, callerModuleUrl);
    const outside: Array<{ url: string; frame: NodeJS.CallSite }> = [];
    for (const frame of holder.stack ?? []) {
      const file = frame.getFileName();
      if (file === undefined || file === null || file.startsWith('node:')) continue;
      const url = file.startsWith('file:') ? file : pathToFileURL(file).href;
      if (!url.startsWith(ownDirectory) && !url.startsWith(CORE_DIRECTORY)) outside.push({ url, frame });
    }
    const constructorFrame =
      className === undefined
        ? undefined
        : outside.find(({ frame }) => frame.isConstructor() && frame.getFunctionName() === className);
    return (constructorFrame ?? outside[0])?.url;
  } finally {
    Error.prepareStackTrace = prepareStackTrace;
    Error.stackTraceLimit = stackTraceLimit;
  }
}
