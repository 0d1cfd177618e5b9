import { Futex, revive, share } from '@ipc/core';
import { Process } from '@ipc/process';
import { InvalidStateError, JoinableQueue, Queue, ShutDown, SimpleQueue } from '@ipc/queue';
import { describe, expect, it } from 'vitest';
import { GUARD_MS, sleep, target, withGuard } from './helpers.ts';

describe('JoinableQueue', () => {
  it('join() returns once every item put was marked done by 2 daemon workers', async () => {
    const tasks = new JoinableQueue<number>(16);
    const sum = new Futex(0);
    const workers = [0, 1].map(
      () => new Process({ target: target('sumAndMarkDone'), args: [tasks, sum], daemon: true }),
    );
    for (const w of workers) w.start();
    for (let i = 1; i <= 200; i++) await tasks.put(i);
    await withGuard(tasks.join(), 'join');
    expect(sum.load()).toBe((200 * 201) / 2);
    expect(tasks.unfinishedTasks).toBe(0);
    for (const w of workers) w.terminate();
  });

  it('taskDone() more times than items were put throws InvalidStateError', () => {
    const q = new JoinableQueue<string>();
    expect(() => q.taskDone()).toThrow(InvalidStateError);
    q.putSync('a');
    q.getSync();
    q.taskDone();
    expect(() => q.taskDone()).toThrow(/too many times/);
  });

  it('joinSync() blocks until done, and returns at once when nothing is unfinished', () => {
    const q = new JoinableQueue<number>();
    q.joinSync();
    q.putSync(1);
    expect(q.unfinishedTasks).toBe(1);
    q.getSync();
    q.taskDone();
    q.joinSync();
  });

  it('join() waits while a task is unfinished', async () => {
    const q = new JoinableQueue<number>();
    q.putSync(1);
    let joined = false;
    const joining = q.join().then(() => {
      joined = true;
    });
    await sleep(50);
    expect(joined).toBe(false);
    q.getSync();
    q.taskDone();
    await withGuard(joining, 'join', GUARD_MS);
    expect(joined).toBe(true);
  });

  it('items an immediate shutdown discards count as done, so join() returns', async () => {
    const q = new JoinableQueue<number>();
    q.putSync(1);
    q.putSync(2);
    q.shutdown({ immediate: true });
    await withGuard(q.join(), 'join after an immediate shutdown');
    expect(() => q.getSync()).toThrow(ShutDown);
  });

  it('crosses threads as a JoinableQueue, a Queue too', () => {
    const q = new JoinableQueue();
    expect(revive(share(q))).toBe(q);
    expect(q).toBeInstanceOf(Queue);
  });
});

describe('SimpleQueue', () => {
  it('puts and gets, with empty(), and crosses threads as a SimpleQueue', async () => {
    const q = new SimpleQueue<string>();
    expect(q.empty()).toBe(true);
    await q.put('a');
    q.putSync('b');
    expect(q.getSync()).toBe('a');
    expect(await q.get()).toBe('b');
    expect(revive(share(q))).toBe(q);
    q.close();
    expect(() => q.empty()).toThrow(InvalidStateError);
  });
});
