import { Futex } from '@ipc/core';
import { Process } from '@ipc/process';
import { BoundedSemaphore, InvalidStateError, Semaphore } from '@ipc/sync';
import { describe, expect, it } from 'vitest';
import { changed, GUARD_MS, joinAll, target, withGuard } from './helpers.ts';

describe('Semaphore in one thread', () => {
  it('hands out value permits, then refuses; release(n) returns n', async () => {
    const sem = new Semaphore(2);
    expect(sem.getValue()).toBe(2);
    expect(sem.acquireSync()).toBe(true);
    expect(await sem.acquire()).toBe(true);
    expect(sem.acquireSync({ block: false })).toBe(false);
    expect(sem.getValue()).toBe(0);
    sem.release(2);
    expect(sem.getValue()).toBe(2);
  });

  it('defaults to one permit and is unbounded', () => {
    const sem = new Semaphore();
    expect(sem.getValue()).toBe(1);
    sem.release(3);
    expect(sem.getValue()).toBe(4);
  });

  it('a 200 ms timed acquire with no permit returns false after >= 175 ms and < 1 s', async () => {
    const sem = new Semaphore(0);
    let start = performance.now();
    expect(sem.acquireSync({ timeout: 200 })).toBe(false);
    expect(performance.now() - start).toBeGreaterThanOrEqual(175);
    expect(performance.now() - start).toBeLessThan(1000);
    start = performance.now();
    expect(await sem.acquire({ timeout: 200 })).toBe(false);
    expect(performance.now() - start).toBeGreaterThanOrEqual(175);
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('refuses bad counts with RangeError or TypeError', () => {
    expect(() => new Semaphore(-1)).toThrow(RangeError);
    expect(() => new Semaphore(1.5)).toThrow(RangeError);
    expect(() => new Semaphore(Number.NaN)).toThrow(RangeError);
    expect(() => new Semaphore(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => new Semaphore('2' as unknown as number)).toThrow(TypeError);
    const sem = new Semaphore(1);
    expect(() => sem.release(0)).toThrow(RangeError);
    expect(() => sem.release(-1)).toThrow(RangeError);
    expect(() => sem.release(0.5)).toThrow(RangeError);
    expect(() => sem.acquireSync({ timeout: Number.NaN })).toThrow(RangeError);
    expect(sem.getValue()).toBe(1);
  });

  it('withLock and guards take and return one permit', async () => {
    const sem = new Semaphore(1);
    await sem.withLock(() => expect(sem.getValue()).toBe(0));
    expect(sem.getValue()).toBe(1);
    {
      using _slot = sem.guardSync();
      expect(sem.getValue()).toBe(0);
    }
    expect(sem.getValue()).toBe(1);
  });
});

describe('BoundedSemaphore', () => {
  it('refuses release above its initial value with InvalidStateError, changing nothing', () => {
    const sem = new BoundedSemaphore(2);
    expect(() => sem.release()).toThrow(InvalidStateError);
    sem.acquireSync();
    expect(() => sem.release(2)).toThrow(/released too many times/);
    expect(sem.getValue()).toBe(1);
    sem.release();
    expect(sem.getValue()).toBe(2);
  });

  it('is a Semaphore and crosses threads as a BoundedSemaphore', async () => {
    const sem = new BoundedSemaphore(1);
    expect(sem).toBeInstanceOf(Semaphore);
    const result = new Futex(0);
    sem.acquireSync();
    const other = new Process({ target: target('acquireAndReport'), args: [sem, result, 50] });
    other.start();
    expect(await changed(result)).toBe(-1);
    await joinAll([other]);
    sem.release();
  });
});

describe('Semaphore across workers', () => {
  it('never lets more than its value into the section (6 workers, Semaphore(2), both forms)', async () => {
    for (const sync of [true, false]) {
      const sem = new Semaphore(2);
      const inside = new Futex(0);
      const maxInside = new Futex(0);
      const workers = Array.from(
        { length: 6 },
        () => new Process({ target: target('useSlot'), args: [sem, inside, maxInside, 50, sync] }),
      );
      for (const w of workers) w.start();
      expect(await joinAll(workers)).toEqual(Array(6).fill(0));
      expect(maxInside.load()).toBe(2);
      expect(sem.getValue()).toBe(2);
    }
  });

  it('returns the permits of a holder that dies, and the taker sees abandoned', async () => {
    for (const how of ['return', 'throw', 'exit', 'hang'] as const) {
      const sem = new Semaphore(2);
      const held = new Futex(0);
      // The holder takes both permits (depth 2), then dies.
      const holder = new Process({ target: target('acquireAndDie'), args: [sem, held, how, 2] });
      holder.start();
      await changed(held);
      if (how === 'hang') holder.terminate();
      expect(await withGuard(sem.acquire({ timeout: GUARD_MS }), `permit after the holder's ${how}`)).toBe(true);
      expect(sem.abandoned).toBe(true);
      // The second permit went back to the semaphore.
      expect(sem.acquireSync({ timeout: GUARD_MS })).toBe(true);
      sem.release(2);
      expect(sem.getValue()).toBe(2);
      await holder.join(GUARD_MS);
    }
  });

  it('a try (block: false) takes back the permits of a dead holder', async () => {
    const sem = new Semaphore(1);
    const held = new Futex(0);
    const holder = new Process({ target: target('acquireAndDie'), args: [sem, held, 'return'] });
    holder.start();
    await changed(held);
    await joinAll([holder]);
    expect(await sem.acquire({ block: false })).toBe(true);
    expect(sem.abandoned).toBe(true);
    sem.release();
    expect(sem.getValue()).toBe(1);
  });

  it('with robust: false, permits are counts: a consumer that ends takes its permits with it', async () => {
    const sem = new Semaphore(1, { robust: false });
    const held = new Futex(0);
    const consumer = new Process({ target: target('acquireAndDie'), args: [sem, held, 'return'] });
    consumer.start();
    await changed(held);
    await joinAll([consumer]);
    expect(sem.acquireSync({ timeout: 150 })).toBe(false);
    expect(sem.getValue()).toBe(0);
  });

  it('a release by a thread that took nothing is a signal that wakes a waiter', async () => {
    const sem = new Semaphore(0);
    const result = new Futex(0);
    const waiter = new Process({ target: target('acquireAndReport'), args: [sem, result, GUARD_MS] });
    waiter.start();
    setTimeout(() => sem.release(), 50);
    expect(await changed(result)).toBe(1);
    await joinAll([waiter]);
  });
});
