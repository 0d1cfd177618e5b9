/**
 * Loading TypeScript targets in a child. Node 20 workers do not inherit `--import tsx` for the module they
 * import (toolchain pitfall 7), so the child registers tsx itself, resolved from the target's own location
 * (tsx is the user's dependency, an optional peer of this package).
 */

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** True for a module URL that needs a TypeScript loader. */
export function isTypeScriptModule(url: string): boolean {
  return /\.[cm]?tsx?$/i.test(new URL(url).pathname);
}

/** The ESM entry of `tsx/esm/api`, resolved from `fromUrl`; undefined when tsx is not installed there. */
function tsxApiUrl(fromUrl: string): string | undefined {
  let manifestPath: string;
  try {
    manifestPath = createRequire(fromUrl).resolve('tsx/package.json');
  } catch {
    return undefined;
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    exports: Record<string, { import: string | { default: string } }>;
  };
  const entry = manifest.exports['./esm/api']?.import;
  if (entry === undefined) return undefined;
  return pathToFileURL(join(dirname(manifestPath), typeof entry === 'string' ? entry : entry.default)).href;
}

/**
 * Registers tsx in this thread so that `import(url)` can load TypeScript.
 *
 * @throws {Error} naming the fix when tsx cannot be found.
 */
export async function registerTypeScript(url: string): Promise<void> {
  const api = tsxApiUrl(url);
  if (api === undefined) {
    throw new Error(`cannot load the TypeScript target ${url}: install tsx beside it (npm i -D tsx), or run built JavaScript`);
  }
  const { register } = (await import(api)) as { register: () => unknown };
  register();
}
