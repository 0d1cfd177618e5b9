/** The CPython row of a scenario: measured when python3 is here, else shown as skipped with the reason. */

import { type Measurement, type PythonInfo, type SkippedRow, single } from '../scenario.ts';

/** `CPython 3.11.7 multiprocessing.Queue(1024) (fork)` and so on. */
function cpythonLabel(python: PythonInfo | undefined, what: string): string {
  return [`CPython${python === undefined ? '' : ` ${python.version}`}`, what, '(fork)'].join(' ');
}

/** The CPython measurement and skipped rows of a scenario: one of the two lists is empty. */
export function cpythonRow(
  python: PythonInfo | undefined,
  what: string,
  run: () => Promise<number> | number,
): { measurements: Measurement[]; skipped: SkippedRow[] } {
  const label = cpythonLabel(python, what);
  if (python === undefined)
    return { measurements: [], skipped: [{ side: 'cpython', label, note: 'skipped: python3 not found' }] };
  return { measurements: [single('cpython', label, run)], skipped: [] };
}
