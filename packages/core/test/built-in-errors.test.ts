import { describe, expect, it } from 'vitest';
import { BUILT_IN_ERRORS, builtInErrorFrom, isBuiltInError } from '../src/built-in-errors.ts';
import { Empty, isBuiltInError as exported } from '../src/index.ts';

const CLASSES = [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError];

describe('BUILT_IN_ERRORS', () => {
  it('maps the name of each built-in error class to the class, and nothing else', () => {
    expect([...BUILT_IN_ERRORS]).toEqual(CLASSES.map((cls) => [cls.name, cls]));
    expect(BUILT_IN_ERRORS.has('constructor')).toBe(false);
    expect(BUILT_IN_ERRORS.has('AggregateError')).toBe(false);
  });
});

describe('isBuiltInError', () => {
  it('is the export of the package index', () => {
    expect(exported).toBe(isBuiltInError);
  });

  it('is true for an instance of each built-in class', () => {
    for (const cls of CLASSES) expect(isBuiltInError(new cls('x'))).toBe(true);
  });

  it('is false for a subclass, even one that keeps the built-in name', () => {
    class ParseError extends Error {}
    class Plain extends TypeError {
      override name = 'TypeError';
    }
    expect(isBuiltInError(new ParseError('x'))).toBe(false);
    expect(isBuiltInError(new Plain('x'))).toBe(false);
    expect(isBuiltInError(new Empty('x'))).toBe(false);
  });

  it('is false for a built-in whose name was changed, and for what is not an error', () => {
    const renamed = new RangeError('x');
    renamed.name = 'TypeError';
    const orphan = new Error('x');
    Object.defineProperty(orphan, 'name', { value: 'Unknown' });
    Object.defineProperty(orphan, 'constructor', { value: undefined });
    expect(isBuiltInError(renamed)).toBe(false);
    expect(isBuiltInError(orphan)).toBe(false);
    expect(isBuiltInError(new AggregateError([], 'x'))).toBe(false);
    expect(isBuiltInError({ name: 'Error', message: 'x', constructor: Error })).toBe(false);
    expect(isBuiltInError('Error')).toBe(false);
  });
});

describe('builtInErrorFrom', () => {
  it('rebuilds a built-in class by name, with the given stack and cause', () => {
    const error = builtInErrorFrom('SyntaxError', 'bad', 'SyntaxError: bad\n    at there', { cause: 'why' });
    expect(error).toBeInstanceOf(SyntaxError);
    expect(error.name).toBe('SyntaxError');
    expect(Object.hasOwn(error, 'name')).toBe(false);
    expect([error.message, error.stack, error.cause]).toEqual(['bad', 'SyntaxError: bad\n    at there', 'why']);
  });

  it('gives another name, even one of Object.prototype, to a plain Error', () => {
    for (const name of ['ParseError', 'constructor', 'toString', '__proto__']) {
      const error = builtInErrorFrom(name, 'm', undefined);
      expect(error.constructor).toBe(Error);
      expect([error.name, error.message, error.stack, 'cause' in error]).toEqual([name, 'm', undefined, false]);
    }
  });
});
