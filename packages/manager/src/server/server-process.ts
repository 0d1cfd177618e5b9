/**
 * What a started manager's server Process runs (dist/server-process.js): it imports the modules that
 * registered the manager's types (their top-level `register` calls run again here, as Python's spawned
 * server re-imports the main module), serves, and reports its address or its failure on `ready`.
 */

import type { Connection, SocketAddress } from '@ipc/pipe';
import type { SimpleQueue } from '@ipc/queue';
import { registrationsByTypeid } from '../registration.ts';
import { customType } from './custom-type.ts';
import type { ManagedType } from './managed-type.ts';
import { ManagerServer } from './manager-server.ts';
import { BUILT_IN_TYPES } from './types/built-in.ts';

export interface ServerConfig {
  readonly address: SocketAddress | undefined;
  readonly authkey: Uint8Array;
  /** Serve the built-in types (a `Manager`), or only registered ones (a `BaseManager`). */
  readonly builtIns: boolean;
  /** The registered typeids to serve (those with a factory), and the modules that register them. */
  readonly typeids: readonly string[];
  readonly modules: readonly string[];
}

export type ServerReport = { readonly address: SocketAddress } | { readonly error: unknown };

/** The types for `config`, once the registering modules are imported. */
export async function serverTypes(
  config: Pick<ServerConfig, 'builtIns' | 'typeids' | 'modules'>,
): Promise<ManagedType[]> {
  for (const module of config.modules) await import(module);
  const types = config.builtIns ? [...BUILT_IN_TYPES] : [];
  for (const typeid of config.typeids) {
    const registration = registrationsByTypeid().get(typeid);
    if (registration?.factory === undefined) {
      throw new TypeError(
        `the manager's server found no factory for ${JSON.stringify(typeid)} after importing ${config.modules.join(', ') || 'nothing'}: register it at the top level of a module`,
      );
    }
    types.push(customType(typeid, registration.factory, registration.exposed));
  }
  return types;
}

/** The Process target. */
export async function runManagerServer(
  config: ServerConfig,
  door: SimpleQueue<Connection>,
  ready: Connection<ServerReport>,
): Promise<void> {
  let server: ManagerServer;
  try {
    server = new ManagerServer({
      types: await serverTypes(config),
      address: config.address,
      authkey: config.authkey,
      door,
    });
    const address = await server.ready();
    ready.sendSync({ address });
  } catch (error) {
    ready.sendSync({ error });
    return;
  } finally {
    ready.close();
  }
  await server.serveForever();
}
