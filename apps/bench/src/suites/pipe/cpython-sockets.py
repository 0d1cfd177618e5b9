"""CPython's side of the @ipc/pipe socket benchmark (run by run.ts): multiprocessing.connection's Listener and
Client between two processes, the peer started with multiprocessing.Process (the platform's default start
method: fork on Linux), both ends authenticated with an authkey.

argv: transport ('unix' or 'tcp'), plan JSON (as socket-node.mjs takes it). Each workload runs once untimed
with `warm` items, then timed with `count`. Prints one JSON line {"version", "ms": {name: ms}}, or {"error"}.
- echo: `count` round trips of {'i': i, 's': 'x'} (pickled by send/recv), each checked;
- sink: `count` messages of `size` bytes with send_bytes, each taken with recv_bytes by the peer, which answers
  the total length once at the end (checked).
"""

import json
import multiprocessing
import os
import sys
import tempfile
import time
from multiprocessing.connection import Client, Listener

AUTHKEY = b"bench"


def peer(address):
    conn = Client(address, authkey=AUTHKEY)
    while True:
        command = conn.recv()
        if command["kind"] == "stop":
            break
        if command["kind"] == "echo":
            recv, send = conn.recv, conn.send
            for _ in range(command["count"]):
                send(recv())
        else:
            recv_bytes = conn.recv_bytes
            total = 0
            for _ in range(command["count"]):
                total += len(recv_bytes())
            conn.send(total)
    conn.close()


def run(conn, workload, count):
    if workload["kind"] == "echo":
        conn.send({"kind": "echo", "count": count})
        send, recv = conn.send, conn.recv
        for i in range(count):
            send({"i": i, "s": "x"})
            echo = recv()
            if echo["i"] != i or echo["s"] != "x":
                raise RuntimeError(f"echo {i} came back as {echo!r}")
        return
    conn.send({"kind": "sink", "count": count})
    payload = bytes([7]) * workload["size"]
    send_bytes = conn.send_bytes
    for _ in range(count):
        send_bytes(payload)
    total = conn.recv()
    if total != count * workload["size"]:
        raise RuntimeError(f"the peer received {total} bytes of {count * workload['size']}")


def main():
    transport, plan = sys.argv[1], json.loads(sys.argv[2])
    if transport == "tcp":
        address = ("127.0.0.1", 0)
    else:
        address = os.path.join(tempfile.gettempdir(), f"ipc-bench-py-{os.getpid()}.sock")
    ms = {}
    with Listener(address, authkey=AUTHKEY) as listener:
        child = multiprocessing.Process(target=peer, args=(listener.address,))
        child.start()
        with listener.accept() as conn:
            for workload in plan:
                run(conn, workload, workload["warm"])
                started = time.perf_counter()
                run(conn, workload, workload["count"])
                ms[workload["name"]] = (time.perf_counter() - started) * 1000
            conn.send({"kind": "stop"})
            child.join(60)
    print(json.dumps({"version": sys.version.split()[0], "ms": ms}))


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # reported to run.ts as JSON, like socket-node.mjs does
        print(json.dumps({"error": f"{type(error).__name__}: {error}"}))
        sys.exit(1)
