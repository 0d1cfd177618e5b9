// The child OS process of the @ipc/manager benchmark (run.ts, scenario c): connects to the manager's socket
// with its address and authkey (argv: address JSON, authkey hex, count, warm), makes a dict there, runs
// `warm` untimed then `count` timed iterations of `await d.set('k', i); await d.get('k')`, and prints one
// JSON line { ms, ops, errors, last, size } (or { error }).
import { Manager } from '@ipc/manager';

const [address, authkey, count, warm] = process.argv.slice(2);

async function loop(dict, n) {
  let errors = 0;
  for (let i = 0; i < n; i++) {
    await dict.set('k', i);
    if ((await dict.get('k')) !== i) errors++;
  }
  return errors;
}

try {
  const manager = new Manager({ address: JSON.parse(address), authkey: Buffer.from(authkey, 'hex') });
  await manager.connect();
  const dict = await manager.dict();
  let errors = await loop(dict, Number(warm));
  const started = performance.now();
  errors += await loop(dict, Number(count));
  const ms = performance.now() - started;
  const last = await dict.get('k');
  const size = await dict.len();
  console.log(JSON.stringify({ ms, ops: Number(count), errors, last, size }));
  process.exit(0);
} catch (error) {
  console.log(JSON.stringify({ error: `${error.name}: ${error.message}` }));
  process.exit(1);
}
