import { DictProxy, InvalidStateError, ListProxy, Manager, RemoteError } from '@ipc/manager';
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

/** Expects `promise` to reject with a RemoteError for Python's `remoteName` (KeyError...). */
async function expectRemote(promise: Promise<unknown>, remoteName: string): Promise<RemoteError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RemoteError);
  expect((error as RemoteError).remoteName).toBe(remoteName);
  return error as RemoteError;
}

describe('DictProxy (Python dict)', () => {
  it('get/set/has/delete: missing keys give undefined or the fallback, delete says whether it was there', async () => {
    const d = await manager.dict<string, unknown>();
    expect(d).toBeInstanceOf(DictProxy);
    expect(await d.get('a')).toBeUndefined();
    expect(await d.get('a', 'fallback')).toBe('fallback');
    await d.set('a', { nested: [1, 2] });
    expect(await d.get('a')).toEqual({ nested: [1, 2] });
    expect(await d.get('a', 'fallback')).toEqual({ nested: [1, 2] });
    // A stored null is a value, not a missing key (Python: d.get(k, 5) is None when d[k] is None).
    await d.set('n', null);
    expect(await d.get('n', 5)).toBeNull();
    expect(await d.has('a')).toBe(true);
    expect(await d.has('zz')).toBe(false);
    expect(await d.delete('a')).toBe(true);
    expect(await d.delete('a')).toBe(false);
    expect(await d.has('a')).toBe(false);
    expect(await d.len()).toBe(1);
  });

  it('keys/values/items/len keep insertion order; overwriting keeps a key in its place', async () => {
    const d = await manager.dict<string, number>([
      ['x', 1],
      ['y', 2],
      ['z', 3],
    ]);
    await d.set('x', 10);
    expect(await d.keys()).toEqual(['x', 'y', 'z']);
    expect(await d.values()).toEqual([10, 2, 3]);
    expect(await d.items()).toEqual([
      ['x', 10],
      ['y', 2],
      ['z', 3],
    ]);
    expect(await d.len()).toBe(3);
  });

  it('pop: the value, or the fallback (even undefined), or KeyError naming the key', async () => {
    const d = await manager.dict<string, number>({ a: 1 });
    expect(await d.pop('a')).toBe(1);
    expect(await d.has('a')).toBe(false);
    expect(await d.pop('a', 7)).toBe(7);
    expect(await d.pop('a', undefined)).toBeUndefined();
    const error = await expectRemote(d.pop('a'), 'KeyError');
    expect(error.message).toContain('"a"');
    expect(await d.len()).toBe(0);
  });

  it('popitem: last in, first out; KeyError when empty', async () => {
    const d = await manager.dict<string, number>({ a: 1, b: 2 });
    await d.set('c', 3);
    expect(await d.popitem()).toEqual(['c', 3]);
    expect(await d.popitem()).toEqual(['b', 2]);
    expect(await d.popitem()).toEqual(['a', 1]);
    await expectRemote(d.popitem(), 'KeyError');
  });

  it('setdefault sets only a missing key and returns the stored value', async () => {
    const d = await manager.dict<string, unknown>({ a: 1 });
    expect(await d.setdefault('a', 99)).toBe(1);
    expect(await d.setdefault('b', [5])).toEqual([5]);
    expect(await d.setdefault('b', 'other')).toEqual([5]);
    expect(await d.items()).toEqual([
      ['a', 1],
      ['b', [5]],
    ]);
  });

  it('update takes a Map, [key, value] pairs or a plain object; a bad argument is a TypeError', async () => {
    const d = await manager.dict<string | number, unknown>();
    await d.update(
      new Map<number, string>([
        [1, 'one'],
        [2, 'two'],
      ]),
    );
    await d.update([
      ['p', true],
      [1, 'uno'],
    ]);
    await d.update({ o: null });
    expect(await d.items()).toEqual([
      [1, 'uno'],
      [2, 'two'],
      ['p', true],
      ['o', null],
    ]);
    await expect(d.update([['only-key']] as never)).rejects.toThrow(TypeError);
    await expect(d.update(new Set([1]) as never)).rejects.toThrow(TypeError);
    expect(await d.len()).toBe(4);
  });

  it('clear empties it; copy is a Map whose keys keep their types (0.25 vs "0.25", 2 vs "2")', async () => {
    const d = await manager.dict<string | number | bigint | boolean | null, string>();
    await d.set(2, 'number two');
    await d.set('2', 'string two');
    await d.set(0.25, 'quarter');
    await d.set('0.25', 'string quarter');
    await d.set(5n, 'bigint');
    await d.set(null, 'null');
    const copy = await d.copy();
    expect(copy).toBeInstanceOf(Map);
    expect(copy.size).toBe(6);
    expect(copy.get(2)).toBe('number two');
    expect(copy.get('2')).toBe('string two');
    expect(copy.get(0.25)).toBe('quarter');
    expect(copy.get('0.25')).toBe('string quarter');
    expect(copy.get(5n)).toBe('bigint');
    expect(copy.get(null)).toBe('null');
    // The copy is a snapshot: changing it or the dict leaves the other alone.
    copy.set('local', 'x');
    await d.set('remote', 'y');
    expect(await d.has('local')).toBe(false);
    expect(copy.has('remote')).toBe(false);
    await d.clear();
    expect(await d.len()).toBe(0);
    expect(await d.keys()).toEqual([]);
  });

  it('object keys are a TypeError (they would be compared by identity), in every method that takes a key', async () => {
    const d = await manager.dict();
    const objectKey = { a: 1 } as never;
    await expect(d.set(objectKey, 1)).rejects.toThrow(TypeError);
    await expect(d.get(objectKey)).rejects.toThrow(TypeError);
    await expect(d.has([1, 2] as never)).rejects.toThrow(TypeError);
    await expect(d.delete(objectKey)).rejects.toThrow(TypeError);
    await expect(d.pop(objectKey, 0)).rejects.toThrow(TypeError);
    await expect(d.setdefault(objectKey, 1)).rejects.toThrow(TypeError);
    await expect(d.update(new Map([[objectKey, 1]]))).rejects.toThrow(TypeError);
    await expect(manager.dict(new Map([[objectKey, 1]]))).rejects.toThrow(TypeError);
    expect(await d.len()).toBe(0);
  });

  it('every method works the same from a worker thread, and the main thread sees its changes', async () => {
    const d = await manager.dict<string | number, unknown>({ keep: 'me' });
    const outcomes = await callsInWorker(manager, d, [
      ['set', ['a', 1]],
      ['set', [0.25, 'quarter']],
      ['get', ['a']],
      ['get', ['missing', 'fallback']],
      ['has', ['a']],
      ['delete', ['missing']],
      ['setdefault', ['s', [1]]],
      ['update', [{ u: 'pdated' }]],
      ['keys'],
      ['values'],
      ['items'],
      ['len'],
      ['pop', ['a']],
      ['pop', ['a', 'gone']],
      ['pop', ['a']],
      ['popitem'],
      ['copy'],
    ]);
    const values = valuesOf(outcomes.slice(0, 14));
    expect(values).toEqual([
      undefined,
      undefined,
      1,
      'fallback',
      true,
      false,
      [1],
      undefined,
      ['keep', 'a', 0.25, 's', 'u'],
      ['me', 1, 'quarter', [1], 'pdated'],
      [
        ['keep', 'me'],
        ['a', 1],
        [0.25, 'quarter'],
        ['s', [1]],
        ['u', 'pdated'],
      ],
      5,
      1,
      'gone',
    ]);
    expect(outcomes[14]).toEqual({ error: expect.objectContaining({ name: 'RemoteError', remoteName: 'KeyError' }) });
    expect(outcomes[15]).toEqual({ value: ['u', 'pdated'] });
    const copy = (outcomes[16] as { value: Map<unknown, unknown> }).value;
    expect(copy).toBeInstanceOf(Map);
    expect([...copy]).toEqual([
      ['keep', 'me'],
      [0.25, 'quarter'],
      ['s', [1]],
    ]);
    expect(await d.copy()).toEqual(copy);
    expect(valuesOf(await callsInWorker(manager, d, [['clear'], ['len']]))).toEqual([undefined, 0]);
    expect(await d.len()).toBe(0);
  });

  it('a value that cannot be sent is a TypeError in the caller, and nothing changes', async () => {
    const d = await manager.dict<string, unknown>();
    await expect(d.set('f', () => 1)).rejects.toThrow(TypeError);
    await expect(d.set('s', Symbol('s'))).rejects.toThrow(TypeError);
    await expect(d.update({ f: () => 1 })).rejects.toThrow(TypeError);
    expect(await d.len()).toBe(0);
  });

  it('callMethod reaches only the served methods: anything else is a RemoteError (AttributeError)', async () => {
    const d = await manager.dict();
    for (const name of ['constructor', '__proto__', 'toString', 'nope']) {
      await expectRemote(d.callMethod(name), 'AttributeError');
    }
    expect(await d.callMethod('len')).toBe(0);
  });
});

describe('ListProxy (Python list)', () => {
  it('get/set/delete take negative indices; out of range is a RangeError and changes nothing', async () => {
    const l = await manager.list<string>(['a', 'b', 'c']);
    expect(l).toBeInstanceOf(ListProxy);
    expect(await l.get(0)).toBe('a');
    expect(await l.get(-1)).toBe('c');
    expect(await l.get(-3)).toBe('a');
    await expect(l.get(3)).rejects.toThrow(RangeError);
    await expect(l.get(-4)).rejects.toThrow(RangeError);
    await l.set(-1, 'C');
    await l.set(0, 'A');
    await expect(l.set(3, 'x')).rejects.toThrow(RangeError);
    await expect(l.set(-4, 'x')).rejects.toThrow(RangeError);
    expect(await l.copy()).toEqual(['A', 'b', 'C']);
    await l.delete(-2);
    expect(await l.copy()).toEqual(['A', 'C']);
    await expect(l.delete(2)).rejects.toThrow(RangeError);
    await expect(l.delete(-3)).rejects.toThrow(RangeError);
    await expect(l.get(1.5)).rejects.toThrow(TypeError);
    expect(await l.copy()).toEqual(['A', 'C']);
  });

  it('append, extend (an array or a Set), insert clamped as Python', async () => {
    const l = await manager.list<unknown>([0, 1, 2]);
    await l.append([3]);
    await l.extend([4, 5]);
    await l.extend(new Set([6]) as never);
    expect(await l.copy()).toEqual([0, 1, 2, [3], 4, 5, 6]);
    const m = await manager.list<string | number>([0, 1, 2]);
    // Python: l.insert(-1,'x'); l.insert(100,'end'); l.insert(-100,'start') → ['start', 0, 1, 'x', 2, 'end']
    await m.insert(-1, 'x');
    await m.insert(100, 'end');
    await m.insert(-100, 'start');
    expect(await m.copy()).toEqual(['start', 0, 1, 'x', 2, 'end']);
    await m.insert(2, 'two');
    expect(await m.get(2)).toBe('two');
    await expect(l.extend(5 as never)).rejects.toThrow(TypeError);
  });

  it('pop: the last by default, or at an index (negative too); empty or out of range is a RangeError', async () => {
    const l = await manager.list<number>([10, 20, 30, 40]);
    expect(await l.pop()).toBe(40);
    expect(await l.pop(0)).toBe(10);
    expect(await l.pop(-1)).toBe(30);
    await expect(l.pop(1)).rejects.toThrow(RangeError);
    expect(await l.pop()).toBe(20);
    await expect(l.pop()).rejects.toThrow(/empty/);
    await expect(l.pop(0)).rejects.toThrow(RangeError);
  });

  it('remove takes the first deep-equal item out; a missing one is a RangeError', async () => {
    const l = await manager.list<unknown>([{ a: 1 }, [1, 2], 'x', [1, 2], 3]);
    await l.remove([1, 2]);
    expect(await l.copy()).toEqual([{ a: 1 }, 'x', [1, 2], 3]);
    await l.remove({ a: 1 });
    expect(await l.copy()).toEqual(['x', [1, 2], 3]);
    await expect(l.remove({ a: 1 })).rejects.toThrow(RangeError);
    await expect(l.remove('3')).rejects.toThrow(RangeError);
    expect(await l.copy()).toEqual(['x', [1, 2], 3]);
  });

  it('index looks in start..stop with Python bounds; count and has compare deeply', async () => {
    const l = await manager.list<unknown>([1, 2, 3, 2, { k: [1] }]);
    expect(await l.index(2)).toBe(1);
    expect(await l.index(2, 2)).toBe(3);
    expect(await l.index(2, -3)).toBe(3);
    expect(await l.index({ k: [1] })).toBe(4);
    await expect(l.index(2, 2, 3)).rejects.toThrow(RangeError);
    await expect(l.index(2, 4)).rejects.toThrow(RangeError);
    await expect(l.index(1, 1, -1)).rejects.toThrow(RangeError);
    expect(await l.index(1, -100, 100)).toBe(0);
    expect(await l.count(2)).toBe(2);
    expect(await l.count({ k: [1] })).toBe(1);
    expect(await l.count('2')).toBe(0);
    expect(await l.has({ k: [1] })).toBe(true);
    expect(await l.has({ k: [2] })).toBe(false);
    expect(await l.has(3)).toBe(true);
  });

  it('reverse, sort (numbers, strings, arrays), sort({ reverse }), len', async () => {
    const l = await manager.list<number>([3, 1, 2, -5, 0.5]);
    await l.reverse();
    expect(await l.copy()).toEqual([0.5, -5, 2, 1, 3]);
    await l.sort();
    expect(await l.copy()).toEqual([-5, 0.5, 1, 2, 3]);
    await l.sort({ reverse: true });
    expect(await l.copy()).toEqual([3, 2, 1, 0.5, -5]);
    expect(await l.len()).toBe(5);
    const s = await manager.list(['b', 'B', 'a', 'ab']);
    await s.sort();
    expect(await s.copy()).toEqual(['B', 'a', 'ab', 'b']);
    const arrays = await manager.list([[2], [1, 5], [1], []]);
    await arrays.sort();
    expect(await arrays.copy()).toEqual([[], [1], [1, 5], [2]]);
  });

  it('sort({ reverse: true }) keeps equal items in their order, as Python (reverse=True is stable)', async () => {
    // Python: l = [1, True, 0]; l.sort(reverse=True) → [1, True, 0]
    const l = await manager.list<number | boolean>([1, true, 0]);
    await l.sort({ reverse: true });
    expect(await l.copy()).toEqual([1, true, 0]);
    const pairs = await manager.list([[1], [0], [1n]]);
    await pairs.sort({ reverse: true });
    expect(await pairs.copy()).toEqual([[1], [1n], [0]]);
  });

  it('sort orders strings by code point, as Python (U+FFFF before an astral character)', async () => {
    // Python: sorted(['\U0001F600', '\uffff', 'a']) → ['a', '\uffff', '\U0001F600']
    const l = await manager.list(['\u{1F600}', '\uffff', 'a']);
    await l.sort();
    expect(await l.copy()).toEqual(['a', '\uffff', '\u{1F600}']);
  });

  it('sort of items Python cannot compare is a TypeError and leaves the list unchanged', async () => {
    const l = await manager.list<unknown>([3, 'a', 1]);
    await expect(l.sort()).rejects.toThrow(TypeError);
    expect(await l.copy()).toEqual([3, 'a', 1]);
    const nulls = await manager.list<unknown>([null, null]);
    await expect(nulls.sort()).rejects.toThrow(TypeError);
    const objects = await manager.list<unknown>([{ a: 1 }, { a: 0 }]);
    await expect(objects.sort({ reverse: true })).rejects.toThrow(TypeError);
    expect(await objects.copy()).toEqual([{ a: 1 }, { a: 0 }]);
  });

  it('slice follows Python bounds; copy is a snapshot; clear empties it', async () => {
    const l = await manager.list([0, 1, 2, 3, 4]);
    // Python: l[-2:], l[1:-1], l[10:], l[-10:2], l[3:1] → [3, 4] [1, 2, 3] [] [0, 1] []
    expect(await l.slice(-2)).toEqual([3, 4]);
    expect(await l.slice(1, -1)).toEqual([1, 2, 3]);
    expect(await l.slice(10)).toEqual([]);
    expect(await l.slice(-10, 2)).toEqual([0, 1]);
    expect(await l.slice(3, 1)).toEqual([]);
    expect(await l.slice()).toEqual([0, 1, 2, 3, 4]);
    expect(await l.slice(undefined, 2)).toEqual([0, 1]);
    const copy = await l.copy();
    copy.push(5);
    expect(await l.len()).toBe(5);
    await l.clear();
    expect(await l.copy()).toEqual([]);
    expect(await l.len()).toBe(0);
    expect(copy).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('every method works the same from a worker thread, and the main thread sees its changes', async () => {
    const l = await manager.list<unknown>([5, 3]);
    const outcomes = await callsInWorker(manager, l, [
      ['append', [4]],
      ['extend', [[1, 2]]],
      ['insert', [-100, 0]],
      ['get', [-1]],
      ['set', [-1, 20]],
      ['delete', [1]],
      ['len'],
      ['index', [4]],
      ['count', [20]],
      ['has', [3]],
      ['remove', [3]],
      ['sort'],
      ['reverse'],
      ['slice', [1, -1]],
      ['pop'],
      ['pop', [0]],
      ['copy'],
      ['get', [10]],
      ['remove', ['absent']],
      ['sort', [{ reverse: true }]],
    ]);
    expect(valuesOf(outcomes.slice(0, 17))).toEqual([
      undefined,
      undefined,
      undefined,
      2,
      undefined,
      undefined,
      5,
      2,
      1,
      true,
      undefined,
      undefined,
      undefined,
      [4, 1],
      0,
      20,
      [4, 1],
    ]);
    expect(outcomes[17]).toEqual({ error: expect.objectContaining({ name: 'RangeError' }) });
    expect(outcomes[18]).toEqual({ error: expect.objectContaining({ name: 'RangeError' }) });
    expect(outcomes[19]).toEqual({ value: undefined });
    expect(await l.copy()).toEqual([4, 1]);
    await l.clear();
    expect(valuesOf(await callsInWorker(manager, l, [['len'], ['copy']]))).toEqual([0, []]);
  });
});

describe("after the manager shut down (last: it shuts down this file's manager)", () => {
  // Also for a call with nothing else in flight (its reply was awaited synchronously, and EOF came instead).
  it('a proxy call rejects with InvalidStateError, every time', async () => {
    const d = await manager.dict();
    await withGuard(manager.shutdown(), 'manager.shutdown()');
    for (let i = 0; i < 2; i++)
      await expect(withGuard(d.len(), 'a call after shutdown')).rejects.toThrow(InvalidStateError);
    await expect(manager.dict()).rejects.toThrow(InvalidStateError);
  });
});
