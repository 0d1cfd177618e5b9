import { threadId } from 'node:worker_threads';
import { Futex, revive, share } from '@ipc/core';
import { Process } from '@ipc/process';
import { Barrier, BrokenBarrierError, LIVENESS_POLL_MS } from '@ipc/sync';
import { describe, expect, it } from 'vitest';
import { changed, GUARD_MS, joinAll, withGuard } from './helpers.ts';
import { BROKEN, rejection, until, waitTarget } from './wait-helpers.ts';

/**
 * Starts a worker that waits once at the barrier (waitAtBarrier in wait-targets.mjs), blocking (`sync`, the
 * default) or not, with `timeout` (GUARD_MS unless given; given as undefined, the barrier's default).
 */
function startParty(barrier: Barrier, options: { sync?: boolean; timeout?: number | undefined } = {}) {
  const { sync = true } = options;
  const timeout = 'timeout' in options ? options.timeout : GUARD_MS;
  const result = new Futex(0);
  const thread = new Futex(0);
  const process = new Process({ target: waitTarget('waitAtBarrier'), args: [barrier, result, timeout, sync, thread] });
  process.start();
  return { process, result, thread };
}

/** Waits until `n` parties wait at the barrier. */
function waitingParties(barrier: Barrier, n: number): Promise<void> {
  return until(() => barrier.nWaiting === n, `${n} parties waiting at the barrier`);
}

describe('Barrier in one thread', () => {
  it('reports parties and nWaiting, and gives each party of a generation a distinct index 0..parties-1', async () => {
    const barrier = new Barrier(3);
    expect(barrier.parties).toBe(3);
    for (let generation = 0; generation < 2; generation++) {
      expect(barrier.nWaiting).toBe(0);
      const first = barrier.wait(GUARD_MS);
      expect(barrier.nWaiting).toBe(1);
      const second = barrier.wait(GUARD_MS);
      expect(barrier.nWaiting).toBe(2);
      const last = barrier.wait(GUARD_MS);
      const indices = await withGuard(Promise.all([first, second, last]), 'a generation to pass');
      expect(indices).toEqual([0, 1, 2]);
      expect(barrier.nWaiting).toBe(0);
      expect(barrier.broken).toBe(false);
    }
  });

  it('a barrier of one party passes at once with index 0, running its action each time', async () => {
    let runs = 0;
    const barrier = new Barrier(1, { action: () => runs++ });
    expect(barrier.waitSync()).toBe(0);
    expect(await barrier.wait()).toBe(0);
    expect(runs).toBe(2);
  });

  it('refuses bad parties with RangeError, and bad options and timeouts', async () => {
    for (const parties of [0, -1, 1.5, 70_000, Number.NaN]) expect(() => new Barrier(parties)).toThrow(RangeError);
    expect(() => new Barrier('3' as unknown as number)).toThrow(TypeError);
    expect(() => new Barrier(2, { timeout: Number.NaN })).toThrow(RangeError);
    expect(() => new Barrier(2, { action: 'run' as unknown as () => void })).toThrow(TypeError);
    expect(new Barrier(65_535).parties).toBe(65_535);
    const barrier = new Barrier(2);
    expect(() => barrier.waitSync(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    await expect(barrier.wait(Number.NaN)).rejects.toThrow(RangeError);
    await expect(barrier.wait('10' as unknown as number)).rejects.toThrow(TypeError);
    // A refused wait did not arrive.
    expect(barrier.nWaiting).toBe(0);
  });

  it('a timed-out wait throws BrokenBarrierError after >= 175 ms and < 1 s and breaks the barrier', async () => {
    const barrier = new Barrier(3);
    const other = barrier.wait(GUARD_MS);
    const { error, ms } = await rejection(barrier.wait(200), 'timed-out wait');
    expect(error).toBeInstanceOf(BrokenBarrierError);
    expect(ms).toBeGreaterThanOrEqual(175);
    expect(ms).toBeLessThan(1000);
    expect(barrier.broken).toBe(true);
    expect((await rejection(other, 'the other party')).error).toBeInstanceOf(BrokenBarrierError);
    barrier.reset();
    // The blocking form, with the other party in this thread too.
    const again = barrier.wait(GUARD_MS);
    const start = performance.now();
    expect(() => barrier.waitSync(200)).toThrow(BrokenBarrierError);
    const took = performance.now() - start;
    expect(took).toBeGreaterThanOrEqual(175);
    expect(took).toBeLessThan(1000);
    expect((await rejection(again, 'the other party')).error).toBeInstanceOf(BrokenBarrierError);
    expect(barrier.broken).toBe(true);
  });

  it('the default timeout from the constructor applies to both forms; an explicit timeout overrides it', async () => {
    const barrier = new Barrier(2, { timeout: 200 });
    const async = await rejection(barrier.wait(), 'wait with the default timeout');
    expect(async.error).toBeInstanceOf(BrokenBarrierError);
    expect(async.ms).toBeGreaterThanOrEqual(175);
    expect(async.ms).toBeLessThan(1000);
    barrier.reset();
    const withSignal = await rejection(barrier.wait({ signal: new AbortController().signal }), 'wait with a signal');
    expect(withSignal.error).toBeInstanceOf(BrokenBarrierError);
    expect(withSignal.ms).toBeGreaterThanOrEqual(175);
    barrier.reset();
    const start = performance.now();
    expect(() => barrier.waitSync()).toThrow(BrokenBarrierError);
    expect(performance.now() - start).toBeGreaterThanOrEqual(175);
    barrier.reset();
    // A partner that arrives after 400 ms: within the explicit timeout, past the default one.
    const first = barrier.wait(GUARD_MS);
    const second = new Promise<number>((resolve) => setTimeout(() => resolve(barrier.wait(GUARD_MS)), 400));
    expect(await withGuard(Promise.all([first, second]), 'a pass with explicit timeouts')).toEqual([0, 1]);
  });

  it('an abort signal rejects the wait with its reason and breaks the barrier', async () => {
    const barrier = new Barrier(3);
    const other = barrier.wait(GUARD_MS);
    const controller = new AbortController();
    const aborted = barrier.wait({ signal: controller.signal });
    setTimeout(() => controller.abort(new Error('leave the barrier')), 30);
    expect((await rejection(aborted, 'aborted wait')).error).toEqual(new Error('leave the barrier'));
    expect(barrier.broken).toBe(true);
    expect((await rejection(other, 'the other party')).error).toBeInstanceOf(BrokenBarrierError);
  });
});

describe('Barrier across workers', () => {
  it('8 Process workers pass a barrier of 8 parties 100 times, each generation a permutation of indices', async () => {
    const parties = 8;
    const rounds = 100;
    const barrier = new Barrier(parties);
    const arrived = new Futex(0);
    const errors = new Futex(0);
    const masks = Array.from({ length: rounds }, () => new Futex(0));
    const workers = Array.from(
      { length: parties },
      (_, i) =>
        new Process({
          target: waitTarget('cycleBarrier'),
          args: [barrier, rounds, arrived, masks, errors, i % 2 === 0],
        }),
    );
    for (const w of workers) w.start();
    expect(await joinAll(workers)).toEqual(Array(parties).fill(0));
    expect(errors.load()).toBe(0);
    expect(arrived.load()).toBe(parties * rounds);
    expect(masks.map((m) => m.load())).toEqual(Array(rounds).fill(2 ** parties - 1));
    expect(barrier.nWaiting).toBe(0);
    expect(barrier.broken).toBe(false);
  });

  it('the action runs exactly once per generation, in the main thread arriving last, before anyone passes', async () => {
    const rounds = 3;
    const arrived = new Futex(0);
    const errors = new Futex(0);
    const masks = Array.from({ length: rounds }, () => new Futex(0));
    const runs: Array<{ thread: number; passedBefore: number }> = [];
    const barrier = new Barrier(3, {
      action: () => runs.push({ thread: threadId, passedBefore: masks[runs.length]?.load() ?? -1 }),
    });
    const workers = [true, false].map(
      (sync) =>
        new Process({ target: waitTarget('cycleBarrier'), args: [barrier, rounds, arrived, masks, errors, sync] }),
    );
    for (const w of workers) w.start();
    for (const [round, mask] of masks.entries()) {
      await waitingParties(barrier, 2);
      arrived.add(1);
      expect(await withGuard(barrier.wait(GUARD_MS), `round ${round}`)).toBe(2);
      mask.add(1 << 2);
    }
    expect(await joinAll(workers)).toEqual([0, 0]);
    expect(errors.load()).toBe(0);
    expect(runs).toEqual(Array(rounds).fill({ thread: threadId, passedBefore: 0 }));
    expect(masks.map((m) => m.load())).toEqual(Array(rounds).fill(7));
  });

  it("setAction gives a worker's barrier object an action, run there when it arrives last", async () => {
    let mainRuns = 0;
    const barrier = new Barrier(3, { action: () => mainRuns++ });
    const first = barrier.wait(GUARD_MS);
    const second = startParty(barrier);
    await waitingParties(barrier, 2);
    const runs = new Futex(0);
    const actionThread = new Futex(0);
    const result = new Futex(0);
    const last = new Process({
      target: waitTarget('waitAtBarrierWithAction'),
      args: [barrier, runs, actionThread, result],
    });
    last.start();
    expect(await withGuard(first, 'the main party')).toBe(0);
    expect(await changed(second.result)).toBe(1 + 1);
    expect(await changed(result)).toBe(1 + 2);
    expect(runs.load()).toBe(1);
    expect(actionThread.load()).toBe(last.pid);
    expect(mainRuns).toBe(0);
    expect(await joinAll([second.process, last])).toEqual([0, 0]);
  });

  it('an action that throws breaks the barrier: its party gets the error, the others BrokenBarrierError', async () => {
    const failure = new Error('action failed');
    const barrier = new Barrier(3, {
      action: () => {
        throw failure;
      },
    });
    const parties = [startParty(barrier), startParty(barrier, { sync: false })];
    await waitingParties(barrier, 2);
    expect((await rejection(barrier.wait(GUARD_MS), 'the last party')).error).toBe(failure);
    for (const p of parties) expect(await changed(p.result)).toBe(BROKEN);
    expect(barrier.broken).toBe(true);
    await expect(barrier.wait(GUARD_MS)).rejects.toThrow(BrokenBarrierError);
    expect(await joinAll(parties.map((p) => p.process))).toEqual([0, 0]);
  });

  it('a timeout that passes while the last party runs the action does not break that generation', async () => {
    const barrier = new Barrier(3, {
      action: () => {
        const until = performance.now() + 1600;
        while (performance.now() < until);
      },
    });
    // Both parties time out 1 s after they arrive, during the 1.6 s action: they pass, as in Python.
    const parties = [startParty(barrier, { timeout: 1000 }), startParty(barrier, { sync: false, timeout: 1000 })];
    await waitingParties(barrier, 2);
    expect(await barrier.wait(GUARD_MS)).toBe(2);
    const indices = await Promise.all(parties.map((p) => changed(p.result)));
    expect(indices.sort()).toEqual([1, 2]);
    expect(barrier.broken).toBe(false);
    expect(await joinAll(parties.map((p) => p.process))).toEqual([0, 0]);
  });

  it('abort() breaks the barrier for the parties waiting and for later ones', async () => {
    const barrier = new Barrier(3);
    const parties = [startParty(barrier), startParty(barrier, { sync: false })];
    await waitingParties(barrier, 2);
    barrier.abort();
    expect(barrier.broken).toBe(true);
    for (const p of parties) expect(await changed(p.result)).toBe(BROKEN);
    // They left: nobody waits at a broken barrier (Python's n_waiting is back to 0 too).
    expect(barrier.nWaiting).toBe(0);
    const later = await rejection(barrier.wait(GUARD_MS), 'a later wait');
    expect(later.error).toBeInstanceOf(BrokenBarrierError);
    expect(later.ms).toBeLessThan(100);
    expect(() => barrier.waitSync(GUARD_MS)).toThrow(BrokenBarrierError);
    expect(await joinAll(parties.map((p) => p.process))).toEqual([0, 0]);
  });

  it('reset() fails the waiting parties with BrokenBarrierError and leaves the barrier usable', async () => {
    const barrier = new Barrier(3);
    const waiting = [startParty(barrier), startParty(barrier, { sync: false })];
    await waitingParties(barrier, 2);
    barrier.reset();
    for (const p of waiting) expect(await changed(p.result)).toBe(BROKEN);
    expect(barrier.broken).toBe(false);
    expect(barrier.nWaiting).toBe(0);
    // A whole new generation passes: two workers and the main thread.
    const next = [startParty(barrier), startParty(barrier)];
    await waitingParties(barrier, 2);
    expect(await withGuard(barrier.wait(GUARD_MS), 'the new generation')).toBe(2);
    const indices = await Promise.all(next.map((p) => changed(p.result)));
    expect(indices.sort()).toEqual([1, 2]);
    // The same after abort(): reset() clears the broken state.
    barrier.abort();
    barrier.reset();
    expect(barrier.broken).toBe(false);
    expect(await joinAll([...waiting, ...next].map((p) => p.process))).toEqual([0, 0, 0, 0]);
  });

  it('the default timeout travels with the barrier to a worker', async () => {
    const barrier = new Barrier(2, { timeout: 200 });
    expect(revive(share(barrier))).toBe(barrier);
    const start = performance.now();
    const alone = startParty(barrier, { timeout: undefined });
    expect(await changed(alone.result)).toBe(BROKEN);
    expect(performance.now() - start).toBeGreaterThanOrEqual(175);
    expect(barrier.broken).toBe(true);
    expect(await joinAll([alone.process])).toEqual([0]);
  });

  it('a party terminated while waiting breaks the barrier for the others instead of hanging', async () => {
    const barrier = new Barrier(4);
    const doomed = startParty(barrier);
    const survivor = startParty(barrier);
    await waitingParties(barrier, 2);
    const main = barrier.wait();
    doomed.process.terminate();
    const diedAt = performance.now();
    // Bound: LIVENESS_POLL_MS to notice, plus the worker's exit time.
    const { error, ms } = await rejection(main, 'the main party');
    expect(error).toBeInstanceOf(BrokenBarrierError);
    expect(ms).toBeLessThan(LIVENESS_POLL_MS + 1000);
    expect(await changed(survivor.result)).toBe(BROKEN);
    expect(performance.now() - diedAt).toBeLessThan(LIVENESS_POLL_MS + 1000);
    expect(barrier.broken).toBe(true);
    expect(await joinAll([doomed.process, survivor.process])).toEqual([-15, 0]);
  });

  it('reset() returns, and the barrier works again, after the last party died running the action', async () => {
    const barrier = new Barrier(2);
    const inAction = new Futex(0);
    const first = barrier.wait(GUARD_MS);
    const last = new Process({ target: waitTarget('hangInAction'), args: [barrier, inAction] });
    last.start();
    await changed(inAction);
    last.terminate();
    expect((await rejection(first, 'the waiting party')).error).toBeInstanceOf(BrokenBarrierError);
    // reset() runs in a worker: if it waited for ever for the dead party's action, the guard would fail.
    const done = new Futex(0);
    const resetter = new Process({ target: waitTarget('resetBarrier'), args: [barrier, done] });
    resetter.start();
    expect(await changed(done)).toBe(1);
    expect(barrier.broken).toBe(false);
    const again = startParty(barrier);
    await waitingParties(barrier, 1);
    expect(await withGuard(barrier.wait(GUARD_MS), 'a pass after reset()')).toBe(1);
    expect(await changed(again.result)).toBe(1 + 0);
    expect(await joinAll([last, resetter, again.process])).toEqual([-15, 0, 0]);
  });
});
