/**
 * Scenario (seed 004's Manager, across machines): a server process that holds a shared job queue and a
 * results dict, for clients in other OS processes or on other hosts (Python's "Using a remote manager").
 *
 * Python:
 *     queue = queue.Queue(); results = {}
 *     class QueueManager(BaseManager): pass
 *     QueueManager.register('get_queue', callable=lambda: queue)
 *     QueueManager.register('get_results', callable=lambda: results, proxytype=DictProxy)
 *     m = QueueManager(address=('', 50000), authkey=b'abracadabra')
 *     m.get_server().serve_forever()
 *
 * Here: the registered factories return the same objects every time (one id each, as in Python). The server
 * listens on TCP loopback (the first argument is the port, default 50000; other interfaces only when asked:
 * `{ host: '0.0.0.0', port }`), prints its address, and serves until SIGINT or SIGTERM. Run it, then
 * `remote-client.ts` from another terminal (or another machine, with the host changed):
 *
 *     node --import tsx src/manager/remote-server.ts 50000
 */
import { BaseManager } from '@ipc/manager';

const port = Number(process.argv[2] ?? 50000);
const jobs: string[] = ['wash', 'cut', 'cook'];
const results = new Map<string, string>();

class Kitchen {
  /** The next job, or null when there is none. */
  nextJob(): string | null {
    return jobs.shift() ?? null;
  }
  /** Records who did a job. */
  done(job: string, by: string): number {
    results.set(job, by);
    return results.size;
  }
  /** Everything done so far, as [job, by] pairs. */
  report(): Array<[string, string]> {
    return [...results];
  }
}
const kitchen = new Kitchen();

class KitchenManager extends BaseManager {}
KitchenManager.register('getKitchen', () => kitchen);

const server = new KitchenManager({ address: { port }, authkey: 'abracadabra' }).getServer();
console.log(`server: listening on ${JSON.stringify(await server.ready())}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => server.shutdown());
}
await server.serveForever();
console.log(`server: done, ${results.size} jobs reported`);
