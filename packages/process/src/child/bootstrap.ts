/**
 * The entry point of every Process worker (built to dist/child.js): sets up the child's context and output,
 * imports the target's module, runs the target, then ends the way Python's child does: exit code 0, or 1
 * after printing an uncaught error with the process's name; either way after ending its own children.
 */

import { inspect } from 'node:util';
import { workerData } from 'node:worker_threads';
import { revive, sharedTypeModules, structuredCodec } from '@ipc/core';
import { endChildrenSync } from '../children.ts';
import { enterChildContext, importScope, type ProcessContext } from '../context.ts';
// A value import: it registers the ProcessState shared type, which revive() below needs.
import { ProcessState } from '../state/process-state.ts';
import type { TargetSpec } from '../target.ts';
import { useDirectStdio, writeStderrSync } from './direct-stdio.ts';
import { findTarget } from './load-target.ts';
import { CHILD_SPEC_KEY, type ChildSpec } from './spec.ts';
import { asCurrentProcess } from './subclass.ts';
import { prepareTypeScript } from './typescript.ts';

const maybeSpec = (workerData as Record<string, ChildSpec | undefined>)[CHILD_SPEC_KEY];
if (maybeSpec === undefined) throw new Error('@ipc/process child bootstrap started without a spec');
const spec: ChildSpec = maybeSpec;

useDirectStdio();
const revived = revive(spec.state);
if (!(revived instanceof ProcessState)) throw new TypeError('@ipc/process child spec carries no ProcessState');
const state: ProcessState = revived;
const context: ProcessContext = enterChildContext({
  name: spec.name,
  identity: spec.identity,
  daemon: spec.daemon,
  authkey: spec.authkey,
  parent: spec.parent,
  state,
});

/**
 * The child's last words, on every end that still runs code (target returned, uncaught error, exit(n)):
 * end its own children (Python's order: terminate daemons, join the rest), then publish the exit code in
 * shared memory, so that a parent blocked in joinSync() learns it without its event loop. It must run after
 * the user's own 'exit' listeners, so it moves itself to the end whenever one is added.
 */
function lastWords(code: number): void {
  endChildrenSync(context);
  state.markExited(code);
}
context.exitHookInstalled = true;
process.on('exit', lastWords);
process.on('newListener', (event, listener) => {
  if (event !== 'exit' || listener === lastWords) return;
  queueMicrotask(() => {
    process.removeListener('exit', lastWords);
    process.on('exit', lastWords);
  });
});

/** Prints an uncaught error the way Python's child does ("Process Process-1:" and the traceback), then ends. */
function die(error: unknown): never {
  // inspect() shows the stack, the cause chain and an AggregateError's errors.
  writeStderrSync(`Process ${context.name}:\n${error instanceof Error ? inspect(error) : String(error)}\n`);
  process.exit(1);
}
process.on('uncaughtException', die);
process.on('unhandledRejection', die);

/**
 * Imports the modules that register the shared types the parent knows and this thread does not, so that
 * the arguments decode into live primitives even when the target's module imported only their types.
 */
async function importMissingTypes(parentTypes: Record<string, string>): Promise<void> {
  const known = sharedTypeModules();
  const missing = new Set(
    Object.entries(parentTypes).flatMap(([name, module]) => (name in known || !module ? [] : [module])),
  );
  for (const module of missing) await import(module);
}

/** Imports the target's module, runs the target, and ends the thread. */
async function main(target: TargetSpec): Promise<never> {
  await prepareTypeScript(target.module, spec.tsxApi);
  // Everything the import runs, now or later (an unguarded main(), top-level await), is in the import
  // scope, where starting a process is refused; the target below runs outside it.
  const namespace = (await importScope().run(true, () => import(target.module))) as Record<string, unknown>;
  const found = findTarget(namespace, target);
  await importMissingTypes(spec.typeModules);
  if (target.kind === 'subclass') {
    const fields = spec.fieldsBytes === undefined ? {} : (structuredCodec.decode(spec.fieldsBytes) as object);
    const base = spec.baseTarget;
    const runTarget =
      base === undefined ? undefined : findTarget((await import(base.module)) as Record<string, unknown>, base);
    const subclass = found as unknown as abstract new () => unknown;
    await asCurrentProcess(subclass, { context, runTarget, argsBytes: spec.argsBytes }, fields).run();
  } else {
    const args = structuredCodec.decode(spec.argsBytes) as unknown[];
    state.markArgsTaken();
    await found(...args);
  }
  process.exit(0);
}

// Not top-level await: the CJS build of this entry (unused, but built with the rest) cannot have one.
main(spec.target).catch(die);
