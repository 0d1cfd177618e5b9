import { Process } from '@ipc/process';
import { Array as IpcArray, RawArray, SharedArray } from '@ipc/shared';
import { RLock } from '@ipc/sync';
import { describe, expect, it } from 'vitest';
import { joinAll, target } from './helpers.ts';

describe('RawArray and SharedArray in one thread', () => {
  it('hold a size of zeros or the given elements; get/set (negative from the end), slice, iteration', () => {
    const zeros = new RawArray('i', 4);
    expect(zeros.toArray()).toEqual([0, 0, 0, 0]);
    const arr = new SharedArray('d', [1.5, 2.5, 3.5]);
    expect(arr.length).toBe(3);
    arr.set(-1, 9);
    expect(arr.get(2)).toBe(9);
    expect(arr.slice(1)).toEqual([2.5, 9]);
    expect([...arr]).toEqual([1.5, 2.5, 9]);
    expect(arr.raw).toBeInstanceOf(Float64Array);
    expect(arr.getLock()).toBeInstanceOf(RLock);
    expect(arr.getObj()).toBeInstanceOf(RawArray);
    expect(IpcArray).toBe(SharedArray);
    expect(new RawArray('q', [1n, 2n]).toArray()).toEqual([1n, 2n]);
  });

  it('bad input: RangeError outside the array or for a negative size, TypeError for the wrong kind', () => {
    const arr = new RawArray('i', 2);
    expect(() => arr.get(2)).toThrow(RangeError);
    expect(() => arr.set(-3, 1)).toThrow(RangeError);
    expect(() => arr.get(0.5)).toThrow(TypeError);
    expect(() => new RawArray('i', -1)).toThrow(RangeError);
    expect(() => new RawArray('i', 1.5)).toThrow(/integer/);
    expect(() => new RawArray('i', [1, 'x'] as never)).toThrow(/element 1/);
    expect(() => new RawArray('z' as never, 1)).toThrow(/unknown typecode/);
    expect(new SharedArray('i', 2, { lock: false })).toBeInstanceOf(RawArray);
    expect(() => new SharedArray('i', 1, { lock: {} as never })).toThrow(TypeError);
  });

  it("'c' arrays: value is the bytes up to the first 0; writing a shorter value ends it with a 0", () => {
    const text = new SharedArray('c', new TextEncoder().encode('hello'));
    expect(new TextDecoder().decode(text.value)).toBe('hello');
    text.value = new TextEncoder().encode('hi');
    expect(new TextDecoder().decode(text.value)).toBe('hi');
    expect([...text.raw]).toEqual([104, 105, 0, 108, 111]);
    expect(() => {
      text.value = new Uint8Array(6);
    }).toThrow(RangeError);
    expect(() => new RawArray('i', 1).value).toThrow(TypeError);
  });
});

describe('SharedArray across workers', () => {
  it('a child doubles the elements in place: the main sees it', async () => {
    const arr = new SharedArray('i', [1, 2, 3, 4]);
    const child = new Process({ target: target('doubleAll'), args: [arr] });
    child.start();
    expect(await joinAll([child])).toEqual([0]);
    expect(arr.toArray()).toEqual([2, 4, 6, 8]);
  });
});
