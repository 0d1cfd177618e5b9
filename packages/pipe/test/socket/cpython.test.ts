import { AuthenticationError, Client } from '@ipc/pipe';
import { describe, expect, it } from 'vitest';
import { findPython, fixture, listen, rejection, startPeer, track, withGuard } from './helpers.ts';

const AUTHKEY = 'shared with CPython';

// 3.11 speaks the legacy handshake (HMAC-MD5, 20-byte challenges); 3.12 and 3.13 the modern one ({sha256} prefixes).
describe.each(['3.11', '3.12', '3.13'])('interoperability with CPython %s multiprocessing.connection', (version) => {
  const python = findPython(version);

  it.skipIf(python === undefined)('our Client authenticates to its Listener; raw bytes go both ways', async () => {
    const peer = startPeer(python as string, [fixture('socket-python-peer.py'), 'server', AUTHKEY]);
    const { port } = (await peer.line()) as { port: number };
    const conn = track(await withGuard(Client({ host: '127.0.0.1', port }, { authkey: AUTHKEY }), 'Client'));
    await conn.sendBytes(Buffer.from('from Node'));
    expect(Buffer.from(await withGuard(conn.recvBytes(), 'the reply')).toString()).toBe('py:from Node');
    conn.close();
    expect(await peer.exitCode()).toBe(0);
  });

  it.skipIf(python === undefined)(
    'its Client authenticates to our Listener; a pickle arrives as bytes, never run',
    async () => {
      const { listener } = await listen({ address: { host: '127.0.0.1', port: 0 }, authkey: AUTHKEY });
      const { port } = listener.address as { port: number };
      const peer = startPeer(python as string, [fixture('socket-python-peer.py'), 'client', AUTHKEY, String(port)]);
      const conn = track(await withGuard(listener.accept(), 'accept'));
      // send() pickles: the data codec cannot read it (and nothing in it is run), the connection goes on.
      expect(await rejection(conn.recv(), 'recv of a pickle')).toBeInstanceOf(TypeError);
      expect(Buffer.from(await withGuard(conn.recvBytes(), 'recvBytes')).toString()).toBe('hello from CPython');
      await conn.sendBytes(Buffer.from('hello from Node'));
      expect(await peer.line()).toEqual({ reply: 'hello from Node' });
      expect(await peer.exitCode()).toBe(0);
    },
  );

  it.skipIf(python === undefined)('a wrong key is an AuthenticationError on both sides', async () => {
    const peer = startPeer(python as string, [fixture('socket-python-peer.py'), 'server', AUTHKEY]);
    const { port } = (await peer.line()) as { port: number };
    expect(await rejection(Client({ host: '127.0.0.1', port }, { authkey: 'wrong' }), 'Client')).toBeInstanceOf(
      AuthenticationError,
    );
    expect(await peer.line()).toEqual({ error: 'AuthenticationError' });
    const { listener } = await listen({ address: { host: '127.0.0.1', port: 0 }, authkey: AUTHKEY });
    const client = startPeer(python as string, [
      fixture('socket-python-peer.py'),
      'client',
      'wrong',
      String((listener.address as { port: number }).port),
    ]);
    expect(await rejection(listener.accept(), 'accept')).toBeInstanceOf(AuthenticationError);
    expect(await client.line()).toEqual({ error: 'AuthenticationError' });
  });
});
