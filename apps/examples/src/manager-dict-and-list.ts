/**
 * Scenario (seed 004, "透過Manager實現進程之間的數據共享"): ten processes write one managed dict and one
 * managed list; each sees the others' writes, because every write goes to the one copy in the manager's
 * server.
 *
 * Python:
 *     def func(dic, lis, n):
 *         dic["Process_%s" % n] = "1"
 *         dic['2'] = 2
 *         dic[0.25] = None
 *         lis.append(n)
 *     with Manager() as manager:
 *         dic = manager.dict()
 *         lis = manager.list(range(5))
 *         for i in range(10): Process(target=func, args=(dic, lis, i)).start()   # then join them all
 *         print(dic); print(lis)
 *
 * Here: `await using manager = await Manager.start()` (shut down at the end of the block), proxies in the
 * args, and each write awaited. Keys keep their types: `'2'` and `0.25` are different keys, as in Python.
 * The list ends with 0..9 in the order the processes got there.
 */
import { type DictProxy, type ListProxy, Manager } from '@ipc/manager';
import { isMainProcess, Process } from '@ipc/process';

export async function func(dic: DictProxy, lis: ListProxy<number>, n: number): Promise<void> {
  await dic.set(`Process_${n}`, '1');
  await dic.set('2', 2);
  await dic.set(0.25, null);
  await lis.append(n);
}

/** Python's repr of the dict: `{0.25: None, 'Process_3': '1', '2': 2}`. */
function pythonRepr(map: Map<unknown, unknown>): string {
  const repr = (v: unknown) => (v === null ? 'None' : typeof v === 'string' ? `'${v}'` : String(v));
  return `{${[...map].map(([k, v]) => `${repr(k)}: ${repr(v)}`).join(', ')}}`;
}

if (isMainProcess()) {
  await using manager = await Manager.start();
  const dic = await manager.dict();
  const lis = await manager.list([0, 1, 2, 3, 4]);
  const processes = Array.from({ length: 10 }, (_, n) => new Process({ target: func, args: [dic, lis, n] }));
  for (const p of processes) p.start();
  for (const p of processes) await p.join();
  console.log(pythonRepr(await dic.copy()));
  console.log(`[${(await lis.copy()).join(', ')}]`);
  console.log(`${await dic.len()} keys, ${await lis.len()} items`);
}
