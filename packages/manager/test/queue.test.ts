import { Empty, Full, InvalidStateError, JoinableQueueProxy, Manager, QueueProxy, ShutDown } from '@ipc/manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withGuard } from './helpers.ts';
import { joinOk, killWhileWaiting, nextResult, settledSoon, startWorker } from './proxy-helpers.ts';

let manager: Manager;
beforeAll(async () => {
  manager = await withGuard(Manager.start(), 'Manager.start()');
});
afterAll(async () => {
  await withGuard(manager.shutdown(), 'manager.shutdown()');
});

describe('QueueProxy (Python queue.Queue)', () => {
  it('put/get in FIFO order; qsize, empty and full follow maxsize', async () => {
    const q = await manager.Queue<unknown>(2);
    expect(q).toBeInstanceOf(QueueProxy);
    expect(await q.empty()).toBe(true);
    expect(await q.full()).toBe(false);
    expect(await q.qsize()).toBe(0);
    await q.put({ n: 1 });
    expect(await q.empty()).toBe(false);
    await q.put([2]);
    expect(await q.full()).toBe(true);
    expect(await q.qsize()).toBe(2);
    expect(await q.get()).toEqual({ n: 1 });
    expect(await q.get()).toEqual([2]);
    expect(await q.empty()).toBe(true);
    // maxsize ≤ 0: unbounded, never full.
    const unbounded = await manager.Queue(-1);
    for (let i = 0; i < 100; i++) await unbounded.putNowait(i);
    expect(await unbounded.full()).toBe(false);
    expect(await unbounded.qsize()).toBe(100);
    await expect(manager.Queue(1.5)).rejects.toThrow(TypeError);
  });

  it('putNowait on a full queue throws Full; getNowait on an empty one throws Empty', async () => {
    const q = await manager.Queue<number>(1);
    await expect(q.getNowait()).rejects.toThrow(Empty);
    await expect(q.get({ block: false })).rejects.toThrow(Empty);
    await q.putNowait(1);
    await expect(q.putNowait(2)).rejects.toThrow(Full);
    await expect(q.put(2, { block: false })).rejects.toThrow(Full);
    expect(await q.qsize()).toBe(1);
    expect(await q.getNowait()).toBe(1);
  });

  it('timeouts are milliseconds: a 200 ms get waits about that long, then Empty; a timed put, Full', async () => {
    const q = await manager.Queue<number>(1);
    const start = performance.now();
    await expect(q.get({ timeout: 200 })).rejects.toThrow(Empty);
    const waited = performance.now() - start;
    expect(waited).toBeGreaterThanOrEqual(175);
    expect(waited).toBeLessThan(2000);
    await q.put(1);
    const putStart = performance.now();
    await expect(q.put(2, { timeout: 100 })).rejects.toThrow(Full);
    expect(performance.now() - putStart).toBeGreaterThanOrEqual(75);
    // A timed get that finds an item returns it at once.
    expect(await q.get({ timeout: 200 })).toBe(1);
  });

  it('a blocked get is woken by a put from a worker; a blocked put by a get', async () => {
    const q = await manager.Queue<string>(1);
    const waiting = q.get();
    expect(await settledSoon(waiting)).toBe(false);
    await joinOk(startWorker('produce', [q, ['from worker']]));
    expect(await withGuard(waiting, 'the get woken by the worker')).toBe('from worker');
    // A worker blocks putting into a full queue until the main thread gets.
    await q.put('first');
    const ready = await manager.Event();
    const results = await manager.Queue();
    const putter = startWorker('putBlocking', [q, 'second', ready, results]);
    expect(await withGuard(ready.wait(), 'the putter waits')).toBe(true);
    expect(await q.get()).toBe('first');
    expect(await nextResult(results, 'the put done')).toEqual({ done: true });
    expect(await q.get()).toBe('second');
    await joinOk(putter);
  });

  it('an aborted signal on a waiting get rejects with its reason and takes no item: another getter gets it', async () => {
    const q = await manager.Queue<string>();
    const controller = new AbortController();
    const reason = new Error('no longer wanted');
    const aborted = q.get({ signal: controller.signal });
    expect(await settledSoon(aborted)).toBe(false);
    controller.abort(reason);
    await expect(withGuard(aborted, 'the aborted get')).rejects.toBe(reason);
    // A getter in a worker, then the item: it goes to the worker, not to the cancelled get.
    const results = await manager.Queue();
    const getter = startWorker('getOnce', [q, { timeout: 5000 }, results]);
    await q.put('item');
    expect(await nextResult(results, "the worker's get")).toEqual({ value: 'item' });
    await joinOk(getter);
    expect(await q.qsize()).toBe(0);
    // A signal aborted before the call: rejected at once with its reason, nothing taken.
    await q.put('kept');
    await expect(q.get({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(await q.getNowait()).toBe('kept');
  });

  it('an aborted signal on a waiting put rejects with its reason and puts nothing', async () => {
    const q = await manager.Queue<string>(1);
    await q.put('a');
    const controller = new AbortController();
    const put = q.put('b', { signal: controller.signal });
    expect(await settledSoon(put)).toBe(false);
    controller.abort(new Error('stop'));
    await expect(withGuard(put, 'the aborted put')).rejects.toThrow('stop');
    expect(await q.getNowait()).toBe('a');
    await expect(q.getNowait()).rejects.toThrow(Empty);
  });

  it('a getter whose worker is killed while it waits takes no item: the next put goes to a live getter', async () => {
    const q = await manager.Queue<string>();
    await killWhileWaiting(manager, q, [['get']]);
    await q.put('not lost');
    expect(await q.qsize()).toBe(1);
    expect(await q.getNowait()).toBe('not lost');
  });

  it('a putter whose worker is killed while it waits on a full queue puts nothing', async () => {
    const q = await manager.Queue<string>(1);
    await q.put('first');
    await killWhileWaiting(manager, q, [['put', ['from the killed worker']]]);
    expect(await q.getNowait()).toBe('first');
    expect(await q.empty()).toBe(true);
  });

  // setTimeout holds at most 2^31 - 1 ms: the server's waits re-arm their timer until the deadline.
  it('a timeout past 2^31 - 1 ms waits, as a long timeout should (not Empty after 1 ms)', async () => {
    const q = await manager.Queue<string>();
    const waiting = q.get({ timeout: 2 ** 31 });
    expect(await settledSoon(waiting)).toBe(false);
    await q.put('late');
    expect(await withGuard(waiting, 'the long get')).toBe('late');
  });

  it('shutdown: puts throw ShutDown; gets drain what is left, then throw ShutDown', async () => {
    const q = await manager.Queue<number>();
    await q.put(1);
    await q.put(2);
    await q.shutdown();
    await expect(q.put(3)).rejects.toThrow(ShutDown);
    await expect(q.putNowait(3)).rejects.toThrow(ShutDown);
    expect(await q.get()).toBe(1);
    expect(await q.getNowait()).toBe(2);
    await expect(q.get()).rejects.toThrow(ShutDown);
    await expect(q.getNowait()).rejects.toThrow(ShutDown);
    await expect(q.get({ timeout: 5000 })).rejects.toThrow(ShutDown);
  });

  it('shutdown wakes blocked getters (in a worker too) and blocked putters with ShutDown', async () => {
    const q = await manager.Queue<string>(1);
    const results = await manager.Queue();
    const getter = startWorker('getOnce', [q, undefined, results]);
    const mainGetter = q.get();
    expect(await settledSoon(mainGetter)).toBe(false);
    await q.shutdown();
    await expect(withGuard(mainGetter, 'the woken get')).rejects.toThrow(ShutDown);
    expect(await nextResult(results, "the worker's get")).toEqual({
      error: expect.objectContaining({ name: 'ShutDown' }),
    });
    await joinOk(getter);

    const full = await manager.Queue<string>(1);
    await full.put('x');
    const ready = await manager.Event();
    const putter = startWorker('putBlocking', [full, 'y', ready, results]);
    await withGuard(ready.wait(), 'the putter waits');
    await full.shutdown();
    expect(await nextResult(results, "the worker's put")).toEqual({
      error: expect.objectContaining({ name: 'ShutDown' }),
    });
    await joinOk(putter);
    expect(await full.get()).toBe('x');
  });

  it('shutdown({ immediate: true }) drops the items: gets throw ShutDown at once, join returns', async () => {
    const q = await manager.JoinableQueue<number>();
    await q.put(1);
    await q.put(2);
    await q.shutdown({ immediate: true });
    expect(await q.qsize()).toBe(0);
    expect(await q.empty()).toBe(true);
    await expect(q.get()).rejects.toThrow(ShutDown);
    await expect(q.put(3)).rejects.toThrow(ShutDown);
    await withGuard(q.join(), 'join after an immediate shutdown');
  });

  it('shutdown({ immediate: true }) counts only the dropped items done: a got item still holds join', async () => {
    // Python 3.13: the items removed count as done; an item already got must still be marked done.
    const q = await manager.JoinableQueue<number>();
    await q.put(1);
    await q.put(2);
    await q.put(3);
    expect(await q.get()).toBe(1);
    const joined = q.join();
    expect(await settledSoon(joined)).toBe(false);
    await q.shutdown({ immediate: true });
    expect(await settledSoon(joined)).toBe(false);
    await q.taskDone();
    await withGuard(joined, 'join after the got item is done');
    await expect(q.taskDone()).rejects.toThrow(InvalidStateError);
  });

  it('shutdown({ immediate: true }) wakes a waiting join when nothing is left unfinished', async () => {
    const q = await manager.JoinableQueue<number>();
    await q.put(1);
    const joined = q.join();
    expect(await settledSoon(joined)).toBe(false);
    await q.shutdown({ immediate: true });
    await withGuard(joined, 'the woken join');
  });

  it('for await ends once the queue is shut down and drained, in the main thread and in a worker', async () => {
    const q = await manager.Queue<number>();
    await q.put(1);
    await q.put(2);
    await q.shutdown();
    const seen: number[] = [];
    for await (const item of q) seen.push(item);
    expect(seen).toEqual([1, 2]);

    const work = await manager.Queue<number>(3);
    const results = await manager.Queue<number[]>();
    const consumer = startWorker('consumeAll', [work, results]);
    const producer = startWorker('produce', [work, [10, 11, 12, 13, 14]]);
    await joinOk(producer);
    await work.shutdown();
    expect(await nextResult(results, "the consumer's items")).toEqual([10, 11, 12, 13, 14]);
    await joinOk(consumer);
  });
});

describe('JoinableQueueProxy (Python JoinableQueue: taskDone, join)', () => {
  it('taskDone called more often than items were put is an InvalidStateError', async () => {
    const q = await manager.JoinableQueue<number>();
    expect(q).toBeInstanceOf(JoinableQueueProxy);
    await expect(q.taskDone()).rejects.toThrow(InvalidStateError);
    await q.put(1);
    await q.get();
    await q.taskDone();
    await expect(q.taskDone()).rejects.toThrow(InvalidStateError);
  });

  it('join returns at once with nothing unfinished, and waits until every item got is marked done', async () => {
    const q = await manager.JoinableQueue<number>();
    await withGuard(q.join(), 'join of an empty queue');
    await q.put(1);
    await q.put(2);
    const joined = q.join();
    expect(await q.get()).toBe(1);
    await q.taskDone();
    expect(await settledSoon(joined)).toBe(false);
    expect(await q.get()).toBe(2);
    expect(await settledSoon(joined)).toBe(false);
    await q.taskDone();
    await withGuard(joined, 'join after the last taskDone');
  });

  it('a worker marks the items done; the main thread joins (Python JoinableQueue producer/consumer)', async () => {
    const q = await manager.JoinableQueue<string>();
    const results = await manager.Queue<string[]>();
    const items = ['a', 'b', 'c', 'd'];
    for (const item of items) await q.put(item);
    const consumer = startWorker('consumeAndMarkDone', [q, items.length, results]);
    await withGuard(q.join(), 'join while the worker marks the items done');
    expect(await nextResult(results, "the consumer's items")).toEqual(items);
    await joinOk(consumer);
    await expect(q.taskDone()).rejects.toThrow(InvalidStateError);
  });

  it('an aborted signal on join rejects with its reason; the queue is unchanged', async () => {
    const q = await manager.JoinableQueue<number>();
    await q.put(1);
    const controller = new AbortController();
    const joined = q.join({ signal: controller.signal });
    expect(await settledSoon(joined)).toBe(false);
    const reason = new Error('gave up');
    controller.abort(reason);
    await expect(withGuard(joined, 'the aborted join')).rejects.toBe(reason);
    expect(await q.get()).toBe(1);
    await q.taskDone();
    await withGuard(q.join(), 'join once done');
  });
});
