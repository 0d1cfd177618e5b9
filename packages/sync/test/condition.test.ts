import { Futex, revive, share } from '@ipc/core';
import { Process } from '@ipc/process';
import { Condition, InvalidStateError, Lock, RLock } from '@ipc/sync';
import { describe, expect, it } from 'vitest';
import { changed, GUARD_MS, joinAll, reached, sleep, withGuard } from './helpers.ts';
import { NOTIFIED, rejection, TIMED_OUT, timed, waitTarget } from './wait-helpers.ts';

interface WaiterOptions {
  /** Blocking `waitSync` (default) or `wait`. */
  sync?: boolean;
  /** The wait's timeout, GUARD_MS by default. */
  timeout?: number;
  /** How many times it takes an RLock before waiting (1 by default). */
  depth?: number;
  /** Keeps the worker alive after its wait until this futex leaves 0. */
  linger?: Futex;
}

/**
 * Starts a worker that takes the condition's lock and waits on it (waitOnCondition in wait-targets.mjs),
 * and returns once it waits: it counted itself under the lock, and the lock was free again afterwards,
 * which only `wait` does after queueing the waiter. The caller must not hold the lock.
 */
async function startWaiter(cond: Condition, enqueued: Futex, options: WaiterOptions = {}) {
  const { sync = true, timeout = GUARD_MS, depth = 1, linger } = options;
  const result = new Futex(0);
  const before = enqueued.load();
  const process = new Process({
    target: waitTarget('waitOnCondition'),
    args: [cond, enqueued, result, timeout, sync, depth, linger],
  });
  process.start();
  await reached(enqueued, before + 1);
  expect(await cond.acquire({ timeout: GUARD_MS })).toBe(true);
  cond.release();
  return { process, result };
}

/** Notifies under the lock, from the calling thread. */
async function notifyUnderLock(cond: Condition, n?: number) {
  expect(await cond.acquire({ timeout: GUARD_MS })).toBe(true);
  if (n === undefined) cond.notifyAll();
  else cond.notify(n);
  cond.release();
}

describe('Condition in one thread', () => {
  it('uses a new RLock by default, or the Lock or RLock it is given', () => {
    expect(new Condition().lock).toBeInstanceOf(RLock);
    const lock = new Lock();
    expect(new Condition(lock).lock).toBe(lock);
    const rlock = new RLock();
    expect(new Condition(rlock).lock).toBe(rlock);
    expect(() => new Condition({} as unknown as Lock)).toThrow(TypeError);
  });

  it('acquire, release and guards work the underlying lock', async () => {
    const lock = new Lock();
    const cond = new Condition(lock);
    expect(cond.acquireSync()).toBe(true);
    expect(lock.locked()).toBe(true);
    cond.release();
    expect(lock.locked()).toBe(false);
    expect(await cond.withLock(() => lock.locked())).toBe(true);
    {
      using _held = await cond.guard();
      expect(lock.isOwned()).toBe(true);
    }
    expect(lock.locked()).toBe(false);
  });

  it('wait, notify and notifyAll without holding the lock throw InvalidStateError', async () => {
    for (const cond of [new Condition(), new Condition(new Lock())]) {
      await expect(cond.wait(10)).rejects.toThrow(InvalidStateError);
      expect(() => cond.waitSync(10)).toThrow(InvalidStateError);
      await expect(cond.waitFor(() => false, 10)).rejects.toThrow(InvalidStateError);
      expect(() => cond.notify()).toThrow(InvalidStateError);
      expect(() => cond.notifyAll()).toThrow(InvalidStateError);
      expect(cond.lock.locked()).toBe(false);
    }
  });

  it('waits that timed out free their slots: hundreds of timed waits beside one long wait are fine', async () => {
    const cond = new Condition();
    cond.acquireSync();
    // The async wait released the lock: take it again for the timed waits beside it.
    const long = cond.wait(GUARD_MS);
    cond.acquireSync();
    for (let i = 0; i < 600; i++) expect(cond.waitSync(0)).toBe(false);
    cond.notify();
    cond.release();
    expect(await long).toBe(true);
  });

  it('a 200 ms wait returns false after >= 175 ms and < 1 s with the lock held again, both forms', async () => {
    for (const lock of [new Lock(), new RLock()]) {
      const cond = new Condition(lock);
      cond.acquireSync();
      const sync = await timed(() => cond.waitSync(200));
      expect(sync.value).toBe(false);
      expect(sync.ms).toBeGreaterThanOrEqual(175);
      expect(sync.ms).toBeLessThan(1000);
      expect(lock.isOwned()).toBe(true);
      const async = await timed(() => cond.wait({ timeout: 200 }));
      expect(async.value).toBe(false);
      expect(async.ms).toBeGreaterThanOrEqual(175);
      expect(async.ms).toBeLessThan(1000);
      expect(lock.isOwned()).toBe(true);
      cond.release();
      expect(lock.locked()).toBe(false);
    }
  });

  it('an async wait releases a Lock while it waits and resolves true when notified', async () => {
    const lock = new Lock();
    const cond = new Condition(lock);
    await cond.acquire();
    const waiting = cond.wait(GUARD_MS);
    expect(lock.locked()).toBe(false);
    await notifyUnderLock(cond, 1);
    expect(await withGuard(waiting, 'notified wait')).toBe(true);
    expect(lock.locked()).toBe(true);
    cond.release();
  });

  it('waitFor returns the truthy predicate value at once, or the falsy value after the timeout', async () => {
    const cond = new Condition();
    await cond.acquire();
    expect(await cond.waitFor(() => 'ready', 0)).toBe('ready');
    expect(cond.waitForSync(() => 42)).toBe(42);
    const async = await timed(() => cond.waitFor(() => 0, 200));
    expect(async.value).toBe(0);
    expect(async.ms).toBeGreaterThanOrEqual(175);
    expect(async.ms).toBeLessThan(1000);
    const sync = await timed(() => cond.waitForSync(() => '', { timeout: 200 }));
    expect(sync.value).toBe('');
    expect(sync.ms).toBeGreaterThanOrEqual(175);
    expect(sync.ms).toBeLessThan(1000);
    expect(cond.lock.isOwned()).toBe(true);
    cond.release();
  });

  it('an abort signal rejects a pending wait with its reason and the lock is held again, at its depth', async () => {
    const cond = new Condition();
    const rlock = cond.lock as RLock;
    await cond.acquire();
    await cond.acquire();
    const controller = new AbortController();
    const pending = cond.wait({ signal: controller.signal });
    expect(rlock.locked()).toBe(false);
    setTimeout(() => controller.abort(new Error('stop waiting')), 30);
    const { error } = await rejection(pending, 'abort of a condition wait');
    expect(error).toEqual(new Error('stop waiting'));
    expect(rlock.isOwned()).toBe(true);
    expect(rlock.depth).toBe(2);
    // A signal that is already aborted: rejected (thrown), the lock still held at its depth.
    const aborted = AbortSignal.abort(new Error('already'));
    await expect(cond.wait({ signal: aborted })).rejects.toThrow('already');
    expect(() => cond.waitSync({ signal: aborted })).toThrow('already');
    expect(() => cond.waitForSync(() => false, { signal: aborted })).toThrow('already');
    expect(rlock.depth).toBe(2);
    cond.release();
    cond.release();
    expect(rlock.locked()).toBe(false);
  });

  it('refuses a bad n with RangeError or TypeError, and bad timeouts', async () => {
    const cond = new Condition();
    cond.acquireSync();
    expect(() => cond.notify(-1)).toThrow(RangeError);
    expect(() => cond.notify(1.5)).toThrow(RangeError);
    expect(() => cond.notify(Number.NaN)).toThrow(RangeError);
    expect(() => cond.notify('2' as unknown as number)).toThrow(TypeError);
    expect(() => cond.notify(0)).not.toThrow();
    expect(() => cond.waitSync(Number.NaN)).toThrow(RangeError);
    await expect(cond.wait(Number.POSITIVE_INFINITY)).rejects.toThrow(RangeError);
    await expect(cond.waitFor(() => false, '10' as unknown as number)).rejects.toThrow(TypeError);
    // A refused call changed nothing: the lock is still held once.
    expect((cond.lock as RLock).depth).toBe(1);
    cond.release();
  });
});

describe('Condition across workers', () => {
  it('wait() with an RLock held at depth 3 frees it for another worker, then restores depth 3', async () => {
    const cond = new Condition();
    const rlock = cond.lock as RLock;
    for (let i = 0; i < 3; i++) await cond.acquire();
    expect(rlock.depth).toBe(3);
    const took = new Futex(0);
    const waiting = cond.wait(GUARD_MS);
    // The worker can only take the lock if wait() released all three levels.
    const notifier = new Process({ target: waitTarget('acquireAndNotify'), args: [cond, took] });
    notifier.start();
    expect(await withGuard(waiting, 'notify from the worker')).toBe(true);
    expect(took.load()).toBe(1);
    expect(rlock.isOwned()).toBe(true);
    expect(rlock.depth).toBe(3);
    for (let i = 0; i < 3; i++) cond.release();
    expect(rlock.locked()).toBe(false);
    expect(await joinAll([notifier])).toEqual([0]);
  });

  it('a worker waiting at RLock depth 3 frees it for the main thread and gets depth 3 back', async () => {
    const cond = new Condition();
    const enqueued = new Futex(0);
    // startWaiter takes the lock in the main thread once the worker waits: possible only if it was freed.
    const waiter = await startWaiter(cond, enqueued, { depth: 3 });
    await notifyUnderLock(cond, 1);
    expect(await changed(waiter.result)).toBe(NOTIFIED);
    expect(await joinAll([waiter.process])).toEqual([0]);
  });

  it('with a Lock or an RLock, notify(2) wakes exactly 2 of 4 waiting workers, then notifyAll the rest', async () => {
    for (const lock of [new Lock(), new RLock()]) {
      const cond = new Condition(lock);
      const enqueued = new Futex(0);
      const waiters = [];
      for (let i = 0; i < 4; i++) waiters.push(await startWaiter(cond, enqueued, { sync: i % 2 === 0 }));
      await notifyUnderLock(cond, 2);
      // The two oldest wake (FIFO); give a wrongly woken third one time to show up.
      for (const w of waiters.slice(0, 2)) expect(await changed(w.result)).toBe(NOTIFIED);
      await sleep(200);
      expect(waiters.map((w) => w.result.load())).toEqual([NOTIFIED, NOTIFIED, 0, 0]);
      await notifyUnderLock(cond);
      for (const w of waiters.slice(2)) expect(await changed(w.result)).toBe(NOTIFIED);
      expect(await joinAll(waiters.map((w) => w.process))).toEqual([0, 0, 0, 0]);
      expect(lock.locked()).toBe(false);
    }
  });

  it('notify() wakes waiters in the order they started waiting (FIFO)', async () => {
    const cond = new Condition();
    const enqueued = new Futex(0);
    const waiters = [];
    for (let i = 0; i < 4; i++) waiters.push(await startWaiter(cond, enqueued, { sync: i % 2 === 1 }));
    for (const [k, oldest] of waiters.entries()) {
      await notifyUnderLock(cond, 1);
      // Only the oldest remaining waiter may wake: a guard timeout here means another one got it.
      expect(await changed(oldest.result)).toBe(NOTIFIED);
      for (const later of waiters.slice(k + 1)) expect(later.result.load()).toBe(0);
    }
    expect(await joinAll(waiters.map((w) => w.process))).toEqual([0, 0, 0, 0]);
  });

  it('a waiter that timed out is withdrawn: the next notify() goes to the waiter behind it', async () => {
    const cond = new Condition();
    const enqueued = new Futex(0);
    // The early waiter's thread stays alive, so only its withdrawal keeps notify() from picking it.
    const linger = new Futex(0);
    const early = await startWaiter(cond, enqueued, { timeout: 100, linger });
    const late = await startWaiter(cond, enqueued, { sync: false, timeout: 5000 });
    expect(await changed(early.result)).toBe(TIMED_OUT);
    await notifyUnderLock(cond, 1);
    expect(await changed(late.result)).toBe(NOTIFIED);
    linger.store(1);
    linger.notify();
    expect(await joinAll([early.process, late.process])).toEqual([0, 0]);
  });

  it('notify(1) skips a waiter whose thread was terminated while waiting (sync and async waiters)', async () => {
    for (const sync of [true, false]) {
      const cond = new Condition();
      const enqueued = new Futex(0);
      const doomed = await startWaiter(cond, enqueued, { sync });
      const live = await startWaiter(cond, enqueued, { sync, timeout: 5000 });
      doomed.process.terminate();
      await notifyUnderLock(cond, 1);
      // Had notify(1) gone to the dead waiter, the live one would time out after 5 s and report -1.
      expect(await changed(live.result)).toBe(NOTIFIED);
      expect(await joinAll([doomed.process, live.process])).toEqual([-15, 0]);
      expect(doomed.result.load()).toBe(0);
    }
  });

  it('waitFor() in the main thread returns the predicate value once workers made it true', async () => {
    const cond = new Condition();
    const counter = new Futex(0);
    await cond.acquire();
    const bumper = new Process({ target: waitTarget('bumpAndNotify'), args: [cond, counter, 3, 20] });
    bumper.start();
    const value = await withGuard(
      cond.waitFor(() => counter.load() >= 3 && `count ${counter.load()}`, GUARD_MS),
      'waitFor',
    );
    expect(value).toBe('count 3');
    expect(cond.lock.isOwned()).toBe(true);
    cond.release();
    expect(await joinAll([bumper])).toEqual([0]);
  });

  it('waitForSync() in a worker returns the predicate value once the main thread made it true', async () => {
    const cond = new Condition(new Lock());
    const counter = new Futex(0);
    const ready = new Futex(0);
    const result = new Futex(0);
    const waiter = new Process({
      target: waitTarget('waitForCounter'),
      args: [cond, ready, counter, 2, GUARD_MS, result],
    });
    waiter.start();
    await changed(ready);
    for (let i = 0; i < 2; i++) {
      await cond.acquire({ timeout: GUARD_MS });
      counter.add(1);
      cond.notify();
      cond.release();
    }
    expect(await changed(result)).toBe(2);
    expect(await joinAll([waiter])).toEqual([0]);
  });

  it('an aborted wait re-acquires the lock only once the worker holding it lets go', async () => {
    const cond = new Condition();
    const held = new Futex(0);
    await cond.acquire();
    const controller = new AbortController();
    const pending = cond.wait({ signal: controller.signal });
    const holder = new Process({ target: waitTarget('holdConditionLock'), args: [cond, held, 200] });
    holder.start();
    await changed(held);
    controller.abort(new Error('give up'));
    const { error } = await rejection(pending, 'aborted wait');
    expect(error).toEqual(new Error('give up'));
    // The worker reported 2 just before releasing: the rejection came after the lock was ours again.
    expect(held.load()).toBe(2);
    expect(cond.lock.isOwned()).toBe(true);
    cond.release();
    expect(await joinAll([holder])).toEqual([0]);
  });

  it('a notify() that reaches a waiter as it aborts is passed on to the next waiter', async () => {
    const cond = new Condition();
    const enqueued = new Futex(0);
    await cond.acquire();
    const controller = new AbortController();
    const aborting = cond.wait({ signal: controller.signal });
    // The main thread's wait is the oldest; the worker queues behind it.
    const next = await startWaiter(cond, enqueued, { timeout: 5000 });
    await cond.acquire();
    cond.notify(1);
    controller.abort(new Error('abort after notify'));
    cond.release();
    const { error } = await rejection(aborting, 'aborted wait');
    expect(error).toEqual(new Error('abort after notify'));
    cond.release();
    // Without the hand-on, the worker would time out after 5 s and report -1.
    expect(await changed(next.result)).toBe(NOTIFIED);
    expect(await joinAll([next.process])).toEqual([0]);
  });

  it('a Condition passed to a Process arrives with the same live lock, Lock or RLock', async () => {
    for (const [lock, kindBit] of [
      [new Lock(), 1],
      [new RLock(), 2],
    ] as const) {
      const cond = new Condition(lock);
      expect(revive(share(cond))).toBe(cond);
      const seen = new Futex(0);
      await cond.acquire();
      const waiting = cond.wait(GUARD_MS);
      // The parent holds the lock again while the child looks: re-take it before starting the child.
      await cond.acquire();
      const probe = new Process({ target: waitTarget('probeCondition'), args: [cond, seen] });
      probe.start();
      // The child saw the lock taken by the parent, and could not take it.
      expect(await changed(seen)).toBe(kindBit | 4 | 8);
      cond.release();
      // Then it took the parent's lock and notified the parent's waiting condition.
      expect(await withGuard(waiting, 'notify from the child')).toBe(true);
      expect(seen.load()).toBe(kindBit | 4 | 8 | 16);
      cond.release();
      expect(await joinAll([probe])).toEqual([0]);
    }
  });
});
