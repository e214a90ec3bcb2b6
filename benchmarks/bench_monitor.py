"""How fast `meldcode-rules monitor` judges many dossiers, and how much memory it takes.

Run: ``.venv/bin/python benchmarks/bench_monitor.py`` (see benchmarks/README.md); quicker:
``--n 20000``. It generates N synthetic dossiers (about 20 events each, seeded) as JSON Lines,
then runs the monitor in a fresh process per configuration: one process, two processes and
Dask on a LocalCluster with two workers (started and stopped by the run, on loopback). It
prints dossiers per second, the peak memory (resident set size of the main process and of
the largest worker), the same for N/10 dossiers to show that memory does not grow with N,
and the Dask overhead as a ratio to the process pool.

Targets (issue 11, on 2 cores, reference engine): at least 5,000 dossiers/s per process,
near-linear with processes, memory flat in the number of dossiers.

A script, not a test: timings depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_PER_PROCESS = 5000.0

RUN = r"""
import datetime as dt, json, resource, sys, time
from meldcode_rules.monitor import Opties, monitor
path, engine, processen, dask = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] or None
opties = Opties(op=dt.date(2026, 12, 1), engine=engine)
# Compile the rulesets first: a one-off cost per process, not per dossier.
from meldcode_rules.sectors.registry import compiled_for
from meldcode_rules.monitor.synthetic import SECTOREN
for sector in SECTOREN:
    compiled_for(sector)
def cpu():
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
start, cpu_start = time.perf_counter(), cpu()
result = monitor([path], opties, processen=processen, dask=dask)
elapsed, cpu_used = time.perf_counter() - start, cpu() - cpu_start
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"gelezen": result.gelezen, "geweigerd": result.geweigerd, "seconden": elapsed, "cpu": cpu_used,
                  "rss_kb": own, "rss_werker_kb": children}))
"""


def generate(path: Path, count: int, events: int) -> float:
    from meldcode_rules.monitor.synthetic import Mix, write_jsonl

    start = time.perf_counter()
    with path.open("w", encoding="utf-8") as out:
        write_jsonl(out, count, seed=2026, mix=Mix(gebeurtenissen=events))
    return time.perf_counter() - start


def run(path: Path, engine: str, processen: int, dask: str = "") -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, "-c", RUN, str(path), engine, str(processen), dask],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def line(label: str, result: dict[str, float]) -> str:
    rate = result["gelezen"] / result["seconden"]
    per_cpu = result["gelezen"] / result["cpu"] if result["cpu"] else 0.0
    worker = f"   worker {result['rss_werker_kb'] / 1024:7.1f} MiB" if result["rss_werker_kb"] else ""
    return (
        f"  {label:<26} {int(result['gelezen']):>9,} in {result['seconden']:7.1f} s  {rate:>9,.0f} dossiers/s"
        f" ({per_cpu:,.0f} per CPU-s)"
        f"   main {result['rss_kb'] / 1024:7.1f} MiB{worker}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="number of dossiers (default 100,000)")
    parser.add_argument("--events", type=int, default=20, help="about this many events per dossier")
    parser.add_argument("--engine", default="reference", choices=["reference", "durable"])
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask LocalCluster run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        big, small = Path(tmp) / "groot.jsonl", Path(tmp) / "klein.jsonl"
        seconds = generate(big, args.n, args.events)
        generate(small, max(1, args.n // 10), args.events)
        size = big.stat().st_size / 2**20
        print(
            f"{args.n:,} dossiers, ~{args.events} events each ({size:,.0f} MiB JSON Lines, "
            f"generated in {seconds:.1f} s)"
        )
        print(f"engine {args.engine}")
        one = run(big, args.engine, 1)
        print(line("1 process", one))
        two = run(big, args.engine, 2)
        print(line("2 processes", two))
        one_small = run(small, args.engine, 1)
        print(line("1 process, N/10", one_small))
        dask = None
        if not args.no_dask:
            dask = run(big, args.engine, 1, "local")
            print(line("Dask LocalCluster, 2 workers", dask))
    rate_one = one["gelezen"] / one["seconden"]
    # On a shared machine wall time also counts other programs; CPU time does not (Dask's
    # workers are not children of this process, so its CPU line counts the client only).
    cpu_one = one["gelezen"] / one["cpu"]
    speedup = one["seconden"] / two["seconden"]
    growth = one["rss_kb"] / one_small["rss_kb"]
    print("results")
    print(
        f"  per process      {rate_one:9,.0f} dossiers/s   target >= {TARGET_PER_PROCESS:,.0f}   "
        f"{'PASS' if rate_one >= TARGET_PER_PROCESS else 'MISS'}"
    )
    print(f"  per CPU-second   {cpu_one:9,.0f} dossiers (what one process does on an otherwise idle core)")
    print(f"  2 processes      {speedup:9.2f}x the speed of one (linear: 2.00x)")
    print(f"  memory, N vs N/10 {growth:8.2f}x peak RSS of the main process (flat: about 1.00x)")
    if dask is not None:
        print(f"  Dask overhead    {dask['seconden'] / two['seconden']:9.2f}x the time of 2 processes")
    return 0 if rate_one >= TARGET_PER_PROCESS else 1


if __name__ == "__main__":
    raise SystemExit(main())
