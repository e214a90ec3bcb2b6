"""Memory after many varied judgements, per engine: does the process stay bounded?

Run: ``.venv/bin/python benchmarks/bench_memory.py`` (see benchmarks/README.md).

Each engine runs in its own new process, which judges ``--count`` generated
cases (default 1,000,000) drawn over the basismodel and every installed
sector, with ``--dates`` distinct assessment dates (default 400): what a case
system or service meets in weeks of use, in minutes. The process reports its
resident memory (RSS) at the start, after a tenth, after half of the judgements
and at the end, and the peak RSS (VmHWM, reset after the warm-up where Linux
allows) at each of those: every figure after the same warm-up, in the same
process. The caches of the judgement path are bounded (``meldcode_rules.caches``),
so the second half must not grow: targets **under 250 MB at the end and under
5 % growth over the second half**.

A script, not a test: it runs for minutes and measures a machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

TARGET_MB = 250.0
TARGET_GROWTH = 0.05


def rss_mb(field: str = "VmRSS") -> float:
    """Resident memory of this process (``VmHWM``: its peak), in MB (Linux /proc; else the peak from getrusage)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def reset_peak() -> bool:
    """Start the peak (VmHWM) afresh, so it measures from here (Linux 4.0+; else it keeps the process peak)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def varied_cases(count: int, dates: int, seed: int = 9) -> Iterator[dict[str, Any]]:
    """``count`` generated case dicts, made as they are judged (never all held at once)."""
    from meldcode_rules.case.synthetic import random_facts
    from meldcode_rules.sectors.registry import compiled_for, known_sectors

    rng = random.Random(seed)
    sectors: list[str | None] = [None, *sorted(known_sectors())]
    days = [(dt.date(2026, 1, 1) + dt.timedelta(days=n)).isoformat() for n in range(dates)]
    for _ in range(count):
        sector = rng.choice(sectors)
        case: dict[str, Any] = {"datum": rng.choice(days)}
        if sector is not None:
            case["sector"] = sector
        case.update(random_facts(rng, compiled_for(sector).catalog, weglaten=0.4))
        yield case


def run_engine(engine: str, count: int, dates: int) -> dict[str, float]:
    """In this process: judge ``count`` varied cases; RSS at start, half and end."""
    from meldcode_rules.api import evaluate
    from meldcode_rules.sectors.registry import known_sectors

    # Load and compile every sector first: the start is a process ready to judge.
    for sector in [None, *known_sectors()]:
        evaluate({"sector": sector} if sector else {}, engine=engine)
    reset = reset_peak()
    start = rss_mb()
    tenth, half = max(1, count // 10), count // 2
    at_tenth = at_half = peak_tenth = peak_half = 0.0
    began = time.perf_counter()
    step = max(1, count // 10)
    for n, case in enumerate(varied_cases(count, dates), start=1):
        evaluate(case, engine=engine)
        if n == tenth:
            at_tenth, peak_tenth = rss_mb(), rss_mb("VmHWM")
        if n == half:
            at_half, peak_half = rss_mb(), rss_mb("VmHWM")
        if n % step == 0:  # progress, for a run that is watched (stderr; the result is stdout)
            print(f"{engine}: {n:,} judgements, RSS {rss_mb():.1f} MB", file=sys.stderr, flush=True)
    return {
        "start_mb": start,
        "tenth_mb": at_tenth,
        "half_mb": at_half,
        "end_mb": rss_mb(),
        "peak_tenth_mb": peak_tenth,
        "peak_half_mb": peak_half,
        "peak_end_mb": rss_mb("VmHWM"),
        "peak_reset": reset,
        "seconds": time.perf_counter() - began,
        "count": count,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="judgements per engine")
    parser.add_argument("--dates", type=int, default=400, help="distinct assessment dates")
    parser.add_argument("--engine", action="append", choices=["durable", "reference"], help="default: both")
    parser.add_argument("--in-process", choices=["durable", "reference"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.in_process:
        print(json.dumps(run_engine(args.in_process, args.count, args.dates)))
        return 0

    from meldcode_rules.engines import durable_available

    engines = args.engine or (["durable", "reference"] if durable_available() else ["reference"])
    print(f"meldcode-rules memory: {args.count:,} varied judgements per engine, every sector, {args.dates} dates")
    missed = False
    for engine in engines:
        command = [
            sys.executable,
            __file__,
            "--in-process",
            engine,
            "--count",
            str(args.count),
            "--dates",
            str(args.dates),
        ]
        done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
        result = json.loads(done.stdout)
        growth = (result["end_mb"] - result["half_mb"]) / result["half_mb"]
        ok = result["end_mb"] < TARGET_MB and growth < TARGET_GROWTH
        missed |= not ok
        print(
            f"  {engine:<10} RSS start {result['start_mb']:6.1f} MB   N/10 {result['tenth_mb']:6.1f} MB   "
            f"half {result['half_mb']:6.1f} MB   end {result['end_mb']:6.1f} MB   second half {growth:+6.1%}   "
            f"({result['seconds']:.0f} s)   {'PASS' if ok else 'MISS'}"
        )
        since = "since the warm-up" if result["peak_reset"] else "of the process (no reset here)"
        print(
            f"  {'':<10} peak {since}: N/10 {result['peak_tenth_mb']:6.1f} MB   half {result['peak_half_mb']:6.1f} MB"
            f"   end {result['peak_end_mb']:6.1f} MB   N vs N/10 {result['peak_end_mb'] / result['peak_tenth_mb']:.2f}x"
        )
    print(f"targets: under {TARGET_MB:.0f} MB at the end, under {TARGET_GROWTH:.0%} growth over the second half")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
