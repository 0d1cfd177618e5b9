/** A Process subclass in its child: the instance is rebuilt without running its constructor, like unpickling. */

import { AS_CURRENT_PROCESS, type CurrentProcessInit, PROCESS_BRAND } from '../process-brand.ts';

/** Any class. */
type AnyClass = abstract new (...args: never[]) => unknown;

/** The Process base class a subclass extends (from whichever copy of @ipc/process the user loaded). */
function processBaseOf(subclass: AnyClass): new (...args: unknown[]) => object {
  for (let cls: unknown = subclass; typeof cls === 'function'; cls = Object.getPrototypeOf(cls)) {
    const prototype = (cls as { prototype?: object }).prototype;
    if (prototype !== undefined && Object.hasOwn(prototype, PROCESS_BRAND))
      return cls as new (
        ...args: unknown[]
      ) => object;
  }
  throw new TypeError(`${subclass.name} does not extend Process`);
}

/**
 * An instance of `subclass` that is the current process: built by the Process base constructor in its
 * "current process" form (with `subclass` as new.target, so the subclass constructor does not run), with the
 * parent's public fields copied in. Its `run()` is what the child executes.
 */
export function asCurrentProcess(subclass: AnyClass, init: CurrentProcessInit, fields: object): { run(): unknown } {
  const base = processBaseOf(subclass);
  const instance = Reflect.construct(base, [{ [AS_CURRENT_PROCESS]: init }], subclass) as {
    run(): unknown;
  };
  Object.assign(instance, fields);
  init.context.current = instance;
  return instance;
}
