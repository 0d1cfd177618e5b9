import { type Codec, revive, share } from '@ipc/core';
import { Process } from '@ipc/process';
import { Empty, Full, InvalidStateError, LifoQueue, PriorityQueue, Queue, ShutDown } from '@ipc/queue';
import { describe, expect, it } from 'vitest';
import { prng, SEED } from '../../../tooling/test/prng.ts';
import { GUARD_MS, joinAll, target, withGuard } from './helpers.ts';

/** Everything in the queue now, in the order it comes out. */
function drain<T>(q: PriorityQueue<T> | LifoQueue<T>): T[] {
  const got: T[] = [];
  while (q.qsize() > 0) got.push(q.getNowait());
  expect(() => q.getNowait()).toThrow(Empty);
  return got;
}

interface Ranked {
  rank: number;
  name: string;
}

/** The compare of these tests (and of fixtures/targets.mjs): lowest rank first. */
const byRank = (a: Ranked, b: Ranked): number => a.rank - b.rank;

describe('LifoQueue', () => {
  it('hands out the last item put first, with maxsize, Full and Empty', async () => {
    const stack = new LifoQueue<number>(3);
    stack.putSync(1);
    await stack.put(2);
    stack.putNowait(3);
    expect(stack.full()).toBe(true);
    expect(() => stack.putNowait(4)).toThrow(Full);
    expect([stack.getSync(), await stack.get(), stack.getNowait()]).toEqual([3, 2, 1]);
    expect(() => stack.getNowait()).toThrow(Empty);
  });

  it('a blocked get wakes for a put from another thread, and shutdown ends iteration', async () => {
    const stack = new LifoQueue<{ n: number }>();
    const pending = stack.get({ timeout: GUARD_MS });
    setTimeout(() => stack.putSync({ n: 7 }), 20);
    expect(await withGuard(pending, 'get')).toEqual({ n: 7 });
    stack.putSync({ n: 1 });
    stack.shutdown();
    const seen = [];
    for await (const x of stack) seen.push(x);
    expect(seen).toEqual([{ n: 1 }]);
    expect(() => stack.putSync({ n: 2 })).toThrow(ShutDown);
  });

  it('crosses threads as a LifoQueue', () => {
    const stack = new LifoQueue();
    expect(revive(share(stack))).toBe(stack);
  });
});

describe('PriorityQueue', () => {
  it('hands out the lowest priority first, equal priorities in the order put', () => {
    const q = new PriorityQueue<[number, string]>();
    for (const item of [
      [3, 'c'],
      [1, 'a1'],
      [2, 'b'],
      [1, 'a2'],
      [-5, 'first'],
      [1, 'a3'],
    ] as Array<[number, string]>) {
      q.putSync(item);
    }
    const order = [];
    while (!q.empty()) order.push(q.getSync()[1]);
    expect(order).toEqual(['first', 'a1', 'a2', 'a3', 'b', 'c']);
  });

  it('refuses an item without a number priority with TypeError, taking no room', () => {
    const q = new PriorityQueue(1);
    expect(() => q.putSync('x' as never)).toThrow(TypeError);
    expect(() => q.putSync([Number.NaN, 1] as never)).toThrow(TypeError);
    expect(q.qsize()).toBe(0);
    q.putSync([1, 'ok']);
    expect(q.getSync()).toEqual([1, 'ok']);
  });

  it('a put that waits for room and times out gives its room back', () => {
    const q = new PriorityQueue<[number, string]>(1);
    q.putSync([1, 'kept']);
    expect(() => q.putSync([0, 'late'], { timeout: 20 })).toThrow(Full);
    expect(q.getSync()).toEqual([1, 'kept']);
    expect(() => q.getNowait()).toThrow(Empty);
  });

  it('orders items put by 3 workers', async () => {
    const q = new PriorityQueue<[number, number]>();
    const producers = [0, 1, 2].map(
      (p) => new Process({ target: target('putPriorities'), args: [q, p, [9 - p, 3 + p, 6 - p]] }),
    );
    for (const p of producers) p.start();
    expect(await joinAll(producers)).toEqual([0, 0, 0]);
    const priorities = [];
    while (!q.empty()) priorities.push(q.getSync()[0]);
    expect(priorities).toEqual([...priorities].sort((a, b) => a - b));
    expect(priorities).toHaveLength(9);
  });
});

describe('PriorityQueue order, checked against a model', () => {
  /**
   * 2000 puts of random priorities (many equal), with gets interleaved, checked against a stable sort: every
   * get returns the lowest priority queued, the oldest of equals.
   */
  function checkAgainstModel(q: PriorityQueue<[number, number]>, random: () => number): void {
    const model: Array<[number, number]> = [];
    const take = () => {
      let best = 0;
      for (let i = 1; i < model.length; i++)
        if ((model[i] as [number, number])[0] < (model[best] as [number, number])[0]) best = i;
      return model.splice(best, 1)[0];
    };
    for (let i = 0; i < 2000; i++) {
      const item: [number, number] = [Math.floor(random() * 50) - 10, i];
      q.putSync(item);
      model.push(item);
      if (random() < 0.3) expect(q.getSync()).toEqual(take());
    }
    expect(q.qsize()).toBe(model.length);
    const rest = drain(q);
    expect(rest).toEqual([...model].sort((a, b) => a[0] - b[0]));
    expect(rest.length).toBeGreaterThan(1000);
  }

  it(`by number priority (seed ${SEED})`, () => {
    checkAgainstModel(new PriorityQueue<[number, number]>(), prng(SEED));
  });

  it(`by a compare of the same order (seed ${SEED})`, () => {
    checkAgainstModel(new PriorityQueue<[number, number]>({ compare: (a, b) => a[0] - b[0] }), prng(SEED + 1));
  });

  it('fractional, negative, infinite and -0 priorities', () => {
    const q = new PriorityQueue<[number, string]>();
    for (const item of [
      [0, 'zero'],
      [-0, 'minus zero'],
      [Number.POSITIVE_INFINITY, 'last'],
      [0.5, 'half'],
      [Number.NEGATIVE_INFINITY, 'first'],
      [-1e-9, 'just below zero'],
    ] as Array<[number, string]>) {
      q.putSync(item);
    }
    expect(drain(q).map((item) => item[1])).toEqual(['first', 'just below zero', 'zero', 'minus zero', 'half', 'last']);
  });
});

describe('PriorityQueue with compare', () => {
  it('orders objects by a field, ties in the order put; a reversed compare reverses it, ties still in order', () => {
    const items: Ranked[] = [
      { rank: 3, name: 'c' },
      { rank: 1, name: 'a1' },
      { rank: 2, name: 'b1' },
      { rank: 1, name: 'a2' },
      { rank: 2, name: 'b2' },
      { rank: 1, name: 'a3' },
    ];
    const q = new PriorityQueue({ compare: byRank });
    const reversed = new PriorityQueue<Ranked>({ compare: (a, b) => b.rank - a.rank });
    for (const item of items) {
      q.putSync(item);
      reversed.putSync(item);
    }
    expect(drain(q).map((x) => x.name)).toEqual(['a1', 'a2', 'a3', 'b1', 'b2', 'c']);
    expect(drain(reversed).map((x) => x.name)).toEqual(['c', 'b1', 'b2', 'a1', 'a2', 'a3']);
  });

  it(`2000 random objects come out sorted and stable (seed ${SEED})`, async () => {
    const random = prng(SEED + 2);
    const q = new PriorityQueue<{ deadline: number; id: number }>({
      compare: (a, b) => a.deadline - b.deadline,
      maxsize: 2000,
    });
    const items = Array.from({ length: 2000 }, (_, id) => ({ deadline: Math.floor(random() * 100), id }));
    for (const item of items) await q.put(item);
    expect(q.full()).toBe(true);
    // Array.prototype.sort is stable: the expected order.
    expect(drain(q)).toEqual([...items].sort((a, b) => a.deadline - b.deadline));
  });

  it('compares items as a get returns them: decoded by the queue codec', () => {
    // JSON turns a Date into a string: compare sees strings on both sides, never a Date against a string.
    const json: Codec = {
      encode: (value) => new TextEncoder().encode(JSON.stringify(value)),
      decode: (bytes) => JSON.parse(new TextDecoder().decode(bytes)),
    };
    const seen = new Set<string>();
    const q = new PriorityQueue<{ at: Date | string }>({
      codec: json,
      compare: (a, b) => {
        seen.add(typeof a.at);
        seen.add(typeof b.at);
        return a.at < b.at ? -1 : a.at > b.at ? 1 : 0;
      },
    });
    for (const day of [3, 1, 2]) q.putSync({ at: new Date(Date.UTC(2026, 0, day)) });
    expect(drain(q).map((x) => x.at)).toEqual(
      ['2026-01-01', '2026-01-02', '2026-01-03'].map((d) => `${d}T00:00:00.000Z`),
    );
    expect([...seen]).toEqual(['string']);
  });

  it('a compare that throws fails that put with its error, and leaves the queue as it was', async () => {
    const poison = new Error('cannot compare the poison');
    const q = new PriorityQueue<Ranked>({
      maxsize: 4,
      compare: (a, b) => {
        if (a.name === 'poison' || b.name === 'poison') throw poison;
        return byRank(a, b);
      },
    });
    // An empty queue compares nothing: the first put would not throw.
    q.putSync({ rank: 2, name: 'b' });
    q.putSync({ rank: 1, name: 'a' });
    expect(() => q.putSync({ rank: 0, name: 'poison' })).toThrow(poison);
    await expect(q.put({ rank: 5, name: 'poison' })).rejects.toBe(poison);
    expect(() => q.putNowait({ rank: 5, name: 'poison' })).toThrow(poison);
    expect(q.qsize()).toBe(2);
    // The guard was given back and no room was kept: the queue fills up to maxsize as before.
    q.putSync({ rank: 3, name: 'c' });
    q.putSync({ rank: 0, name: 'first' });
    expect(q.full()).toBe(true);
    expect(drain(q).map((x) => x.name)).toEqual(['first', 'a', 'b', 'c']);
  });

  it('a compare that uses its own queue fails with InvalidStateError instead of waiting for ever', () => {
    const q: PriorityQueue<Ranked> = new PriorityQueue<Ranked>({
      compare: (a, b) => {
        q.qsize(); // allowed: no guard
        if (b.name === 'reentrant') q.getNowait();
        return byRank(a, b);
      },
    });
    q.putSync({ rank: 1, name: 'a' });
    expect(() => q.putSync({ rank: 2, name: 'reentrant' })).toThrow(InvalidStateError);
    expect(drain(q).map((x) => x.name)).toEqual(['a']);
  });

  it('checks its options: compare must be a function, and useCompare is for queues made with one', () => {
    expect(() => new PriorityQueue({ compare: 'rank' as never })).toThrow(TypeError);
    expect(() => new PriorityQueue<Ranked>({ compare: null as never })).toThrow(TypeError);
    const q = new PriorityQueue({ compare: byRank });
    expect(() => q.useCompare(42 as never)).toThrow(TypeError);
    expect(q.useCompare((a, b) => b.rank - a.rank)).toBe(q);
    q.putSync({ rank: 1, name: 'low' });
    q.putSync({ rank: 9, name: 'high' });
    expect(q.getSync().name).toBe('high');
    const byNumber = new PriorityQueue<[number, string]>();
    expect(() => byNumber.useCompare((a, b) => a[0] - b[0])).toThrow(InvalidStateError);
    // With a compare, items need not be [priority, ...] arrays; without one, they must.
    const anything = new PriorityQueue<string>({ compare: (a, b) => a.localeCompare(b) });
    for (const s of ['pear', 'apple', 'fig']) anything.putSync(s);
    expect(drain(anything)).toEqual(['apple', 'fig', 'pear']);
    expect(() => byNumber.putSync('x' as never)).toThrow(TypeError);
  });

  it('types: without compare, items are [number, ...] arrays; with one, anything, inferred from it', () => {
    const inferred = new PriorityQueue({ compare: byRank });
    inferred.putNowait({ rank: 1, name: 'x' });
    expect(inferred.getNowait()).toEqual({ rank: 1, name: 'x' });
    // @ts-expect-error: a string item needs a compare
    expect(() => new PriorityQueue<string>()).not.toThrow();
    // @ts-expect-error: a compare over other items
    expect(() => new PriorityQueue<[number, string]>({ compare: byRank })).not.toThrow();
    const tuples = new PriorityQueue<[number, string]>(3);
    // @ts-expect-error: not a [number, ...] array
    expect(() => tuples.putSync(['1', 'x'])).toThrow(TypeError);
  });

  it('crosses threads: revived without useCompare a put throws InvalidStateError, a get works; with it, puts keep the order', async () => {
    const q = new PriorityQueue({ compare: byRank });
    expect(revive(share(q))).toBe(q);
    q.putSync({ rank: 5, name: 'e' });
    q.putSync({ rank: 1, name: 'a' });
    const results = new Queue<{ code: string; got: Ranked }>();
    const child = new Process({
      target: target('putWithoutAndWithCompare'),
      args: [
        q,
        [
          { rank: 3, name: 'c' },
          { rank: 5, name: 'e2' },
          { rank: 0, name: 'first' },
          { rank: 9, name: 'z' },
        ],
        results,
      ],
    });
    child.start();
    expect(await joinAll([child])).toEqual([0]);
    expect(await results.get({ timeout: GUARD_MS })).toEqual({
      code: 'ERR_IPC_INVALID_STATE',
      got: { rank: 1, name: 'a' },
    });
    expect(drain(q).map((x) => x.name)).toEqual(['first', 'c', 'e', 'e2', 'z']);
  });
});
