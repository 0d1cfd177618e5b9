import { ArrayProxy, Manager, NamespaceProxy, ValueProxy } from '@ipc/manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withGuard } from './helpers.ts';
import { callsInWorker, valuesOf } from './proxy-helpers.ts';

let manager: Manager;
beforeAll(async () => {
  manager = await withGuard(Manager.start(), 'Manager.start()');
});
afterAll(async () => {
  await withGuard(manager.shutdown(), 'manager.shutdown()');
});

describe('NamespaceProxy (Python managers.Namespace)', () => {
  it('get (with a fallback), set, has, delete, toObject; made from a plain object', async () => {
    const ns = await manager.Namespace({ x: 1, list: [1, 2] });
    expect(ns).toBeInstanceOf(NamespaceProxy);
    expect(await ns.get('x')).toBe(1);
    expect(await ns.get('list')).toEqual([1, 2]);
    expect(await ns.get('missing')).toBeUndefined();
    expect(await ns.get('missing', 'fallback')).toBe('fallback');
    await ns.set('y', { deep: new Map([[1, 'one']]) });
    await ns.set('x', 2);
    expect(await ns.has('y')).toBe(true);
    expect(await ns.has('z')).toBe(false);
    expect(await ns.toObject()).toEqual({ x: 2, list: [1, 2], y: { deep: new Map([[1, 'one']]) } });
    expect(await ns.delete('x')).toBe(true);
    expect(await ns.delete('x')).toBe(false);
    expect(await ns.has('x')).toBe(false);
    expect(Object.keys(await ns.toObject())).toEqual(['list', 'y']);
  });

  it("'__proto__' is an attribute like any other, never the prototype of toObject()'s object", async () => {
    const ns = await manager.Namespace();
    await ns.set('__proto__', { polluted: true });
    expect(await ns.get('__proto__')).toEqual({ polluted: true });
    const object = await ns.toObject();
    expect(Object.getPrototypeOf(object)).toBe(Object.prototype);
    expect(Object.keys(object)).toEqual(['__proto__']);
    expect((object as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('a name that is not a string is a TypeError', async () => {
    const ns = await manager.Namespace();
    await expect(ns.set(1 as never, 'x')).rejects.toThrow(TypeError);
    await expect(ns.get({} as never)).rejects.toThrow(TypeError);
    await expect(ns.has(null as never)).rejects.toThrow(TypeError);
    await expect(ns.delete(undefined as never)).rejects.toThrow(TypeError);
    expect(await ns.toObject()).toEqual({});
  });

  it('a worker reads and changes the same attributes', async () => {
    const ns = await manager.Namespace({ shared: 'from main' });
    const outcomes = await callsInWorker(manager, ns, [
      ['get', ['shared']],
      ['set', ['fromWorker', [1, { two: 2 }]]],
      ['has', ['fromWorker']],
      ['delete', ['shared']],
      ['get', ['shared', 'deleted']],
      ['toObject'],
    ]);
    expect(valuesOf(outcomes)).toEqual([
      'from main',
      undefined,
      true,
      true,
      'deleted',
      { fromWorker: [1, { two: 2 }] },
    ]);
    expect(await ns.toObject()).toEqual({ fromWorker: [1, { two: 2 }] });
  });
});

describe('ValueProxy (Python managers.Value)', () => {
  it("'i' stores as an Int32Array does: wraps; a fraction or a non-number is a TypeError and changes nothing", async () => {
    const v = await manager.Value('i', 5);
    expect(v).toBeInstanceOf(ValueProxy);
    expect(await v.get()).toBe(5);
    await v.set(2 ** 31);
    expect(await v.get()).toBe(-(2 ** 31));
    await v.set(2 ** 32 + 3);
    expect(await v.get()).toBe(3);
    await v.set(-1);
    expect(await v.get()).toBe(-1);
    await expect(v.set(1.5)).rejects.toThrow(TypeError);
    await expect(v.set('7' as never)).rejects.toThrow(TypeError);
    await expect(v.set(7n as never)).rejects.toThrow(TypeError);
    expect(await v.get()).toBe(-1);
    await expect(manager.Value('i', 0.5)).rejects.toThrow(TypeError);
  });

  it('other numeric codes: unsigned and 8-bit wrap, floats round as their array, defaults are zero', async () => {
    expect(await (await manager.Value('B', 256 + 7)).get()).toBe(7);
    expect(await (await manager.Value('b', 128)).get()).toBe(-128);
    expect(await (await manager.Value('H', -1)).get()).toBe(0xffff);
    expect(await (await manager.Value('f', 0.1)).get()).toBe(Math.fround(0.1));
    expect(await (await manager.Value('d', 0.1)).get()).toBe(0.1);
    expect(await (await manager.Value('int32')).get()).toBe(0);
    expect(await (await manager.Value('d')).get()).toBe(0);
    await expect(manager.Value('x' as never, 1)).rejects.toThrow(TypeError);
  });

  it('64-bit codes hold bigints: a safe integer is converted, wrapping as BigInt64Array, a fraction is a TypeError', async () => {
    const q = await manager.Value<bigint>('q', 5n);
    expect(await q.get()).toBe(5n);
    await q.set(7 as never);
    expect(await q.get()).toBe(7n);
    await q.set(2n ** 63n);
    expect(await q.get()).toBe(-(2n ** 63n));
    await expect(q.set(1.5 as never)).rejects.toThrow(TypeError);
    await expect(q.set((2 ** 60) as never)).rejects.toThrow(TypeError);
    expect(await q.get()).toBe(-(2n ** 63n));
    expect(await (await manager.Value('Q', -1n)).get()).toBe(2n ** 64n - 1n);
    expect(await (await manager.Value('q')).get()).toBe(0n);
  });

  it("'any' holds any data (null by default), as Python's managed Value", async () => {
    const v = await manager.Value<unknown>('any');
    expect(await v.get()).toBeNull();
    const data = { s: 'x', list: [1, 2n, null], map: new Map([['k', new Set([1])]]), when: new Date(0) };
    await v.set(data);
    expect(await v.get()).toEqual(data);
    await v.set(1.5);
    expect(await v.get()).toBe(1.5);
  });

  it('a worker gets and sets the same Value', async () => {
    const v = await manager.Value('i', 41);
    const outcomes = await callsInWorker(manager, v, [['get'], ['set', [42]], ['get'], ['set', [0.5]], ['get']]);
    expect(valuesOf(outcomes.slice(0, 3))).toEqual([41, undefined, 42]);
    expect(outcomes[3]).toEqual({ error: expect.objectContaining({ name: 'TypeError' }) });
    expect(outcomes[4]).toEqual({ value: 42 });
    expect(await v.get()).toBe(42);
  });
});

describe('ArrayProxy (Python managers.Array)', () => {
  it('len/get/set/slice/toArray with Python indices; out of range is a RangeError', async () => {
    const a = await manager.Array('i', [1, 2, 3, 4]);
    expect(a).toBeInstanceOf(ArrayProxy);
    expect(await a.len()).toBe(4);
    expect(await a.get(0)).toBe(1);
    expect(await a.get(-1)).toBe(4);
    expect(await a.get(-4)).toBe(1);
    await expect(a.get(4)).rejects.toThrow(RangeError);
    await expect(a.get(-5)).rejects.toThrow(RangeError);
    await a.set(-1, 40);
    await expect(a.set(4, 0)).rejects.toThrow(RangeError);
    expect(await a.toArray()).toEqual([1, 2, 3, 40]);
    expect(await a.slice()).toEqual([1, 2, 3, 40]);
    expect(await a.slice(1)).toEqual([2, 3, 40]);
    expect(await a.slice(-3, -1)).toEqual([2, 3]);
    expect(await a.slice(3, 1)).toEqual([]);
    expect(await a.slice(-100, 100)).toEqual([1, 2, 3, 40]);
    await expect(a.get(0.5)).rejects.toThrow(TypeError);
  });

  it('values are checked for the typecode: wraps, fractions and strings are a TypeError, the array unchanged', async () => {
    const a = await manager.Array('i', 2);
    expect(await a.toArray()).toEqual([0, 0]);
    await a.set(0, 2 ** 31 + 1);
    expect(await a.get(0)).toBe(-(2 ** 31) + 1);
    await expect(a.set(1, 1.5)).rejects.toThrow(TypeError);
    await expect(a.set(1, '1' as never)).rejects.toThrow(TypeError);
    expect(await a.toArray()).toEqual([-(2 ** 31) + 1, 0]);
    const d = await manager.Array('d', [0.5, 1]);
    await d.set(1, 0.25);
    expect(await d.toArray()).toEqual([0.5, 0.25]);
    const q = await manager.Array('q', [1n, 2 as never]);
    expect(await q.toArray()).toEqual([1n, 2n]);
    expect(await q.slice(-1)).toEqual([2n]);
    await expect(manager.Array('x' as never, 1)).rejects.toThrow(TypeError);
    await expect(manager.Array('i', [1, 1.5])).rejects.toThrow(TypeError);
    await expect(manager.Array('i', -1)).rejects.toThrow(RangeError);
    await expect(manager.Array('i', 1.5)).rejects.toThrow(TypeError);
  });

  it('a worker uses every method on the same Array', async () => {
    const a = await manager.Array('d', [1, 2, 3]);
    const outcomes = await callsInWorker(manager, a, [
      ['len'],
      ['get', [-1]],
      ['set', [0, 0.5]],
      ['slice', [0, 2]],
      ['toArray'],
      ['get', [3]],
    ]);
    expect(valuesOf(outcomes.slice(0, 5))).toEqual([3, 3, undefined, [0.5, 2], [0.5, 2, 3]]);
    expect(outcomes[5]).toEqual({ error: expect.objectContaining({ name: 'RangeError' }) });
    expect(await a.toArray()).toEqual([0.5, 2, 3]);
  });
});
