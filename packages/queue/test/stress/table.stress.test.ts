import { Process } from '@ipc/process';
import { PriorityQueue } from '@ipc/queue';
import { describe, expect, it } from 'vitest';
import { prng, SEED } from '../../../../tooling/test/prng.ts';
import { GUARD_MS, joinAll, sleep, target } from '../helpers.ts';
import { killConsumersWhileProducing } from './consumer-kills.ts';

type Item = [priority: number, producer: number, seq: number, text: string];

describe.each([false, true])(
  `stress: PriorityQueue producers terminated at random (by compare: %s, seed ${SEED})`,
  (byCompare) => {
    it('6 rounds of 3 producers killed at random: every item whole, once, no gap; the rest comes out sorted and stable', async () => {
      const random = prng(SEED + (byCompare ? 3 : 2));
      for (let round = 0; round < 6; round++) {
        const maxsize = 1 + Math.floor(random() * 300);
        const q = byCompare
          ? new PriorityQueue<Item>({ maxsize, compare: (a, b) => a[0] - b[0] })
          : new PriorityQueue<Item>(maxsize);
        const producers = [0, 1, 2].map(
          (p) => new Process({ target: target('producePrioritiesForever'), args: [q, p, byCompare] }),
        );
        for (const p of producers) p.start();
        // Per producer, which seqs arrived: a twin or a gap shows at the end.
        const seen = producers.map(() => new Set<number>());
        const take = (item: Item) => {
          const [priority, producer, seq, text] = item;
          expect(text).toBe('p'.repeat(seq % 50));
          expect(priority).toBe((seq * 7 + producer * 3) % 17);
          const mine = seen[producer] as Set<number>;
          expect(mine.has(seq)).toBe(false);
          mine.add(seq);
        };
        const killAt = producers.map(() => 30 + random() * 250);
        const started = performance.now();
        while (producers.some((p) => p.isAlive())) {
          for (const [i, p] of producers.entries()) {
            if (p.isAlive() && performance.now() - started > (killAt[i] ?? 0)) p.terminate();
          }
          try {
            take(await q.get({ timeout: 5 }));
          } catch (error) {
            if (!(error instanceof Error) || error.name !== 'Empty') throw error;
          }
        }
        await joinAll(producers);
        // What the dead left: in order of priority, and of seq among one producer's equal priorities.
        const rest: Item[] = [];
        while (q.qsize() > 0) rest.push(q.getNowait());
        for (const item of rest) take(item);
        for (let i = 1; i < rest.length; i++) {
          const [a, b] = [rest[i - 1] as Item, rest[i] as Item];
          expect(a[0]).toBeLessThanOrEqual(b[0]);
          if (a[0] === b[0] && a[1] === b[1]) expect(a[2]).toBeLessThan(b[2]);
        }
        // A producer killed mid-put either put its last item or not: what arrived is 0..n, without a hole.
        for (const mine of seen) expect(mine.size === 0 || Math.max(...mine) === mine.size - 1).toBe(true);
        q.putSync([-1, 0, -1, '']);
        expect(await q.get({ timeout: GUARD_MS })).toEqual([-1, 0, -1, '']);
        await sleep(1);
      }
    }, 120_000);
  },
);

describe(`stress: PriorityQueue consumers terminated at random (seed ${SEED})`, () => {
  it('4 rounds of 3 consumers killed at random and replaced, by compare: no twins, a gap only per killed consumer', async () => {
    const random = prng(SEED + 4);
    const COUNT = 10_000;
    for (let round = 0; round < 4; round++) {
      const q = new PriorityQueue<{ seq: number; text: string; rank: number }>({
        maxsize: 1 + Math.floor(random() * 200),
        compare: (a, b) => a.rank - b.rank,
      });
      const kills = await killConsumersWhileProducing(q, 'produceRanked', COUNT, random);
      // What is left comes out whole, by rank, and by seq among equal ranks (one producer: put order).
      let last = { seq: -1, rank: -1 };
      while (q.qsize() > 0) {
        const item = q.getNowait();
        expect(item.text).toBe('z'.repeat(item.seq % 200));
        expect(item.rank > last.rank || (item.rank === last.rank && item.seq > last.seq)).toBe(true);
        last = item;
        Atomics.add(kills.marks, item.seq, 1);
      }
      kills.finish();
    }
  }, 120_000);
});
