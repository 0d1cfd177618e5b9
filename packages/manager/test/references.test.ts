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

let manager: Manager;
beforeAll(async () => {
  manager = await withGuard(Manager.start(), 'Manager.start()');
});
afterAll(async () => {
  await withGuard(manager.shutdown(), 'manager.shutdown()');
});

describe('reference counting', () => {
  it('a dropped proxy gives its object back: the server holds nothing after', async () => {
    const before = await manager.numberOfObjects();
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
    const before = await manager.numberOfObjects();
    let d: unknown = await manager.dict();
    const child = new Process({ target: target('writeDictAndList'), args: [d, await manager.list(), 7] });
    child.start();
    await joinAll([child]);
    expect(child.exitcode).toBe(0);
    d = undefined;
    // The child's connection ended with it: its counts went; ours go with our proxies.
    await collectUntil(async () => (await manager.numberOfObjects()) === before, 'the objects to be released');
  });
  // Last: the list stored in the dict is held by the server's stored reference until the server collects it.
  it('two proxies of one object keep it while either lives', async () => {
    const before = await manager.numberOfObjects();
    let d: { set(k: string, v: unknown): Promise<void>; get(k: string): Promise<unknown> } | undefined =
      await manager.dict();
    let list: unknown = await manager.list([1]);
    await d.set('l', list);
    let again: unknown = await d.get('l');
    list = undefined;
    gc();
    await sleep(50);
    expect(await manager.numberOfObjects()).toBe(before + 2);
    expect(await (again as { copy(): Promise<unknown[]> }).copy()).toEqual([1]);
    again = undefined;
    d = undefined;
    expect([again, d]).toEqual([undefined, undefined]);
  });
});
