"""The client examples (examples/clients/) against a real `meldcode-rules serve` on loopback.

Java and node are on every machine of this project, so their clients always run; PHP runs
where `php` is installed (scripts/test.sh installs it where it can).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from live_server import Server, running

REPO = Path(__file__).resolve().parents[1]
CLIENTS = REPO / "examples" / "clients"
CASE = CLIENTS / "acuut-eerder-gemeld.json"
TOKEN = "t" * 48


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    # With a token, as a client beyond loopback would need one.
    with running(tmp_path_factory.mktemp("server"), env={"MELDCODE_RULES_TOKENS": TOKEN}) as live:
        yield live


def _check(output: str) -> None:
    lines = dict(line.split(": ", 1) for line in output.strip().splitlines() if ": " in line)
    assert lines["melden"] == "ja"
    assert lines["besluit"].startswith("melden")
    assert lines["referentie"] == "voorbeeld-0001"
    assert "melden_veilig_thuis" in lines["acties"].split(", ")


def _run(command: list[str], token: str | None = TOKEN) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", **({"MELDCODE_TOKEN": token} if token else {})}
    return subprocess.run(command, capture_output=True, text=True, timeout=180, env=env, check=False)


def test_the_case_is_one_the_meldcode_requires_reporting() -> None:
    from meldcode_rules import evaluate

    oordeel = evaluate(json.loads(CASE.read_text(encoding="utf-8")))
    assert oordeel.melden == "ja" and "melden_veilig_thuis" in [a.code for a in oordeel.acties]


def test_java_client(server: Server) -> None:
    java = shutil.which("java")
    assert java, "java ontbreekt (Java 17 hoort op deze machines)"
    done = _run([java, str(CLIENTS / "java" / "Oordeel.java"), server.url, str(CASE)])
    assert done.returncode == 0, done.stderr
    _check(done.stdout)
    refused = _run([java, str(CLIENTS / "java" / "Oordeel.java"), server.url, str(CASE)], token=None)
    assert refused.returncode == 1 and "fout 401" in refused.stderr


def test_node_client(server: Server) -> None:
    node = shutil.which("node")
    assert node, "node ontbreekt (Node.js 20 hoort op deze machines)"
    done = _run([node, str(CLIENTS / "js" / "oordeel.mjs"), server.url, str(CASE)])
    assert done.returncode == 0, done.stderr
    _check(done.stdout)
    refused = _run([node, str(CLIENTS / "js" / "oordeel.mjs"), server.url, str(CASE)], token=None)
    assert refused.returncode == 1 and "fout 401: Niet geautoriseerd" in refused.stderr


@pytest.mark.skipif(shutil.which("php") is None, reason="php is not installed here (scripts/test.sh installs php-cli)")
def test_php_client(server: Server) -> None:
    done = _run([str(shutil.which("php")), str(CLIENTS / "php" / "oordeel.php"), server.url, str(CASE)])
    assert done.returncode == 0, done.stderr
    _check(done.stdout)
