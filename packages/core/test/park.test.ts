import { describe, expect, it } from 'vitest';
import { deadlineAfter, type ParkingSpot, parkUntil, parkUntilSync, wakeParked } from '../src/index.ts';

function spot(): ParkingSpot {
  return { i32: new Int32Array(new SharedArrayBuffer(8)), valueIndex: 0, waitersIndex: 1 };
}

describe('parking', () => {
  it('returns the attempt result without parking when it succeeds at once', () => {
    const s = spot();
    expect(parkUntilSync(s, () => 'done', { deadline: deadlineAfter(1000) })).toBe('done');
    expect(Atomics.load(s.i32, s.waitersIndex)).toBe(0);
  });

  it('does not notify when nobody is parked', () => {
    const s = spot();
    Atomics.store(s.i32, s.valueIndex, 1);
    expect(wakeParked(s)).toBe(0);
  });

  it('counts a parked waiter, and the wake reaches it', async () => {
    const s = spot();
    const parked = parkUntil(s, () => (Atomics.load(s.i32, s.valueIndex) === 1 ? 'woke' : undefined), {
      deadline: deadlineAfter(5000),
      spin: 0,
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(Atomics.load(s.i32, s.waitersIndex)).toBe(1);
    Atomics.store(s.i32, s.valueIndex, 1);
    expect(wakeParked(s)).toBe(1);
    expect(await parked).toBe('woke');
    expect(Atomics.load(s.i32, s.waitersIndex)).toBe(0);
  });

  it('re-runs the attempt every pollMs even without a wake-up', async () => {
    const s = spot();
    let attempts = 0;
    const result = await parkUntil(s, () => (++attempts >= 4 ? attempts : undefined), {
      deadline: deadlineAfter(5000),
      pollMs: 10,
      spin: 0,
    });
    expect(result).toBe(4);
  });

  it('absorbs spurious wake-ups and still honours the deadline', () => {
    const s = spot();
    const start = performance.now();
    const result = parkUntilSync(s, () => undefined, { deadline: deadlineAfter(100), pollMs: 7 });
    expect(result).toBeUndefined();
    expect(performance.now() - start).toBeGreaterThanOrEqual(95);
  });
});
