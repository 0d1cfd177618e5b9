import { Client, type SocketConnection } from '@ipc/pipe';
import { describe, expect, it } from 'vitest';
import { fixture, listen, sleep, socketPath, startPeer, track, withGuard } from './helpers.ts';

const AUTHKEY = 'shared between the processes';

/** Sends values through `conn` to the echoing child and checks each comes back, from the child's pid. */
async function exchange(conn: SocketConnection, childPid: number | undefined): Promise<void> {
  const values = [{ i: 1, s: 'x' }, [1n, new Date(0)], new Map([['k', new Set([1])]]), new Uint8Array([1, 2])];
  for (const value of values) {
    await conn.send(value);
    const reply = (await withGuard(conn.recv(), 'the echo')) as { echo: unknown; pid: number };
    expect(reply.echo).toEqual(value);
    expect(reply.pid).toBe(childPid);
  }
  expect(childPid).not.toBe(process.pid);
}

describe('connections between OS processes', () => {
  // Scenario: a child_process (another OS process, no shared memory) connects back over TCP with the authkey.
  it('a Node child process connects to this process, authenticates, and echoes until closed', async () => {
    const { listener, address } = await listen({ address: { host: '127.0.0.1', port: 0 }, authkey: AUTHKEY });
    const peer = startPeer(process.execPath, [fixture('socket-peer.mjs'), 'client', JSON.stringify(address), AUTHKEY]);
    const conn = track(await withGuard(listener.accept(), 'the child to connect'));
    await exchange(conn, peer.child.pid);
    conn.close();
    expect(await peer.exitCode()).toBe(0);
  });

  it('this process connects to a Node child process listening on a Unix socket', async () => {
    const peer = startPeer(process.execPath, [
      fixture('socket-peer.mjs'),
      'server',
      JSON.stringify(socketPath()),
      AUTHKEY,
    ]);
    const address = (await peer.line()) as unknown as string;
    const conn = track(await withGuard(Client(address, { authkey: AUTHKEY }), 'Client'));
    await exchange(conn, peer.child.pid);
    conn.close();
    expect(await peer.exitCode()).toBe(0);
  });

  it('unref(): an open, idle connection no longer keeps its process alive; ref() is the default', async () => {
    const { listener, address } = await listen({ address: socketPath(), authkey: AUTHKEY });
    const idle = startPeer(process.execPath, [
      fixture('socket-idle-client.mjs'),
      JSON.stringify(address),
      AUTHKEY,
      'unref',
    ]);
    const first = track(await withGuard(listener.accept(), 'the unref client'));
    expect(await withGuard(first.recv(), 'hello')).toBe('hello');
    expect(await idle.exitCode()).toBe(0);
    const kept = startPeer(process.execPath, [
      fixture('socket-idle-client.mjs'),
      JSON.stringify(address),
      AUTHKEY,
      'ref',
    ]);
    const second = track(await withGuard(listener.accept(), 'the ref client'));
    expect(await withGuard(second.recv(), 'hello')).toBe('hello');
    const stillRunning = await Promise.race([kept.exitCode(), sleep(300).then(() => 'running')]);
    expect(stillRunning).toBe('running');
    second.close(); // its peer reads EOF; nothing else keeps it alive
    expect(await kept.exitCode()).toBe(0);
  });
});
