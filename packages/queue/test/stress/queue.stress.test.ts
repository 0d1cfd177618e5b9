import { Process } from '@ipc/process';
import { Queue } from '@ipc/queue';
import { describe, expect, it } from 'vitest';
import { prng, SEED } from '../../../../tooling/test/prng.ts';
import { GUARD_MS, joinAll, sleep, target } from '../helpers.ts';
import { killConsumersWhileProducing } from './consumer-kills.ts';

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

describe(`stress: consumers terminated at random points (seed ${SEED})`, () => {
  it('5 rounds of 3 consumers killed at random and replaced: no twins, and a gap only per killed consumer', async () => {
    const random = prng(SEED + 1);
    const COUNT = 20_000;
    for (let round = 0; round < 5; round++) {
      const q = new Queue<{ seq: number; text: string }>({
        maxsize: 1 + Math.floor(random() * 200),
        capacityBytes: 256 << Math.floor(random() * 6),
      });
      const kills = await killConsumersWhileProducing(q, 'produceMarked', COUNT, random);
      // What the dead left in the queue comes out whole and in order.
      let last = -1;
      for (;;) {
        try {
          const { seq, text } = q.getNowait();
          expect(text).toBe('z'.repeat(seq % 200));
          expect(seq).toBeGreaterThan(last);
          last = seq;
          Atomics.add(kills.marks, seq, 1);
        } catch {
          break;
        }
      }
      kills.finish();
      q.putSync({ seq: 0, text: '' });
      expect((await q.get({ timeout: GUARD_MS })).text).toBe('');
    }
  }, 120_000);
});
