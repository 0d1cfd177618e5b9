/**
 * The server's loop over its shared-memory connections (manager-server.ts, #pump): requests of every thread
 * are served in turn, each connection's in the order sent, and a connection that ends is noticed. No timing
 * assertions: a request that is never served fails the guard.
 */

import { type DictProxy, type LockProxy, Manager } from '@ipc/manager';
import { Process } from '@ipc/process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinAll, withGuard } from './helpers.ts';

const CLIENTS = new URL('./fixtures/perf-clients.mjs', import.meta.url);
const client = (name: string) => ({ module: CLIENTS, name });

let manager: Manager;
beforeAll(async () => {
  manager = await withGuard(Manager.start(), 'Manager.start()');
});
afterAll(async () => {
  await withGuard(manager.shutdown(), 'manager.shutdown()');
});

describe("the server's loop over shared-memory connections", () => {
  it('serves ten threads and the main thread at once, each connection in order', async () => {
    const dict: DictProxy<string, number> = await manager.dict();
    const processes = Array.from(
      { length: 10 },
      (_, n) => new Process({ target: client('setsInOrder'), args: [dict, `k${n}`, 300] }),
    );
    for (const p of processes) p.start();
    const sets = Array.from({ length: 300 }, (_, i) => dict.set('main', i));
    expect(await withGuard(dict.get('main'), "the main thread's get")).toBe(299);
    await withGuard(Promise.all(sets), "the main thread's sets");
    expect(await joinAll(processes)).toEqual(Array(10).fill(0));
    for (let n = 0; n < 10; n++) expect(await dict.get(`k${n}`)).toBe(299);
  });

  it('notices a thread that ended holding a lock, and releases the lock', async () => {
    const lock: LockProxy = await manager.Lock();
    const p = new Process({ target: client('takeAndGo'), args: [lock] });
    p.start();
    expect(await joinAll([p])).toEqual([0]);
    expect(await withGuard(lock.acquire(), 'acquire after the owner ended')).toBe(true);
    expect(lock.abandoned).toBe(true);
    await lock.release();
  });

  it('serves other threads while one calls in a tight loop', async () => {
    const dict: DictProxy<string, unknown> = await manager.dict();
    const busy = new Process({ target: client('callUntilStopped'), args: [dict] });
    busy.start();
    try {
      await withGuard(
        (async () => {
          while (((await dict.get('busy', 0)) as number) < 100) await dict.set('seen', true);
        })(),
        'the busy thread started',
      );
      for (let i = 0; i < 200; i++) await withGuard(dict.set('main', i), `the main thread's call ${i}`);
    } finally {
      await dict.set('stop', true);
    }
    expect(await joinAll([busy])).toEqual([0]);
    expect(await dict.get('main')).toBe(199);
  });
});
