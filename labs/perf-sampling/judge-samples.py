#!/usr/bin/env python3
"""Judge of lab perf-sampling: did the program attribute the spinner's samples to the spinner?

The spinner (spinner.c) burned a known amount of CPU under a name carrying the run's nonce and
wrote both to spinner.out. Sampling at FREQUENCY per CPU, a correct profiler counts about
FREQUENCY samples per CPU-second for that name, on cycles or on cpu-clock alike.
"""
import json
import sys

FREQUENCY = 99  # attach.perfFrequency in lab.yaml


def fail(message):
    print(f"FAIL: {message}")
    sys.exit(1)


def map_entries(dump, name):
    """Entries of one map from maps.json, whichever of the runner's shapes it was saved in."""
    maps = dump.get("maps", dump) if isinstance(dump, dict) else dump
    if isinstance(maps, list):
        maps = {m.get("name"): m for m in maps if isinstance(m, dict)}
    found = maps.get(name)
    if isinstance(found, dict):
        found = found.get("entries")
    return found if isinstance(found, list) else None


def comm_of(key):
    if isinstance(key, str):
        return key
    if isinstance(key, dict):
        return key.get("comm")
    return None


def main():
    try:
        with open("spinner.out") as f:
            spinner = dict(line.split(None, 1) for line in f.read().splitlines() if line)
        comm, cpu_ms = spinner["comm"].strip(), int(spinner["cpu_ms"])
    except (OSError, KeyError, ValueError) as e:
        fail(f"the workload did not report what it ran ({e}); did it finish?")
    try:
        with open("maps.json") as f:
            entries = map_entries(json.load(f), "samples")
    except (OSError, ValueError) as e:
        fail(f"no map dump to judge ({e})")
    if entries is None:
        fail("there is no map named `samples` (keep the map from the starter)")

    if not any(isinstance(comm_of(e.get("key")), str) for e in entries):
        fail("no `samples` key has a `comm` field with the task's name: fill it with bpf_get_current_comm()")
    got = sum(int(e.get("value", 0)) for e in entries if comm_of(e.get("key")) == comm)
    expected = FREQUENCY * cpu_ms / 1000
    low, high = max(5, 0.5 * expected), 1.5 * expected + 10
    if got == 0:
        fail(f"no samples counted for the workload `{comm}`, which ran {cpu_ms} ms on a CPU")
    if not low <= got <= high:
        fail(f"{got} samples for `{comm}`; {cpu_ms} ms of CPU at {FREQUENCY} Hz should give about "
             f"{expected:.0f} (accepted {low:.0f}..{high:.0f}): count each sample once, for the running task")
    print(f"{got} samples for `{comm}` ({cpu_ms} ms of CPU at {FREQUENCY} Hz: about {expected:.0f} expected)")


main()
