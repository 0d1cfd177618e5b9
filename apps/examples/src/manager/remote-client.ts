/**
 * Scenario (seed 004's Manager, across machines): a client in another OS process connects to
 * `remote-server.ts` with its address and authkey, takes jobs until there are none, and reports each.
 *
 * Python:
 *     class QueueManager(BaseManager): pass
 *     QueueManager.register('get_queue')
 *     m = QueueManager(address=('foo.bar.org', 50000), authkey=b'abracadabra')
 *     m.connect()
 *     queue = m.get_queue(); queue.put('hello')
 *
 * Here: the client registers the typeid without a factory (the server has it), and gets an AutoProxy whose
 * methods are the ones the server exposes: the Kitchen's public methods, nothing else. Arguments: the port
 * (default 50000), then this client's name.
 *
 *     node --import tsx src/manager/remote-client.ts 50000 alice
 */
import { type AutoProxy, BaseManager } from '@ipc/manager';

const port = Number(process.argv[2] ?? 50000);
const name = process.argv[3] ?? `client-${process.pid}`;

interface Kitchen extends AutoProxy {
  nextJob(): Promise<string | null>;
  done(job: string, by: string): Promise<number>;
  report(): Promise<Array<[string, string]>>;
}

class KitchenManager extends BaseManager {}
KitchenManager.register('getKitchen');

const manager = new KitchenManager({ address: { host: '127.0.0.1', port }, authkey: 'abracadabra' });
await manager.connect();
const kitchen = await manager.create<Kitchen>('getKitchen');
for (let job = await kitchen.nextJob(); job !== null; job = await kitchen.nextJob()) {
  const count = await kitchen.done(job, name);
  console.log(`${name}: did ${job} (${count} done in all)`);
}
console.log(`${name}: no jobs left; report ${JSON.stringify(await kitchen.report())}`);
await manager.shutdown();
