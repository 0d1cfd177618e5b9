/**
 * Scenario (seed 003, "本地套接字" server): a local socket server. It answers every line a client sends
 * with `copy! <time>` (Python's `time.ctime()`), and serves one client after another, for ever.
 *
 * Python:
 *     file = './msg.sock'
 *     if os.path.exists(file): os.remove(file)
 *     socketfd = socket(AF_UNIX, SOCK_STREAM); socketfd.bind(file); socketfd.listen(5)
 *     while True:
 *         connfd, addr = socketfd.accept()
 *         while True:
 *             data = connfd.recv(1024)
 *             if not data: break
 *             print(data.decode())
 *             connfd.send('copy! {}'.format(ctime()).encode())
 *         connfd.close()
 *
 * Here: a `Listener` on a Unix socket path (default `msg.sock` in the temporary directory, or the first
 * argument). Each `send` arrives as one whole message (Python's `recv(1024)` may split or merge what was
 * sent), and `for await` ends when the client closes. SIGINT or SIGTERM closes the listener, which removes
 * the socket file. Run it, then `local-client.ts` in another terminal:
 *
 *     node --import tsx src/socket/local-server.ts
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidStateError, Listener, type SocketConnection } from '@ipc/pipe';

/** Python's `time.ctime()`: `Mon Nov 30 09:05:01 2026`. */
function ctime(now = new Date()): string {
  const [weekday, month, day, year, time] = now.toString().split(' ');
  return `${weekday} ${month} ${String(Number(day)).padStart(2, ' ')} ${time} ${year}`;
}

const path = process.argv[2] ?? join(tmpdir(), 'msg.sock');
// A socket file left by a server that did not close (as the seed removes it first).
rmSync(path, { force: true });
const listener = new Listener({ address: path, backlog: 5 });
await listener.ready();
console.log(`server: listening on ${path}`);

let current: SocketConnection<string> | undefined;
const stop = (): void => {
  listener.close();
  current?.close();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

for (;;) {
  try {
    current = (await listener.accept()) as SocketConnection<string>;
  } catch (error) {
    if (error instanceof InvalidStateError) break; // closed by stop()
    throw error;
  }
  for await (const line of current) {
    console.log(line);
    await current.send(`copy! ${ctime()}`);
  }
  current.close();
}
console.log('server: closed');
