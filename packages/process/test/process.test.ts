import { Futex, isWaitable, WAITABLE } from '@ipc/core';
import {
  activeChildren,
  cpuCount,
  currentProcess,
  InvalidStateError,
  isMainProcess,
  KILLED_EXIT_CODE,
  Process,
  parentProcess,
  TERMINATED_EXIT_CODE,
} from '@ipc/process';
import { describe, expect, it } from 'vitest';
import { changed, GUARD_MS, TARGETS_MODULE, target } from './helpers.ts';

describe('Process lifecycle', () => {
  it('runs a target with args in a worker and ends with exitcode 0', async () => {
    const futex = new Futex(0);
    const p = new Process({ target: target('storeValue'), args: [futex, 7] });
    expect(p.pid).toBeNull();
    expect(p.exitcode).toBeNull();
    expect(p.isAlive()).toBe(false);
    p.start();
    expect(p.isAlive()).toBe(true);
    expect(typeof p.pid).toBe('number');
    expect(p.ident).toBe(p.pid);
    expect(await changed(futex)).toBe(7);
    await p.join(GUARD_MS);
    expect(p.exitcode).toBe(0);
    expect(p.isAlive()).toBe(false);
  });

  it('awaits async targets', async () => {
    const futex = new Futex(0);
    const p = new Process({ target: target('storeLater'), args: [futex, 9, 50] });
    p.start();
    await p.join(GUARD_MS);
    expect(futex.load()).toBe(9);
    expect(p.exitcode).toBe(0);
  });

  it('passes kwargs as one last argument', async () => {
    const futex = new Futex(0);
    const p = new Process({ target: target('kwargsEcho'), args: [futex, 2], kwargs: { b: 40 } });
    p.start();
    await p.join(GUARD_MS);
    expect(futex.load()).toBe(42);
  });

  it.each([
    ['an uncaught error', 'throwError', [], 1],
    ['a rejected promise', 'rejectPromise', [], 1],
    ['exit(3)', 'exitWith', [3], 3],
    ['exit(0)', 'exitWith', [0], 0],
  ] as const)('reports %s in exitcode', async (_label, name, args, code) => {
    const p = new Process({ target: target(name), args: [...args] });
    p.start();
    await p.join(GUARD_MS);
    expect(p.exitcode).toBe(code);
  });

  it.each([
    ['terminate', TERMINATED_EXIT_CODE],
    ['kill', KILLED_EXIT_CODE],
  ] as const)('%s() ends a busy child and sets exitcode %i', async (how, code) => {
    const started = new Futex(0);
    const p = new Process({ target: target('spin'), args: [started] });
    p.start();
    await changed(started);
    p[how]();
    await p.join(GUARD_MS);
    expect(p.exitcode).toBe(code);
    expect(p.isAlive()).toBe(false);
    p[how](); // again: a no-op
    expect(p.exitcode).toBe(code);
  });

  it('terminate() after joinSync() saw a normal end changes nothing', () => {
    const p = new Process({ target: target('storeValue'), args: [new Futex(0), 1] });
    p.start();
    p.joinSync(GUARD_MS);
    p.terminate();
    expect(p.exitcode).toBe(0);
  });

  it('joinSync() right after terminate() returns with exitcode -15', async () => {
    const started = new Futex(0);
    const p = new Process({ target: target('spin'), args: [started] });
    p.start();
    await changed(started);
    p.terminate();
    p.joinSync();
    expect(p.exitcode).toBe(TERMINATED_EXIT_CODE);
    expect(p.isAlive()).toBe(false);
    await p.join(GUARD_MS);
    expect(p.exitcode).toBe(TERMINATED_EXIT_CODE);
  });

  it('join(timeout) returns after the timeout while the child runs on', async () => {
    const started = new Futex(0);
    const p = new Process({ target: target('hang'), args: [started] });
    p.start();
    await changed(started);
    const start = performance.now();
    await p.join(200);
    expect(performance.now() - start).toBeGreaterThanOrEqual(175);
    expect(p.isAlive()).toBe(true);
    expect(p.exitcode).toBeNull();
    p.terminate();
    await p.join(GUARD_MS);
  });

  it('joinSync waits for the child without the event loop, and sees its exit code', () => {
    const futex = new Futex(0);
    const p = new Process({ target: target('storeLater'), args: [futex, 5, 100] });
    p.start();
    p.joinSync(GUARD_MS);
    expect(futex.load()).toBe(5);
    expect(p.exitcode).toBe(0);
    expect(p.isAlive()).toBe(false);
  });

  it('joinSync(timeout) returns when the timeout passes', () => {
    const p = new Process({ target: target('hang') });
    p.start();
    const start = performance.now();
    p.joinSync(200);
    const took = performance.now() - start;
    expect(took).toBeGreaterThanOrEqual(175);
    expect(took).toBeLessThan(1000);
    expect(p.isAlive()).toBe(true);
    p.terminate();
  });

  it('gives the child its name, pid, daemon flag and parent', async () => {
    const flags = new Futex(0);
    const pid = new Futex(-1);
    const p = new Process({ target: target('describeSelf'), args: [flags, pid], daemon: true, name: 'worker-a' });
    expect(p.name).toBe('worker-a');
    p.start();
    await p.join(GUARD_MS);
    expect(pid.load()).toBe(p.pid);
    // daemon (1) + parent named MainProcess (2) + parent alive (4) + itself alive (8)
    expect(flags.load()).toBe(15);
  });

  it('names processes Process-N and nested ones Process-N:M', async () => {
    const a = new Process({ target: target('storeValue') });
    const b = new Process({ target: target('storeValue') });
    const n = Number(a.name.split('-')[1]);
    expect(a.name).toMatch(/^Process-\d+$/);
    expect(b.name).toBe(`Process-${n + 1}`);
    const futex = new Futex(0);
    const nested = new Process({ target: target('startGrandchild'), args: [futex] });
    nested.start();
    await nested.join(GUARD_MS);
    expect(futex.load()).toBe(100);
  });

  it('builds a subclass in the child from its public fields and runs its run()', async () => {
    const { Counter } = (await import(TARGETS_MODULE)) as { Counter: new (o?: object) => Process };
    const futex = new Futex(0);
    const counter = Object.assign(new Counter({ name: 'counter' }), { futex, start_value: 7 });
    counter.start();
    await counter.join(GUARD_MS);
    expect(counter.exitcode).toBe(0);
    expect(futex.load()).toBe(1007);
  });

  it('a subclass with a target: super.run() calls the target with the args', async () => {
    const { WrapsTarget } = (await import(TARGETS_MODULE)) as { WrapsTarget: new (o?: object) => Process };
    const value = new Futex(0);
    const done = new Futex(0);
    const p = Object.assign(new WrapsTarget({ target: target('storeValue'), args: [value, 5] }), { done });
    p.start();
    await p.join(GUARD_MS);
    expect(p.exitcode).toBe(0);
    expect(value.load()).toBe(5);
    expect(done.load()).toBe(1);
  });

  it('finds a subclass of a subclass that has its own constructor in another module', async () => {
    const { DerivedWorker } = (await import(TARGETS_MODULE)) as { DerivedWorker: new (o?: object) => Process };
    const futex = new Futex(0);
    const p = Object.assign(new DerivedWorker(), { futex });
    p.start();
    await p.join(GUARD_MS);
    expect(p.exitcode).toBe(0);
    expect(futex.load()).toBe(77);
  });

  it('run() called directly runs the target in this thread, as in Python', async () => {
    const { storeValue } = (await import(TARGETS_MODULE)) as { storeValue: (f: Futex, v: number) => void };
    const futex = new Futex(0);
    new Process({ target: storeValue, args: [futex, 4] }).run();
    expect(futex.load()).toBe(4);
    await new Process({ target: target('storeValue'), args: [futex, 6] }).run();
    expect(futex.load()).toBe(6);
  });

  it('a child that dies of an uncaught error joins its non-daemon children first', async () => {
    const futex = new Futex(0);
    const p = new Process({ target: target('throwAfterStartingChild'), args: [futex] });
    p.start();
    await p.join(GUARD_MS);
    expect(p.exitcode).toBe(1);
    expect(futex.load()).toBe(3);
  });

  it('exit(n) in a child joins its non-daemon children first', async () => {
    const futex = new Futex(0);
    const p = new Process({ target: target('exitAfterStartingChild'), args: [futex, 4] });
    p.start();
    await p.join(GUARD_MS);
    expect(p.exitcode).toBe(4);
    expect(futex.load()).toBe(3);
  });

  it("joinSync() returns after the child's own exit listeners ran", () => {
    const futex = new Futex(0);
    const p = new Process({ target: target('storeOnExit'), args: [futex] });
    p.start();
    p.joinSync(GUARD_MS);
    expect(futex.load()).toBe(9);
  });

  it("close() after joinSync() leaves activeChildren() and the parent's exit working", async () => {
    const p = new Process({ target: target('storeValue'), args: [new Futex(0), 1] });
    p.start();
    p.joinSync(GUARD_MS);
    p.close();
    expect(activeChildren()).not.toContain(p);
    const futex = new Futex(0);
    const parent = new Process({ target: target('joinSyncThenClose'), args: [futex] });
    parent.start();
    await parent.join(GUARD_MS);
    expect(parent.exitcode).toBe(0);
    expect(futex.load()).toBe(8);
  });

  it('treats a join timeout beyond the timer range as none', async () => {
    const p = new Process({ target: target('storeLater'), args: [new Futex(0), 1, 100] });
    p.start();
    await p.join(2 ** 31);
    expect(p.exitcode).toBe(0);
  });

  it('names a subclass process after its class, as Python does', async () => {
    const { DerivedWorker } = (await import(TARGETS_MODULE)) as { DerivedWorker: new (o?: object) => Process };
    expect(new DerivedWorker().name).toMatch(/^DerivedWorker-\d+$/);
  });

  it('sets authkey before start and hands it to the child', () => {
    const p = new Process({ target: target('storeValue') });
    p.authkey = new Uint8Array([1, 2, 3]);
    expect([...p.authkey]).toEqual([1, 2, 3]);
    expect(() => {
      p.authkey = 'secret' as never;
    }).toThrow(TypeError);
  });

  it('a daemon process may not start children', async () => {
    const futex = new Futex(0);
    const p = new Process({ target: target('daemonStartsChild'), args: [futex], daemon: true });
    p.start();
    await p.join(GUARD_MS);
    expect(futex.load()).toBe(42);
  });

  it('exposes a sentinel that becomes ready when the child ends', async () => {
    const p = new Process({ target: target('storeLater'), args: [new Futex(0), 1, 50] });
    expect(() => p.sentinel).toThrow(InvalidStateError);
    p.start();
    const { sentinel } = p;
    expect(isWaitable(sentinel)).toBe(true);
    expect(sentinel[WAITABLE].ready()).toBe(false);
    await p.join(GUARD_MS);
    expect(sentinel[WAITABLE].ready()).toBe(true);
  });

  it('lists live children in activeChildren()', async () => {
    const p = new Process({ target: target('hang') });
    p.start();
    expect(activeChildren()).toContain(p);
    p.terminate();
    await p.join(GUARD_MS);
    expect(activeChildren()).not.toContain(p);
  });
});

describe('Python rules', () => {
  it('refuses start twice, join before start, daemon after start, close while running', async () => {
    const p = new Process({ target: target('hang') });
    await expect(p.join()).rejects.toThrow(/can only join a started process/);
    expect(() => p.joinSync()).toThrow(InvalidStateError);
    expect(() => p.terminate()).toThrow(InvalidStateError);
    p.start();
    expect(() => p.start()).toThrow(/cannot start a process twice/);
    expect(() => {
      p.daemon = true;
    }).toThrow(/already started/);
    expect(() => p.close()).toThrow(/still running/);
    p.terminate();
    await p.join(GUARD_MS);
    p.close();
    expect(() => p.isAlive()).toThrow(/closed/);
    expect(() => p.start()).toThrow(InvalidStateError);
    await expect(p.join()).rejects.toThrow(InvalidStateError);
    p.close(); // twice is fine
  });

  it('refuses bad input at the call that caused it', async () => {
    expect(() => new Process({ target: 42 as never })).toThrow(/target must be an exported function/);
    expect(
      () =>
        new Process({
          target: (
            () => () =>
              1
          )() as never,
        }),
    ).toThrow(/named function/);
    expect(() => new Process({ target: function work() {}.bind(null) })).toThrow(/bound function/);
    expect(() => new Process({ target: { module: './nope.mjs', name: 'x' } })).toThrow(/does not exist/);
    expect(() => new Process({ target: target('storeValue'), args: [() => 1] })).toThrow(/cannot encode function/);
    expect(() => new Process({ target: target('storeValue'), args: 'x' as never })).toThrow(/args must be an array/);
    expect(() => new Process({ name: 5 as never })).toThrow(TypeError);
    const p = new Process({ target: target('storeValue'), args: [new Futex(0), 1] });
    p.start();
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(p.join(bad)).rejects.toThrow(RangeError);
      expect(() => p.joinSync(bad)).toThrow(RangeError);
    }
    await p.join(GUARD_MS);
  });
});

describe('module functions in the main thread', () => {
  it('currentProcess() is MainProcess, with no parent', () => {
    expect(isMainProcess()).toBe(true);
    expect(currentProcess().name).toBe('MainProcess');
    expect(currentProcess()).toBe(currentProcess());
    expect(currentProcess().isAlive()).toBe(true);
    expect(currentProcess().authkey).toHaveLength(32);
    expect(parentProcess()).toBeNull();
    expect(() => currentProcess().start()).toThrow(InvalidStateError);
    expect(cpuCount()).toBeGreaterThanOrEqual(1);
  });

  it('children inherit the authkey', () => {
    expect(new Process({ target: target('storeValue') }).authkey).toEqual(currentProcess().authkey);
  });
});
