import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Manager } from '@ipc/manager';
import { Process } from '@ipc/process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinAll, sleep, target, withGuard } from './helpers.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Collects garbage until `check` holds (finalizers run after collection, on later turns of the loop). */
async function collectUntil(check: () => Promise<boolean>, what: string): Promise<void> {
  const end = performance.now() + 10_000;
  while (!(await check())) {
    if (performance.now() > end) throw new Error(`guard: ${what} did not happen within 10 s`);
    gc();
    await sleep(20);
  }
}

/**
 * The server's object count once this thread's dropped proxies are collected and released (earlier tests
 * leave proxies for the collector): collected until two reads agree.
 */
async function settledCount(): Promise<number> {
  let last = -1;
  for (;;) {
    gc();
    await sleep(30);
    const count = await manager.numberOfObjects();
    if (count === last) return count;
    last = count;
  }
}

let manager: Manager;
beforeAll(async () => {
  manager = await withGuard(Manager.start(), 'Manager.start()');
});
afterAll(async () => {
  await withGuard(manager.shutdown(), 'manager.shutdown()');
});

describe('reference counting', () => {
  it('a dropped proxy gives its object back: the server holds nothing after', async () => {
    const before = await settledCount();
    let d: unknown = await manager.dict({ a: 1 });
    let q: unknown = await manager.Queue();
    expect(await manager.numberOfObjects()).toBe(before + 2);
    expect(d).toBeDefined();
    expect(q).toBeDefined();
    d = undefined;
    q = undefined;
    await collectUntil(async () => (await manager.numberOfObjects()) === before, 'the objects to be released');
  });

  it('a proxy sent to a child that drops it, and one the child made, leave nothing behind once all are dropped', async () => {
    const before = await settledCount();
    let d: unknown = await manager.dict();
    const child = new Process({ target: target('writeDictAndList'), args: [d, await manager.list(), 7] });
    child.start();
    await joinAll([child]);
    expect(child.exitcode).toBe(0);
    d = undefined;
    // The child's connection ended with it: its counts went; ours go with our proxies.
    await collectUntil(async () => (await manager.numberOfObjects()) === before, 'the objects to be released');
  });
  it('a proxy stored in a dict holds its object until it leaves the dict (deleted, overwritten, the dict dropped)', async () => {
    const before = await settledCount();
    const d = await manager.dict();
    let list: unknown = await manager.list([1]);
    let other: unknown = await manager.list([2]);
    await d.set('l', list);
    await d.set('o', other);
    list = undefined;
    other = undefined;
    gc();
    await sleep(50);
    // Held by the dict alone now.
    expect(await manager.numberOfObjects()).toBe(before + 3);
    let again = (await d.get('l')) as { copy(): Promise<unknown[]> } | undefined;
    expect(await again?.copy()).toEqual([1]);
    await d.set('o', 'overwritten'); // the second list is held by nothing now
    expect(await manager.numberOfObjects()).toBe(before + 2);
    await d.delete('l'); // the first is still held by `again`
    expect(await manager.numberOfObjects()).toBe(before + 2);
    expect(await again?.copy()).toEqual([1]);
    again = undefined;
    await collectUntil(async () => (await manager.numberOfObjects()) === before + 1, 'the first list to go');
  });

  it('a dropped dict gives back what it held, a Queue the items left in it, a Condition its lock', async () => {
    const before = await settledCount();
    let d: unknown = await manager.dict({ nested: [await manager.list(), { deeper: await manager.Event() }] });
    let q: unknown = await manager.Queue();
    await (q as { put(x: unknown): Promise<void> }).put(new Map([['k', await manager.Namespace()]]));
    let c: unknown = await manager.Condition(await manager.Lock());
    expect(await manager.numberOfObjects()).toBe(before + 7);
    d = undefined;
    q = undefined;
    c = undefined;
    expect([d, q, c]).toEqual([undefined, undefined, undefined]);
    await collectUntil(async () => (await manager.numberOfObjects()) === before, 'everything to be released');
  });
});
