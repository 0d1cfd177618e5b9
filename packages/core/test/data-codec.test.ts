import { describe, expect, it } from 'vitest';
import { prng, SEED } from '../../../tooling/test/prng.ts';
import {
  BufferTooShort,
  dataCodec as codec,
  DataCodec,
  EOFError,
  Futex,
  ProcessError,
  RemoteError,
} from '../src/index.ts';

const roundTrip = <T>(value: T): T => codec.decode(codec.encode(value)) as T;
const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);

describe('data codec fidelity', () => {
  it.each([
    ['small integers', 42],
    ['negative integers', -70_000],
    ['large integers', 2 ** 40],
    ['floats', 3.25],
    ['NaN', Number.NaN],
    ['infinities', Number.NEGATIVE_INFINITY],
    ['small bigints', 5n],
    ['negative huge bigints', -(2n ** 200n)],
    ['zero bigints', 0n],
    ['ASCII strings', 'hello'],
    ['long strings', 'x'.repeat(70_000)],
    ['non-ASCII strings', 'héllo wörld ✓ 进程'],
    ['booleans', false],
    ['null', null],
    ['undefined', undefined],
    ['flat objects', { i: 1, s: 'x', b: true, n: null, u: undefined }],
    ['nested objects', { list: [1, 'a', null, [2, [3]]], deep: { deeper: { deepest: 'ok' } } }],
    ['objects with many keys', Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, i]))],
    ['long arrays', Array.from({ length: 70_000 }, (_, i) => i)],
    [
      'Maps with object keys and values',
      new Map<unknown, unknown>([
        [{ k: 1 }, { v: 2 }],
        ['s', 3],
      ]),
    ],
    ['Sets', new Set([1, 'a', 2n])],
    ['Dates', new Date(1_700_000_000_000)],
    ['invalid Dates', new Date(Number.NaN)],
    ['RegExps with flags', /ab+c/gi],
    ['Uint8Arrays', new Uint8Array([1, 2, 255])],
    ['large Uint8Arrays', new Uint8Array(100_000).fill(7)],
    ['Float64Arrays', new Float64Array([1.5, -2])],
    ['Int16Arrays', new Int16Array([-1, 300])],
    ['BigInt64Arrays', new BigInt64Array([1n, -1n])],
    ['DataViews', new DataView(new Uint8Array([1, 2, 3]).buffer)],
    ['ArrayBuffers', new Uint8Array([9, 8]).buffer],
  ])('keeps %s', (_label, value) => {
    const back = roundTrip(value);
    expect(back).toEqual(value);
    expect(Object.prototype.toString.call(back)).toBe(Object.prototype.toString.call(value));
  });

  it('sends a Buffer as a Uint8Array, a typed array view as its own bytes only', () => {
    const back = roundTrip(Buffer.from('abc'));
    expect(back).toBeInstanceOf(Uint8Array);
    expect(Buffer.isBuffer(back)).toBe(false);
    expect([...back]).toEqual([97, 98, 99]);
    const view = new Int32Array(new Int32Array([1, 2, 3, 4]).buffer, 4, 2);
    expect(roundTrip(view)).toEqual(new Int32Array([2, 3]));
  });

  it('sends class instances as plain objects of their own enumerable properties, boxed primitives as values', () => {
    class Point {
      readonly x: number;
      readonly y: number;
      constructor(x: number, y: number) {
        this.x = x;
        this.y = y;
      }
      get sum(): number {
        return this.x + this.y;
      }
    }
    const back = roundTrip({ point: new Point(1, 2), boxed: [Object(5), Object('s'), Object(true)] });
    expect(back).toEqual({ point: { x: 1, y: 2 }, boxed: [5, 's', true] });
    expect(Object.getPrototypeOf(back.point)).toBe(Object.prototype);
  });

  it('keeps built-in errors with their class, message, stack and cause; other names on an Error', () => {
    const error = new TypeError('bad', { cause: new RangeError('inner') });
    const back = roundTrip(error);
    expect(back).toBeInstanceOf(TypeError);
    expect(back.message).toBe('bad');
    expect(back.stack).toBe(error.stack);
    expect(back.cause).toBeInstanceOf(RangeError);
    class CustomError extends Error {
      override name = 'CustomError';
    }
    const custom = roundTrip(new CustomError('mine'));
    expect(custom).toBeInstanceOf(Error);
    expect(custom.name).toBe('CustomError');
  });

  it('keeps @ipc errors with their class, code and fields', () => {
    const short = roundTrip(new BufferTooShort('too short', { data: new Uint8Array([1, 2]) }));
    expect(short).toBeInstanceOf(BufferTooShort);
    expect(short.code).toBe('ERR_IPC_BUFFER_TOO_SHORT');
    expect(short.data).toEqual(new Uint8Array([1, 2]));
    const remote = roundTrip(new RemoteError('boom', { remoteName: 'KeyError', remoteStack: 'at x', cause: 'why' }));
    expect(remote).toBeInstanceOf(RemoteError);
    expect([remote.remoteName, remote.remoteStack, remote.cause]).toEqual(['KeyError', 'at x', 'why']);
    expect(roundTrip(new EOFError('end'))).toBeInstanceOf(EOFError);
  });

  it('sends trees: a shared reference arrives as two copies; holes arrive as undefined, -0 as 0', () => {
    const shared = { n: 1 };
    const back = roundTrip([shared, shared]);
    expect(back).toEqual([{ n: 1 }, { n: 1 }]);
    expect(back[0]).not.toBe(back[1]);
    const holed = [1, 2, 3];
    delete holed[1];
    expect(roundTrip(holed)).toEqual([1, undefined, 3]);
    expect(Object.is(roundTrip(-0), 0)).toBe(true);
    expect(Object.is(roundTrip([-0])[0], 0)).toBe(true);
  });

  it('encodes again from inside a getter (a nested encode gets a writer of its own)', () => {
    const outer = {
      list: [1],
      get inner() {
        return codec.decode(codec.encode({ nested: [2, 3] }));
      },
    };
    expect(roundTrip(outer)).toEqual({ list: [1], inner: { nested: [2, 3] } });
  });

  it('encodeScratch gives the bytes encode gives', () => {
    const own = new DataCodec();
    for (const value of [{ i: 1, s: 'x' }, [1, new Map([[1, 2]])], 'text']) {
      const { bytes: scratch, start, end } = own.encodeScratch(value);
      expect(scratch.slice(start, end)).toEqual(own.encode(value));
    }
  });
});

describe('data codec refusals, in the caller of encode', () => {
  it('refuses an @ipc shared-memory primitive, anywhere in the value, naming it', () => {
    const futex = new Futex(0);
    expect(() => codec.encode(futex)).toThrow(/cannot encode a shared ipc\.core\.Futex: .*Manager proxy/);
    expect(() => codec.encode({ deep: [{ futex }] })).toThrow(TypeError);
  });

  it('refuses shared memory, functions, symbols, promises, weak collections', () => {
    const shared = new SharedArrayBuffer(8);
    expect(() => codec.encode({ shared })).toThrow(/SharedArrayBuffer: shared memory cannot reach another process/);
    expect(() => codec.encode(new Int32Array(shared))).toThrow(/Int32Array over a SharedArrayBuffer/);
    expect(() => codec.encode({ callback: function named() {} })).toThrow(/cannot encode function named/);
    expect(() => codec.encode([Symbol('s')])).toThrow(/symbols cannot be sent/);
    expect(() => codec.encode(Promise.resolve(1))).toThrow(/Promise/);
    expect(() => codec.encode(new WeakMap())).toThrow(/WeakMap/);
    expect(() => codec.encode(new WeakRef({}))).toThrow(/WeakRef/);
  });

  it('refuses a cycle, and nesting deeper than 512 levels, with a TypeError', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = { back: cyclic };
    expect(() => codec.encode(cyclic)).toThrow(/cyclic/);
    let deep: unknown[] = [];
    for (let i = 0; i < 600; i++) deep = [deep];
    expect(() => codec.encode(deep)).toThrow(/nested more than 512 levels/);
  });
});

describe('data codec decoding of bytes from a peer', () => {
  const message = codec.encode({
    text: 'héllo',
    list: [1, -2, 3.5, 2n ** 70n, null, true],
    map: new Map([[1, new Set(['a'])]]),
    when: new Date(5),
    raw: new Uint16Array([1, 2]),
    error: new RangeError('r'),
  });

  it('throws a TypeError for every truncation of a message, and for bytes after it', () => {
    for (let length = 0; length < message.length; length++) {
      expect(() => codec.decode(message.subarray(0, length)), `${length} bytes`).toThrow(TypeError);
    }
    const longer = new Uint8Array(message.length + 1);
    longer.set(message);
    expect(() => codec.decode(longer)).toThrow(/1 byte\(s\) left after the value/);
  });

  it('refuses lengths past the end before allocating, unknown types and extensions', () => {
    expect(() => codec.decode(bytes(0xdd, 0xff, 0xff, 0xff, 0xff))).toThrow(/ends inside a value/);
    expect(() => codec.decode(bytes(0xdf, 0xff, 0xff, 0xff, 0xff))).toThrow(/ends inside a value/);
    expect(() => codec.decode(bytes(0xc6, 0x7f, 0xff, 0xff, 0xff, 1))).toThrow(/ends inside a value/);
    expect(() => codec.decode(bytes(0xc1))).toThrow(/0xc1 is not a MessagePack type/);
    expect(() => codec.decode(bytes(0xd4, 99, 0))).toThrow(/unknown extension type 99/);
  });

  it('bounds nesting: 100 000 nested arrays are a TypeError, not a stack overflow', () => {
    const nested = new Uint8Array(100_001).fill(0x91);
    nested[100_000] = 0xc0;
    expect(() => codec.decode(nested)).toThrow(/nests deeper than 512 levels/);
  });

  it('keeps a __proto__ key as an own property: no prototype is set or polluted', () => {
    // { "__proto__": { "polluted": 1 } } as a MessagePack map (as JSON.parse reads it).
    const hostile = bytes(0x81, 0xa9, ...Buffer.from('__proto__'), 0x81, 0xa8, ...Buffer.from('polluted'), 1);
    const back = codec.decode(hostile) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.hasOwn(back, '__proto__')).toBe(true);
    expect((back as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('looks up no class by a name from the message but the built-in errors and typed arrays', () => {
    const typed = (name: string) => {
      const payload = [name.length, ...Buffer.from(name), 0, 0, 0, 0];
      return bytes(0xc7, payload.length, 5, ...payload);
    };
    expect(() => codec.decode(typed('Function'))).toThrow(/no typed array class named "Function"/);
    expect(() => codec.decode(typed('Float64Array'))).toThrow(/4 bytes do not make a Float64Array/);
    expect(codec.decode(typed('Int32Array'))).toEqual(new Int32Array([0]));
    // An Error named `constructor` (Object.prototype.constructor must not be found): an Error with that name.
    const named = codec.decode(codec.encode(Object.assign(new Error('m'), { name: 'constructor' }))) as Error;
    expect(named).toBeInstanceOf(Error);
    expect(named.name).toBe('constructor');
  });

  it('rebuilds an @ipc error of an unknown code as a ProcessError keeping the code', () => {
    const error = codec.encode(new ProcessError('from a newer version'));
    const renamed = Buffer.from(error).toString('latin1').replace('ERR_IPC_PROCESS', 'ERR_IPC_FUTURES');
    const back = codec.decode(Buffer.from(renamed, 'latin1')) as ProcessError;
    expect(back).toBeInstanceOf(ProcessError);
    expect(back.code).toBe('ERR_IPC_FUTURES');
  });

  it('reads MessagePack from other writers: non-string map keys as a Map, 64-bit and float32 numbers', () => {
    expect(codec.decode(bytes(0x82, 0xa1, 0x61, 1, 0x02, 0xa1, 0x62))).toEqual(
      new Map<unknown, unknown>([
        ['a', 1],
        [2, 'b'],
      ]),
    );
    expect(codec.decode(bytes(0xcf, 0, 0, 0, 1, 0, 0, 0, 0))).toBe(2 ** 32);
    expect(codec.decode(bytes(0xd3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe))).toBe(-2);
    expect(codec.decode(bytes(0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff))).toBe(2n ** 64n - 1n);
    expect(codec.decode(bytes(0xca, 0x3f, 0xc0, 0, 0))).toBe(1.5);
  });

  it(`fuzz (seed ${SEED}): mutated and random bytes decode to a value or a TypeError, nothing else`, () => {
    const random = prng(SEED);
    const samples = [message, codec.encode({ i: 1, s: 'x' }), codec.encode([new Map([[{}, []]]), /x/g])];
    for (let round = 0; round < 20_000; round++) {
      let input: Uint8Array;
      if (round % 4 === 0) {
        input = Uint8Array.from({ length: Math.floor(random() * 40) }, () => Math.floor(random() * 256));
      } else {
        input = (samples[round % samples.length] as Uint8Array).slice();
        for (let flips = 1 + Math.floor(random() * 3); flips > 0; flips--) {
          input[Math.floor(random() * input.length)] = Math.floor(random() * 256);
        }
      }
      try {
        codec.decode(input);
      } catch (error) {
        expect(error, `round ${round}: ${Buffer.from(input).toString('hex')}`).toBeInstanceOf(TypeError);
      }
    }
  });
});

describe('data codec decoding of hostile bytes (review3)', () => {
  /** An ext 32 of `type` holding `body`. */
  const ext32 = (type: number, body: Uint8Array): Uint8Array => {
    const out = new Uint8Array(6 + body.length);
    out[0] = 0xc9;
    new DataView(out.buffer).setUint32(1, body.length);
    out[5] = type;
    out.set(body, 6);
    return out;
  };

  // Scenario: extensions that hold other extensions directly (MAP in MAP in MAP ...): each level must count
  // toward the nesting bound, or 100 000 levels (600 KB) overflow the stack with a RangeError.
  it('bounds nesting of extensions held directly by extensions: a TypeError, not a stack overflow', () => {
    let nested: Uint8Array = bytes(0x90);
    for (let level = 0; level < 100_000; level++) nested = ext32(3, nested);
    expect(() => codec.decode(nested)).toThrow(TypeError);
  });

  // Scenario: arrays nested 512 deep, each announcing as many items as there are bytes left (which the
  // length check allows), allocate 512 x that many slots before the nesting bound refuses the message.
  it('allocates memory in proportion to the message, not to its nesting times its announced lengths', async () => {
    const { getHeapStatistics } = await import('node:v8');
    const count = 30_000;
    const header = (n: number) => bytes(0xdd, n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
    const parts = Array.from({ length: 520 }, () => header(count));
    const message = new Uint8Array(Buffer.concat([...parts, new Uint8Array(count)]));
    const before = getHeapStatistics().total_heap_size;
    expect(() => codec.decode(message)).toThrow(/nests deeper than 512 levels/);
    const grown = getHeapStatistics().total_heap_size - before;
    // 33 KB of message: 512 arrays of 30 000 preallocated slots would be about 120 MB.
    expect(grown).toBeLessThan(40 * 1024 * 1024);
  });

  // Scenario: one big bigint (a 16 MiB magnitude) must decode in time linear in its bytes, with a small
  // constant: a byte-by-byte string concatenation blocks the event loop for seconds (a 64 MiB one: ~15 s).
  it('decodes a 16 MiB bigint quickly', () => {
    const magnitude = new Uint8Array(16 * 1024 * 1024).fill(0xab);
    const body = new Uint8Array(1 + magnitude.length);
    body.set(magnitude, 1);
    const started = performance.now();
    const value = codec.decode(ext32(1, body)) as bigint;
    expect(performance.now() - started).toBeLessThan(1500);
    expect(value & 0xffffn).toBe(0xababn);
  });

  // Scenario: a BIGINT extension of 0 bytes takes its sign byte from the next value: a malformed message is
  // read, and one byte counts twice.
  it('refuses a bigint extension without its sign byte', () => {
    expect(() => codec.decode(bytes(0x92, 0xc7, 0, 1, 0))).toThrow(TypeError);
  });
});

describe('data codec references', () => {
  class Remote {
    readonly id: number;
    constructor(id: number) {
      this.id = id;
    }
  }
  const references = {
    is: (value: object) => value instanceof Remote,
    write: (value: object) => (value as Remote).id,
    read: (data: unknown) => {
      if (typeof data !== 'number') throw new TypeError(`not a reference: ${String(data)}`);
      return new Remote(data);
    },
  };

  it('writes a reference as its data and reads it back with the codec that takes them', () => {
    const withReferences = new DataCodec({ references });
    const decoded = withReferences.decode(withReferences.encode({ inner: [new Remote(7)], n: 1 })) as {
      inner: Remote[];
      n: number;
    };
    expect(decoded.inner[0]).toBeInstanceOf(Remote);
    expect(decoded.inner[0]?.id).toBe(7);
    expect(decoded.n).toBe(1);
  });

  it('refuses a reference in a codec without references, and passes read errors on', () => {
    const withReferences = new DataCodec({ references });
    const bytes = withReferences.encode(new Remote(3));
    expect(() => codec.decode(bytes)).toThrow(/a reference, which this codec does not take/);
    const forged = withReferences.encode(new Remote(1)).map((byte, i, all) => (i === all.length - 1 ? 0xc0 : byte));
    expect(() => withReferences.decode(forged)).toThrow(/not a reference: null/);
  });
});
