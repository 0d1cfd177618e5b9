import {
  BoundedSemaphoreProxy,
  InvalidStateError,
  LockProxy,
  Manager,
  RLockProxy,
  SemaphoreProxy,
  TimeoutError,
} from '@ipc/manager';
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

describe('LockProxy (Python threading.Lock, owned per thread)', () => {
  it('acquire/release/locked; block: false and a timeout return false while it is held', async () => {
    const lock = await manager.Lock();
    expect(lock).toBeInstanceOf(LockProxy);
    expect(await lock.locked()).toBe(false);
    expect(await lock.acquire()).toBe(true);
    expect(lock.abandoned).toBe(false);
    expect(await lock.locked()).toBe(true);
    // Not reentrant: the same thread cannot take it again (Python: acquire(False) → False).
    expect(await lock.acquire({ block: false })).toBe(false);
    const start = performance.now();
    expect(await lock.acquire({ timeout: 100 })).toBe(false);
    expect(performance.now() - start).toBeGreaterThanOrEqual(75);
    await lock.release();
    expect(await lock.locked()).toBe(false);
    expect(await lock.acquire({ block: false })).toBe(true);
    await lock.release();
  });

  it('release of an unlocked lock is an InvalidStateError', async () => {
    const lock = await manager.Lock();
    await expect(lock.release()).rejects.toThrow(InvalidStateError);
    await lock.acquire();
    await lock.release();
    await expect(lock.release()).rejects.toThrow(InvalidStateError);
  });

  it('withLock holds it around fn, returns its value, and releases when fn throws', async () => {
    const lock = await manager.Lock();
    expect(await lock.withLock(async () => [await lock.locked(), 42])).toEqual([true, 42]);
    expect(await lock.locked()).toBe(false);
    await expect(
      lock.withLock(() => {
        throw new Error('body failed');
      }),
    ).rejects.toThrow('body failed');
    expect(await lock.locked()).toBe(false);
  });

  it('guard: a disposable that releases; TimeoutError when block: false or the timeout leaves it held', async () => {
    const lock = await manager.Lock();
    {
      await using _ = await lock.guard();
      expect(await lock.locked()).toBe(true);
      await expect(lock.guard({ block: false })).rejects.toThrow(TimeoutError);
      await expect(lock.guard({ timeout: 20 })).rejects.toThrow(TimeoutError);
    }
    expect(await lock.locked()).toBe(false);
    const guard = await lock.guard({ timeout: 1000 });
    expect(await lock.locked()).toBe(true);
    await guard[Symbol.asyncDispose]();
    expect(await lock.locked()).toBe(false);
  });

  it('an aborted signal on a waiting acquire rejects with its reason; the lock is not taken for it', async () => {
    const lock = await manager.Lock();
    await lock.acquire();
    const controller = new AbortController();
    const reason = new Error('cancelled');
    const waiting = lock.acquire({ signal: controller.signal });
    expect(await settledSoon(waiting)).toBe(false);
    controller.abort(reason);
    await expect(withGuard(waiting, 'the aborted acquire')).rejects.toBe(reason);
    await lock.release();
    expect(await lock.locked()).toBe(false);
    await expect(lock.acquire({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(await lock.locked()).toBe(false);
  });

  it("ownership is per thread: a worker's acquire fails or blocks while the main thread holds it", async () => {
    const lock = await manager.Lock();
    const results = await manager.Queue();
    await lock.acquire();
    const trier = startWorker('tryAcquire', [lock, { block: false }, true, results]);
    expect(await nextResult(results, 'block: false in a worker')).toEqual({ acquired: false, abandoned: false });
    await joinOk(trier);
    const timed = startWorker('tryAcquire', [lock, { timeout: 100 }, true, results]);
    expect(await nextResult(results, 'a timed acquire in a worker')).toEqual({ acquired: false, abandoned: false });
    await joinOk(timed);
    const waiter = startWorker('acquireAfterSaying', [lock, results]);
    expect(await nextResult(results, 'the worker waits')).toBe('waiting');
    await sleep(50);
    expect(await results.qsize()).toBe(0);
    await lock.release();
    expect(await nextResult(results, "the worker's acquire")).toEqual({ acquired: true, abandoned: false });
    await joinOk(waiter);
    expect(await lock.locked()).toBe(false);
  });

  it('as Python Lock, another thread may release it', async () => {
    const lock = await manager.Lock();
    const results = await manager.Queue();
    await lock.acquire();
    const releaser = startWorker('releaseOnce', [lock, results]);
    expect(await nextResult(results, "the worker's release")).toEqual({ released: true });
    await joinOk(releaser);
    expect(await lock.locked()).toBe(false);
  });

  it('keeps a read-modify-write of a Value whole across three workers', async () => {
    const lock = await manager.Lock();
    const counter = await manager.Value('i', 0);
    const workers = [0, 1, 2].map(() => startWorker('incrementUnderLock', [lock, counter, 15]));
    await joinOk(...workers);
    expect(await counter.get()).toBe(45);
  });

  it('a worker that ends holding it: the next acquirer gets it, told `abandoned` (once)', async () => {
    const lock = await manager.Lock();
    await joinOk(startWorker('acquireAndExit', [lock, 1]));
    expect(await lock.acquire({ timeout: 5000 })).toBe(true);
    expect(lock.abandoned).toBe(true);
    await lock.release();
    expect(await lock.acquire({ timeout: 5000 })).toBe(true);
    expect(lock.abandoned).toBe(false);
    await lock.release();
  });

  it("a worker waiting for it when its holder's thread ends is woken, told `abandoned`", async () => {
    const lock = await manager.Lock();
    const [held, letGo] = [await manager.Event(), await manager.Event()];
    const results = await manager.Queue();
    const holder = startWorker('holdUntil', [lock, 1, held, letGo]);
    await withGuard(held.wait(), 'the holder has it');
    const waiter = startWorker('acquireAfterSaying', [lock, results]);
    expect(await nextResult(results, 'the worker waits')).toBe('waiting');
    await letGo.set();
    await joinOk(holder);
    expect(await nextResult(results, "the waiter's acquire")).toEqual({ acquired: true, abandoned: true });
    await joinOk(waiter);
    expect(await lock.locked()).toBe(false);
  });

  it('an acquirer whose worker is killed while it waits never takes the lock', async () => {
    const lock = await manager.Lock();
    await lock.acquire();
    await killWhileWaiting(manager, lock, [['acquire']]);
    await lock.release();
    expect(await lock.locked()).toBe(false);
    expect(await lock.acquire({ block: false })).toBe(true);
    expect(lock.abandoned).toBe(false);
    await lock.release();
  });
});

describe('RLockProxy (Python threading.RLock)', () => {
  it('the owner takes it again and again; it is free after as many releases; one too many is an error', async () => {
    const rlock = await manager.RLock();
    expect(rlock).toBeInstanceOf(RLockProxy);
    expect(await rlock.acquire()).toBe(true);
    expect(await rlock.acquire({ block: false })).toBe(true);
    expect(await rlock.acquire({ timeout: 10 })).toBe(true);
    await rlock.release();
    await rlock.release();
    expect(await rlock.locked()).toBe(true);
    await rlock.release();
    expect(await rlock.locked()).toBe(false);
    await expect(rlock.release()).rejects.toThrow(InvalidStateError);
    const nested = await rlock.withLock(() => rlock.withLock(async () => rlock.locked()));
    expect(nested).toBe(true);
    expect(await rlock.locked()).toBe(false);
  });

  it('another thread can neither take it nor release it (InvalidStateError) while the main thread owns it', async () => {
    const rlock = await manager.RLock();
    const results = await manager.Queue();
    await rlock.acquire();
    await rlock.acquire();
    const releaser = startWorker('releaseOnce', [rlock, results]);
    expect(await nextResult(results, "the worker's release")).toEqual({
      error: expect.objectContaining({ name: 'InvalidStateError' }),
    });
    await joinOk(releaser);
    const trier = startWorker('tryAcquire', [rlock, { block: false }, true, results]);
    expect(await nextResult(results, "the worker's acquire")).toEqual({ acquired: false, abandoned: false });
    await joinOk(trier);
    expect(await rlock.locked()).toBe(true);
    await rlock.release();
    await rlock.release();
    const taker = startWorker('tryAcquire', [rlock, { block: false }, true, results]);
    expect(await nextResult(results, "the worker's acquire")).toEqual({ acquired: true, abandoned: false });
    await joinOk(taker);
  });

  it('a worker that ends holding it twice: the next owner gets it abandoned, at depth one', async () => {
    const rlock = await manager.RLock();
    await joinOk(startWorker('acquireAndExit', [rlock, 2]));
    expect(await rlock.acquire({ timeout: 5000 })).toBe(true);
    expect(rlock.abandoned).toBe(true);
    await rlock.release();
    expect(await rlock.locked()).toBe(false);
  });
});

describe('SemaphoreProxy and BoundedSemaphoreProxy (Python threading.Semaphore)', () => {
  it('acquire takes a permit; block: false and a timeout return false with none; release(n) gives n back', async () => {
    const sem = await manager.Semaphore(2);
    expect(sem).toBeInstanceOf(SemaphoreProxy);
    expect(await sem.getValue()).toBe(2);
    expect(await sem.acquire()).toBe(true);
    expect(await sem.acquire({ block: false })).toBe(true);
    expect(await sem.getValue()).toBe(0);
    expect(await sem.acquire({ block: false })).toBe(false);
    expect(await sem.acquire({ timeout: 50 })).toBe(false);
    await sem.release(2);
    expect(await sem.getValue()).toBe(2);
    // A Semaphore (not bounded) may go past its initial value.
    await sem.release();
    expect(await sem.getValue()).toBe(3);
    const reason = new Error('not now');
    await expect(sem.acquire({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    await expect(sem.release(0)).rejects.toThrow(RangeError);
    await expect(manager.Semaphore(-1)).rejects.toThrow(RangeError);
    expect(await (await manager.Semaphore()).getValue()).toBe(1);
  });

  it('withLock holds a permit around fn, given back when fn throws', async () => {
    const sem = await manager.Semaphore(1);
    expect(await sem.withLock(() => sem.getValue())).toBe(0);
    await expect(
      sem.withLock(() => {
        throw new Error('body failed');
      }),
    ).rejects.toThrow('body failed');
    expect(await sem.getValue()).toBe(1);
  });

  it('BoundedSemaphore: releasing past the initial value is an InvalidStateError and changes nothing', async () => {
    const sem = await manager.BoundedSemaphore(2);
    expect(sem).toBeInstanceOf(BoundedSemaphoreProxy);
    await expect(sem.release()).rejects.toThrow(InvalidStateError);
    await sem.acquire();
    await expect(sem.release(2)).rejects.toThrow(InvalidStateError);
    expect(await sem.getValue()).toBe(1);
    await sem.release();
    expect(await sem.getValue()).toBe(2);
    expect(await (await manager.BoundedSemaphore()).getValue()).toBe(1);
  });

  it('release(n) wakes n acquirers waiting in workers', async () => {
    const sem = await manager.Semaphore(0, { robust: false });
    const results = await manager.Queue();
    const waiters = [];
    for (let i = 0; i < 3; i++) {
      const ready = await manager.Event();
      waiters.push(startWorker('callThenReady', [sem, 'acquire', [{ timeout: 5000 }], ready, results]));
      await withGuard(ready.wait(), 'the worker waits for a permit');
    }
    await sem.release(2);
    expect(await nextResult(results, 'a woken acquire')).toEqual({ value: true });
    expect(await nextResult(results, 'a woken acquire')).toEqual({ value: true });
    // Two permits, two woken: the third still waits.
    await sleep(50);
    expect(await results.qsize()).toBe(0);
    await sem.release();
    expect(await nextResult(results, 'the last acquire')).toEqual({ value: true });
    await joinOk(...waiters);
    expect(await sem.getValue()).toBe(0);
  });

  it('lets at most value holders in at once, across workers', async () => {
    const sem = await manager.Semaphore(2);
    const [inside, peak] = [await manager.Value('i', 0), await manager.Value('i', 0)];
    const lock = await manager.Lock();
    const workers = [0, 1, 2].map(() => startWorker('countInside', [sem, inside, lock, peak, 3]));
    await joinOk(...workers);
    expect(await peak.get()).toBeGreaterThanOrEqual(1);
    expect(await peak.get()).toBeLessThanOrEqual(2);
    expect(await inside.get()).toBe(0);
    expect(await sem.getValue()).toBe(2);
  });

  it('a worker that ends holding permits gives them back; with { robust: false } it does not', async () => {
    const robust = await manager.Semaphore(3);
    const bounded = await manager.BoundedSemaphore(2);
    const signalling = await manager.Semaphore(3, { robust: false });
    await joinOk(startWorker('acquireAndExit', [[robust, bounded, signalling], 2]));
    await until(async () => (await robust.getValue()) === 3, 'the robust permits come back');
    // One worker held all three: the end of its connection, which gave the others back, is over.
    expect(await bounded.getValue()).toBe(2);
    expect(await signalling.getValue()).toBe(1);
  });

  it('a worker blocked in acquire gets a permit its holder gave back by ending', async () => {
    const sem = await manager.Semaphore(1);
    const [held, letGo] = [await manager.Event(), await manager.Event()];
    const results = await manager.Queue();
    const holder = startWorker('holdUntil', [sem, 1, held, letGo]);
    await withGuard(held.wait(), 'the holder has the permit');
    const ready = await manager.Event();
    const waiter = startWorker('callThenReady', [sem, 'acquire', [{ timeout: 5000 }], ready, results]);
    await withGuard(ready.wait(), 'the waiter waits');
    const report = nextResult(results, "the waiter's acquire");
    expect(await settledSoon(report)).toBe(false);
    await letGo.set();
    await joinOk(holder);
    expect(await report).toEqual({ value: true });
    await joinOk(waiter);
    // The waiter ended holding it in turn: given back again.
    await until(async () => (await sem.getValue()) === 1, "the waiter's permit comes back");
  });

  it('an acquirer whose worker is killed while it waits never takes a permit', async () => {
    const sem = await manager.Semaphore(0, { robust: false });
    await killWhileWaiting(manager, sem, [['acquire']]);
    await sem.release();
    expect(await sem.getValue()).toBe(1);
  });

  it('a BoundedSemaphore never goes past its bound when permits come back from a thread that ended', async () => {
    // The worker takes the only permit; the main thread releases one (allowed: the value is 0); then the
    // worker ends. Giving its permit back too would make the value 2, past the bound of 1.
    const sem = await manager.BoundedSemaphore(1);
    // Held by the same worker: once its permit is back, the worker's connection end has been handled.
    const probe = await manager.Semaphore(1);
    const [held, letGo] = [await manager.Event(), await manager.Event()];
    const holder = startWorker('holdUntil', [[sem, probe], 1, held, letGo]);
    await withGuard(held.wait(), 'the holder has the permit');
    await sem.release();
    expect(await sem.getValue()).toBe(1);
    await letGo.set();
    await joinOk(holder);
    await until(async () => (await probe.getValue()) === 1, "the end of the holder's connection");
    expect(await sem.getValue()).toBe(1);
    await expect(sem.release()).rejects.toThrow(InvalidStateError);
  });
});
