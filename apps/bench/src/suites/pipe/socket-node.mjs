/**
 * The Node side of the @ipc/pipe socket benchmark (run by run.ts): two OS processes, this one listening and a
 * child it spawns (this file again, role `peer`) connecting with an authkey, both through the built package.
 *
 * argv: `main <transport> <plan JSON>` or `peer <address JSON>`. The main runs each workload of the plan
 * (`unix` or `tcp`) once untimed with `warm` items (V8 compiles the paths), then timed with `count`; it
 * prints one JSON line {"ms": {name: ms}} (or {"error"}).
 * - echo: `count` round trips of a small object {i, s: 'x'}: send, then recv of the peer's echo (checked);
 * - sink: `count` messages of `size` bytes with sendBytes, each taken with recvBytes by the peer, which
 *   answers the total length once at the end (checked). The time ends with that answer.
 * Every call is awaited before the next, as a program would write it (and as CPython's calls block).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Listener } from '@ipc/pipe';

const AUTHKEY = 'bench';

async function peer(address) {
  const conn = await Client(address, { authkey: AUTHKEY });
  for (;;) {
    const command = await conn.recv();
    if (command.kind === 'stop') break;
    if (command.kind === 'echo') {
      for (let i = 0; i < command.count; i++) await conn.send(await conn.recv());
    } else {
      let total = 0;
      for (let i = 0; i < command.count; i++) total += (await conn.recvBytes()).length;
      await conn.send(total);
    }
  }
  conn.close();
}

async function run(conn, workload, count) {
  if (workload.kind === 'echo') {
    await conn.send({ kind: 'echo', count });
    for (let i = 0; i < count; i++) {
      await conn.send({ i, s: 'x' });
      const echo = await conn.recv();
      if (echo.i !== i || echo.s !== 'x') throw new Error(`echo ${i} came back as ${JSON.stringify(echo)}`);
    }
    return;
  }
  await conn.send({ kind: 'sink', count });
  const payload = new Uint8Array(workload.size).fill(7);
  for (let i = 0; i < count; i++) await conn.sendBytes(payload);
  const total = await conn.recv();
  if (total !== count * workload.size) throw new Error(`the peer received ${total} bytes of ${count * workload.size}`);
}

async function main(transport, plan) {
  const address =
    transport === 'tcp' ? { host: '127.0.0.1', port: 0 } : join(tmpdir(), `ipc-bench-${process.pid}.sock`);
  const listener = new Listener({ address, authkey: AUTHKEY });
  const bound = await listener.ready();
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'peer', JSON.stringify(bound)], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const conn = await listener.accept();
  listener.close();
  const ms = {};
  for (const workload of plan) {
    await run(conn, workload, workload.warm);
    const started = performance.now();
    await run(conn, workload, workload.count);
    ms[workload.name] = performance.now() - started;
  }
  await conn.send({ kind: 'stop' });
  await once(child, 'exit');
  conn.close();
  return ms;
}

const [role, ...args] = process.argv.slice(2);
try {
  if (role === 'peer') await peer(JSON.parse(args[0]));
  else console.log(JSON.stringify({ ms: await main(args[0], JSON.parse(args[1])) }));
} catch (error) {
  console.log(JSON.stringify({ error: `${error.name}: ${error.message}` }));
  process.exit(1);
}
