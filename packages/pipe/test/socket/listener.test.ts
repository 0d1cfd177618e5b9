import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Client, EOFError, InvalidStateError, Listener, type SocketConnection } from '@ipc/pipe';
import { describe, expect, it } from 'vitest';
import { listen, rejection, sleep, socketPath, track, withGuard } from './helpers.ts';

describe('Listener addresses', () => {
  it('listens on a Unix socket path, reports it, and removes the socket file on close', async () => {
    const path = socketPath();
    const listener = track(new Listener({ address: path }));
    expect(await withGuard(listener.ready(), 'ready')).toBe(path);
    expect(listener.address).toBe(path);
    expect(existsSync(path)).toBe(true);
    listener.close();
    expect(listener.closed).toBe(true);
    expect(existsSync(path)).toBe(false);
  });

  it('without an address, listens on a new socket path in the temporary directory', async () => {
    const listener = track(new Listener());
    const address = await withGuard(listener.ready(), 'ready');
    expect(typeof address === 'string' && address.startsWith(tmpdir())).toBe(true);
    const [server, client] = await withGuard(Promise.all([listener.accept(), Client(address)]), 'connect');
    track(server);
    track(client);
  });

  it('on TCP port 0, address is unknown before ready() and the real port after', async () => {
    const listener = track(new Listener({ address: { host: '127.0.0.1', port: 0 } }));
    expect(() => listener.address).toThrow(InvalidStateError);
    const address = await withGuard(listener.ready(), 'ready');
    expect(address).toEqual({ host: '127.0.0.1', port: expect.any(Number) });
    expect(listener.address).toEqual(address);
    expect((address as { port: number }).port).not.toBe(0);
  });

  it('a bind error (address in use) rejects ready() and accept() with the system error', async () => {
    const { address } = await listen();
    const second = track(new Listener({ address }));
    const error = (await rejection(second.ready(), 'ready')) as NodeJS.ErrnoException;
    expect(error.code).toBe('EADDRINUSE');
    expect(((await rejection(second.accept(), 'accept')) as NodeJS.ErrnoException).code).toBe('EADDRINUSE');
  });

  it('checks its arguments', () => {
    expect(() => new Listener({ address: '' })).toThrow(TypeError);
    expect(() => new Listener({ address: { host: '127.0.0.1', port: 70_000 } })).toThrow(RangeError);
    expect(() => new Listener({ address: { host: '127.0.0.1', port: 1.5 } })).toThrow(RangeError);
    expect(() => new Listener({ address: 42 as unknown as string })).toThrow(TypeError);
    expect(() => new Listener({ address: socketPath(), backlog: -1 })).toThrow(RangeError);
    expect(() => new Listener({ address: socketPath(), backlog: '5' as never })).toThrow(TypeError);
    expect(() => new Listener({ address: socketPath(), maxMessageBytes: 0 })).toThrow(RangeError);
    expect(() => new Listener({ address: socketPath(), authkey: '' })).toThrow(/must not be empty/);
    expect(() => new Listener({ address: socketPath(), authkey: 5 as unknown as string })).toThrow(TypeError);
    expect(() => new Listener({ address: socketPath(), handshakeTimeout: Number.NaN })).toThrow(RangeError);
    expect(() => new Listener({ address: socketPath(), codec: {} as never })).toThrow(/encode\(value\) and decode/);
  });
});

describe('Listener accept and close', () => {
  it('keeps connections that arrive before accept(), and hands them out in arrival order', async () => {
    const { listener, address } = await listen();
    const clients: SocketConnection[] = [];
    for (let i = 0; i < 3; i++) {
      const client = track(await withGuard(Client(address), `client ${i}`));
      await client.send(i);
      clients.push(client);
    }
    for (let i = 0; i < 3; i++) {
      const server = track(await withGuard(listener.accept(), `accept ${i}`));
      expect(await withGuard(server.recv(), 'recv')).toBe(i);
    }
  });

  it('serves many clients at once, each on its own connection', async () => {
    const { listener, address } = await listen({ authkey: 'k' });
    const serve = (async () => {
      for (let i = 0; i < 8; i++) {
        const conn = track(await listener.accept());
        void (async () => {
          for await (const message of conn) await conn.send(`echo ${String(message)}`);
        })();
      }
    })();
    const replies = await withGuard(
      Promise.all(
        Array.from({ length: 8 }, async (_, i) => {
          const client = track(await Client(address, { authkey: 'k' }));
          await client.send(i);
          return client.recv();
        }),
      ),
      'eight echoes',
    );
    await withGuard(serve, 'eight accepts');
    expect(replies).toEqual(Array.from({ length: 8 }, (_, i) => `echo ${i}`));
  });

  it('close() rejects a waiting accept() and later ones, refuses new clients, leaves accepted ones open', async () => {
    const { listener, address } = await listen();
    const [server, client] = await withGuard(Promise.all([listener.accept(), Client(address)]), 'connect');
    track(server);
    track(client);
    const waiting = listener.accept();
    listener.close();
    listener.close();
    expect(await rejection(waiting, 'the waiting accept')).toBeInstanceOf(InvalidStateError);
    await expect(listener.accept()).rejects.toThrow(/the listener is closed/);
    expect(((await rejection(Client(address), 'a new client')) as NodeJS.ErrnoException).code).toBe('ENOENT');
    await client.send('still open');
    expect(await withGuard(server.recv(), 'recv')).toBe('still open');
  });

  it('close() also closes the connections nobody accepted', async () => {
    const { listener, address } = await listen();
    const client = track(await withGuard(Client(address), 'connect'));
    await client.send('never read');
    // Let the listener take the connection in before it closes.
    await sleep(50);
    listener.close();
    expect(await rejection(client.recv(), 'recv')).toBeInstanceOf(EOFError);
  });

  it('Client to an address nobody listens on rejects with the system error', async () => {
    expect(((await rejection(Client(socketPath('none.sock')), 'Client')) as NodeJS.ErrnoException).code).toBe('ENOENT');
    const { listener } = await listen({ address: { host: '127.0.0.1', port: 0 } });
    const { port } = listener.address as { port: number };
    listener.close();
    const refused = (await rejection(Client({ host: '127.0.0.1', port }), 'Client')) as NodeJS.ErrnoException;
    expect(refused.code).toBe('ECONNREFUSED');
    await expect(Client({ host: '127.0.0.1', port: 0 })).rejects.toThrow(RangeError);
  });
});
