"""The Dask path gives exactly the single-process result, on a LocalCluster on loopback.

The test starts the cluster itself (two worker processes, one thread each, no dashboard, bound
to 127.0.0.1) and stops it, so nothing is left running and nothing leaves the machine.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from click.testing import CliRunner
from distributed import LocalCluster

from meldcode_rules.cli import main
from meldcode_rules.monitor import Opties, monitor
from meldcode_rules.monitor.synthetic import Mix, write_jsonl

OP = dt.date(2026, 12, 1)


def test_dask_local_cluster_equals_the_single_process_run(tmp_path: Path) -> None:
    path = tmp_path / "dossiers.jsonl"
    with path.open("w", encoding="utf-8") as out:
        write_jsonl(out, 300, seed=21, mix=Mix(peildatum=OP))
        out.write("{kapot\n")
        write_jsonl(out, 60, seed=22, mix=Mix(peildatum=OP, vorm="casus"))
    opties = Opties(op=OP, engine="reference", max_werklijst=50)
    single = monitor([path], opties, per_deel=40)
    assert single.gelezen == 361 and single.geweigerd == 1 and single.werklijst_totaal > 50
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
    ) as cluster:
        assert len(cluster.workers) == 2
        distributed = monitor([path], opties, per_deel=40, dask=cluster.scheduler_address)
    assert distributed == single
    assert [(w.bron, w.plek) for w in distributed.weigeringen] == [("dossiers.jsonl", 301)]


def test_cli_dask_local_starts_and_stops_its_own_cluster(tmp_path: Path) -> None:
    path = tmp_path / "dossiers.jsonl"
    with path.open("w", encoding="utf-8") as out:
        # one sector: each worker compiles only the rulesets it meets, and this test is about the CLI path
        write_jsonl(out, 80, seed=23, mix=Mix(peildatum=OP, sectoren=("onderwijs",)))
    args = ["monitor", str(path), "--op", "2026-12-01", "-e", "reference", "-f", "json"]
    runner = CliRunner()
    single = runner.invoke(main, args)
    local = runner.invoke(main, [*args, "--dask", "local"])
    assert single.exit_code == local.exit_code == 0, local.output
    assert json.loads(local.output) == json.loads(single.output)
