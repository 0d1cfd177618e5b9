import { describe, expect, it } from 'vitest';
import { Futex, SHARED_BLOCK, share } from '../src/index.ts';
import { startFixture, withGuard } from './helpers/workers.ts';

describe('Futex in one thread', () => {
  it('loads, stores, adds and compare-exchanges', () => {
    const futex = new Futex(5);
    expect(futex.load()).toBe(5);
    futex.store(-7);
    expect(futex.add(3)).toBe(-7);
    expect(futex.compareExchange(-4, 10)).toBe(-4);
    expect(futex.compareExchange(0, 11)).toBe(10);
    expect(futex.load()).toBe(10);
  });

  it('refuses values that are not 32-bit integers', () => {
    expect(() => new Futex(1.5)).toThrow(RangeError);
    expect(() => new Futex(2 ** 31)).toThrow(/32-bit integer/);
    expect(() => new Futex().store(Number.NaN)).toThrow(RangeError);
    expect(() => new Futex().notify(-1)).toThrow(RangeError);
  });

  it('returns at once when the value already differs', async () => {
    const futex = new Futex(1);
    expect(futex.waitWhileSync(0, { timeout: 1000 })).toBe(true);
    expect(await futex.waitWhile(0, { timeout: 1000 })).toBe(true);
  });

  it('times out after the timeout: 200 ms takes >= 175 ms and < 1 s, sync and async', async () => {
    const futex = new Futex(0);
    let start = performance.now();
    expect(futex.waitWhileSync(0, { timeout: 200 })).toBe(false);
    let took = performance.now() - start;
    expect(took).toBeGreaterThanOrEqual(175);
    expect(took).toBeLessThan(1000);
    start = performance.now();
    expect(await futex.waitWhile(0, { timeout: 200 })).toBe(false);
    took = performance.now() - start;
    expect(took).toBeGreaterThanOrEqual(175);
    expect(took).toBeLessThan(1000);
  });

  it('rejects with the abort reason, before and while waiting', async () => {
    const futex = new Futex(0);
    const reason = new Error('stop');
    await expect(futex.waitWhile(0, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(() => futex.waitWhileSync(0, { signal: AbortSignal.abort(reason) })).toThrow(reason);
    const controller = new AbortController();
    const waiting = futex.waitWhile(0, { signal: controller.signal, timeout: 5000 });
    setTimeout(() => controller.abort(reason), 20);
    await expect(waiting).rejects.toBe(reason);
  });

  // Scenario: the signal aborts in the same task that wakes the waiter, before it parks again.
  it('rejects when the signal aborts between a wake-up and the next park', async () => {
    const futex = new Futex(0);
    const controller = new AbortController();
    const reason = new Error('aborted while awake');
    const words = futex[SHARED_BLOCK].int32(0, 3);
    // Registered first, so it runs first when both wake: it aborts and puts the old value back.
    const first = Atomics.waitAsync(words, 1, 0);
    expect(first.async).toBe(true);
    void Promise.resolve(first.value).then(() => {
      controller.abort(reason);
      futex.store(0);
    });
    const waiting = futex.waitWhile(0, { signal: controller.signal });
    setTimeout(() => {
      futex.store(1);
      futex.notify();
    }, 20);
    await expect(withGuard(waiting, 'the aborted wait to settle', 2000)).rejects.toBe(reason);
  });

  it('an aborted waiter does not swallow a wake-up meant for another', async () => {
    const futex = new Futex(0);
    const controller = new AbortController();
    const aborted = futex.waitWhile(0, { signal: controller.signal });
    const other = futex.waitWhile(0, { timeout: 2000 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort(new Error('gone'));
    await expect(aborted).rejects.toThrow('gone');
    futex.store(1);
    futex.notify(1);
    expect(await other).toBe(true);
  });
});

describe('Futex across workers', () => {
  it('wakes a worker blocked in waitWhileSync', async () => {
    const futex = new Futex(0);
    const child = startFixture('futex-worker', { futex: share(futex), mode: 'wait-sync' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    futex.store(1);
    futex.notify();
    expect(await child.message()).toEqual({ changed: true });
    expect(await futex.waitWhile(1, { timeout: 5000 })).toBe(true);
    expect(futex.load()).toBe(2);
    await child.exit();
  });

  it('keeps a worker alive while it awaits waitWhile with nothing else to do', async () => {
    const futex = new Futex(0);
    const child = startFixture('futex-worker', { futex: share(futex), mode: 'wait-async' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    futex.store(1);
    futex.notify();
    expect(await child.message()).toEqual({ changed: true });
    expect(futex.load()).toBe(2);
    expect(await child.exit()).toBe(0);
  });

  it('a worker waking this thread, which waits without blocking its event loop', async () => {
    const futex = new Futex(0);
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    const child = startFixture('futex-worker', { futex: share(futex), mode: 'store', value: 4 });
    // Give the worker time to start while the event loop keeps ticking.
    expect(await futex.waitWhile(0, { timeout: 5000 })).toBe(true);
    clearInterval(ticker);
    expect(futex.load()).toBe(4);
    await child.message();
    expect(ticks).toBeGreaterThan(0);
  });

  it('ping-pongs 2000 rounds between two threads without losing a wake-up', async () => {
    const futex = new Futex(0);
    const rounds = 2000;
    const child = startFixture('futex-worker', { futex: share(futex), mode: 'ping-pong', rounds });
    for (let i = 0; i < rounds; i++) {
      futex.store(2 * i + 1);
      futex.notify();
      expect(await futex.waitWhile(2 * i + 1, { timeout: 5000 })).toBe(true);
    }
    expect(await child.message()).toEqual({ done: true });
    expect(futex.load()).toBe(2 * rounds);
  });
});
