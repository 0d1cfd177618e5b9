import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { GUARD_MS, runScript } from './helpers.ts';

describe('Process in whole programs', () => {
  // Scenario: Python's "if __name__ == '__main__'" forgotten; Python raises in the child, so do we.
  it('refuses to start a process while a child imports its main module: no process bomb', () => {
    const run = runScript('unguarded.mjs');
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('Process Process-1:');
    expect(run.stderr).toContain('behind `if (isMainProcess())`');
    expect(run.stdout).toContain('exitcode 1');
    expect(run.stdout).not.toContain('work ran');
  });

  it("delivers a child's output in order and fully before join() resolves", () => {
    const run = runScript('output-order.mjs');
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe('parent before');
    expect(lines.at(-1)).toBe('parent after join');
    expect(lines.slice(1, -1)).toEqual(Array.from({ length: 2000 }, (_, i) => `child line ${i}`));
    expect(run.stderr).toBe('child stderr line\n');
  });

  // Scenario: stdout is a pipe whose reader is slow, so the parent's earlier lines are still queued.
  it('keeps the order when the parent writes into a full pipe before the child starts', () => {
    const file = new URL('./fixtures/scripts/order-slow-reader.mjs', import.meta.url).pathname;
    const run = spawnSync('sh', ['-c', `"${process.execPath}" "${file}" | (sleep 0.5; cat)`], {
      encoding: 'utf8',
      timeout: GUARD_MS,
    });
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(22_002);
    expect(lines.indexOf('parent before')).toBe(20_000);
    expect(lines[20_001]).toBe('child line 0');
    expect(lines.at(-1)).toBe('parent after join');
  });

  it('waits for non-daemon children at exit and terminates daemon ones', () => {
    const start = performance.now();
    const run = runScript('daemon-teardown.mjs');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('main code done\nnon-daemon finished\n');
    expect(performance.now() - start).toBeLessThan(8000);
  });

  it('prints an uncaught error with the process name, and names a target that is not exported', () => {
    const run = runScript('errors.mjs');
    expect(run.stdout).toContain('exitcodes 1 1');
    expect(run.stderr).toMatch(/^Process failing:\nError: boom in the child\n\s+at boom/m);
    expect(run.stderr).toMatch(
      /Process Process-\d+:\nTypeError: target function hidden is not exported by file:.*errors\.mjs/,
    );
  });

  it('runs TypeScript targets, functions and subclasses, when the parent runs under tsx', () => {
    const run = runScript('typescript-target.ts', { tsx: true });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^Process-1 ran job 1 \(typed\)\nhi from greeter\nexitcodes 0 0\n$/);
  });

  it("children inherit the parent's Node flags except the tsx preload", () => {
    const run = runScript('exec-argv.mjs', { tsx: true, nodeFlags: ['--enable-source-maps'] });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual(['--enable-source-maps']);
    // A V8 flag cannot be given to a worker explicitly (it already applies to every thread): left out.
    const v8Flag = runScript('exec-argv.mjs', { tsx: true, nodeFlags: ['--expose-gc'] });
    expect(v8Flag.stderr).toBe('');
    expect(JSON.parse(v8Flag.stdout)).toEqual([]);
  });

  // Scenario: `main().catch(...)` at the top level, no guard; its start() runs after an await.
  it('refuses a start() from unguarded async main code in the child too', () => {
    const run = runScript('unguarded-async.mjs');
    // The child's main() was refused (its catch prints the message); its target then ran normally.
    expect(run.stderr).toContain('behind `if (isMainProcess())`');
    expect(run.stdout).toBe('work ran\nexitcode 0\n');
  });

  it('keeps the event loop alive while two joins wait on one daemon', () => {
    const run = runScript('daemon-joins.mjs');
    expect(run.stdout).toBe('short join returned\ndaemon done\njoined 0\n');
  });

  it('exit(n) in the main thread joins non-daemon children first and ends daemon ones', () => {
    const run = runScript('main-exit.mjs');
    expect(run.status).toBe(3);
    expect(run.stdout).toBe('main exits\nchild done\n');
  });

  it('a JavaScript target that imports TypeScript works when the parent runs under tsx', () => {
    const run = runScript('js-target-main.ts', { tsx: true });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('color red\nexitcode 0\n');
  });

  it('works for CommonJS programs (the CJS build, a target in a .cjs module)', () => {
    const run = runScript('commonjs.cjs');
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('Process-1 got 7\nexitcode 0\n');
  });
});
