/** The child's side of a target: import its module, find the export, and make the call. */

import type { TargetSpec } from '../target.ts';

/** Looks `name` up in a module namespace, also inside a CommonJS module's `default`. */
function exportNamed(namespace: Record<string, unknown>, name: string): unknown {
  if (name in namespace) return namespace[name];
  const commonJs = namespace.default;
  if (typeof commonJs === 'object' && commonJs !== null && name in commonJs) {
    return (commonJs as Record<string, unknown>)[name];
  }
  // `export { work as job }`: the function is exported under another name than its own.
  for (const value of Object.values(namespace)) {
    if (typeof value === 'function' && value.name === name) return value;
  }
  return undefined;
}

/**
 * The function or class the spec names.
 *
 * @throws {TypeError} naming the module, the export and the rule when it is missing or not callable.
 */
export function findTarget(namespace: Record<string, unknown>, target: TargetSpec): (...args: unknown[]) => unknown {
  const name = target.kind === 'function' ? target.exportName : target.className;
  const found = exportNamed(namespace, name);
  if (found === undefined) {
    throw new TypeError(
      `${target.kind === 'function' ? 'target function' : 'Process subclass'} ${name} is not exported by ${target.module}: ` +
        'a child imports the module of its target, so the target must be exported',
    );
  }
  if (typeof found !== 'function') {
    throw new TypeError(`${name} exported by ${target.module} is not a function but ${typeof found}`);
  }
  return found as (...args: unknown[]) => unknown;
}
