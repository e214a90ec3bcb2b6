"""The docs site builds without warnings, and every error code is documented."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_mkdocs_build_strict(tmp_path: Path) -> None:
    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--config-file",
            str(REPO / "mkdocs.yml"),
            "-d",
            str(site),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # generated pages are there: the reference and one page per ruleset, with the flowchart
    reference = (site / "referentie" / "ruleset" / "index.html").read_text(encoding="utf-8")
    assert "afweging.acute_onveiligheid" in reference
    basismodel = (site / "rulesets" / "basismodel" / "index.html").read_text(encoding="utf-8")
    assert "flowchart TD" in basismodel and "meldnorm1-acute-onveiligheid" in basismodel
    assert (site / "trainers" / "handleiding" / "index.html").is_file()


def test_every_error_code_is_documented() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "src" / "meldcode_rules").rglob("*.py"))
    used = set(re.findall(r'"(MR\d{3})"', source))
    assert used, "geen foutcodes gevonden in de broncode"
    documented = set(re.findall(r"^## (MR\d{3}):", (REPO / "docs/trainers/foutmeldingen.md").read_text("utf-8"), re.M))
    assert used <= documented, f"niet gedocumenteerd: {sorted(used - documented)}"
