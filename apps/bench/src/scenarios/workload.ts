/** How a scenario's workload reads in the report. */

/** A count as the report writes it: `200,000`. */
const count = (n: number): string => n.toLocaleString('en-US');

/** "200,000 messages after 300,000 untimed (CPython 20,000)": the timed count is the same on every side. */
export function countText(timed: number, what: string, warm: number, cpythonWarm?: number): string {
  const python = cpythonWarm === undefined || cpythonWarm === warm ? '' : ` (CPython ${count(cpythonWarm)})`;
  return `${count(timed)} ${what} after ${count(warm)} untimed${python}`;
}
