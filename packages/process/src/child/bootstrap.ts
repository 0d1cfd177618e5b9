/**
 * The entry point of every Process worker (built to dist/child.js): sets up the child's context and output,
 * imports the target's module, runs the target, then ends the way Python's child does: after joining its
 * non-daemon children, with exit code 0, or 1 after printing an uncaught error with the process's name.
 */

import { workerData } from 'node:worker_threads';
import { revive, structuredCodec } from '@ipc/core';
import { enterChildContext, type ProcessContext } from '../context.ts';
// A value import: it registers the ProcessState shared type, which revive() below needs.
import { ProcessState } from '../state/process-state.ts';
import { useDirectStdio, writeStderrSync } from './direct-stdio.ts';
import { findTarget } from './load-target.ts';
import { CHILD_SPEC_KEY, type ChildSpec } from './spec.ts';
import type { TargetSpec } from '../target.ts';
import { asCurrentProcess } from './subclass.ts';
import { isTypeScriptModule, registerTypeScript } from './typescript.ts';

const maybeSpec = (workerData as Record<string, ChildSpec | undefined>)[CHILD_SPEC_KEY];
if (maybeSpec === undefined) throw new Error('@ipc/process child bootstrap started without a spec');
const spec: ChildSpec = maybeSpec;

useDirectStdio();
const state = revive(spec.state);
if (!(state instanceof ProcessState)) throw new TypeError('@ipc/process child spec carries no ProcessState');
const context: ProcessContext = enterChildContext({
  name: spec.name,
  identity: spec.identity,
  daemon: spec.daemon,
  authkey: spec.authkey,
  parent: spec.parent,
  state,
});

// Every way this thread ends while it can still run code reports its exit code to the parent through shared
// memory, so a parent blocked in joinSync() learns it without its event loop.
process.on('exit', (code) => state.markExited(code));

let dying = false;

/**
 * Prints an uncaught error the way Python's child does ("Process Process-1:" and the traceback), then
 * ends with exit code 1, after joining its non-daemon children as Python's child does.
 */
async function die(error: unknown): Promise<void> {
  if (dying) return;
  dying = true;
  const detail = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  writeStderrSync(`Process ${context.name}:\n${detail}\n`);
  await finishChildren().catch(() => {});
  process.exit(1);
}
process.on('uncaughtException', die);
process.on('unhandledRejection', die);

/** Python's child joins its non-daemon children before it exits; daemon children end with it. */
async function finishChildren(): Promise<void> {
  for (const child of [...context.children]) {
    if (child.daemon) child.terminate();
    else await child.join();
  }
}

/** Imports the target's module, runs the target, and ends the thread. */
async function main(target: TargetSpec): Promise<never> {
  if (isTypeScriptModule(target.module)) await registerTypeScript(target.module);
  const namespace = (await import(target.module)) as Record<string, unknown>;
  context.bootstrapping = false;
  const found = findTarget(namespace, target);
  if (target.kind === 'subclass') {
    const fields = spec.fieldsBytes === undefined ? {} : (structuredCodec.decode(spec.fieldsBytes) as object);
    const base = spec.baseTarget;
    const runTarget =
      base === undefined ? undefined : findTarget((await import(base.module)) as Record<string, unknown>, base);
    const subclass = found as unknown as abstract new () => unknown;
    await asCurrentProcess(subclass, { context, runTarget, argsBytes: spec.argsBytes }, fields).run();
  } else {
    const args = structuredCodec.decode(spec.argsBytes) as unknown[];
    await found(...args);
  }
  await finishChildren();
  process.exit(0);
}

// Not top-level await: the CJS build of this entry (unused, but built with the rest) cannot have one.
main(spec.target).catch(die);
