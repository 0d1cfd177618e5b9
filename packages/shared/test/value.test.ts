import { structuredCodec } from '@ipc/core';
import { Process } from '@ipc/process';
import { type RawArray, RawValue, SharedArray, Value } from '@ipc/shared';
import { Lock, RLock } from '@ipc/sync';
import { describe, expect, it } from 'vitest';
import { joinAll, target } from './helpers.ts';

describe('RawValue and Value in one thread', () => {
  it('hold one number of their type, 0 by default; 64-bit codes are bigints', () => {
    expect(new RawValue('i').value).toBe(0);
    const d = new Value('d', 1.5);
    expect(d.value).toBe(1.5);
    d.value = 2.25;
    expect(d.getObj().value).toBe(2.25);
    const q = new RawValue('q', 5n);
    q.value = 2n ** 62n;
    expect(q.value).toBe(2n ** 62n);
    expect(new Value('int32', 7).typecode).toBe('int32');
  });

  it('wrap out-of-range integers as ctypes does, and refuse values of the wrong kind', () => {
    const b = new RawValue('b', 127);
    b.value = b.value + 1;
    expect(b.value).toBe(-128);
    expect(() => {
      b.value = 1.5;
    }).toThrow(TypeError);
    expect(() => new RawValue('x' as never)).toThrow(/unknown typecode "x": expected one of/);
    expect(() => new Value('i', '1' as never)).toThrow(TypeError);
  });

  it('Value: an RLock by default, a given Lock or RLock, and lock: false gives the raw value (as Python)', () => {
    expect(new Value('i').getLock()).toBeInstanceOf(RLock);
    const shared = new Lock();
    const a = new Value('i', 0, { lock: shared });
    const b = new Value('d', 0, { lock: shared });
    expect(a.getLock()).toBe(shared);
    expect(b.getLock()).toBe(shared);
    const raw = new Value('i', 3, { lock: false });
    expect(raw).toBeInstanceOf(RawValue);
    expect(raw.value).toBe(3);
    expect(() => new Value('i', 0, { lock: {} as never })).toThrow(TypeError);
  });

  it('atomic helpers for integer types; TypeError for floats', () => {
    const n = new RawValue('i', 10);
    expect(n.add(5)).toBe(10);
    expect(n.sub(3)).toBe(15);
    expect(n.compareExchange(12, 40)).toBe(12);
    expect(n.exchange(1)).toBe(40);
    n.store(9);
    expect(n.load()).toBe(9);
    const big = new RawValue('Q', 1n);
    expect(big.add(2n)).toBe(1n);
    expect(big.value).toBe(3n);
    expect(() => new RawValue('d').add(1)).toThrow(/integer type/);
  });
});

describe('inside messages', () => {
  it('a Value, a SharedArray and their raw objects inside a message arrive live (the same objects here)', () => {
    const value = new Value('i', 1);
    const arr = new SharedArray('d', [1, 2]);
    const back = structuredCodec.decode(structuredCodec.encode({ value, arr, raw: arr.getObj() })) as {
      value: Value<'i'>;
      arr: SharedArray<'d'>;
      raw: RawArray<'d'>;
    };
    expect(back.value).toBe(value);
    expect(back.arr).toBe(arr);
    expect(back.raw).toBe(arr.getObj());
  });
});

describe('Value across workers', () => {
  it('8 workers x 1000 increments under getLock() end at exactly 8000; with the atomic helper too', async () => {
    const locked = new Value('i', 0);
    const atomic = new RawValue('i', 0);
    const workers = [
      ...Array.from({ length: 8 }, () => new Process({ target: target('incrementLocked'), args: [locked, 1000] })),
      ...Array.from({ length: 8 }, () => new Process({ target: target('incrementAtomic'), args: [atomic, 1000] })),
    ];
    for (const w of workers) w.start();
    expect(await joinAll(workers)).toEqual(Array(16).fill(0));
    expect(locked.value).toBe(8000);
    expect(atomic.value).toBe(8000);
  });
});
