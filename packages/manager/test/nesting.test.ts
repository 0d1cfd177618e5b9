import { BaseProxy, DictProxy, ListProxy, Manager, NamespaceProxy, QueueProxy } from '@ipc/manager';
import { Pipe } from '@ipc/pipe';
import { Queue } from '@ipc/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withGuard } from './helpers.ts';
import { callsInWorker, joinOk, nextResult, startWorker } from './proxy-helpers.ts';

let manager: Manager;
beforeAll(async () => {
  manager = await withGuard(Manager.start(), 'Manager.start()');
});
afterAll(async () => {
  await withGuard(manager.shutdown(), 'manager.shutdown()');
});

describe('proxies inside managed objects', () => {
  it('a list proxy stored in a dict comes back a live ListProxy of the same list', async () => {
    const outer = await manager.dict<string, unknown>();
    const inner = await manager.list<number>([1]);
    await outer.set('inner', inner);
    const back = await outer.get('inner');
    expect(back).toBeInstanceOf(ListProxy);
    expect(String(back)).toBe(String(inner));
    await (back as ListProxy<number>).append(2);
    expect(await inner.copy()).toEqual([1, 2]);
    await inner.append(3);
    expect(await (back as ListProxy<number>).copy()).toEqual([1, 2, 3]);
    // Everywhere a stored value comes out, it is a proxy: values, items, copy, pop.
    expect((await outer.values())[0]).toBeInstanceOf(ListProxy);
    const [[key, fromItems]] = (await outer.items()) as [[string, ListProxy<number>]];
    expect(key).toBe('inner');
    expect(await fromItems.len()).toBe(3);
    const copy = await outer.copy();
    expect(copy.get('inner')).toBeInstanceOf(ListProxy);
    const popped = (await outer.pop('inner')) as ListProxy<number>;
    expect(await popped.get(-1)).toBe(3);
    expect(await outer.len()).toBe(0);
  });

  it('proxies nest in lists, namespaces and queues, and keep their types', async () => {
    const d = await manager.dict<string, number>({ a: 1 });
    const ns = await manager.Namespace();
    const q = await manager.Queue<unknown>();
    const l = await manager.list<unknown>([d]);
    await ns.set('queue', q);
    await ns.set('list', l);
    await q.put({ carried: d });
    const fromNs = (await ns.get('list')) as ListProxy;
    expect(fromNs).toBeInstanceOf(ListProxy);
    const nestedDict = (await fromNs.get(0)) as DictProxy<string, number>;
    expect(nestedDict).toBeInstanceOf(DictProxy);
    await nestedDict.set('b', 2);
    expect(await d.items()).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    const queueBack = (await ns.get('queue')) as QueueProxy<{ carried: DictProxy<string, number> }>;
    expect(queueBack).toBeInstanceOf(QueueProxy);
    const { carried } = await queueBack.get();
    expect(carried).toBeInstanceOf(DictProxy);
    expect(await carried.get('b')).toBe(2);
    const object = await ns.toObject();
    expect(object.list).toBeInstanceOf(ListProxy);
    expect(object.queue).toBeInstanceOf(QueueProxy);
    // A list with a proxy in it still finds it by value (the same object).
    expect(await l.count(d)).toBe(1);
    // A Value of 'any' holds a proxy too.
    const v = await manager.Value<unknown>('any', l);
    const fromValue = (await v.get()) as ListProxy;
    expect(fromValue).toBeInstanceOf(ListProxy);
    expect(await fromValue.len()).toBe(1);
  });

  it("a nested list reached from a dict in other workers is live: every worker's append arrives", async () => {
    const outer = await manager.dict<string, unknown>();
    const inner = await manager.list<number>();
    await outer.set('numbers', inner);
    const results = await manager.Queue<{ isListProxy: boolean; items: number[] }>();
    const workers = [0, 1, 2].map((n) => startWorker('appendToNested', [outer, 'numbers', n, results]));
    for (let i = 0; i < 3; i++) {
      const report = await nextResult<{ isListProxy: boolean; items: number[] }>(results, "a worker's report");
      expect(report.isListProxy).toBe(true);
    }
    await joinOk(...workers);
    expect((await inner.copy()).sort()).toEqual([0, 1, 2]);
  });

  it('a proxy a worker got from a managed dict travels back to the main thread live', async () => {
    const outer = await manager.dict<string, unknown>();
    const inner = await manager.Namespace({ x: 1 });
    await outer.set('ns', inner);
    const [got] = await callsInWorker(manager, outer, [['get', ['ns']]]);
    const proxy = (got as { value: NamespaceProxy }).value;
    expect(proxy).toBeInstanceOf(NamespaceProxy);
    await proxy.set('x', 2);
    expect(await inner.get('x')).toBe(2);
  });
});

describe('proxies through @ipc/queue and @ipc/pipe', () => {
  it('a proxy put on an @ipc/queue Queue reaches a worker live', async () => {
    const list = await manager.list<string>(['main']);
    const transport = new Queue<unknown>();
    const results = await manager.Queue();
    const worker = startWorker('callProxyFromQueue', [transport, 'append', ['worker'], results]);
    await transport.put(list);
    expect(await nextResult(results, "the worker's call")).toEqual({ isProxy: true, typeid: 'list', value: undefined });
    await joinOk(worker);
    expect(await list.copy()).toEqual(['main', 'worker']);
    transport.close();
  });

  it('a proxy sent over an @ipc/pipe Pipe reaches a worker live; one sent back reaches the main thread', async () => {
    const dict = await manager.dict<string, number>({ k: 41 });
    const [mine, theirs] = Pipe();
    const worker = startWorker('callProxyFromPipe', [theirs, 'setdefault', ['k', 0]]);
    await mine.send(dict);
    const answer = await withGuard(mine.recv(), "the worker's answer");
    expect(answer).toEqual({ isProxy: true, typeid: 'dict', value: 41 });
    await joinOk(worker);
    mine.close();

    // And from a worker to the main thread: a worker's outcome value that is a proxy is rebuilt here.
    const holder = await manager.dict<string, unknown>({ d: dict });
    const [got] = await callsInWorker(manager, holder, [['get', ['d']]]);
    const back = (got as { value: DictProxy<string, number> }).value;
    expect(back).toBeInstanceOf(BaseProxy);
    await back.set('k', 42);
    expect(await dict.get('k')).toBe(42);
  });

  it('one proxy sent twice on a Queue reaches two workers; calls from workers land on the one object', async () => {
    const counter = await manager.Value('i', 0);
    const lock = await manager.Lock();
    const transport = new Queue<unknown>();
    const results = await manager.Queue();
    const workers = [0, 1].map(() => startWorker('callProxyFromQueue', [transport, 'get', [], results]));
    await transport.put(counter);
    await transport.put(counter);
    for (let i = 0; i < 2; i++) {
      expect(await nextResult(results, "a worker's call")).toEqual({ isProxy: true, typeid: 'Value', value: 0 });
    }
    await joinOk(...workers);
    const incrementers = [0, 1].map(() => startWorker('incrementUnderLock', [lock, counter, 5]));
    await joinOk(...incrementers);
    expect(await counter.get()).toBe(10);
    transport.close();
  });
});
