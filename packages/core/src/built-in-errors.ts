/**
 * JavaScript's built-in error classes, which every @ipc codec carries as themselves (by name: the classes
 * are the same in every thread and process). An error of another class arrives as an `Error` that keeps its
 * `name`, as structured clone does.
 */

/**
 * The built-in error classes by name. A Map, not an object: a hostile or odd name such as `constructor` must
 * not find `Object.prototype.constructor`.
 */
export const BUILT_IN_ERRORS: ReadonlyMap<string, ErrorConstructor> = new Map(
  [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError].map((cls) => [cls.name, cls]),
);

/**
 * True when `value` is an instance of exactly one of JavaScript's built-in error classes (`Error`,
 * `TypeError`, `RangeError`, ...), not a subclass, and still named as its class: such an error crosses any
 * @ipc codec as itself, while a subclass or a renamed error is rebuilt as an `Error` with the same name.
 * Python's equivalent is `type(e) in (Exception, TypeError, ValueError, ...)` for what pickles by name.
 *
 * @example
 * isBuiltInError(new TypeError('bad')); // true
 * isBuiltInError(new (class MyError extends Error {})('x')); // false: a subclass
 * isBuiltInError(new EOFError()); // false: an @ipc error (see isProcessError)
 */
export function isBuiltInError(value: unknown): value is Error {
  if (!(value instanceof Error)) return false;
  const cls = BUILT_IN_ERRORS.get(value.name);
  return cls !== undefined && value.constructor === cls;
}
