/**
 * References inside stored values: a managed dict, list, Namespace, Value or Queue that drops a value (it
 * is overwritten, deleted, cleared, or its container goes) gives back the counts of the references in it at
 * once, so that nested objects go as soon as nothing holds them (object-table.ts).
 */

import { ServerReference } from './object-table.ts';

/** Gives back every reference in `value` (arrays, plain objects, Maps and Sets, at any depth). */
export function releaseReferencesIn(value: unknown): void {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return;
  if (value instanceof ServerReference) {
    value.release();
    return;
  }
  if (Array.isArray(value) || value instanceof Set) {
    for (const item of value) releaseReferencesIn(item);
  } else if (value instanceof Map) {
    for (const [key, item] of value) {
      releaseReferencesIn(key);
      releaseReferencesIn(item);
    }
  } else if (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null) {
    for (const item of Object.values(value)) releaseReferencesIn(item);
  }
}
