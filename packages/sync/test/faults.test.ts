import { share } from '@ipc/core';
import { Barrier, BoundedSemaphore, Lock, RLock, Semaphore } from '@ipc/sync';
import { describe, expect, it } from 'vitest';
import { prng, SEED } from '../../../tooling/test/prng.ts';
import { terminateHoldersAtRandom } from './fault-injection.ts';
import { GUARD_MS, rawWorker } from './helpers.ts';

describe(`holders terminated at random points (seed ${SEED})`, () => {
  const primitives = [
    ['Lock', () => new Lock(), 0],
    ['RLock', () => new RLock(), 0],
    ['Semaphore(2)', () => new Semaphore(2), 2],
  ] as const;

  for (const [name, make, valueAfter] of primitives) {
    it(`${name}: every surviving waiter finishes, and the primitive is whole afterwards`, async () => {
      const primitive = make();
      await terminateHoldersAtRandom(primitive, prng(SEED));
      // Whatever the victims held has been recovered by now or is recovered by the next acquirer.
      if (primitive instanceof Semaphore) {
        let taken = 0;
        while (primitive.acquireSync({ timeout: 300 })) taken++;
        expect(taken).toBe(2);
        primitive.release(2);
        expect(primitive.getValue()).toBe(valueAfter);
      } else {
        expect(primitive.acquireSync({ timeout: GUARD_MS })).toBe(true);
        primitive.release();
        expect(primitive.locked()).toBe(false);
      }
    });
  }
});

describe(`a holder terminated between any two steps of acquire or release (seed ${SEED})`, () => {
  const TRIALS = 40;
  for (const [name, make, permits] of [
    ['Lock', () => new Lock(), 1],
    ['RLock', () => new RLock(), 1],
    ['BoundedSemaphore(1)', () => new BoundedSemaphore(1), 1],
    ['Semaphore(2)', () => new Semaphore(2), 2],
  ] as const) {
    it(`${name}: afterwards exactly ${permits} acquisition(s) succeed (an RLock at depth 1), ${TRIALS} trials`, async () => {
      const random = prng(SEED);
      for (let trial = 0; trial < TRIALS; trial++) {
        const primitive = make();
        const looper = rawWorker({ mode: 'acquire-release-loop', primitive: share(primitive) });
        expect(await looper.message).toBe('looping');
        const until = performance.now() + random() * 2;
        while (performance.now() < until);
        await looper.worker.terminate();
        await looper.exit;
        // Wait for the parent's 'exit' handler, which records the death (core liveness).
        await new Promise((resolve) => setImmediate(resolve));
        for (let taken = 0; taken < permits; taken++) {
          expect(primitive.acquireSync({ timeout: GUARD_MS / 4 }), `trial ${trial}: permit ${taken + 1} lost`).toBe(
            true,
          );
        }
        if (primitive instanceof RLock) expect(primitive.depth, `trial ${trial}: depth`).toBe(1);
        else expect(primitive.acquireSync({ block: false }), `trial ${trial}: a permit was made up`).toBe(false);
      }
    });
  }
});

describe(`a barrier party terminated between any two steps of its wait (seed ${SEED})`, () => {
  it('Barrier(1): afterwards a wait passes, and reset() returns, 40 trials', async () => {
    const random = prng(SEED);
    for (let trial = 0; trial < 40; trial++) {
      const barrier = new Barrier(1);
      const looper = rawWorker({ mode: 'barrier-loop', barrier: share(barrier) });
      expect(await looper.message).toBe('looping');
      const until = performance.now() + random() * 2;
      while (performance.now() < until);
      await looper.worker.terminate();
      await looper.exit;
      await new Promise((resolve) => setImmediate(resolve));
      // A trip the dead party left half done is ended (broken) by whoever comes next: a wait may see that
      // generation broken once, then passes.
      const passes = async () => {
        try {
          return await barrier.wait(GUARD_MS / 4);
        } catch {
          barrier.reset();
          return barrier.wait(GUARD_MS / 4);
        }
      };
      expect(await passes(), `trial ${trial}`).toBe(0);
      barrier.reset();
      expect(barrier.broken).toBe(false);
    }
  });
});
