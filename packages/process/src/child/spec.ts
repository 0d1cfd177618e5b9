/** What a parent hands its child through `workerData` (structured-clonable). */

import type { SharedDescriptor } from '@ipc/core';
import type { ParentRecord } from '../context.ts';
import type { TargetSpec } from '../target.ts';

/** The `workerData` key of the spec, so that nothing else in workerData is mistaken for it. */
export const CHILD_SPEC_KEY = '@ipc/process.child';

export interface ChildSpec {
  readonly target: TargetSpec;
  /** The target's arguments (kwargs last), encoded with the structured codec. */
  readonly argsBytes: Uint8Array;
  /** A subclass instance's own fields, encoded with the structured codec. */
  readonly fieldsBytes: Uint8Array | undefined;
  /** A subclass's `target` option: what its `super.run()` calls. */
  readonly baseTarget: TargetSpec | undefined;
  readonly name: string;
  readonly identity: readonly number[];
  readonly daemon: boolean;
  readonly authkey: Uint8Array;
  readonly parent: ParentRecord;
  /** tsx's ESM API when the parent runs under tsx: the child registers it before importing the target. */
  readonly tsxApi: string | undefined;
  /**
   * The parent's registered shared types and the modules that register them (core `sharedTypeModules`):
   * the child imports those it lacks before decoding `argsBytes`, so that a target module which only
   * imported a primitive's type still receives a live primitive.
   */
  readonly typeModules: Record<string, string>;
  /** The shared ProcessState, from `share()`. */
  readonly state: SharedDescriptor;
}
