"""CPython's multiprocessing.Pipe ping-pong, for @ipc/pipe's benchmark (run.ts): the child answers every
message with itself until None; the parent times `count` round trips after `warm`, and prints one JSON
line { "ms": ..., "ops": ..., "echoed": ... }."""
import json
import multiprocessing as mp
import sys
import time


def pong(conn):
    while True:
        message = conn.recv()
        conn.send(message)
        if message is None:
            return


def main():
    count, warm = int(sys.argv[1]), int(sys.argv[2])
    here, there = mp.Pipe()
    child = mp.Process(target=pong, args=(there,))
    child.start()
    echoed = 0

    def trips(n):
        nonlocal echoed
        for i in range(n):
            here.send(i)
            if here.recv() == i:
                echoed += 1

    trips(warm)
    started = time.perf_counter()
    trips(count)
    ms = (time.perf_counter() - started) * 1000
    here.send(None)
    here.recv()
    child.join()
    print(json.dumps({"ms": ms, "ops": count, "echoed": echoed - warm, "version": sys.version.split()[0],
                      "start_method": mp.get_start_method()}))


if __name__ == "__main__":
    # fork: the fastest start method on Linux (3.14 made forkserver the default), as design.md §8 measures.
    mp.set_start_method("fork")
    main()
