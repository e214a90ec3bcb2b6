"""Decision records: which rules, in which versions, judged a case, and what came out.

A record holds a decision id, the time, the library version, the engine, every
ruleset's id, version and sha256, a salted hash of the input, the caller's
``referentie``, the date of the assessment and the outcome (``melden``, ``besluit``,
``stap``, action codes). A judgement as of a peildatum (a dossier, or a case with ``op``)
also records the kind of input (``soort``), the peildatum (``op``) and per action whether
it is ``verlopen`` on it. Never the facts nor an event: the hash is an HMAC-SHA256 keyed with a salt
that is configured outside the records and never stored with them, so a record
cannot be turned back into a case by trying likely ones, but the same case with the
same salt can be recognised (``meldcode-rules replay``).

Stores: an append-only SQLite database (stdlib ``sqlite3``, WAL; triggers refuse every
UPDATE and DELETE) or JSON Lines on a text stream (standard output, for a log shipper).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import sqlite3
import sys
import threading
import uuid
from collections.abc import Iterable
from dataclasses import MISSING, asdict, dataclass, fields
from pathlib import Path
from typing import Any, Protocol, TextIO

from meldcode_rules._version import __version__
from meldcode_rules.case.dossier import Dossier
from meldcode_rules.diagnostics import RecordError
from meldcode_rules.judge.judgement import Judgement
from meldcode_rules.load.ruleset import TIJD_NAMESPACE

#: The default database of ``--records`` and ``replay`` (in the working directory).
DEFAULT_DB = "besluiten.sqlite"
#: The environment variable with the salt of the input hash (never stored with a record).
SALT_ENV = "MELDCODE_RULES_RECORD_SALT"


@dataclass(frozen=True)
class DecisionRecord:
    oordeel_id: str
    tijd: str
    bibliotheekversie: str
    engine: str
    sector: str | None
    rulesets: tuple[dict[str, str], ...]
    invoer_hash: str
    referentie: str | None
    datum: str
    melden: str
    besluit: str
    stap: int
    acties: tuple[str, ...]
    # Added with records for dossiers; a record written before has none (a case, no peildatum).
    soort: str = "casus"
    op: str | None = None
    verlopen: tuple[bool | str | None, ...] | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> DecisionRecord:
        try:
            data = json.loads(text)
        except ValueError:
            raise RecordError("deze besluitregistratie is geen leesbare JSON") from None
        known = {f.name for f in fields(cls)}
        if not isinstance(data, dict) or not data.keys() <= known:
            # Never read in part: a field this version does not know could be part of the outcome.
            raise RecordError(
                "deze besluitregistratie heeft velden die deze versie niet kent "
                f"(geschreven door een nieuwere versie dan {__version__}?)"
            )
        missing = sorted(f.name for f in fields(cls) if f.name not in data and f.default is MISSING)
        if missing:
            raise RecordError("deze besluitregistratie mist " + ", ".join(f"`{name}`" for name in missing))
        data["rulesets"] = tuple(data["rulesets"])
        data["acties"] = tuple(data["acties"])
        if data.get("verlopen") is not None:
            data["verlopen"] = tuple(data["verlopen"])
        return cls(**data)

    def outcome(self) -> Outcome:
        return (self.melden, self.besluit, self.stap, self.acties, self.verlopen)


#: melden, besluit, stap, action codes, and per action `verlopen` (only as of a peildatum)
Outcome = tuple[str, str, int, tuple[str, ...], tuple[bool | str | None, ...] | None]


def outcome_of(oordeel: Judgement, as_of: bool = False) -> Outcome:
    """The outcome a record keeps; ``as_of``: judged as of a peildatum, with `verlopen` per action."""
    verlopen = tuple(a.verlopen for a in oordeel.acties) if as_of else None
    return (oordeel.melden, oordeel.besluit, oordeel.stap, tuple(a.code for a in oordeel.acties), verlopen)


#: the flat keys of facts about time (`tijd.`...): derived as of a date, never input of a case
TIJD_PREFIX = f"{TIJD_NAMESPACE}__"


def input_hash(salt: bytes, oordeel: Judgement, flat: dict[str, Any], tijd: Iterable[str] = ()) -> str:
    """HMAC-SHA256 over what the engine judged: sector, date and the flat facts, canonically.

    Facts about time are left out: a plain case has them all ``onbekend``, and a ruleset that
    declares one more would otherwise change the hash of the same case. ``tijd``: time keys to
    keep anyway, to check a record written before they were left out (records/replay.py).
    """
    kept = set(tijd)
    feiten = {k: v for k, v in flat.items() if not k.startswith(TIJD_PREFIX) or k in kept}
    canonical = json.dumps(
        {"sector": oordeel.sector, "datum": oordeel.datum.isoformat(), "feiten": feiten},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
    )
    return _hmac(salt, canonical)


def dossier_hash(salt: bytes, oordeel: Judgement, dossier: Dossier, soort: str) -> str:
    """HMAC-SHA256 over what a judgement as of a peildatum judged: the kind of input, the sector
    that judged, the peildatum and the whole dossier (every event and its date: they decide what
    is `verlopen`), canonically. A case judged with ``op`` is hashed as its dossier of one moment.
    The dossier's own ``sector`` is left out (the sector that judged stands for it, however it was
    given), and so is ``referentie``: the caller's key, never part of the input judged.
    """
    invoer = dossier.model_dump(mode="json", exclude={"sector", "referentie"})
    canonical = json.dumps(
        {"soort": soort, "sector": oordeel.sector, "op": oordeel.datum.isoformat(), "dossier": invoer},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
    )
    return _hmac(salt, canonical)


def _hmac(salt: bytes, canonical: str) -> str:
    return "hmac-sha256:" + hmac.new(salt, canonical.encode("utf-8"), hashlib.sha256).hexdigest()


class Store(Protocol):
    def append(self, record: DecisionRecord) -> None: ...


class SqliteStore:
    """Append-only SQLite: one row per decision; triggers refuse changes and deletions."""

    _SCHEMA = (
        """CREATE TABLE IF NOT EXISTS besluitregistratie (
            oordeel_id TEXT PRIMARY KEY,
            tijd TEXT NOT NULL,
            referentie TEXT,
            sector TEXT,
            melden TEXT NOT NULL,
            besluit TEXT NOT NULL,
            registratie TEXT NOT NULL
        )""",
        """CREATE TRIGGER IF NOT EXISTS besluitregistratie_geen_wijziging
            BEFORE UPDATE ON besluitregistratie
            BEGIN SELECT RAISE(ABORT, 'besluitregistratie is alleen aan te vullen'); END""",
        """CREATE TRIGGER IF NOT EXISTS besluitregistratie_geen_verwijdering
            BEFORE DELETE ON besluitregistratie
            BEGIN SELECT RAISE(ABORT, 'besluitregistratie is alleen aan te vullen'); END""",
    )

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        try:
            # One connection, shared by the threads of this process under a lock; several
            # processes (uvicorn workers) each have their own and WAL lets them append.
            self._db = sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode: a commit survives a crash of the process; only a power
            # failure can lose the last commits (never corrupt the database). docs/integratie.md.
            self._db.execute("PRAGMA synchronous=NORMAL")
            for statement in self._SCHEMA:
                self._db.execute(statement)
        except sqlite3.Error as error:
            raise RecordError(f"de besluitregistratie `{self.path}` is niet te openen: {error}") from None

    def append(self, record: DecisionRecord) -> None:
        try:
            with self._lock:
                self._db.execute(
                    "INSERT INTO besluitregistratie VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        record.oordeel_id,
                        record.tijd,
                        record.referentie,
                        record.sector,
                        record.melden,
                        record.besluit,
                        record.to_json(),
                    ),
                )
        except sqlite3.Error as error:
            raise RecordError(f"de besluitregistratie is niet te schrijven: {error}") from None

    def get(self, oordeel_id: str) -> DecisionRecord | None:
        with self._lock:
            row = self._db.execute(
                "SELECT registratie FROM besluitregistratie WHERE oordeel_id = ?", (oordeel_id,)
            ).fetchone()
        return None if row is None else DecisionRecord.from_json(row[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()


class JsonLinesStore:
    """One JSON object per line on a text stream (default: standard output)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def append(self, record: DecisionRecord) -> None:
        stream = self._stream or sys.stdout
        with self._lock:
            stream.write(record.to_json() + "\n")
            stream.flush()


class RecordWriter:
    """Writes a decision record for each judgement it is given (``evaluate(records=...)``)."""

    def __init__(self, store: Store, salt: bytes) -> None:
        if not salt:
            raise RecordError("besluitregistratie vraagt een geheime salt voor de invoer-hash")
        self.store = store
        self._salt = salt

    def record(self, oordeel: Judgement, flat: dict[str, Any]) -> Judgement:
        return self._write(oordeel, input_hash(self._salt, oordeel, flat))

    def record_dossier(self, oordeel: Judgement, dossier: Dossier, soort: str) -> Judgement:
        """A judgement as of a peildatum (``oordeel.datum``): of a dossier, or of a case (``soort``)."""
        extra = {"soort": soort, "op": oordeel.datum.isoformat(), "verlopen": outcome_of(oordeel, True)[4]}
        return self._write(oordeel, dossier_hash(self._salt, oordeel, dossier, soort), extra)

    def _write(self, oordeel: Judgement, invoer_hash: str, extra: dict[str, Any] | None = None) -> Judgement:
        record = DecisionRecord(
            oordeel_id=str(uuid.uuid4()),
            tijd=dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"),
            bibliotheekversie=__version__,
            engine=oordeel.engine,
            sector=oordeel.sector,
            rulesets=tuple({"id": r.id, "versie": r.versie, "sha256": r.sha256} for r in oordeel.ruleset),
            invoer_hash=invoer_hash,
            referentie=oordeel.referentie,
            datum=oordeel.datum.isoformat(),
            melden=oordeel.melden,
            besluit=oordeel.besluit,
            stap=oordeel.stap,
            acties=tuple(a.code for a in oordeel.acties),
            **(extra or {}),
        )
        self.store.append(record)
        return oordeel.model_copy(update={"oordeel_id": record.oordeel_id})


def writer_from_env(target: str, salt_env: str = SALT_ENV) -> RecordWriter:
    """A writer to ``target`` (see :func:`open_store`) with the salt from ``salt_env``."""
    salt = os.environ.get(salt_env)
    if not salt:
        raise RecordError(
            f"besluitregistratie vraagt een geheime salt voor de invoer-hash: zet `{salt_env}` "
            "(die wordt nooit bij de registratie bewaard)"
        )
    return RecordWriter(open_store(target), salt.encode("utf-8"))


def open_store(target: str) -> Store:
    """``-``: JSON Lines on standard output; anything else: the path of a SQLite database."""
    return JsonLinesStore() if target == "-" else SqliteStore(target)
