import { Futex, revive, share } from '@ipc/core';
import { Process } from '@ipc/process';
import { Event } from '@ipc/sync';
import { describe, expect, it } from 'vitest';
import { changed, GUARD_MS, joinAll, reached, withGuard } from './helpers.ts';
import { NOTIFIED, parkedOn, rawEventWorker, rejection, timed, until, waitTarget } from './wait-helpers.ts';

describe('Event in one thread', () => {
  it('starts clear; set() and clear() change isSet(), and setting twice is harmless', () => {
    const event = new Event();
    expect(event.isSet()).toBe(false);
    event.set();
    expect(event.isSet()).toBe(true);
    event.set();
    expect(event.isSet()).toBe(true);
    event.clear();
    expect(event.isSet()).toBe(false);
    event.clear();
    expect(event.isSet()).toBe(false);
  });

  it('wait() and waitSync() return true at once when the event is set', async () => {
    const event = new Event();
    event.set();
    const sync = await timed(() => event.waitSync(GUARD_MS));
    const async = await timed(() => withGuard(event.wait(GUARD_MS), 'wait on a set event'));
    expect(sync.value).toBe(true);
    expect(async.value).toBe(true);
    expect(await event.wait()).toBe(true);
    expect(event.waitSync(0)).toBe(true);
    expect(sync.ms).toBeLessThan(100);
    expect(async.ms).toBeLessThan(100);
  });

  it('a 200 ms wait on a clear event returns false after >= 175 ms and < 1 s, both forms', async () => {
    const event = new Event();
    const sync = await timed(() => event.waitSync(200));
    expect(sync.value).toBe(false);
    expect(sync.ms).toBeGreaterThanOrEqual(175);
    expect(sync.ms).toBeLessThan(1000);
    const async = await timed(() => event.wait({ timeout: 200 }));
    expect(async.value).toBe(false);
    expect(async.ms).toBeGreaterThanOrEqual(175);
    expect(async.ms).toBeLessThan(1000);
  });

  it('a zero or negative timeout on a clear event returns false at once', async () => {
    const event = new Event();
    const { value, ms } = await timed(async () => [event.waitSync(0), event.waitSync(-5), await event.wait(-5)]);
    expect(value).toEqual([false, false, false]);
    expect(ms).toBeLessThan(100);
  });

  it('a set() followed at once by clear() still wakes a parked waiter with true (Python behaviour)', async () => {
    const event = new Event();
    // wait() parks before it returns its promise, so the waiter is asleep when set() runs.
    const parked = event.wait(2000);
    expect(parkedOn(event)).toBe(1);
    event.set();
    event.clear();
    const { value, ms } = await timed(() => withGuard(parked, 'wake-up by set()'));
    expect(value).toBe(true);
    expect(ms).toBeLessThan(1000);
    expect(event.isSet()).toBe(false);
    // A wait that starts after the clear() does not see that set().
    expect(await event.wait(50)).toBe(false);
  });

  it('an abort signal rejects a pending wait with its reason; an aborted one rejects at once', async () => {
    const event = new Event();
    const controller = new AbortController();
    const pending = event.wait({ signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop waiting')), 30);
    const { error, ms } = await rejection(pending, 'abort of a pending wait');
    expect(error).toEqual(new Error('stop waiting'));
    expect(ms).toBeLessThan(1000);
    const aborted = AbortSignal.abort(new Error('already'));
    await expect(event.wait({ signal: aborted })).rejects.toThrow('already');
    expect(() => event.waitSync({ signal: aborted })).toThrow('already');
    // The signal does not hide the flag: once set, a wait with a live signal returns true.
    event.set();
    expect(await event.wait({ signal: new AbortController().signal, timeout: 10 })).toBe(true);
  });

  it('refuses bad timeouts: NaN and Infinity with RangeError, a string with TypeError', async () => {
    const event = new Event();
    expect(() => event.waitSync(Number.NaN)).toThrow(RangeError);
    expect(() => event.waitSync(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => event.waitSync({ timeout: Number.NEGATIVE_INFINITY })).toThrow(RangeError);
    expect(() => event.waitSync('10' as unknown as number)).toThrow(TypeError);
    expect(() => event.waitSync({ signal: 'no' as unknown as AbortSignal })).toThrow(TypeError);
    await expect(event.wait(Number.NaN)).rejects.toThrow(RangeError);
    await expect(event.wait(Number.POSITIVE_INFINITY)).rejects.toThrow(RangeError);
    await expect(event.wait({ timeout: '10' as unknown as number })).rejects.toThrow(TypeError);
    // Refused even when the event is set: the argument is checked before the flag.
    event.set();
    expect(() => event.waitSync(Number.NaN)).toThrow(RangeError);
  });
});

describe('Event across workers', () => {
  it("a worker's set() wakes a waiter in the main thread without blocking its event loop", async () => {
    const event = new Event();
    const setter = new Process({ target: waitTarget('setEventLater'), args: [event, 100] });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    setter.start();
    const { value, ms } = await timed(() => withGuard(event.wait(GUARD_MS), 'set() by a worker'));
    clearInterval(timer);
    expect(value).toBe(true);
    expect(ms).toBeGreaterThanOrEqual(75);
    expect(ticks).toBeGreaterThan(3);
    expect(event.isSet()).toBe(true);
    expect(await joinAll([setter])).toEqual([0]);
  });

  it('one set() wakes parked waiters in several workers, sync and async forms', async () => {
    const event = new Event();
    const ready = new Futex(0);
    const results = Array.from({ length: 4 }, () => new Futex(0));
    const waiters = results.map(
      (result, i) =>
        new Process({ target: waitTarget('waitForEvent'), args: [event, ready, result, GUARD_MS, i % 2 === 0] }),
    );
    for (const w of waiters) w.start();
    await reached(ready, 4);
    await until(() => parkedOn(event) === 4, 'four waiters asleep on the event');
    event.set();
    for (const result of results) expect(await changed(result)).toBe(NOTIFIED);
    expect(await joinAll(waiters)).toEqual([0, 0, 0, 0]);
  });

  it('a set() followed at once by clear() wakes every parked worker with true', async () => {
    const event = new Event();
    const ready = new Futex(0);
    const results = Array.from({ length: 3 }, () => new Futex(0));
    const waiters = results.map(
      (result) => new Process({ target: waitTarget('waitForEvent'), args: [event, ready, result, 5000, true] }),
    );
    for (const w of waiters) w.start();
    await reached(ready, 3);
    await until(() => parkedOn(event) === 3, 'three waiters asleep on the event');
    event.set();
    event.clear();
    // A waiter that missed the set() would time out after 5 s and report -1 instead.
    for (const result of results) expect(await changed(result)).toBe(NOTIFIED);
    expect(event.isSet()).toBe(false);
    expect(await joinAll(waiters)).toEqual([0, 0, 0]);
  });

  it('crosses raw worker_threads through share()/revive() as the same live event', async () => {
    const event = new Event();
    expect(revive(share(event))).toBe(event);
    const ready = new Futex(0);
    const { worker, message } = rawEventWorker({ event: share(event), ready: share(ready), timeout: GUARD_MS });
    const exited = withGuard(new Promise((resolve) => worker.once('exit', resolve)), 'raw worker exit');
    await changed(ready);
    await until(() => parkedOn(event) === 1, 'the raw worker asleep on the event');
    event.set();
    expect(await message).toEqual({ woke: true, sawSet: true, isEvent: true });
    // The worker cleared the event after waking: the main thread sees it, the memory is the same.
    expect(event.isSet()).toBe(false);
    await exited;
  });
});
