import { BarrierProxy, BrokenBarrierError, ConditionProxy, EventProxy, InvalidStateError, Manager } from '@ipc/manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep, withGuard } from './helpers.ts';
import { joinOk, killWhileWaiting, nextResult, settledSoon, startWorker, until } from './proxy-helpers.ts';

let manager: Manager;
beforeAll(async () => {
  manager = await withGuard(Manager.start(), 'Manager.start()');
});
afterAll(async () => {
  await withGuard(manager.shutdown(), 'manager.shutdown()');
});

describe('EventProxy (Python threading.Event)', () => {
  it('set/clear/isSet; wait returns true at once when set, false after its timeout when not', async () => {
    const event = await manager.Event();
    expect(event).toBeInstanceOf(EventProxy);
    expect(await event.isSet()).toBe(false);
    expect(await event.wait(0)).toBe(false);
    const start = performance.now();
    expect(await event.wait(60)).toBe(false);
    expect(performance.now() - start).toBeGreaterThanOrEqual(45);
    await event.set();
    expect(await event.isSet()).toBe(true);
    expect(await event.wait()).toBe(true);
    expect(await event.wait(0)).toBe(true);
    await event.clear();
    expect(await event.isSet()).toBe(false);
    expect(await event.wait({ timeout: 10 })).toBe(false);
  });

  it('a wait woken by set() returns true even if the flag is cleared again at once (as Python)', async () => {
    const event = await manager.Event();
    const waiting = event.wait(5000);
    expect(await settledSoon(waiting)).toBe(false);
    await event.set();
    await event.clear();
    expect(await withGuard(waiting, 'the woken wait')).toBe(true);
    expect(await event.isSet()).toBe(false);
  });

  it('an aborted signal on a wait rejects with its reason', async () => {
    const event = await manager.Event();
    const controller = new AbortController();
    const reason = new Error('stop waiting');
    const waiting = event.wait({ signal: controller.signal });
    expect(await settledSoon(waiting)).toBe(false);
    controller.abort(reason);
    await expect(withGuard(waiting, 'the aborted wait')).rejects.toBe(reason);
  });

  it('across workers: a set in one thread wakes waits in others; a worker times out when nobody sets', async () => {
    const event = await manager.Event();
    const results = await manager.Queue();
    const waiters = [0, 1].map(() => startWorker('waitForEvent', [event, 5000, results]));
    expect(await nextResult(results, 'a worker waits')).toBe('waiting');
    expect(await nextResult(results, 'a worker waits')).toBe('waiting');
    const mainWait = event.wait(5000);
    expect(await settledSoon(mainWait)).toBe(false);
    await joinOk(startWorker('setEvent', [event]));
    expect(await withGuard(mainWait, "the main thread's wait")).toBe(true);
    expect(await nextResult(results, "a worker's wait")).toBe(true);
    expect(await nextResult(results, "a worker's wait")).toBe(true);
    await joinOk(...waiters);

    await event.clear();
    const timing = startWorker('waitForEvent', [event, 80, results]);
    expect(await nextResult(results, 'the worker waits')).toBe('waiting');
    expect(await nextResult(results, "the worker's timed wait")).toBe(false);
    await joinOk(timing);
  });
});

describe('ConditionProxy (Python threading.Condition)', () => {
  it('wait, notify and notifyAll without holding the lock are InvalidStateErrors, in a worker too', async () => {
    const cond = await manager.Condition();
    expect(cond).toBeInstanceOf(ConditionProxy);
    await expect(cond.wait(10)).rejects.toThrow(InvalidStateError);
    await expect(cond.notify()).rejects.toThrow(InvalidStateError);
    await expect(cond.notifyAll()).rejects.toThrow(InvalidStateError);
    await expect(cond.release()).rejects.toThrow(InvalidStateError);
    const results = await manager.Queue();
    await cond.acquire();
    // Held by the main thread: the worker holds nothing.
    const worker = startWorker('notifyWithoutLock', [cond, results]);
    expect(await nextResult(results, "the worker's notify")).toEqual({
      error: expect.objectContaining({ name: 'InvalidStateError' }),
    });
    await joinOk(worker);
    await cond.notify();
    await cond.notifyAll();
    await expect(cond.notify(-1)).rejects.toThrow(RangeError);
    await cond.release();
  });

  it('its default lock is an RLock: acquire twice, release twice; withLock; a timed wait returns false', async () => {
    const cond = await manager.Condition();
    expect(await cond.acquire()).toBe(true);
    expect(await cond.acquire({ block: false })).toBe(true);
    const start = performance.now();
    // Waits at depth two and takes the lock back at depth two.
    expect(await cond.wait(60)).toBe(false);
    expect(performance.now() - start).toBeGreaterThanOrEqual(45);
    await cond.release();
    await cond.release();
    await expect(cond.release()).rejects.toThrow(InvalidStateError);
    expect(await cond.withLock(() => cond.wait(1))).toBe(false);
    await expect(cond.wait(1)).rejects.toThrow(InvalidStateError);
  });

  it('over a given manager RLock: a wait at depth two gives it back at depth two', async () => {
    const rlock = await manager.RLock();
    const cond = await manager.Condition(rlock);
    await rlock.acquire();
    await cond.acquire();
    const results = await manager.Queue();
    const waiting = cond.wait(5000);
    // Free while the main thread waits, whatever its depth: a worker takes it and notifies.
    await joinOk(startWorker('notifyOnce', [cond]));
    expect(await withGuard(waiting, 'the notified wait')).toBe(true);
    await rlock.release();
    const trier = startWorker('tryAcquire', [rlock, { block: false }, true, results]);
    expect(await nextResult(results, "the worker's acquire at depth one")).toEqual({
      acquired: false,
      abandoned: false,
    });
    await joinOk(trier);
    await cond.release();
    expect(await rlock.locked()).toBe(false);
    await expect(cond.release()).rejects.toThrow(InvalidStateError);
  });

  it('over a given manager Lock: the condition and the lock are one lock', async () => {
    const lock = await manager.Lock();
    const cond = await manager.Condition(lock);
    await cond.acquire();
    expect(await lock.locked()).toBe(true);
    expect(await lock.acquire({ block: false })).toBe(false);
    // A plain Lock is not reentrant: taken through the condition too, it is refused (false, as Python).
    expect(await cond.acquire({ block: false })).toBe(false);
    expect(await cond.acquire({ timeout: 10 })).toBe(false);
    await cond.release();
    expect(await lock.locked()).toBe(false);
    await expect(manager.Condition((await manager.Event()) as never)).rejects.toThrow(TypeError);
    // Taken through the lock, waited on through the condition: the lock is free while the main thread waits
    // (a worker takes it to notify), and held again when the wait returns.
    await lock.acquire();
    const waiting = cond.wait(5000);
    expect(await settledSoon(waiting)).toBe(false);
    expect(await lock.locked()).toBe(false);
    await joinOk(startWorker('notifyOnce', [cond]));
    expect(await withGuard(waiting, 'the notified wait')).toBe(true);
    expect(await lock.locked()).toBe(true);
    await lock.release();
    expect(await lock.locked()).toBe(false);
  });

  it('an aborted wait rejects with the signal reason and leaves the lock held, as after any wait', async () => {
    const lock = await manager.Lock();
    const cond = await manager.Condition(lock);
    await cond.acquire();
    const controller = new AbortController();
    const reason = new Error('interrupted');
    const waiting = cond.wait({ signal: controller.signal });
    expect(await settledSoon(waiting)).toBe(false);
    expect(await lock.locked()).toBe(false);
    controller.abort(reason);
    await expect(withGuard(waiting, 'the aborted wait')).rejects.toBe(reason);
    expect(await lock.locked()).toBe(true);
    await cond.notify();
    await cond.release();
    expect(await lock.locked()).toBe(false);
  });

  it('notify(n) wakes n waiting workers; notifyAll the rest; each holds the lock when it wakes', async () => {
    const cond = await manager.Condition();
    const results = await manager.Queue();
    const workers = [0, 1, 2].map(() => startWorker('conditionWaitOnce', [cond, 5000, results]));
    for (let i = 0; i < 3; i++) expect(await nextResult(results, 'a worker waits')).toBe('waiting');
    // The lock is free only once all three wait (each says 'waiting' holding it).
    await cond.acquire();
    await cond.notify(2);
    await cond.release();
    expect(await nextResult(results, 'a notified worker')).toEqual({ notified: true });
    expect(await nextResult(results, 'a notified worker')).toEqual({ notified: true });
    await sleep(50);
    expect(await results.qsize()).toBe(0);
    await cond.withLock(() => cond.notifyAll());
    expect(await nextResult(results, 'the last worker')).toEqual({ notified: true });
    await joinOk(...workers);
  });

  it('waitFor: consumers in workers wait for a predicate over a managed list; each item goes to one', async () => {
    const cond = await manager.Condition();
    const items = await manager.list<string>();
    const results = await manager.Queue();
    const consumers = [0, 1].map(() => startWorker('conditionConsumer', [cond, items, results]));
    expect(await nextResult(results, 'a consumer waits')).toBe('waiting');
    expect(await nextResult(results, 'a consumer waits')).toBe('waiting');
    await cond.withLock(async () => {
      await items.append('a');
      await cond.notify();
    });
    const first = await nextResult(results, 'the first item consumed');
    await cond.withLock(async () => {
      await items.append('b');
      await cond.notify();
    });
    const second = await nextResult(results, 'the second item consumed');
    expect([first, second].sort()).toEqual(['a', 'b']);
    await joinOk(...consumers);
    expect(await items.len()).toBe(0);
  });

  it('a waiter whose worker is killed is gone: notify() wakes a live waiter, and the lock is free', async () => {
    const cond = await manager.Condition();
    // The killed worker waits first: a notify that went to it would leave the main thread waiting.
    await killWhileWaiting(manager, cond, [['acquire'], ['wait']]);
    expect(await withGuard(cond.acquire(), 'the lock after the killed waiter')).toBe(true);
    const waiting = cond.wait(5000);
    await joinOk(startWorker('notifyOnce', [cond]));
    expect(await withGuard(waiting, 'the notified wait')).toBe(true);
    await cond.release();
  });

  it('waitFor checks first, and returns the last value of the predicate when the timeout passes', async () => {
    const cond = await manager.Condition();
    await cond.acquire();
    let calls = 0;
    expect(await cond.waitFor(() => ++calls)).toBe(1);
    const start = performance.now();
    expect(await cond.waitFor(() => 0, 60)).toBe(0);
    expect(performance.now() - start).toBeGreaterThanOrEqual(45);
    await cond.release();
  });
});

describe('BarrierProxy (Python threading.Barrier)', () => {
  it('three workers get the indices 0, 1, 2; the barrier can be used again', async () => {
    const barrier = await manager.Barrier(3);
    expect(barrier).toBeInstanceOf(BarrierProxy);
    expect(await barrier.parties()).toBe(3);
    expect(await barrier.nWaiting()).toBe(0);
    expect(await barrier.broken()).toBe(false);
    for (let round = 0; round < 2; round++) {
      const results = await manager.Queue<{ index: number }>();
      const workers = [0, 1, 2].map(() => startWorker('barrierWait', [barrier, 5000, results]));
      const indices = [];
      for (let i = 0; i < 3; i++) indices.push((await nextResult<{ index: number }>(results, 'a party')).index);
      expect(indices.sort()).toEqual([0, 1, 2]);
      await joinOk(...workers);
      expect(await barrier.nWaiting()).toBe(0);
    }
  });

  it('nWaiting counts the parties waiting; the last to arrive gets parties - 1 and releases them', async () => {
    const barrier = await manager.Barrier(3);
    const results = await manager.Queue<{ index: number }>();
    const workers = [0, 1].map(() => startWorker('barrierWait', [barrier, 5000, results]));
    await until(async () => (await barrier.nWaiting()) === 2, 'two parties wait');
    expect(await barrier.wait(5000)).toBe(2);
    const indices = [
      (await nextResult<{ index: number }>(results, 'a party')).index,
      (await nextResult<{ index: number }>(results, 'a party')).index,
    ];
    expect(indices.sort()).toEqual([0, 1]);
    await joinOk(...workers);
  });

  it('abort breaks it: waiters and later waits throw BrokenBarrierError until reset', async () => {
    const barrier = await manager.Barrier(2);
    const results = await manager.Queue();
    const worker = startWorker('barrierWait', [barrier, 5000, results]);
    await until(async () => (await barrier.nWaiting()) === 1, 'a party waits');
    await barrier.abort();
    expect(await nextResult(results, "the worker's wait")).toEqual({
      error: expect.objectContaining({ name: 'BrokenBarrierError' }),
    });
    await joinOk(worker);
    expect(await barrier.broken()).toBe(true);
    expect(await barrier.nWaiting()).toBe(0);
    await expect(barrier.wait(1000)).rejects.toThrow(BrokenBarrierError);
    await barrier.reset();
    expect(await barrier.broken()).toBe(false);
    const again = startWorker('barrierWait', [barrier, 5000, results]);
    const index = await barrier.wait(5000);
    expect(await nextResult(results, "the worker's wait")).toEqual({ index: 1 - index });
    await joinOk(again);
  });

  it('reset while parties wait: they throw BrokenBarrierError; the barrier is not broken after', async () => {
    const barrier = await manager.Barrier(3);
    const results = await manager.Queue();
    const workers = [0, 1].map(() => startWorker('barrierWait', [barrier, 5000, results]));
    await until(async () => (await barrier.nWaiting()) === 2, 'two parties wait');
    await barrier.reset();
    for (let i = 0; i < 2; i++) {
      expect(await nextResult(results, 'a reset party')).toEqual({
        error: expect.objectContaining({ name: 'BrokenBarrierError' }),
      });
    }
    await joinOk(...workers);
    expect(await barrier.broken()).toBe(false);
    expect(await barrier.nWaiting()).toBe(0);
  });

  it('a wait that times out breaks it for everyone (its own timeout, or the barrier default)', async () => {
    const barrier = await manager.Barrier(3);
    const results = await manager.Queue();
    const worker = startWorker('barrierWait', [barrier, 5000, results]);
    await until(async () => (await barrier.nWaiting()) === 1, 'a party waits');
    await expect(barrier.wait(50)).rejects.toThrow(BrokenBarrierError);
    expect(await nextResult(results, "the worker's wait")).toEqual({
      error: expect.objectContaining({ name: 'BrokenBarrierError' }),
    });
    await joinOk(worker);
    expect(await barrier.broken()).toBe(true);

    const timed = await manager.Barrier(2, { timeout: 50 });
    const start = performance.now();
    await expect(timed.wait()).rejects.toThrow(BrokenBarrierError);
    expect(performance.now() - start).toBeGreaterThanOrEqual(35);
    expect(await timed.broken()).toBe(true);
  });

  it('an aborted signal on a wait rejects with its reason and breaks the barrier', async () => {
    const barrier = await manager.Barrier(2);
    const controller = new AbortController();
    const reason = new Error('left');
    const waiting = barrier.wait({ signal: controller.signal });
    await until(async () => (await barrier.nWaiting()) === 1, 'the party waits');
    controller.abort(reason);
    await expect(withGuard(waiting, 'the aborted wait')).rejects.toBe(reason);
    expect(await barrier.broken()).toBe(true);
    expect(await barrier.nWaiting()).toBe(0);
  });

  it('a party whose worker is killed while it waits breaks the barrier', async () => {
    const barrier = await manager.Barrier(2);
    await killWhileWaiting(manager, barrier, [['wait']]);
    expect(await barrier.broken()).toBe(true);
    await expect(barrier.wait(1000)).rejects.toThrow(BrokenBarrierError);
    await barrier.reset();
    expect(await barrier.broken()).toBe(false);
  });

  it('bad arguments: parties below 1 is a RangeError; an action is a TypeError (no functions on the server)', async () => {
    await expect(manager.Barrier(0)).rejects.toThrow(RangeError);
    await expect(manager.Barrier(2, { action: () => undefined } as never)).rejects.toThrow(TypeError);
    await expect(manager.Barrier(2, { timeout: Number.POSITIVE_INFINITY })).rejects.toThrow(RangeError);
  });
});
