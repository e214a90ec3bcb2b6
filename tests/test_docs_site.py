"""The docs site builds without warnings, and every error code is documented."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The site, built once for this module: (site directory, build log)."""
    site = tmp_path_factory.mktemp("docs") / "site"
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
    return site, result.stdout + result.stderr


def test_mkdocs_build_strict(built: tuple[Path, str]) -> None:
    site, log = built
    # every page is in the navigation (ci, plugins, scenarios and the sector pages were not)
    assert "not included in the" not in log, log
    for page in ("ci", "plugins", "scenarios", "sectors/onderwijs", "rulesets/onderwijs"):
        assert (site / page / "index.html").is_file(), page
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


#: Makes Material's closed shadow roots open and writes how many flowchart nodes Mermaid drew
#: onto <html>, so Chromium's --dump-dom can show it.
_PROBE = """<script>(function(){const attach=Element.prototype.attachShadow;const roots=[];
Element.prototype.attachShadow=function(init){const root=attach.call(this,Object.assign({},init,{mode:"open"}));
roots.push(root);return root};setInterval(function(){let nodes=0;for(const r of roots){const svg=r.querySelector("svg");
if(svg){nodes+=svg.querySelectorAll(".node").length}}
document.documentElement.setAttribute("data-mermaid-nodes",String(nodes))},200)})();</script>"""


def test_a_diagram_is_drawn_offline_in_chromium(built: tuple[Path, str]) -> None:
    site, _ = built
    chromium = "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else shutil.which("chromium")
    assert chromium, "Chromium ontbreekt: voer scripts/test.sh uit (installeert het Debian-pakket chromium)"
    assert (site / "js" / "mermaid.min.js").stat().st_size > 1_000_000  # bundled, not fetched by the page
    page = site / "rulesets" / "basismodel" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "js/mermaid.min.js" in html
    probe = page.with_name("probe.html")
    probe.write_text(html.replace("<head>", "<head>" + _PROBE, 1), encoding="utf-8")
    result = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--host-resolver-rules=MAP * ~NOTFOUND",  # no network at all: a CDN would fail
            "--virtual-time-budget=20000",
            "--dump-dom",
            probe.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    found = re.search(r'data-mermaid-nodes="(\d+)"', result.stdout)
    assert found, result.stdout[:500] + result.stderr[-500:]
    # the afwegingskader's twelve questions and ends are drawn as SVG nodes, not shown as source
    assert int(found.group(1)) >= 12, found.group(0)
    assert '<pre class="mermaid"' not in result.stdout
