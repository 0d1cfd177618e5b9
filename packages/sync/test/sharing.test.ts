import { Futex, revive, SHARED_BLOCK, share } from '@ipc/core';
import { Process } from '@ipc/process';
import { Barrier, BoundedSemaphore, Condition, Event, Lock, RLock, Semaphore } from '@ipc/sync';
import { describe, expect, it } from 'vitest';
import { changed, joinAll, target } from './helpers.ts';

const makers = {
  Lock: () => new Lock(),
  RLock: () => new RLock(),
  Semaphore: () => new Semaphore(3),
  BoundedSemaphore: () => new BoundedSemaphore(3),
  Event: () => new Event(),
  Condition: () => new Condition(),
  Barrier: () => new Barrier(2),
} as const;

describe('every primitive crosses threads live', () => {
  for (const [name, make] of Object.entries(makers)) {
    it(`${name}: share()/revive() in this thread gives back the same object`, () => {
      const primitive = make();
      expect(revive(share(primitive))).toBe(primitive);
    });
  }

  it('a worker that receives them in Process args acts on the same memory', async () => {
    const lock = new Lock();
    const event = new Event();
    const semaphore = new Semaphore(3);
    const result = new Futex(0);
    const child = new Process({ target: target('touchAll'), args: [lock, event, semaphore, result] });
    child.start();
    expect(await changed(result)).toBe(1);
    await joinAll([child]);
    expect(lock.locked()).toBe(true);
    expect(event.isSet()).toBe(true);
    expect(semaphore.getValue()).toBe(2);
  });

  it('a target whose module never imported @ipc/sync (a type-only import) still gets a live lock', async () => {
    const lock = new Lock();
    const result = new Futex(0);
    const module = new URL('./fixtures/type-only-target.mjs', import.meta.url);
    const child = new Process({ target: { module, name: 'takeLock' }, args: [lock, result] });
    child.start();
    expect(await changed(result)).toBe(1);
    expect(await joinAll([child])).toEqual([0]);
  });

  it('memory of one type does not revive as another (TypeError)', () => {
    const lock = new Lock();
    const descriptor = { ...share(lock), type: 'ipc.sync.Event' } as ReturnType<typeof share>;
    expect(() => revive(descriptor)).toThrow(TypeError);
    expect(lock[SHARED_BLOCK].type.name).toBe('ipc.sync.Lock');
  });
});
