// One thread of a pipe benchmark run (run.ts): an @ipc pipe end or a MessagePort arrives in workerData.
// Roles: 'pong' answers every message with itself until it gets null; 'ping' times round trips after a
// warm-up and posts its report { index, ms, ops, echoed } (echoed: round trips whose answer was right).
import { parentPort, workerData } from 'node:worker_threads';
import { revive } from '@ipc/core';
import '@ipc/pipe';

const { kind, role, index, count, warm } = workerData;

function pipePong(conn) {
  for (;;) {
    const message = conn.recvSync();
    conn.sendSync(message);
    if (message === null) return;
  }
}

function pipePing(conn) {
  let echoed = 0;
  const trips = (n) => {
    for (let i = 0; i < n; i++) {
      conn.sendSync(i);
      if (conn.recvSync() === i) echoed++;
    }
  };
  trips(warm);
  const started = performance.now();
  trips(count);
  const ms = performance.now() - started;
  conn.sendSync(null);
  conn.recvSync();
  return { ms, echoed: echoed - warm };
}

function portPong(port) {
  port.on('message', (message) => {
    port.postMessage(message);
    if (message === null) port.close();
  });
}

async function portPing(port) {
  let echoed = 0;
  const trips = async (n) => {
    for (let i = 0; i < n; i++) {
      const answer = new Promise((resolve) => port.once('message', resolve));
      port.postMessage(i);
      if ((await answer) === i) echoed++;
    }
  };
  await trips(warm);
  const started = performance.now();
  await trips(count);
  const ms = performance.now() - started;
  port.postMessage(null);
  port.close();
  return { ms, echoed: echoed - warm };
}

if (kind === 'pipe') {
  const conn = revive(workerData.end);
  if (role === 'pong') {
    pipePong(conn);
    parentPort.postMessage({ index, ms: 0, ops: 0, echoed: 0 });
  } else {
    const { ms, echoed } = pipePing(conn);
    parentPort.postMessage({ index, ms, ops: count, echoed });
  }
} else if (role === 'pong') {
  portPong(workerData.port);
  workerData.port.once('close', () => parentPort.postMessage({ index, ms: 0, ops: 0, echoed: 0 }));
} else {
  const { ms, echoed } = await portPing(workerData.port);
  parentPort.postMessage({ index, ms, ops: count, echoed });
}
