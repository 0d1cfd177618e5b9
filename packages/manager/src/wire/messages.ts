/**
 * The manager's messages. Each is one MessagePack array (the manager codec: the data codec plus references,
 * see `wire/reference.ts`), over a shared-memory Pipe (threads of the server's process) or an authenticated
 * socket connection (other processes and machines).
 *
 *   client → server                                  server → client
 *   [CALL, callId, objectId, method, args]    ─────▶  [callId, OK, result] or [callId, ERROR, error]
 *   [CREATE, callId, typeid, args]            ─────▶  [callId, OK, <reference to the new object>] or error
 *   [CANCEL, callId]                                  (the call ends with an AbortError-like error)
 *   [RELEASE, objectId]                               (no reply: a proxy of this client was dropped)
 *   [HOLD, token, objectId]                           (no reply: a proxy is on its way to another thread)
 *   [CLAIM, token, objectId]                          (no reply: that proxy arrived; its hold is now ours)
 *   [DESCRIBE, callId]                        ─────▶  [callId, OK, [[typeid, ...], objectCount]]: what the
 *                                                     server serves, and how many objects it holds
 *   [SHUTDOWN, callId]                        ─────▶  [callId, OK, null], then the server stops (only over
 *                                                     a Pipe: from the process that started the server)
 *
 * Calls are answered in the order they finish, not the order they came: a call that waits (a lock's
 * acquire, a queue's get) holds up nobody else's. Messages without a reply are applied in order with the
 * calls of the same connection, which is what makes HOLD / RELEASE safe (design in `server/object-table.ts`).
 */

export const Op = {
  CALL: 0,
  CREATE: 1,
  CANCEL: 2,
  RELEASE: 3,
  HOLD: 4,
  CLAIM: 5,
  SHUTDOWN: 6,
  DESCRIBE: 7,
} as const;

export const Status = { OK: 0, ERROR: 1 } as const;

export type Request =
  | [op: typeof Op.CALL, callId: number, objectId: number, method: string, args: unknown[]]
  | [op: typeof Op.CREATE, callId: number, typeid: string, args: unknown[]]
  | [op: typeof Op.CANCEL, callId: number]
  | [op: typeof Op.RELEASE, objectId: number]
  | [op: typeof Op.HOLD | typeof Op.CLAIM, token: string, objectId: number]
  | [op: typeof Op.SHUTDOWN | typeof Op.DESCRIBE, callId: number];

export type Reply = [callId: number, status: (typeof Status)[keyof typeof Status], value: unknown];

/**
 * How a reference to a managed object travels from the server: `[objectId, typeid]`, plus the exposed
 * method names for a type the client may not know (registered with `BaseManager.register`).
 */
export type ReferenceData = [objectId: number, typeid: string, exposed?: string[]];

/** The largest message either side accepts by default (a frame over it is refused before it is read). */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
