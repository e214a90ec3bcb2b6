"""How fast `meldcode-rules monitor` judges many dossiers, and how much memory it takes.

Run: ``.venv/bin/python benchmarks/bench_monitor.py`` (see benchmarks/README.md); quicker:
``--n 20000``. It generates N synthetic dossiers (about 20 events each, seeded) as JSON Lines,
then runs the monitor in a fresh process per configuration: one process and two processes,
alternated ``--repeat`` times (the machine is shared: a pair run back to back meets the same
load), then Dask on a LocalCluster with two workers (started and stopped by the run, on
loopback). Per run it prints wall time, the CPU time of the whole run (this process and its
workers) and the load average around it: on a shared machine wall time also counts other
programs, CPU time does not.

Memory: the one-process run samples its resident set size at every tenth of the dossiers,
so N/10 and N are measured after the same warm-up (the same first dossiers, in the same
process); it prints RSS at N/10, N/2 and N and how full the judge's bounded caches
(:mod:`meldcode_rules.caches`) are at each, which is what grows until they are full.

Targets (issue 11, on 2 cores, reference engine): at least 5,000 dossiers/s per process,
near-linear with processes, memory flat in the number of dossiers.

A script, not a test: timings depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_PER_PROCESS = 5000.0

RUN = r"""
import datetime as dt, json, re, resource, sys, time
from pathlib import Path
from meldcode_rules import caches
from meldcode_rules.monitor import Opties, monitor
from meldcode_rules.monitor.run import start_method
path, engine, processen, dask = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] or None
opties = Opties(op=dt.date(2026, 12, 1), engine=engine)
def cpu():
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
def rss_kb():
    status = Path("/proc/self/status")
    if status.exists():
        return int(re.search(r"VmRSS:\s+(\d+)", status.read_text()).group(1))
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
# Compile the rulesets first: a one-off cost per process, not per dossier (timed apart).
from meldcode_rules.sectors.registry import compiled_for
from meldcode_rules.monitor.synthetic import SECTOREN
compile_start = time.thread_time()
for sector in SECTOREN:
    compiled_for(sector)
compile_cpu = time.thread_time() - compile_start
profile = []
def voortgang(total):
    marks = [total * k // 10 for k in range(1, 11)] if total else []
    done = 0
    def step(n):
        nonlocal done
        done += n
        while marks and done >= marks[0]:
            marks.pop(0)
            profile.append((done, rss_kb(), *caches.fill()))
    return step
method = start_method() if processen > 1 else "-"
start, cpu_start = time.perf_counter(), cpu()
sampled = voortgang if processen == 1 and not dask else None  # the profile: one process, in this process
result = monitor([path], opties, processen=processen, dask=dask, voortgang=sampled)
elapsed, cpu_used = time.perf_counter() - start, cpu() - cpu_start
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"gelezen": result.gelezen, "geweigerd": result.geweigerd, "seconden": elapsed, "cpu": cpu_used,
                  "rss_kb": own, "rss_werker_kb": children, "profiel": profile, "compileren": compile_cpu,
                  "start": method}))
"""


def generate(path: Path, count: int, events: int) -> float:
    from meldcode_rules.monitor.synthetic import Mix, write_jsonl

    start = time.perf_counter()
    with path.open("w", encoding="utf-8") as out:
        write_jsonl(out, count, seed=2026, mix=Mix(gebeurtenissen=events))
    return time.perf_counter() - start


def load() -> float:
    """The one-minute load average (0 where the system does not tell)."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0


def run(path: Path, engine: str, processen: int, dask: str = "") -> dict[str, object]:
    before = load()
    output = subprocess.run(
        [sys.executable, "-c", RUN, str(path), engine, str(processen), dask],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result: dict[str, object] = json.loads(output.strip().splitlines()[-1])
    result["load"] = (before, load())
    return result


def line(label: str, result: dict[str, object]) -> str:
    count, seconds, cpu = float(result["gelezen"]), float(result["seconden"]), float(result["cpu"])  # type: ignore[arg-type]
    worker_kb = float(result["rss_werker_kb"])  # type: ignore[arg-type]
    worker = f"   worker {worker_kb / 1024:6.1f} MiB" if worker_kb else ""
    started = f", workers {result['start']}" if result["start"] != "-" else ""
    before, after = result["load"]  # type: ignore[misc]
    return (
        f"  {label:<28} {int(count):>9,} in {seconds:6.1f} s {count / seconds:>7,.0f}/s wall"
        f"   CPU {cpu:6.1f} s {count / cpu if cpu else 0.0:>7,.0f}/CPU-s"
        f"   main {float(result['rss_kb']) / 1024:6.1f} MiB{worker}"  # type: ignore[arg-type]
        f"   load {before:.1f}-{after:.1f}{started}"
    )


def memory(result: dict[str, object]) -> list[str]:
    """RSS and cache fill at N/10, N/2 and N of one run: the same warm-up before each."""
    profile: list[list[int]] = result["profiel"]  # type: ignore[assignment]
    if len(profile) < 10:
        return ["  (too few dossiers for a profile)"]
    lines = []
    for label, (done, rss, entries, capacity) in (("N/10", profile[0]), ("N/2", profile[4]), ("N", profile[9])):
        lines.append(
            f"  at {label:<4} {done:>9,} dossiers   RSS {rss / 1024:6.1f} MiB   "
            f"caches {entries:>7,} of {capacity:,} entries ({entries / capacity:.0%} full)"
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="number of dossiers (default 100,000)")
    parser.add_argument("--events", type=int, default=20, help="about this many events per dossier")
    parser.add_argument("--engine", default="reference", choices=["reference", "durable"])
    parser.add_argument("--repeat", type=int, default=1, help="alternate 1 and 2 processes this many times")
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask LocalCluster run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "groot.jsonl"
        seconds = generate(big, args.n, args.events)
        size = big.stat().st_size / 2**20
        print(
            f"{args.n:,} dossiers, ~{args.events} events each ({size:,.0f} MiB JSON Lines, "
            f"generated in {seconds:.1f} s), engine {args.engine}, {os.cpu_count()} cores"
        )
        ones: list[dict[str, object]] = []
        twos: list[dict[str, object]] = []
        for _ in range(max(1, args.repeat)):
            ones.append(run(big, args.engine, 1))
            print(line("1 process", ones[-1]), flush=True)
            twos.append(run(big, args.engine, 2))
            print(line("2 processes", twos[-1]), flush=True)
        dask = None
        if not args.no_dask:
            dask = run(big, args.engine, 1, "local")
            print(line("Dask LocalCluster, 2 workers", dask))
    one = min(ones, key=lambda r: float(r["seconden"]))  # type: ignore[arg-type]
    two = min(twos, key=lambda r: float(r["seconden"]))  # type: ignore[arg-type]
    n = float(one["gelezen"])  # type: ignore[arg-type]
    rate_one = n / float(one["seconden"])  # type: ignore[arg-type]
    cpu_one = n / float(one["cpu"])  # type: ignore[arg-type]
    cpu_two = n / float(two["cpu"])  # type: ignore[arg-type]
    speedup = float(one["seconden"]) / float(two["seconden"])  # type: ignore[arg-type]
    print("results (the fastest of each)")
    print(
        f"  per process       {rate_one:9,.0f} dossiers/s   target >= {TARGET_PER_PROCESS:,.0f}   "
        f"{'PASS' if rate_one >= TARGET_PER_PROCESS else 'MISS'}"
    )
    print(f"  per CPU-second    {cpu_one:9,.0f} dossiers with 1 process, {cpu_two:,.0f} with 2 (all their CPU)")
    print(f"  2 processes       {speedup:9.2f}x the speed of one (linear: 2.00x; needs 2 free cores)")
    print(f"  compiling         {float(one['compileren']):9.1f} s CPU per process, once (not in the times above)")  # type: ignore[arg-type]
    print("memory of the 1-process run (flat: the same RSS at N/2 and N once the caches are full)")
    for text in memory(one):
        print(text)
    if dask is not None:
        print(f"  Dask overhead     {float(dask['seconden']) / float(two['seconden']):9.2f}x the time of 2 processes")  # type: ignore[arg-type]
    return 0 if rate_one >= TARGET_PER_PROCESS else 1


if __name__ == "__main__":
    raise SystemExit(main())
