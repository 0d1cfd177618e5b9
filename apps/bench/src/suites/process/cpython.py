"""Start + join of COUNT trivial processes with CPython's multiprocessing (run by run.ts through scripts.ts).

argv: count guard_seconds method... Prints one JSON line: {"version", "ms": {"<method>/<pattern>": ms or null}}.
For each start method ('spawn', 'fork'): `sequential` (start, join, one after the other) and `all-then-join`
(all started first, then joined in order), each timed from the first constructor call to the last join, after
an untimed warm-up of a few processes. A method this platform lacks is reported as null.
"""

import json
import multiprocessing
import sys
import time


def noop():
    pass


def ended(process, guard):
    process.join(guard)
    if process.exitcode is None:
        process.kill()
        raise RuntimeError(f"guard: a process did not end within {guard} s")
    if process.exitcode != 0:
        raise RuntimeError(f"a process ended with exitcode {process.exitcode}")


def started(context):
    process = context.Process(target=noop)
    process.start()
    return process


def sequential(context, count, guard):
    begin = time.perf_counter()
    for _ in range(count):
        ended(started(context), guard)
    return (time.perf_counter() - begin) * 1000


def all_then_join(context, count, guard):
    begin = time.perf_counter()
    processes = [started(context) for _ in range(count)]
    for process in processes:
        ended(process, guard)
    return (time.perf_counter() - begin) * 1000


def main():
    count = int(sys.argv[1])
    guard = float(sys.argv[2])
    ms = {}
    for method in sys.argv[3:]:
        try:
            context = multiprocessing.get_context(method)
        except ValueError:
            ms[f"{method}/sequential"] = ms[f"{method}/all-then-join"] = None
            continue
        sequential(context, 3, guard)
        ms[f"{method}/sequential"] = sequential(context, count, guard)
        ms[f"{method}/all-then-join"] = all_then_join(context, count, guard)
    print(json.dumps({"version": sys.version.split()[0], "ms": ms}))


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # reported to run.ts as JSON, like node-starts.mjs does
        print(json.dumps({"error": f"{type(error).__name__}: {error}"}))
        sys.exit(1)
