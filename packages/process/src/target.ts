/**
 * What a child runs, and how it finds it: the parent describes the target as (module URL, export name) or
 * (module URL, class name, fields), and the child imports that module and looks the export up.
 */

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** A function exported by a module, named explicitly. */
export interface TargetReference {
  /** The module: a file URL, an absolute path, a path relative to the calling module, or a package name. */
  readonly module: string | URL;
  /** The name of the exported function. */
  readonly name: string;
}

/** The target as it travels to the child (structured-clonable). */
export type TargetSpec =
  | { readonly kind: 'function'; readonly module: string; readonly exportName: string }
  | { readonly kind: 'subclass'; readonly module: string; readonly className: string };

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'function') return 'an anonymous function';
  return typeof value === 'object' ? `an instance of ${value.constructor?.name ?? 'Object'}` : typeof value;
}

/** Resolves the `module` of a target reference against the module that created the Process. */
export function resolveModule(specifier: string | URL, callerUrl: string | undefined): string {
  let url: string;
  if (specifier instanceof URL) url = specifier.href;
  else if (typeof specifier !== 'string' || specifier === '') {
    throw new TypeError(`target.module must be a URL or a non-empty string, got ${describe(specifier)}`);
  } else if (/^[a-z][a-z0-9+.-]*:/i.test(specifier) && !/^[a-z]:[\\/]/i.test(specifier)) url = specifier;
  else if (specifier.startsWith('/')) url = pathToFileURL(specifier).href;
  else if (specifier.startsWith('./') || specifier.startsWith('../')) {
    if (callerUrl === undefined) throw new TypeError(`cannot resolve ${specifier}: the calling module is unknown`);
    url = new URL(specifier, callerUrl).href;
  } else {
    try {
      url = pathToFileURL(createRequire(callerUrl ?? pathToFileURL(`${process.cwd()}/`).href).resolve(specifier)).href;
    } catch (cause) {
      throw new TypeError(`target module ${specifier} cannot be found from ${callerUrl ?? process.cwd()}`, { cause });
    }
  }
  if (url.startsWith('file:') && !existsSync(fileURLToPath(url))) {
    throw new TypeError(`target module ${url} does not exist`);
  }
  return url;
}

/**
 * The spec of `target`, given as a function exported by the calling module or as `{ module, name }`.
 *
 * @throws {TypeError} for anything else, or for a function without a name (the child finds it by name).
 */
export function functionTarget(target: unknown, callerUrl: string | undefined): TargetSpec {
  if (typeof target === 'function') {
    if (!target.name) {
      throw new TypeError(
        'target must be a named function exported by its module (the child imports the module and finds it by name); ' +
          'got an anonymous function',
      );
    }
    if (target.name.startsWith('bound ')) {
      throw new TypeError(
        `target ${target.name} is a bound function: a child finds its target by export name; pass the exported function`,
      );
    }
    if (callerUrl === undefined)
      throw new TypeError(`cannot tell which module exports ${target.name}: pass { module, name }`);
    return { kind: 'function', module: callerUrl, exportName: target.name };
  }
  if (typeof target === 'object' && target !== null && 'module' in target && 'name' in target) {
    const { module, name } = target as TargetReference;
    if (typeof name !== 'string' || name === '')
      throw new TypeError(`target.name must be a non-empty string, got ${describe(name)}`);
    return { kind: 'function', module: resolveModule(module, callerUrl), exportName: name };
  }
  throw new TypeError(`target must be an exported function or { module, name }, got ${describe(target)}`);
}
