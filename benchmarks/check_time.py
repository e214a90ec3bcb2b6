"""Print how long ``meldcode-rules check`` takes on every shipped ruleset and sector.

Usage: ``python benchmarks/check_time.py [PATH...]``. Target (issue 4): under 10 s on a
2-core machine. Not a test: timings are printed, never asserted.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from meldcode_rules.check import run_check


def main(argv: list[str]) -> None:
    paths = [Path(p) for p in argv] or None
    for agreement in (True, False):
        start = time.perf_counter()
        report = run_check(paths, engine_agreement=agreement)
        wall = time.perf_counter() - start
        print(
            f"check ({'met' if agreement else 'zonder'} engine-vergelijking): {wall:.2f} s voor "
            f"{len(report.checked)} ruleset(s) ({', '.join(report.checked)}), "
            f"{len(report.errors)} fout(en), {len(report.findings)} bevinding(en)"
        )
        for label, stages in report.stages.items():
            print(f"  {label}: " + ", ".join(f"{k}={'bewezen' if v else 'steekproef'}" for k, v in stages.items()))


if __name__ == "__main__":
    main(sys.argv[1:])
