import { revive, share } from '@ipc/core';
import { Process } from '@ipc/process';
import { Empty, Full, LifoQueue, PriorityQueue, ShutDown } from '@ipc/queue';
import { describe, expect, it } from 'vitest';
import { GUARD_MS, joinAll, target, withGuard } from './helpers.ts';

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
