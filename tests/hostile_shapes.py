"""Hostile ruleset shapes, written as files: shared by the tests and benchmarks/fuzz_long.py.

Each extends the shipped basismodel (copied next to it), so a shape passes every check
that a real sector passes, and differs only in what it exaggerates.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

from meldcode_rules.sectors.registry import basismodel_file

#: Tri-state facts of the basismodel that every sector has (conditions are built from them).
TRI_FACTS = (
    "afweging.vermoeden",
    "afweging.acute_onveiligheid",
    "afweging.structurele_onveiligheid",
    "afweging.hulp_mogelijk",
    "afweging.hulp_aanvaard",
    "stappen.signalen_vastgelegd",
    "stappen.collega_geraadpleegd",
    "stappen.veilig_thuis_geraadpleegd",
    "stappen.gesprek_gevoerd",
    "kindcheck.zorgt_voor_minderjarigen",
    "kindcheck.zwanger",
    "eerder_gemeld_door_ander",
)
VORMEN = ("kindermishandeling", "partnergeweld", "seksueel_geweld", "vgv", "eergerelateerd_geweld")

HEAD = """\
id: hostile
titel: Vijandige vorm
versie: "1"
geldig_vanaf: 2020-01-01
sector: hostile
bron: "test"
breidt_uit: [basismodel]
"""


def _test(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return f"{{feit: vormen, bevat: {rng.choice(VORMEN)}}}"
    fact = rng.choice(TRI_FACTS)
    op = rng.choice(["is: ja", "is: nee", "is_niet: ja", "in: [ja, onbekend]", "is: onbekend"])
    return f"{{feit: {fact}, {op}}}"


def condition(rng: random.Random, width: int, depth: int) -> str:
    """A random condition in YAML flow style: ``width`` items per level, ``depth`` levels."""
    if depth == 0:
        return _test(rng)
    kind = rng.choice(["alle", "een_van", "niet"])
    if kind == "niet":
        return f"{{niet: {condition(rng, width, depth - 1)}}}"
    items = ", ".join(condition(rng, width, depth - 1) for _ in range(rng.randint(1, width)))
    return f"{{{kind}: [{items}]}}"


def rule(index: int, cond: str, melden: str = "onbekend") -> str:
    return (
        f"  - id: hostile-{index:05d}\n    titel: Regel {index}\n    bron: test\n    uitleg: Een regel.\n"
        f"    als: {cond}\n    dan:\n      melden: {melden}\n"
    )


def ruleset_text(rules: int, *, seed: int = 0, width: int = 3, depth: int = 2) -> str:
    rng = random.Random(seed)
    body = "".join(rule(i, condition(rng, width, depth)) for i in range(rules))
    return HEAD + "regels:\n" + body


def begrip_chain_text(levels: int) -> str:
    """Begrippen b0..bN, each using the previous one twice: doubles per level."""
    lines = [HEAD, "begrippen:\n"]
    lines.append("  - {id: b0, titel: b0, bron: test, als: {feit: afweging.vermoeden, is: ja}}\n")
    for i in range(1, levels + 1):
        lines.append(
            f"  - {{id: b{i}, titel: b{i}, bron: test, als: {{een_van: [{{begrip: b{i - 1}}}, "
            f"{{niet: {{begrip: b{i - 1}}}}}]}}}}\n"
        )
    lines.append("regels: []\n")
    return "".join(lines)


def write_tree(directory: Path, text: str) -> Path:
    """basismodel.yaml plus ``hostile.yaml`` with ``text`` in ``directory``; returns it."""
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copy(basismodel_file(), directory / "basismodel.yaml")
    (directory / "hostile.yaml").write_text(text, encoding="utf-8")
    return directory


def copies_text(times: int) -> str:
    """The basismodel's own rules ``times`` over, under new ids: the shape that crashed durable.

    Before issue 14, 80 such rules in one durable ruleset gave error 303 and 120 a double free.
    """
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    basis = yaml.load(basismodel_file().read_text(encoding="utf-8"))
    lines = [HEAD, "regels:\n"]
    for copy in range(times):
        for index, regel in enumerate(basis["regels"]):
            dan = {k: v for k, v in regel["dan"].items() if k in ("acties", "vragen", "vastleggen", "stap")}
            dan.setdefault("melden", "onbekend") if regel["dan"].get("melden") != "nee" else None
            if regel["dan"].get("melden") in ("ja", "onbekend"):
                dan["melden"] = regel["dan"]["melden"]
            if not dan:
                dan = {"melden": "onbekend"}
            item = {
                "id": f"kopie-{copy}-{index}",
                "titel": "Kopie",
                "bron": "test",
                "uitleg": "Kopie.",
                "als": regel["als"],
            }
            item["dan"] = dan
            lines.append("  - " + json.dumps(item, ensure_ascii=False, default=str) + "\n")
    return "".join(lines)
