import { Lock, RLock, Semaphore } from '@ipc/sync';
import { describe, expect, it } from 'vitest';
import { prng, SEED, terminateHoldersAtRandom } from './fault-injection.ts';
import { GUARD_MS } from './helpers.ts';

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
