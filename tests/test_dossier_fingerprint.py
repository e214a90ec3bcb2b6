"""Judgements of dossiers do not change by accident: digests per engine and input path, recorded.

``scripts/dossier_fingerprint.py`` judges seeded dossiers (the monitor's synthetic ones,
random events of every kind, wrong ones, and the shipped examples) from a dict, from JSON
text, as the monitor reads a JSON line, and from a pydantic-validated model, and hashes
every judgement's JSON (and every error message). A change that makes judging faster
keeps every digest; this test checks the small draw the file records.
"""

from __future__ import annotations

import json

from scripts import load_script
from strategies import ENGINES

fingerprint = load_script("dossier_fingerprint")


def test_dossier_judgements_match_the_recorded_digests() -> None:
    recorded = json.loads(fingerprint.DIGEST_FILE.read_text(encoding="utf-8"))[str(fingerprint.SMALL_COUNT)]
    found = fingerprint.digests(list(ENGINES), fingerprint.SMALL_COUNT)
    assert set(found) == set(ENGINES)
    assert fingerprint.differences(found, recorded) == [], (
        "dossier judgements changed; if that is meant, run scripts/dossier_fingerprint.py --write "
        "and say so in the commit message"
    )


def test_the_dossier_draw_covers_every_kind_and_its_errors() -> None:
    from meldcode_rules.diagnostics import MeldcodeError
    from meldcode_rules.dossier import evaluate

    items = fingerprint.drawn(fingerprint.SMALL_COUNT)
    assert items == fingerprint.drawn(fingerprint.SMALL_COUNT)  # reproducible
    kinds = {kind for kind, _data, _op in items}
    assert kinds == {"synthetic", "willekeurig", "fout", "voorbeelden"}
    soorten = {e["soort"] for kind, d, _op in items if kind == "willekeurig" for e in d["gebeurtenissen"]}
    assert soorten == set(fingerprint.KINDS)
    outcomes = {"ok": 0, "fout": 0}
    for _kind, data, op in items:
        try:
            evaluate(data, engine="reference", op=op)
            outcomes["ok"] += 1
        except MeldcodeError:
            outcomes["fout"] += 1
    # both judgements and refusals are hashed: neither side may be empty
    assert outcomes["ok"] > len(items) // 3 and outcomes["fout"] > len(items) // 5
