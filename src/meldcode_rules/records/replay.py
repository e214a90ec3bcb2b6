"""``replay``: judge a recorded case or dossier again with the rulesets it was judged with, and compare.

The rulesets installed now must be the recorded ones (same id, version and sha256);
otherwise replay refuses, since judging with other rules proves nothing about the
recorded decision. The file must be the recorded input: its salted hash must equal
the record's. The recorded date of assessment is used when a case file gives none, so the
deadlines come out the same; a judgement as of a peildatum (a dossier, or a case with
``op``) is judged again as of the recorded ``op``, and its outcome includes per action
whether it is ``verlopen``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from meldcode_rules.api import judge_facts, read_case_file
from meldcode_rules.case.dossier import Dossier
from meldcode_rules.compiler.compile import CompiledRuleset
from meldcode_rules.dossier import judge_input, read_input_file
from meldcode_rules.judge.judgement import Judgement
from meldcode_rules.records.store import (
    TIJD_PREFIX,
    DecisionRecord,
    Outcome,
    RecordError,
    SqliteStore,
    dossier_hash,
    input_hash,
    outcome_of,
)
from meldcode_rules.sectors.registry import choose


@dataclass(frozen=True)
class ReplayResult:
    record: DecisionRecord
    oordeel: Judgement

    @property
    def same(self) -> bool:
        return self._now() == self.record.outcome()

    def differences(self) -> list[str]:
        names = ("melden", "besluit", "stap", "acties", "verlopen")
        return [
            f"`{name}`: vastgelegd {was!r}, nu {now!r}"
            for name, was, now in zip(names, self.record.outcome(), self._now(), strict=True)
            if was != now
        ]

    def _now(self) -> Outcome:
        return outcome_of(self.oordeel, self.record.op is not None)


def replay(oordeel_id: str, case_file: Path, db: Path, salt: bytes | None) -> ReplayResult:
    if not salt:
        raise RecordError("replay vraagt de salt van de besluitregistratie (dezelfde omgevingsvariabele)")
    if not db.is_file():
        raise RecordError(f"de besluitregistratie `{db}` bestaat niet")
    store = SqliteStore(db)
    try:
        record = store.get(oordeel_id)
    finally:
        store.close()
    if record is None:
        raise RecordError(f"geen besluitregistratie met id `{oordeel_id}` in `{db}`")
    # the versions in force on the judgement's own date (a dossier's: its peildatum), as when recorded
    compiled = choose(None, record.sector, dt.date.fromisoformat(record.datum))
    now = [{"id": r.id, "versie": r.versie, "sha256": r.sha256} for r in compiled.rulesets]
    if now != list(record.rulesets):
        changed = sorted({r["id"] for r in record.rulesets} ^ {r["id"] for r in now}) or [
            was["id"] for was, new in zip(record.rulesets, now, strict=False) if was != new
        ]
        raise RecordError(
            "de rulesets zijn veranderd sinds dit besluit (" + ", ".join(f"`{i}`" for i in changed) + "); "
            "installeer de vastgelegde versies om het opnieuw te beoordelen"
        )
    if record.op is not None:
        return _replay_as_of(record, compiled, case_file, salt)
    case = read_case_file(case_file, record.sector)
    if case.datum is None:
        case = case.model_copy(update={"datum": dt.date.fromisoformat(record.datum)})
    oordeel, flat = judge_facts(case, record.sector, record.engine, ruleset=compiled)
    if record.invoer_hash not in _case_hashes(salt, oordeel, flat):
        raise RecordError(
            "deze casus is niet de vastgelegde casus (de invoer-hash verschilt; of de salt is een andere)"
        )
    return ReplayResult(record, oordeel)


#: At most this many older forms of a case's hash are tried (all subsets of 12 time facts):
#: replay stays bounded however many time rules a ruleset declares (docs/limits.md).
MAX_LEGACY_HASHES = 4096


def _case_hashes(salt: bytes, oordeel: Judgement, flat: dict[str, Any]) -> Iterator[str]:
    """The hash of a case as written now, then as records written before facts about time were
    left out of it: with the time facts their rulesets declared, all ``onbekend`` in a plain
    case. Which ones is not recorded, so subsets of today's are tried, the largest first (an
    HMAC never matches another case, so trying cannot accept a wrong one), at most
    :data:`MAX_LEGACY_HASHES` of them: 2^8 today."""
    yield input_hash(salt, oordeel, flat)
    tijd = sorted(k for k, v in flat.items() if k.startswith(TIJD_PREFIX) and v == "onbekend")
    subsets = (kept for size in range(len(tijd), 0, -1) for kept in itertools.combinations(tijd, size))
    for kept in itertools.islice(subsets, MAX_LEGACY_HASHES):
        yield input_hash(salt, oordeel, flat, kept)


def _replay_as_of(record: DecisionRecord, compiled: CompiledRuleset, path: Path, salt: bytes) -> ReplayResult:
    """A record of a judgement as of a peildatum: a dossier, or a case judged with ``op``."""
    assert record.op is not None
    given = read_input_file(path, record.sector)
    soort = "dossier" if isinstance(given, Dossier) else "casus"
    if soort != record.soort:
        raise RecordError(f"dit besluit gaat over een {record.soort}, het bestand is een {soort}")
    op = dt.date.fromisoformat(record.op)
    oordeel, dossier = judge_input(given, record.sector, record.engine, ruleset=compiled, op=op)
    if dossier_hash(salt, oordeel, dossier, soort) != record.invoer_hash:
        wat = "dit dossier is niet het vastgelegde" if soort == "dossier" else "deze casus is niet de vastgelegde"
        raise RecordError(f"{wat} {soort} (de invoer-hash verschilt; of de salt is een andere)")
    return ReplayResult(record, oordeel)
