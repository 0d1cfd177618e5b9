"""CPython's multiprocessing.Value increments under get_lock(), for @ipc/shared's benchmark (run.ts): two
processes each add 1 `count` times; prints one JSON line { "ms", "ops", "total", "version" }."""
import json
import multiprocessing as mp
import sys
import time


def work(v, n, start):
    start.wait()
    for _ in range(n):
        with v.get_lock():
            v.value += 1


def main():
    count = int(sys.argv[1])
    v = mp.Value('i', 0)
    start = mp.Event()
    procs = [mp.Process(target=work, args=(v, count, start)) for _ in range(2)]
    for p in procs:
        p.start()
    began = time.perf_counter()
    start.set()
    for p in procs:
        p.join()
    ms = (time.perf_counter() - began) * 1000
    print(json.dumps({"ms": ms, "ops": 2 * count, "total": v.value, "version": sys.version.split()[0]}))


if __name__ == "__main__":
    # fork: the fastest start method on Linux (3.14 made forkserver the default), as design.md §8 measures.
    mp.set_start_method("fork")
    main()
