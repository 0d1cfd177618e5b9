import { DictProxy, ListProxy, Manager } from '@ipc/manager';
import { Process } from '@ipc/process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinAll, target, withGuard } from './helpers.ts';

let manager: Manager;
beforeAll(async () => {
  manager = await withGuard(Manager.start(), 'Manager.start()');
});
afterAll(async () => {
  await withGuard(manager.shutdown(), 'manager.shutdown()');
});

describe('Manager across processes (seed 004)', () => {
  it('ten processes write one managed dict and list; every key and append arrives', async () => {
    const dict = await manager.dict();
    const list = await manager.list([0, 1, 2, 3, 4]);
    expect(dict).toBeInstanceOf(DictProxy);
    expect(list).toBeInstanceOf(ListProxy);
    const processes = Array.from(
      { length: 10 },
      (_, n) => new Process({ target: target('writeDictAndList'), args: [dict, list, n] }),
    );
    for (const p of processes) p.start();
    await joinAll(processes);
    for (const p of processes) expect(p.exitcode).toBe(0);
    const copy = await dict.copy();
    expect(copy.size).toBe(12);
    for (let n = 0; n < 10; n++) expect(copy.get(`Process_${n}`)).toBe('1');
    expect(copy.get('2')).toBe(2);
    expect(copy.get(0.25)).toBe(null);
    const items = await list.copy();
    expect(items.slice(0, 5)).toEqual([0, 1, 2, 3, 4]);
    expect([...items.slice(5)].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
