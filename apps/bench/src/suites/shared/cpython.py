"""CPython's multiprocessing.Value incremented under get_lock() by 2 processes, for @ipc/shared's benchmark
(increments.ts mirrors it): argv count warm guard_seconds. Each process meets the other on a Barrier, adds 1
`warm` times untimed, meets it again, then adds 1 `count` times, timing only that; prints one JSON line
{ "ms" (the longer timed part), "ops", "observed" (the final value), "expected", "method", "version" }, or
{ "error" }."""
import json
import multiprocessing as mp
import sys
import time


def work(value, gate, count, warm, times, slot):
    lock = value.get_lock()

    def add(n):
        for _ in range(n):
            with lock:
                value.value += 1

    gate.wait()
    add(warm)
    gate.wait()
    start = time.perf_counter()
    add(count)
    times[slot] = time.perf_counter() - start


def main():
    count, warm, guard = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    value = mp.Value("i", 0)
    gate = mp.Barrier(2)
    times = mp.Array("d", 2, lock=False)
    processes = [mp.Process(target=work, args=(value, gate, count, warm, times, slot)) for slot in range(2)]
    for process in processes:
        process.start()
    deadline = time.monotonic() + guard
    for process in processes:
        process.join(max(0, deadline - time.monotonic()))
    if any(process.exitcode != 0 for process in processes):
        for process in processes:
            process.kill()
        raise RuntimeError(f"a process failed or did not end within {guard} s")
    print(json.dumps({"ms": max(times) * 1000, "ops": 2 * count, "observed": value.value,
                      "expected": 2 * (count + warm), "method": mp.get_start_method(),
                      "version": sys.version.split()[0]}))


if __name__ == "__main__":
    # fork: the fastest start method on Linux (3.14 made forkserver the default), as design.md §8 measures.
    mp.set_start_method("fork")
    try:
        main()
    except Exception as error:  # reported to run.ts as JSON
        print(json.dumps({"error": f"{type(error).__name__}: {error}"}))
        sys.exit(1)
