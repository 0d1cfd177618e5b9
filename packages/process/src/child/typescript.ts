/**
 * Loading TypeScript in a child. A Node 20 worker does not inherit `--import tsx` for the modules it imports
 * (toolchain pitfall 7), and the parent leaves tsx's preload flags out of its children's `execArgv` (they
 * cost ~80 ms per worker). Instead the parent tells the child where its tsx is, and the child registers it
 * before importing the target, so a JavaScript target that imports TypeScript works too. Without a tsx in
 * the parent, a TypeScript target uses a tsx installed beside it, or Node's own type stripping.
 */

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** True for a module URL that needs a TypeScript loader. */
export function isTypeScriptModule(url: string): boolean {
  return /\.[cm]?tsx?$/i.test(new URL(url).pathname);
}

/** The URL of the ESM entry of `tsx/esm/api`, from tsx's package.json. */
function tsxApiFromManifest(manifestPath: string): string | undefined {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    exports?: Record<string, { import?: string | { default: string } }>;
  };
  const entry = manifest.exports?.['./esm/api']?.import;
  if (entry === undefined) return undefined;
  return pathToFileURL(join(dirname(manifestPath), typeof entry === 'string' ? entry : entry.default)).href;
}

/** tsx's API as installed where `fromUrl` can resolve it; undefined when it cannot. */
function tsxApiNear(fromUrl: string): string | undefined {
  try {
    return tsxApiFromManifest(createRequire(fromUrl).resolve('tsx/package.json'));
  } catch {
    return undefined;
  }
}

/** Node flags that take a module to load before the program (the next argument, or after `=`). */
const PRELOAD_FLAGS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader']);

/** True for a preloaded module that is tsx (`tsx`, `tsx/esm`, or a file inside a `tsx` package). */
function isTsxModule(value: string): boolean {
  return /^tsx(\/|$)/.test(value) || /[\\/]tsx[\\/]/.test(value);
}

/** The flags of `execArgv` that preload tsx, and the rest. */
export function splitTsxFlags(execArgv: readonly string[]): { tsx: string[]; rest: string[] } {
  const tsx: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const flag = execArgv[i] ?? '';
    const [name, inline] = flag.split(/=(.*)/s, 2);
    const value = inline ?? execArgv[i + 1] ?? '';
    if (name !== undefined && PRELOAD_FLAGS.has(name) && isTsxModule(value)) {
      tsx.push(value);
      if (inline === undefined) i++;
    } else {
      rest.push(flag);
    }
  }
  return { tsx, rest };
}

/**
 * tsx's API URL for the tsx this process was started with (by `--import tsx` or the tsx command), or
 * undefined when it was not.
 */
export function parentTsxApi(preloaded: readonly string[]): string | undefined {
  for (const value of preloaded) {
    const inPackage = /^(.*[\\/]tsx)[\\/]/.exec(value.startsWith('file:') ? new URL(value).pathname : value)?.[1];
    const api = inPackage
      ? tsxApiFromManifest(join(inPackage, 'package.json'))
      : tsxApiNear(pathToFileURL(`${process.cwd()}/`).href);
    if (api !== undefined) return api;
  }
  return undefined;
}

async function register(api: string): Promise<void> {
  const { register: registerTsx } = (await import(api)) as { register: () => unknown };
  registerTsx();
}

/**
 * Makes `import(url)` able to load TypeScript: registers the parent's tsx when it had one; else, for a
 * TypeScript target, a tsx installed beside it; else relies on Node's type stripping where Node has it.
 *
 * @throws {Error} naming the fix when a TypeScript target cannot be loaded at all.
 */
export async function prepareTypeScript(url: string, parentApi: string | undefined): Promise<void> {
  if (parentApi !== undefined) return register(parentApi);
  if (!isTypeScriptModule(url)) return;
  const nearby = tsxApiNear(url);
  if (nearby !== undefined) return register(nearby);
  if ((process.features as { typescript?: unknown }).typescript) return;
  throw new Error(
    `cannot load the TypeScript target ${url}: install tsx beside it (npm i -D tsx), or run built JavaScript`,
  );
}
