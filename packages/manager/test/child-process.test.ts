import { execFile } from 'node:child_process';
import {
  AuthenticationError,
  type AutoProxy,
  type BaseManager,
  DictProxy,
  InvalidStateError,
  Manager,
  RemoteError,
} from '@ipc/manager';
import { describe, expect, it } from 'vitest';
import { AppManager, Board } from './fixtures/app-manager.mjs';
import { runScript, SCRIPT } from './fixtures/every-method.mjs';
import { withGuard } from './helpers.ts';

const REMOTE_CLIENT = new URL('./fixtures/remote-client.mjs', import.meta.url).pathname;
const REMOTE_SCRIPT = new URL('./fixtures/remote-script.mjs', import.meta.url).pathname;

interface BoardProxy extends AutoProxy {
  post(message: string): Promise<number>;
  messages(): Promise<string[]>;
}

/** Runs fixtures/remote-client.mjs against `manager` in a new OS process; resolves with what it printed. */
function runRemoteClient(manager: BaseManager, script = REMOTE_CLIENT): Promise<Record<string, unknown>> {
  const args = [script, JSON.stringify(manager.address), Buffer.from(manager.authkey).toString('hex')];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error !== null) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as Record<string, unknown>);
    });
  });
}

describe('registered types with start()', () => {
  it("the server Process imports the registering module: a closure's object, a class, an exposed list", async () => {
    await using manager = new AppManager();
    await withGuard(manager.start(), 'start()');
    const shared = await manager.create<BoardProxy>('getBoard');
    const again = await manager.create<BoardProxy>('getBoard');
    expect(await shared.post('one')).toBe(1);
    expect(await again.post('two')).toBe(2); // the same object: the factory returns one board
    expect(await shared.messages()).toEqual(['one', 'two']);
    const own = await manager.create<BoardProxy>('Board');
    expect(await own.messages()).toEqual([]);
    // Only the public methods travel: `_secret` and Object's are not callable.
    await expect(own.callMethod('_secret')).rejects.toMatchObject({ remoteName: 'AttributeError' });
    await expect(own.callMethod('constructor')).rejects.toBeInstanceOf(RemoteError);
    const limited = await manager.create<BoardProxy>('Limited');
    expect(typeof (limited as Partial<BoardProxy>).post).toBe('undefined');
    await expect(limited.callMethod('post', ['x'])).rejects.toMatchObject({ remoteName: 'AttributeError' });
    expect(await limited.messages()).toEqual([]);
    expect(Board.name).toBe('Board');
  });

  it('a typeid the server does not serve is refused; the Manager built-ins are served too', async () => {
    await using manager = new AppManager();
    await withGuard(manager.start(), 'start()');
    await expect(manager.create('nothing')).rejects.toMatchObject({ remoteName: 'AttributeError' });
    expect(await manager.dict()).toBeInstanceOf(DictProxy);
  });
});

describe('a client in another OS process (connect())', () => {
  it('uses every kind of proxy over the socket, and shares a registered object with this process', async () => {
    await using manager = new AppManager();
    await withGuard(manager.start(), 'start()');
    const board = await manager.create<BoardProxy>('getBoard');
    await board.post('from the main process');
    const seen = await withGuard(runRemoteClient(manager), 'the remote client', 40_000);
    expect(seen.pid).not.toBe(process.pid);
    expect(seen.dict).toEqual([
      [
        ['a', 1],
        [0.25, null],
        ['b', '2n'],
      ],
      1,
      2,
    ]);
    expect(seen.list).toEqual([[1, 2, 3, { nested: [1] }], 1]);
    expect(seen.namespace).toBe('1970-01-01T00:00:00.000Z');
    expect(seen.queue).toEqual(['only', true, true]);
    expect(seen.rlock).toEqual([true, true]);
    expect(seen.event).toEqual([false, true]);
    expect(seen.valueArray).toEqual([-(2 ** 31), [0.5, 2.5]]);
    expect(seen.board).toBe(2);
    expect(await board.messages()).toEqual(['from the main process', `from ${seen.pid}`]);
  });

  it('every method of every type gives the same outcomes there (over the socket) as here (shared memory)', async () => {
    await using manager = await Manager.start();
    const here = JSON.parse(JSON.stringify(await withGuard(runScript(manager), 'the script here')));
    const there = await withGuard(runRemoteClient(manager, REMOTE_SCRIPT), 'the script in a child process', 40_000);
    expect(there).toEqual(here);
    const calls = SCRIPT.reduce((sum, [, , methods]) => sum + methods.length, 0);
    expect(here).toHaveLength(calls);
    // Spot checks that the outcomes are Python's, not just the same twice.
    expect(here).toContainEqual(['dict', 'pop', { error: 'RemoteError(KeyError)', message: 'KeyError: "a"' }]);
    expect(here).toContainEqual([
      'list',
      'get',
      { error: 'RangeError', message: 'list index out of range: 99 (length 8)' },
    ]);
    expect(here).toContainEqual(['Queue', 'putNowait', { error: 'Full', message: 'the queue is full' }]);
    expect(here).toContainEqual([
      'BoundedSemaphore',
      'release',
      { error: 'InvalidStateError', message: 'Semaphore released too many times' },
    ]);
  });

  it('a wrong authkey is an AuthenticationError at connect(); an absent server an InvalidStateError', async () => {
    await using manager = await Manager.start();
    const wrong = new Manager({ address: manager.address, authkey: 'not the key' });
    await expect(withGuard(wrong.connect(), 'connect')).rejects.toBeInstanceOf(AuthenticationError);
    const absent = new Manager({ address: '/nonexistent/ipc.sock', authkey: 'k' });
    await expect(withGuard(absent.connect(), 'connect')).rejects.toBeInstanceOf(InvalidStateError);
    await expect(new Manager().connect()).rejects.toBeInstanceOf(TypeError);
  });
});
