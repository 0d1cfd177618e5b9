"""CPython's multiprocessing side of the @ipc/sync benchmark (run by run.ts through threads.ts).

argv: scenario guard_seconds params... One measurement per call, with the fork start method
Prints one JSON line: {"version", "method", "ms", "ops", "expected", "observed"}, where
`ops` were done in `ms` of timed work and the run is valid only when observed == expected; or {"error"}.

Scenarios (each mirrors one in worker.mjs; `info` only reports the version and start method):
- lock iterations warm_iterations: 2 processes each do `iterations` times lock.acquire(),
  value.value += 1, lock.release() on a multiprocessing.Lock and a Value('i', lock=False);
- solo max_ms warm_ms: acquire() + release() of an uncontended multiprocessing.Lock in this process;
- event max_ms warm_ms: ping-pong between 2 processes over two multiprocessing.Events;
- barrier parties max_ms warm_generations: `parties` processes cross one multiprocessing.Barrier.
Processes meet on a multiprocessing.Barrier before the warm-up and before the timed part, like the workers.
"""

import multiprocessing
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "harness"))
from cpython_scenarios import run_scenario  # noqa: E402 (the harness folder is put on the path first)

STOP_NEVER = 2**31 - 1


def lock_child(lock, value, gate, iterations, warm, times, hand_offs, slot):
    acquire = lock.acquire
    release = lock.release

    def run(n):
        # As in worker.mjs: finding another value than the one this process wrote last is a hand-off.
        mine = -1
        count = 0
        for _ in range(n):
            acquire()
            seen = value.value
            value.value = seen + 1
            release()
            if seen != mine:
                count += 1
            mine = seen + 1
        return count

    gate.wait()
    run(warm)
    gate.wait()
    start = time.perf_counter()
    hand_offs[slot] = run(iterations)
    times[slot] = time.perf_counter() - start


def ping(a, b, stop, gate, max_s, warm_s, times, counts):
    gate.wait()
    sent = 0

    def run(seconds):
        nonlocal sent
        start = time.perf_counter()
        trips = 0
        while True:
            for _ in range(64):
                a.set()
                b.wait()
                b.clear()
            trips += 64
            if time.perf_counter() - start >= seconds:
                break
        sent += trips
        return trips

    run(warm_s)
    start = time.perf_counter()
    counts[0] = run(max_s)
    times[0] = time.perf_counter() - start
    counts[1] = sent
    stop.value = 1
    a.set()


def pong(a, b, stop, gate, counts):
    gate.wait()
    answered = 0
    while True:
        a.wait()
        a.clear()
        if stop.value == 1:
            break
        b.set()
        answered += 1
    counts[2] = answered


def barrier_child(barrier, stop, gate, index, max_s, warm, times, zeros):
    # Same stop rule as worker.mjs: party 0 writes STOP = g + 1 before its wait number g.
    mine = 0
    gate.wait()
    for _ in range(warm):
        if barrier.wait() == 0:
            mine += 1
    gate.wait()
    start = time.perf_counter()
    g = 0
    while True:
        if index == 0 and stop.value > g and time.perf_counter() - start >= max_s:
            stop.value = g + 1
        if g >= stop.value:
            break
        if barrier.wait() == 0:
            mine += 1
        g += 1
    times[index] = time.perf_counter() - start
    zeros[index] = mine


def run_all(processes, guard):
    for process in processes:
        process.start()
    for process in processes:
        process.join(guard)
    for process in processes:
        if process.exitcode is None:
            for other in processes:
                other.kill()
            raise RuntimeError(f"guard: a process did not end within {guard} s")
        if process.exitcode != 0:
            raise RuntimeError(f"a process ended with exitcode {process.exitcode}")


def lock(guard, iterations, warm):
    lk = multiprocessing.Lock()
    value = multiprocessing.Value("i", 0, lock=False)
    gate = multiprocessing.Barrier(2)
    times = multiprocessing.Array("d", 2, lock=False)
    hand_offs = multiprocessing.Array("q", 2, lock=False)
    run_all(
        [
            multiprocessing.Process(
                target=lock_child, args=(lk, value, gate, iterations, warm, times, hand_offs, slot)
            )
            for slot in range(2)
        ],
        guard,
    )
    return {
        "ms": max(times) * 1000,
        "ops": 2 * iterations,
        "expected": 2 * (iterations + warm),
        "observed": value.value,
        "handOffs": sum(hand_offs),
    }


def solo(guard, max_ms, warm_ms):
    lk = multiprocessing.Lock()
    acquire = lk.acquire
    release = lk.release

    def run(seconds):
        start = time.perf_counter()
        ops = 0
        while True:
            for _ in range(256):
                acquire()
                release()
            ops += 256
            if time.perf_counter() - start >= seconds:
                return ops

    run(warm_ms / 1000)
    start = time.perf_counter()
    ops = run(max_ms / 1000)
    ms = (time.perf_counter() - start) * 1000
    free = lk.acquire(False)
    return {"ms": ms, "ops": ops, "expected": 1, "observed": 1 if free else 0}


def event(guard, max_ms, warm_ms):
    a = multiprocessing.Event()
    b = multiprocessing.Event()
    stop = multiprocessing.Value("i", 0, lock=False)
    gate = multiprocessing.Barrier(2)
    times = multiprocessing.Array("d", 1, lock=False)
    counts = multiprocessing.Array("q", 3, lock=False)
    run_all(
        [
            multiprocessing.Process(target=ping, args=(a, b, stop, gate, max_ms / 1000, warm_ms / 1000, times, counts)),
            multiprocessing.Process(target=pong, args=(a, b, stop, gate, counts)),
        ],
        guard,
    )
    return {"ms": times[0] * 1000, "ops": counts[0], "expected": counts[1], "observed": counts[2]}


def barrier(guard, parties, max_ms, warm):
    bar = multiprocessing.Barrier(parties)
    stop = multiprocessing.Value("i", STOP_NEVER, lock=False)
    gate = multiprocessing.Barrier(parties)
    times = multiprocessing.Array("d", parties, lock=False)
    zeros = multiprocessing.Array("q", parties, lock=False)
    run_all(
        [
            multiprocessing.Process(
                target=barrier_child, args=(bar, stop, gate, index, max_ms / 1000, warm, times, zeros)
            )
            for index in range(parties)
        ],
        guard,
    )
    generations = stop.value
    return {"ms": max(times) * 1000, "ops": generations, "expected": warm + generations, "observed": sum(zeros)}


def info(guard):
    return {"ms": 0, "ops": 0, "expected": 0, "observed": 0}


SCENARIOS = {"info": info, "lock": lock, "solo": solo, "event": event, "barrier": barrier}


if __name__ == "__main__":
    run_scenario(SCENARIOS)
