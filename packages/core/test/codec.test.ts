import { describe, expect, it } from 'vitest';
import { structuredCodec as codec, Empty, Futex, InvalidStateError } from '../src/index.ts';
import { startFixture } from './helpers/workers.ts';

const roundTrip = <T>(value: T): T => codec.decode(codec.encode(value)) as T;

describe('structured codec fidelity', () => {
  it.each([
    ['integers', 42],
    ['NaN', Number.NaN],
    ['large integers stay numbers', 2 ** 40],
    ['floats', 3.25],
    ['small bigints', 5n],
    ['huge bigints', 2n ** 200n],
    ['strings', 'héllo wörld ✓'],
    ['booleans', false],
    ['null', null],
    ['undefined', undefined],
    ['plain objects', { i: 1, s: 'x', nested: { list: [1, 'a', null] } }],
    [
      'Maps with object keys and values',
      new Map<unknown, unknown>([
        [{ k: 1 }, { v: 2 }],
        ['s', 3],
      ]),
    ],
    ['Sets', new Set([1, 'a', 2n])],
    ['Dates', new Date(1_700_000_000_000)],
    ['RegExps with flags', /ab+c/gi],
    ['Uint8Arrays', new Uint8Array([1, 2, 255])],
    ['Float64Arrays', new Float64Array([1.5, -2])],
    ['BigInt64Arrays', new BigInt64Array([1n, -1n])],
    ['ArrayBuffers', new Uint8Array([9, 8]).buffer],
  ])('keeps %s', (_label, value) => {
    const back = roundTrip(value);
    expect(back).toEqual(value);
    expect(Object.prototype.toString.call(back)).toBe(Object.prototype.toString.call(value));
  });

  // Documented differences from structured clone (docs/core.md): MessagePack has no -0 and no holes.
  it('turns -0 into 0 and array holes into undefined', () => {
    expect(Object.is(roundTrip(-0), 0)).toBe(true);
    const holed = [1, 2, 3];
    delete holed[1];
    const back = roundTrip(holed);
    expect(back).toHaveLength(3);
    expect(1 in back).toBe(true);
    expect(back[1]).toBeUndefined();
  });

  // Flat objects and Maps are both MessagePack maps on the wire; the codec must still tell them apart.
  it('keeps a top-level Map a Map and a flat object an object', () => {
    const map = roundTrip(new Map([['i', 1]]));
    expect(map).toBeInstanceOf(Map);
    expect(map.get('i')).toBe(1);
    const empty = roundTrip(new Map());
    expect(empty).toBeInstanceOf(Map);
    const flat = roundTrip({ i: 1, s: 'x', ok: true, none: null, missing: undefined });
    expect(flat).toEqual({ i: 1, s: 'x', ok: true, none: null, missing: undefined });
    expect(Object.getPrototypeOf(flat)).toBe(Object.prototype);
    expect(roundTrip({})).toEqual({});
    const mixed = roundTrip({ inner: new Map([[1, { a: 1 }]]), list: [{ x: 1 }] });
    expect(mixed.inner).toBeInstanceOf(Map);
    expect(mixed.list).toEqual([{ x: 1 }]);
  });

  it('keeps cycles and shared references', () => {
    const shared = { x: 1 };
    const value: Record<string, unknown> = { a: shared, b: shared };
    value.self = value;
    const back = roundTrip(value);
    expect(back.self).toBe(back);
    expect(back.a).toBe(back.b);
  });

  it('keeps built-in errors with message, name and cause', () => {
    const back = roundTrip(new TypeError('bad', { cause: 'why' }));
    expect(back).toBeInstanceOf(TypeError);
    expect(back.message).toBe('bad');
    expect(back.cause).toBe('why');
  });

  it('keeps @ipc errors with their class, code and cause', () => {
    const back = roundTrip(new Empty('none', { cause: new InvalidStateError('inner') }));
    expect(back).toBeInstanceOf(Empty);
    expect(back.code).toBe('ERR_IPC_EMPTY');
    expect(back.cause).toBeInstanceOf(InvalidStateError);
  });

  it('returns copies that do not alias the bytes it decoded', () => {
    const bytes = codec.encode({ data: new Uint8Array([7, 7, 7]), text: 'abc' });
    const buffer = new Uint8Array(bytes.length);
    buffer.set(bytes);
    const back = codec.decode(buffer) as { data: Uint8Array };
    buffer.fill(0);
    expect([...back.data]).toEqual([7, 7, 7]);
  });

  it('carries typed array subclasses as their built-in class, with their values', () => {
    class Samples extends Float32Array {}
    const back = roundTrip({ s: Samples.from([1.5, -2, 3]) });
    expect(back.s).toBeInstanceOf(Float32Array);
    expect([...back.s]).toEqual([1.5, -2, 3]);
    const offset = roundTrip(new Int16Array([1, 2, 3, 4]).subarray(1, 3));
    expect([...offset]).toEqual([2, 3]);
  });

  it('encodes flat objects of any size', () => {
    const wide = Object.fromEntries(Array.from({ length: 70_000 }, (_, i) => [`k${i}`, i]));
    expect(Object.keys(roundTrip(wide))).toHaveLength(70_000);
  });

  it('decodes a Node Buffer into a Uint8Array copy, as structured clone does', () => {
    const bytes = codec.encode({ data: Buffer.from([5, 6]) });
    const buffer = new Uint8Array(bytes);
    const back = codec.decode(buffer) as { data: Uint8Array };
    buffer.fill(0);
    expect([...back.data]).toEqual([5, 6]);
    expect(back.data.constructor).toBe(Uint8Array);
  });

  it('keeps the stack and class of built-in errors, and the name of custom ones', () => {
    const original = new RangeError('too far');
    const back = roundTrip(original);
    expect(back).toBeInstanceOf(RangeError);
    expect(back.stack).toBe(original.stack);
    class CustomError extends Error {
      override name = 'CustomError';
    }
    const custom = roundTrip(new CustomError('mine'));
    expect(custom).toBeInstanceOf(Error);
    expect(custom.name).toBe('CustomError');
    expect(custom.message).toBe('mine');
  });

  it('gives an error named like an Object.prototype member back as an Error with that name', () => {
    for (const name of ['constructor', 'toString', '__proto__']) {
      const error = new Error('odd');
      error.name = name;
      const back = roundTrip(error);
      expect(back.constructor).toBe(Error);
      expect([back.name, back.message]).toEqual([name, 'odd']);
    }
  });

  it('carries a primitive as the live object, not a copy', () => {
    const futex = new Futex(1);
    const back = roundTrip({ futex });
    expect(back.futex).toBe(futex);
  });
});

describe('structured codec refusals, at encode time, naming the value', () => {
  it.each([
    ['a function', () => 1, /cannot encode function/],
    ['a named function inside an object', { run: function work() {} }, /function work/],
    ['a symbol', Symbol('s'), /Symbol\(s\)/],
    ['a symbol inside an object', { s: Symbol('inner') }, /cannot encode the value/],
    ['a SharedArrayBuffer', { buffer: new SharedArrayBuffer(8) }, /SharedArrayBuffer cannot travel/],
    [
      'a typed array over shared memory',
      { view: new Int32Array(new SharedArrayBuffer(8)) },
      /Int32Array over a SharedArrayBuffer/,
    ],
    ['a Promise', Promise.resolve(1), /Promise cannot be sent/],
    ['a WeakMap', new WeakMap(), /WeakMap/],
  ])('refuses %s', (_label, value, message) => {
    expect(() => codec.encode(value)).toThrow(TypeError);
    expect(() => codec.encode(value)).toThrow(message);
  });
});

describe('structured codec across workers', () => {
  // Scenario: a message encoded into bytes (as a queue does) carries a primitive to another thread.
  it('a primitive inside encoded bytes arrives live in the worker', async () => {
    const futex = new Futex(10);
    const child = startFixture('echo-worker');
    child.worker.postMessage({ kind: 'decode', bytes: codec.encode({ label: 'hello', futex, by: 5 }) });
    expect(await child.message()).toEqual({ label: 'hello', futexValue: 15 });
    expect(futex.load()).toBe(15);
    child.worker.postMessage({ kind: 'close' });
    await child.exit();
  });
});

describe('structured codec fast paths (what queues and pipes use)', () => {
  const inShared = (bytes: Uint8Array, at: number): Uint8Array => {
    const shared = new Uint8Array(new SharedArrayBuffer(at + bytes.length + 16));
    shared.set(bytes, at);
    return shared;
  };
  const viaFastPaths = (value: unknown, at = 5): unknown => {
    const { bytes, start, end } = codec.encodeScratch?.(value) ?? { bytes: codec.encode(value), start: 0, end: 0 };
    const copy = bytes.slice(start, end);
    expect([...copy]).toEqual([...codec.encode(value)]);
    return codec.decodeRange?.(inShared(copy, at), at, at + copy.length);
  };

  it('round-trips flat objects of every field type, in shared memory, as encode and decode do', () => {
    const flat = {
      zero: 0,
      small: 127,
      u8: 200,
      u16: 60_000,
      u32: 4_000_000_000,
      negSmall: -32,
      i8: -100,
      i16: -30_000,
      i32: -2_000_000_000,
      big: 2 ** 40,
      float: 1.25,
      nan: Number.NaN,
      inf: Number.NEGATIVE_INFINITY,
      empty: '',
      x: 'x',
      ascii31: 'a'.repeat(31),
      long: 'the quick brown fox '.repeat(20),
      accents: 'héllo wörld ✓',
      yes: true,
      no: false,
      none: null,
      missing: undefined,
      '': 'empty key',
      'clé ✓': 'non-ASCII key',
    };
    const back = viaFastPaths(flat) as typeof flat;
    expect(back).toEqual(flat);
    expect(Object.keys(back)).toEqual(Object.keys(flat));
    expect('missing' in back).toBe(true);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(roundTrip(flat)).toEqual(flat);
    // msgpackr's documented difference, kept: -0 arrives as 0.
    expect(Object.is((viaFastPaths({ m: -0 }) as { m: number }).m, 0)).toBe(true);
  });

  it('decodes flat maps written by msgpackr itself (the earlier flat encoder), and its own undefined', async () => {
    const { Packr } = await import('msgpackr');
    const earlier = new Packr({ useRecords: false, mapsAsObjects: true, useToJSON: false });
    const value = { i: 100_000, f: 1.5, n: -3, u: undefined, z: null, t: true, s: 'text', w: 'ü' };
    const bytes = earlier.pack(value);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.decodeRange?.(inShared(bytes, 3), 3, 3 + bytes.length)).toEqual(value);
  });

  it('leaves an own __proto__ key, and maps of other types, to msgpackr unchanged', () => {
    // msgpackr renames the key (its guard against prototype pollution); the fast path must not bypass that.
    const tricky = JSON.parse('{"__proto__": 1, "a": 2}') as Record<string, unknown>;
    const back = viaFastPaths(tricky) as Record<string, unknown>;
    expect(Object.keys(back)).toEqual(['__proto_', 'a']);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    const map = new Map<unknown, unknown>([['k', { nested: true }]]);
    expect(viaFastPaths(map)).toEqual(map);
  });

  it('a getter that encodes while its object is being encoded gets a correct encoding too', () => {
    const inner = { a: 1 };
    const outer = {
      get b() {
        return (codec.decode(codec.encode(inner)) as { a: number }).a + 1;
      },
      c: 'after',
    };
    expect(roundTrip(outer)).toEqual({ b: 2, c: 'after' });
    expect(viaFastPaths(outer)).toEqual({ b: 2, c: 'after' });
  });

  it('decodes messages of 140 bytes and more with strings from shared memory (the native extractor refuses it)', () => {
    const value = { text: 'hello '.repeat(40), list: ['a'.repeat(50), 'b'.repeat(50)], n: 1 };
    const bytes = codec.encode(value);
    expect(bytes.length).toBeGreaterThan(140);
    expect(codec.decodeRange?.(inShared(bytes, 8), 8, 8 + bytes.length)).toEqual(value);
    expect(codec.decode(inShared(bytes, 0).subarray(0, bytes.length))).toEqual(value);
  });

  it('writes a typed array in place (encodedLength + encodeInto) as encode would, its bytes 8-aligned', () => {
    const arrays = [
      new Uint8Array([1, 2, 3]),
      new Float64Array([0.5, -1]),
      new Int16Array([1, 2, 3, 4]).subarray(1, 3),
      Buffer.from('buffer'),
      new Uint8Array(1000).map((_, i) => i % 256),
    ];
    for (const array of arrays) {
      const length = codec.encodedLength?.(array) ?? -1;
      expect(length).toBe(codec.encode(array).length);
      for (let at = 0; at < 8; at++) {
        const target = new Uint8Array(new SharedArrayBuffer(length + 16));
        codec.encodedLength?.(array);
        codec.encodeInto?.(array, target, at);
        const back = codec.decodeRange?.(target, at, at + length) as ArrayBufferView;
        expect(back.constructor.name).toBe(array instanceof Buffer ? 'Uint8Array' : array.constructor.name);
        expect([...new Uint8Array(back.buffer, back.byteOffset, back.byteLength)]).toEqual([
          ...new Uint8Array(array.buffer, array.byteOffset, array.byteLength),
        ]);
        // The bytes start 8-aligned in the target (a fast copy to and from shared memory).
        const name = builtInName(array);
        const padding = target[at + 7 + name.length] ?? -1;
        expect((at + 8 + name.length + padding) % 8).toBe(0);
      }
    }
    expect(codec.encodedLength?.({ not: 'an array' })).toBe(-1);
    expect(codec.encodedLength?.(new Int32Array(new SharedArrayBuffer(8)))).toBe(-1);
  });

  it('still decodes typed arrays in the first wire form (ext 84, no padding)', () => {
    const name = 'Uint16Array';
    const data = [name.length, ...[...name].map((c) => c.charCodeAt(0)), 1, 0, 2, 0];
    const bytes = new Uint8Array([0xc7, data.length, 84, ...data]);
    const back = codec.decode(bytes) as Uint16Array;
    expect(back).toBeInstanceOf(Uint16Array);
    expect([...back]).toEqual([1, 2]);
  });
});

function builtInName(array: ArrayBufferView): string {
  return array instanceof Buffer ? 'Uint8Array' : array.constructor.name;
}
