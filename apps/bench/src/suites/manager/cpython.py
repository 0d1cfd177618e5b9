"""CPython's side of the @ipc/manager benchmark (run.ts): `multiprocessing.Manager().dict()` used by
`processes` child processes (multiprocessing.Process, fork), each doing `warm` untimed then `count` timed
iterations of `d[key] = i; d[key]` on its own key, the timed parts starting together (a Barrier).

argv: processes, count, warm, guard_seconds. Prints one JSON line {"version", "method", "ms", "ops", "errors",
"finals"}: ms from the
first child's start to the last child's end, ops the iterations of all children, finals each key's last value.
"""
import json
import multiprocessing as mp
import sys
import time


def loop(d, key, n):
    errors = 0
    for i in range(n):
        d[key] = i
        if d[key] != i:
            errors += 1
    return errors


def work(d, key, count, warm, barrier, results):
    errors = loop(d, key, warm)
    barrier.wait()
    started = time.perf_counter()
    errors += loop(d, key, count)
    ended = time.perf_counter()
    results.put((started, ended, errors))


def main():
    processes, count, warm = (int(arg) for arg in sys.argv[1:4])
    guard = float(sys.argv[4])
    mp.set_start_method("fork")
    with mp.Manager() as manager:
        d = manager.dict()
        barrier = mp.Barrier(processes)
        results = mp.Queue()
        keys = [f"k{n}" for n in range(processes)]
        children = [mp.Process(target=work, args=(d, key, count, warm, barrier, results)) for key in keys]
        for child in children:
            child.start()
        deadline = time.monotonic() + guard
        reports = [results.get(timeout=max(0, deadline - time.monotonic())) for _ in children]
        for child in children:
            child.join(max(0, deadline - time.monotonic()))
        ms = (max(r[1] for r in reports) - min(r[0] for r in reports)) * 1000
        finals = [d[key] for key in keys]
    print(json.dumps({
        "version": sys.version.split()[0],
        "method": mp.get_start_method(),
        "ms": ms,
        "ops": processes * count,
        "errors": sum(r[2] for r in reports),
        "finals": finals,
    }))


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # reported to run.ts as JSON
        print(json.dumps({"error": f"{type(error).__name__}: {error}"}))
        sys.exit(1)
