import { Lock, RLock, Semaphore } from '@ipc/sync';
import { describe, expect, it } from 'vitest';
import { prng, SEED } from '../../../../tooling/test/prng.ts';
import { terminateHoldersAtRandom } from '../fault-injection.ts';

const REPETITIONS = 10;

describe(`stress: holders terminated at random points, ${REPETITIONS} runs each (seed ${SEED})`, () => {
  for (const [name, make] of [
    ['Lock', () => new Lock()],
    ['RLock', () => new RLock()],
    ['Semaphore(2)', () => new Semaphore(2)],
  ] as const) {
    it(`${name}: survivors always finish, and some runs took over from a dead holder`, async () => {
      const random = prng(SEED);
      let recovered = 0;
      for (let run = 0; run < REPETITIONS; run++) recovered += await terminateHoldersAtRandom(make(), random);
      // Over this many runs some victim was terminated holding it: the recovery path really ran.
      expect(recovered).toBeGreaterThan(0);
    }, 120_000);
  }
});
