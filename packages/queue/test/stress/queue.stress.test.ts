import { Process } from '@ipc/process';
import { Queue } from '@ipc/queue';
import { describe, expect, it } from 'vitest';
import { prng, SEED } from '../../../../tooling/test/prng.ts';
import { GUARD_MS, joinAll, sleep, target } from '../helpers.ts';

describe(`stress: producers terminated at random points (seed ${SEED})`, () => {
  it('10 rounds of 4 producers killed at random: what arrives is whole, in order, without gaps or twins', async () => {
    const random = prng(SEED);
    for (let round = 0; round < 10; round++) {
      const q = new Queue<{ producer: number; seq: number; text: string }>({
        maxsize: 1 + Math.floor(random() * 200),
        capacityBytes: 256 << Math.floor(random() * 6),
      });
      const producers = [0, 1, 2, 3].map((p) => new Process({ target: target('produceForever'), args: [q, p] }));
      for (const p of producers) p.start();
      const next = [0, 0, 0, 0];
      const killAt = producers.map(() => 50 + random() * 300);
      const started = performance.now();
      while (producers.some((p) => p.isAlive())) {
        for (const [i, p] of producers.entries()) {
          if (p.isAlive() && performance.now() - started > (killAt[i] ?? 0)) p.terminate();
        }
        try {
          const m = await q.get({ timeout: 5 });
          expect(m.text).toBe('y'.repeat((m.seq * 7) % 300));
          expect(m.seq).toBe(next[m.producer]);
          next[m.producer] = m.seq + 1;
        } catch (error) {
          if (!(error instanceof Error) || error.name !== 'Empty') throw error;
        }
      }
      await joinAll(producers);
      // Drain: the dead left no torn record and no reserved space behind.
      for (;;) {
        try {
          const m = q.getNowait();
          expect(m.seq).toBe(next[m.producer]);
          next[m.producer] = m.seq + 1;
        } catch {
          break;
        }
      }
      q.putSync({ producer: 0, seq: -1, text: '' });
      expect((await q.get({ timeout: GUARD_MS })).seq).toBe(-1);
      await sleep(1);
    }
  }, 120_000);
});
