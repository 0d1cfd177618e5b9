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

  it('honours the deadline while the word keeps changing and the attempt keeps failing (both forms)', async () => {
    // The attempt itself moves the word, so every spin sees a change at once: the spin budget must still
    // run out (it is shared by the retries between two parks) and the deadline be checked.
    const s = spot();
    // Far more tries than fit in the deadline once the spin is spent: a loop that never checks the
    // deadline ends here instead of hanging the test.
    let tries = 0;
    const churn = () => {
      Atomics.add(s.i32, s.valueIndex, 1);
      return ++tries > 20_000_000 ? 'never checked the deadline' : undefined;
    };
    let start = performance.now();
    expect(parkUntilSync(s, churn, { deadline: deadlineAfter(30) })).toBeUndefined();
    expect(performance.now() - start).toBeLessThan(1000);
    tries = 0;
    start = performance.now();
    expect(await parkUntil(s, churn, { deadline: deadlineAfter(30) })).toBeUndefined();
    expect(performance.now() - start).toBeLessThan(1000);
    expect(Atomics.load(s.i32, s.waitersIndex)).toBe(0);
  });

  it('parks on the value beforePark returns, and retries the attempt when it returns undefined', async () => {
    const s = spot();
    let attempts = 0;
    let refusals = 0;
    const parked = parkUntil(
      s,
      () => {
        attempts++;
        return Atomics.load(s.i32, s.valueIndex) === 2 ? 'woke' : undefined;
      },
      {
        deadline: deadlineAfter(5000),
        spin: 0,
        // Refuses twice, then marks the word (0 → 1) and parks on the mark.
        beforePark: (seen) => {
          if (refusals < 2) {
            refusals++;
            return undefined;
          }
          return Atomics.compareExchange(s.i32, s.valueIndex, seen, 1) === seen ? 1 : undefined;
        },
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(attempts).toBe(3);
    expect(Atomics.load(s.i32, s.valueIndex)).toBe(1);
    expect(Atomics.load(s.i32, s.waitersIndex)).toBe(1);
    Atomics.store(s.i32, s.valueIndex, 2);
    expect(wakeParked(s)).toBe(1);
    expect(await parked).toBe('woke');
  });

  it('absorbs spurious wake-ups and still honours the deadline', () => {
    const s = spot();
    const start = performance.now();
    const result = parkUntilSync(s, () => undefined, { deadline: deadlineAfter(100), pollMs: 7 });
    expect(result).toBeUndefined();
    expect(performance.now() - start).toBeGreaterThanOrEqual(95);
  });
});
