import { Client, type SocketConnection } from '@ipc/pipe';
import { describe, expect, it } from 'vitest';
import { fixture, listen, socketPath, startPeer, track, withGuard } from './helpers.ts';

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
});
