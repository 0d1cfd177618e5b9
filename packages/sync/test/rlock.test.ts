import { Futex } from '@ipc/core';
import { Process } from '@ipc/process';
import { InvalidStateError, Lock, RLock } from '@ipc/sync';
import { describe, expect, it } from 'vitest';
import { changed, GUARD_MS, joinAll, target, withGuard } from './helpers.ts';

describe('RLock', () => {
  it('counts recursion: free only after as many releases as acquires', async () => {
    const rlock = new RLock();
    expect(rlock.acquireSync()).toBe(true);
    expect(rlock.acquireSync({ block: false })).toBe(true);
    expect(await rlock.acquire()).toBe(true);
    expect(rlock.depth).toBe(3);
    rlock.release();
    rlock.release();
    expect(rlock.locked()).toBe(true);
    expect(rlock.isOwned()).toBe(true);
    rlock.release();
    expect(rlock.locked()).toBe(false);
    expect(rlock.depth).toBe(0);
  });

  it('refuses release by a thread that does not hold it, here and in another worker', async () => {
    const rlock = new RLock();
    expect(() => rlock.release()).toThrow(InvalidStateError);
    rlock.acquireSync();
    const result = new Futex(0);
    const other = new Process({ target: target('releaseForeign'), args: [rlock, result] });
    other.start();
    expect(await changed(result)).toBe(2);
    await joinAll([other]);
    expect(rlock.depth).toBe(1);
    rlock.release();
  });

  it('keeps other threads out until fully released', async () => {
    const rlock = new RLock();
    rlock.acquireSync();
    rlock.acquireSync();
    const result = new Futex(0);
    const other = new Process({ target: target('acquireAndReport'), args: [rlock, result, 100] });
    other.start();
    expect(await changed(result)).toBe(-1);
    rlock.release();
    rlock.release();
    await joinAll([other]);
    const second = new Process({ target: target('acquireAndReport'), args: [rlock, result, GUARD_MS] });
    result.store(0);
    second.start();
    expect(await changed(result)).toBe(1);
    await joinAll([second]);
  });

  it('a holder that dies at depth 3 leaves it to the next acquirer at depth 1, abandoned', async () => {
    const rlock = new RLock();
    const held = new Futex(0);
    const holder = new Process({ target: target('acquireAndDie'), args: [rlock, held, 'return', 3] });
    holder.start();
    await changed(held);
    expect(await withGuard(rlock.acquire({ timeout: GUARD_MS }), 'takeover')).toBe(true);
    expect(rlock.abandoned).toBe(true);
    expect(rlock.depth).toBe(1);
    rlock.release();
    expect(rlock.locked()).toBe(false);
    await joinAll([holder]);
  });

  it('is a different type from Lock across threads', () => {
    expect(new RLock()).not.toBeInstanceOf(Lock);
    expect(new Lock()).not.toBeInstanceOf(RLock);
  });
});
