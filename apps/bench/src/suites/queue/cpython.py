"""CPython's multiprocessing side of the @ipc/queue benchmark (run by run.ts through threads.ts).

argv: scenario guard_seconds params... One measurement per call, with the fork start method
Prints one JSON line: {"version", "method", "ms", "ops", "received", "sum", "disorder"}, where
`ops` items went through the queue in `ms` of timed work; or {"error"}.

Scenarios (each mirrors one in worker.mjs; `info` only reports the version and start method):
- objects producers consumers maxsize count warm: `producers` processes put {'i': i, 's': 'x'} dicts on one
  multiprocessing.Queue(maxsize), `consumers` processes get them;
- bytes producers consumers maxsize count warm size: the same with `size`-byte payloads whose first 4 bytes
  hold i (little-endian). Python pickles a put item later, in the queue's feeder thread, so an item must not
  change after put: each put gets its own bytes object (one copy of the payload that the JavaScript side,
  which encodes inside put, does not need);
- joinable consumers maxsize count warm: 1 producer process puts {'i': i, 's': 'x'} dicts on one
  multiprocessing.JoinableQueue(maxsize) and then joins it; `consumers` worker processes get them and call
  task_done() after checking each. The timed part is the producer's, up to join() returning. Then it puts one
  None per worker, untimed, and each worker stops at its None.

Producer p of P puts i = p * n + k, k = 0..n-1 (n = count / P). Each consumer checks every item (the 's'
field, or the payload's length and last byte) and that each producer's k only goes up, as worker.mjs does.
In objects and bytes, one consumer gets exactly `count` items. With several, each producer ends with close() +
join_thread() (its feeder thread has written everything to the pipe), the parent, once it has joined them,
puts one None per consumer, and each consumer stops at its None: the usual idiom, as Python 3.11 has no
Queue.shutdown(). The consumers' time includes the parent noticing the producers' exit. The processes meet on a
multiprocessing.Barrier before the warm-up (`warm` items, consumers taking warm / C each) and before the
timed part, like the workers.
"""

import multiprocessing
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "harness"))
from cpython_scenarios import run_scenario  # noqa: E402 (the harness folder is put on the path first)


def make_items(kind, size):
    if kind == "objects":
        return lambda i: {"i": i, "s": "x"}
    body = bytes((b * 31) & 0xFF for b in range(256)) * (size // 256)
    tail = body[4:]
    return lambda i: i.to_bytes(4, "little") + tail


def number_of(kind, size):
    if kind == "objects":
        return lambda item: item["i"] if type(item) is dict and item.get("s") == "x" else -1
    last_byte = ((size - 1) * 31) & 0xFF

    def number(item):
        if type(item) is not bytes or len(item) != size or item[-1] != last_byte:
            return -1
        return int.from_bytes(item[:4], "little")

    return number


def producer(queue, gate, p, producers, consumers, count, warm, kind, size, times):
    make = make_items(kind, size)
    put = queue.put
    gate.wait()
    n = warm // producers
    for k in range(n):
        put(make(p * n + k))
    gate.wait()
    start = time.perf_counter()
    n = count // producers
    for k in range(n):
        put(make(p * n + k))
    if consumers > 1:
        # Everything this process put is in the pipe once its feeder thread is joined (the parent then puts
        # the Nones, after every item).
        queue.close()
        queue.join_thread()
    times[p] = time.perf_counter() - start


def take(get, number, n, total, producers, task_done=None):
    """Gets `n` items (or until a None) and checks each, as worker.mjs does; calls `task_done` after each
    check when given (a JoinableQueue worker). Returns (received, sum of the i, items out of order)."""
    per_producer = total // producers
    last = [-1] * producers
    received = 0
    total_sum = 0
    disorder = 0
    while received < n:
        item = get()
        if item is None:
            break
        received += 1
        i = number(item)
        p = i // per_producer
        k = i - p * per_producer
        if i < 0 or p >= producers or k <= last[p]:
            disorder += 1
        else:
            last[p] = k
            total_sum += i
        if task_done is not None:
            task_done()
    return received, total_sum, disorder


def consumer(queue, gate, c, producers, consumers, count, warm, kind, size, times, results):
    number = number_of(kind, size)
    get = queue.get
    gate.wait()
    take(get, number, warm // consumers, warm, producers)
    gate.wait()
    start = time.perf_counter()
    received, total_sum, disorder = take(get, number, count if consumers == 1 else float("inf"), count, producers)
    times[producers + c] = time.perf_counter() - start
    results[3 * c : 3 * c + 3] = [received, total_sum, disorder]


def run_all(processes, guard, after_first=0, then=None):
    """Starts `processes` and joins them; calls `then()` once the first `after_first` have ended."""
    for process in processes:
        process.start()
    deadline = time.monotonic() + guard
    for n, process in enumerate(processes):
        if n == after_first and then is not None:
            then()
        process.join(max(0, deadline - time.monotonic()))
    failure = None
    for process in processes:
        if process.exitcode is None:
            failure = failure or f"guard: a process did not end within {guard} s"
        elif process.exitcode != 0:
            failure = failure or f"a process ended with exitcode {process.exitcode}"
    if failure is not None:
        # None may outlive the run: a consumer whose producer failed would wait for ever.
        for process in processes:
            if process.exitcode is None:
                process.kill()
                process.join()
        raise RuntimeError(failure)


def transfer(kind, guard, producers, consumers, maxsize, count, warm, size=0):
    queue = multiprocessing.Queue(maxsize)
    gate = multiprocessing.Barrier(producers + consumers)
    times = multiprocessing.Array("d", producers + consumers, lock=False)
    results = multiprocessing.Array("q", 3 * consumers, lock=False)
    run_all(
        [
            multiprocessing.Process(
                target=producer,
                args=(queue, gate, p, producers, consumers, count, warm, kind, size, times),
            )
            for p in range(producers)
        ]
        + [
            multiprocessing.Process(
                target=consumer,
                args=(queue, gate, c, producers, consumers, count, warm, kind, size, times, results),
            )
            for c in range(consumers)
        ],
        guard,
        producers,
        lambda: [queue.put(None) for _ in range(consumers)] if consumers > 1 else None,
    )
    received = sum(results[3 * c] for c in range(consumers))
    return {
        "ms": max(times) * 1000,
        "ops": received,
        "received": received,
        "sum": sum(results[3 * c + 1] for c in range(consumers)),
        "disorder": sum(results[3 * c + 2] for c in range(consumers)),
    }


def objects(guard, producers, consumers, maxsize, count, warm):
    return transfer("objects", guard, producers, consumers, maxsize, count, warm)


def payloads(guard, producers, consumers, maxsize, count, warm, size):
    return transfer("bytes", guard, producers, consumers, maxsize, count, warm, size)


def joinable_producer(queue, gate, consumers, count, warm, times):
    """Puts the items and joins, warm-up then timed; then one None per worker."""
    make = make_items("objects", 0)
    put = queue.put
    gate.wait()
    for i in range(warm):
        put(make(i))
    queue.join()
    gate.wait()
    start = time.perf_counter()
    for i in range(count):
        put(make(i))
    queue.join()
    times[0] = time.perf_counter() - start
    for _ in range(consumers):
        put(None)


def joinable_worker(queue, gate, c, consumers, count, warm, results):
    """Gets, checks and marks done its share of the warm-up, then items until its None."""
    number = number_of("objects", 0)
    get = queue.get
    task_done = queue.task_done
    gate.wait()
    take(get, number, warm // consumers, warm, 1, task_done)
    gate.wait()
    results[3 * c : 3 * c + 3] = take(get, number, float("inf"), count, 1, task_done)


def joinable(guard, consumers, maxsize, count, warm):
    """The joinable scenario (see the top of this file): 1 producer process, `consumers` worker processes.
    The rate is the producer's: all items put and done, from the second meeting to join() returning."""
    queue = multiprocessing.JoinableQueue(maxsize)
    gate = multiprocessing.Barrier(1 + consumers)
    times = multiprocessing.Array("d", 1, lock=False)
    results = multiprocessing.Array("q", 3 * consumers, lock=False)
    run_all(
        [multiprocessing.Process(target=joinable_producer, args=(queue, gate, consumers, count, warm, times))]
        + [
            multiprocessing.Process(target=joinable_worker, args=(queue, gate, c, consumers, count, warm, results))
            for c in range(consumers)
        ],
        guard,
    )
    received = sum(results[3 * c] for c in range(consumers))
    return {
        "ms": times[0] * 1000,
        "ops": received,
        "received": received,
        "sum": sum(results[3 * c + 1] for c in range(consumers)),
        "disorder": sum(results[3 * c + 2] for c in range(consumers)),
    }


def info(guard):
    return {"ms": 0, "ops": 0, "received": 0, "sum": 0, "disorder": 0}


SCENARIOS = {"info": info, "objects": objects, "bytes": payloads, "joinable": joinable}


if __name__ == "__main__":
    run_scenario(SCENARIOS)
