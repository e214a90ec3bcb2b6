"""Judgements do not change by accident: a digest per engine and sector, recorded.

``scripts/judgement_fingerprint.py`` judges 3,000 seeded generated cases per
engine over the basismodel and every sector and hashes the JSON of every
judgement. A refactoring keeps every digest; a commit that means to change
judgements (a ruleset, an order) records new ones with
``scripts/judgement_fingerprint.py --write`` and says so in its message.
"""

from __future__ import annotations

import json

from scripts import load_script
from strategies import ENGINES

fingerprint = load_script("judgement_fingerprint")


def test_judgements_match_the_recorded_digests() -> None:
    recorded = json.loads(fingerprint.DIGEST_FILE.read_text(encoding="utf-8"))
    found = fingerprint.digests(list(ENGINES), recorded["count"])
    assert set(found) == set(ENGINES)
    assert fingerprint.differences(found, recorded["digests"]) == [], (
        "judgements changed; if that is meant, run scripts/judgement_fingerprint.py --write "
        "and say so in the commit message"
    )


def test_the_check_sees_a_changed_judgement() -> None:
    recorded = json.loads(fingerprint.DIGEST_FILE.read_text(encoding="utf-8"))["digests"]
    changed = {engine: dict(per_sector) for engine, per_sector in recorded.items()}
    changed["reference"]["basismodel"] = "0" * 64
    assert fingerprint.differences(changed, recorded) == [
        f"reference/basismodel: {recorded['reference']['basismodel'][:12]} -> 000000000000"
    ]


def test_the_draw_covers_every_sector_and_many_dates() -> None:
    names = fingerprint.sectors()
    assert None in names and len(names) >= 7
    cases = fingerprint.generated_cases("jeugdhulp", 300)
    assert {case["sector"] for case in cases} == {"jeugdhulp"}
    assert len({case["datum"] for case in cases}) > 200
    assert cases == fingerprint.generated_cases("jeugdhulp", 300)
