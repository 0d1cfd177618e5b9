"""The entry point the CPython scripts of suites/queue and suites/sync share (imported from those scripts).

argv: scenario guard_seconds params... (integers). Runs SCENARIOS[scenario](guard, *params) once with the fork
start method (the fastest on Linux; 3.14 made forkserver the default) and prints one JSON line: the scenario's
report plus "version" and "method"; or {"error"} and exit status 1.
"""

import json
import multiprocessing
import sys


def run_scenario(scenarios):
    multiprocessing.set_start_method("fork")
    try:
        scenario = scenarios[sys.argv[1]]
        guard = float(sys.argv[2])
        report = scenario(guard, *(int(arg) for arg in sys.argv[3:]))
        method = multiprocessing.get_start_method()
        print(json.dumps({"version": sys.version.split()[0], "method": method, **report}))
    except Exception as error:  # reported to the TypeScript side as JSON
        print(json.dumps({"error": f"{type(error).__name__}: {error}"}))
        sys.exit(1)
