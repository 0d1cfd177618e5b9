/**
 * Scenario (seed 003, "本地套接字" client): reads lines from stdin until an empty line, sends each to the
 * local socket server (`local-server.ts`), and prints the server's answer.
 *
 * Python:
 *     clientfd = socket(AF_UNIX, SOCK_STREAM); clientfd.connect('./msg.sock')
 *     while True:
 *         msg = input('>>>')
 *         if not msg: break
 *         clientfd.send(msg.encode())
 *         data = clientfd.recv(1024)
 *         print(data.decode())
 *     clientfd.close()
 *
 * Here: `Client` connects to the same path (default `msg.sock` in the temporary directory, or the first
 * argument); `recv` returns the whole answer. The end of stdin ends it too.
 *
 *     node --import tsx src/socket/local-client.ts
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from '@ipc/pipe';

const path = process.argv[2] ?? join(tmpdir(), 'msg.sock');
const conn = await Client<string>(path);
const input = createInterface({ input: process.stdin });
// Written by hand rather than by `input.prompt()`: stdin may end (and close the interface) while an answer
// is awaited, and Node 24 throws on a prompt after that.
const prompt = () => process.stdout.write('>>>');

prompt();
for await (const msg of input) {
  if (msg === '') break;
  await conn.send(msg);
  console.log(await conn.recv());
  prompt();
}
input.close();
conn.close();
