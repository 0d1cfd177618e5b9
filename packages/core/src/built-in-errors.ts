/**
 * JavaScript's built-in error classes, the ones every thread can rebuild by name: both codecs carry them as
 * themselves, and a Manager's server sends them to its clients as themselves. `AggregateError` is not one of
 * them: its constructor takes the errors first, and those are not carried.
 */

/**
 * The built-in error classes by name. A Map, not an object: a name from a message such as `constructor` must
 * not find `Object.prototype.constructor`.
 */
export const BUILT_IN_ERRORS: ReadonlyMap<string, ErrorConstructor> = new Map(
  [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError].map((cls) => [cls.name, cls]),
);

/**
 * True when `value` is an instance of one of JavaScript's built-in error classes itself (`Error`, `EvalError`,
 * `RangeError`, `ReferenceError`, `SyntaxError`, `TypeError`, `URIError`), not of a subclass, and keeps that
 * class's `name`: an error that another thread rebuilds as the same class from its name alone.
 *
 * **Python equivalent:** none needed: pickle carries any exception class by reference, so Python's
 * `managers` server sends every exception back as itself. JavaScript can rebuild only these by name.
 *
 * **When to use:** deciding whether an error can cross to another thread or process as itself, or must be
 * wrapped (a Manager's server wraps the others in a `RemoteError`).
 *
 * **Thread rules:** any thread; reads only `value`.
 *
 * @example
 * ```ts
 * import { isBuiltInError } from '@ipc/core';
 *
 * class ParseError extends Error {}
 * console.log(isBuiltInError(new TypeError('bad')), isBuiltInError(new ParseError('bad'))); // true false
 * ```
 */
export function isBuiltInError(value: unknown): value is Error {
  if (!(value instanceof Error)) return false;
  const Class = BUILT_IN_ERRORS.get(value.name);
  return Class !== undefined && value.constructor === Class;
}

/**
 * An error rebuilt from its parts as they arrive in a message: of the built-in class `name` names, else an
 * `Error` that carries `name`; with the sender's `stack` (even `undefined`) in place of the receiver's.
 */
export function builtInErrorFrom(
  name: string,
  message: string,
  stack: string | undefined,
  options?: ErrorOptions,
): Error {
  const error = new (BUILT_IN_ERRORS.get(name) ?? Error)(message, options);
  if (!BUILT_IN_ERRORS.has(name))
    Object.defineProperty(error, 'name', { value: name, configurable: true, writable: true });
  Object.defineProperty(error, 'stack', { value: stack, configurable: true, writable: true });
  return error;
}
