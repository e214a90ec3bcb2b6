"""Decision records: what a record holds (never the facts), append-only SQLite, JSON Lines, the CLI, replay."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from meldcode_rules import evaluate
from meldcode_rules.api import _dates_as_text, judge_facts, read_case_file
from meldcode_rules.cli.main import main
from meldcode_rules.load.loader import read_yaml
from meldcode_rules.records.store import (
    SALT_ENV,
    JsonLinesStore,
    RecordWriter,
    SqliteStore,
    input_hash,
)
from meldcode_rules.sectors.registry import compiled_for

REPO = Path(__file__).resolve().parents[1]
ACUUT = {
    "referentie": "zaak-7",
    "datum": "2026-11-23",
    "sector": "onderwijs",
    "vormen": ["kindermishandeling"],
    "eerder_gemeld_door_ander": "ja",
    "afweging": {"vermoeden": "ja", "acute_onveiligheid": "ja"},
}


def test_a_record_names_rules_versions_and_outcome_never_the_facts(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "r.sqlite")
    oordeel = evaluate(ACUUT, engine="reference", records=RecordWriter(store, b"zout"))
    record = store.get(oordeel.oordeel_id or "")
    assert record is not None and record.oordeel_id == oordeel.oordeel_id
    assert record.engine == "reference" and record.sector == "onderwijs" and record.referentie == "zaak-7"
    assert (record.melden, record.besluit, record.stap) == (oordeel.melden, oordeel.besluit, oordeel.stap)
    assert record.acties == tuple(a.code for a in oordeel.acties) and "melden_veilig_thuis" in record.acties
    assert [r["id"] for r in record.rulesets] == [r.id for r in compiled_for("onderwijs").rulesets]
    assert all(len(r["sha256"]) == 64 for r in record.rulesets)
    assert record.invoer_hash.startswith("hmac-sha256:") and record.datum == "2026-11-23"
    text = record.to_json()
    for fact in ("kindermishandeling", "acute_onveiligheid", "eerder_gemeld", "vermoeden", "zout"):
        assert fact not in text
    store.close()


def test_sqlite_is_append_only_and_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    store = SqliteStore(path)
    evaluate(ACUUT, records=RecordWriter(store, b"zout"))
    store.close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    for statement in ("UPDATE besluitregistratie SET melden = 'nee'", "DELETE FROM besluitregistratie"):
        with pytest.raises(sqlite3.IntegrityError, match="alleen aan te vullen"):
            db.execute(statement)
    assert db.execute("SELECT count(*), min(melden) FROM besluitregistratie").fetchone() == (1, "ja")


def test_json_lines_store() -> None:
    stream = io.StringIO()
    oordeel = evaluate(ACUUT, records=RecordWriter(JsonLinesStore(stream), b"zout"))
    line = json.loads(stream.getvalue())
    assert line["oordeel_id"] == oordeel.oordeel_id and line["melden"] == "ja" and stream.getvalue().count("\n") == 1


def test_the_input_hash_is_salted_and_form_independent(tmp_path: Path) -> None:
    yaml_file = tmp_path / "casus.yaml"
    yaml_file.write_text(
        "referentie: andere-zaak\ndatum: 2026-11-23\nsector: onderwijs\nvormen: [kindermishandeling]\n"
        "eerder_gemeld_door_ander: true\nafweging: {vermoeden: ja, acute_onveiligheid: ja}\n",
        encoding="utf-8",
    )
    one, flat_one = judge_facts(ACUUT)
    two, flat_two = judge_facts(read_case_file(yaml_file))
    assert input_hash(b"a", one, flat_one) == input_hash(b"a", two, flat_two)  # referentie is no fact
    assert input_hash(b"a", one, flat_one) != input_hash(b"b", one, flat_one)
    three, flat_three = judge_facts({**ACUUT, "eerder_gemeld_door_ander": "nee"})
    assert input_hash(b"a", one, flat_one) != input_hash(b"a", three, flat_three)


def _write(tmp_path: Path, data: dict[str, object]) -> Path:
    path = tmp_path / "casus.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_cli_evaluate_and_batch_write_records_and_replay_confirms(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    db = tmp_path / "besluiten.sqlite"
    case_file = _write(tmp_path, ACUUT)
    monkeypatch.delenv(SALT_ENV, raising=False)
    refused = runner.invoke(main, ["evaluate", str(case_file), "--records", str(db), "-f", "json"])
    assert refused.exit_code == 2 and SALT_ENV in refused.output
    monkeypatch.setenv(SALT_ENV, "geheime-zout")
    done = runner.invoke(main, ["evaluate", str(case_file), "--records", str(db), "-f", "json"])
    assert done.exit_code == 0, done.output
    oordeel_id = json.loads(done.output)["oordeel_id"]
    batch = runner.invoke(main, ["batch", "--records", str(db)], input=json.dumps(ACUUT) + "\n{}\n")
    assert batch.exit_code == 0, batch.output
    assert all(json.loads(line)["oordeel_id"] for line in batch.output.splitlines())
    same = runner.invoke(main, ["replay", oordeel_id, "--case", str(case_file), "--db", str(db)])
    assert same.exit_code == 0 and "zelfde uitkomst: melden ja" in same.output, same.output
    # Another case, another salt, an unknown id: refused (exit 2).
    other = _write(tmp_path, {**ACUUT, "afweging": {"vermoeden": "ja"}})
    refused = runner.invoke(main, ["replay", oordeel_id, "--case", str(other), "--db", str(db)])
    assert refused.exit_code == 2 and "niet de vastgelegde casus" in refused.output
    case_file = _write(tmp_path, ACUUT)
    monkeypatch.setenv(SALT_ENV, "een-andere-zout")
    assert runner.invoke(main, ["replay", oordeel_id, "--case", str(case_file), "--db", str(db)]).exit_code == 2
    monkeypatch.setenv(SALT_ENV, "geheime-zout")
    missing = runner.invoke(main, ["replay", "geen-id", "--case", str(case_file), "--db", str(db)])
    assert missing.exit_code == 2 and "geen besluitregistratie" in missing.output


def test_replay_refuses_changed_rulesets_and_reports_a_changed_outcome(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SALT_ENV, "geheime-zout")
    db = tmp_path / "besluiten.sqlite"
    store = SqliteStore(db)
    oordeel = evaluate(ACUUT, records=RecordWriter(store, b"geheime-zout"))
    record = store.get(oordeel.oordeel_id or "")
    assert record is not None
    changed = dataclasses.replace(
        record,
        oordeel_id="oud-ruleset",
        rulesets=({**record.rulesets[0], "sha256": "0" * 64}, *record.rulesets[1:]),
    )
    store.append(changed)
    store.append(dataclasses.replace(record, oordeel_id="andere-uitkomst", melden="nee", besluit="afsluiten"))
    store.close()
    case_file = _write(tmp_path, ACUUT)
    runner = CliRunner()
    refused = runner.invoke(main, ["replay", "oud-ruleset", "--case", str(case_file), "--db", str(db)])
    assert refused.exit_code == 2 and "rulesets zijn veranderd" in refused.output and "basismodel" in refused.output
    differs = runner.invoke(main, ["replay", "andere-uitkomst", "--case", str(case_file), "--db", str(db)])
    assert differs.exit_code == 1 and "andere uitkomst" in differs.output
    assert "`melden`: vastgelegd 'nee', nu 'ja'" in differs.output


def test_replay_of_a_case_without_date_uses_the_recorded_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SALT_ENV, "geheime-zout")
    db = tmp_path / "besluiten.sqlite"
    undated = {k: v for k, v in ACUUT.items() if k != "datum"}
    store = SqliteStore(db)
    oordeel = evaluate(undated, records=RecordWriter(store, b"geheime-zout"))
    store.close()
    # As if replayed on another day: the recorded date, not today, gives the same hash and deadlines.
    record = SqliteStore(db).get(oordeel.oordeel_id or "")
    assert record is not None and record.datum == oordeel.datum.isoformat()
    result = CliRunner().invoke(
        main, ["replay", oordeel.oordeel_id or "", "--case", str(_write(tmp_path, undated)), "--db", str(db)]
    )
    assert result.exit_code == 0, result.output


# ------------------------------------------------------------ records of dossiers and of `op`

DOSSIER = REPO / "examples" / "seed003-dossier-herbeoordeling-verlopen.yaml"
OP = "2026-03-01"


def _leaves(data: object) -> Iterator[tuple[str | None, object]]:
    """(key, value) of every scalar in ``data``, the keys of every mapping with value None."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield str(key), None
            yield from ((key if k is None else k, v) for k, v in _leaves(value))
    elif isinstance(data, list):
        for value in data:
            yield from _leaves(value)
    else:
        yield None, data


def _no_input_value_in(row: str, data: dict[str, object], at_least: int = 20) -> None:
    """No fact, event, date, id or field name of ``data`` appears in a stored row."""
    checked = 0
    for key, value in _leaves(data):
        if value is None and key not in (None, "soort", "datum", "gebeurtenissen"):
            assert f'"{key}"' not in row and key not in row, key
            checked += 1
        elif isinstance(value, str | dt.date) and str(value) not in ("ja", "nee", "onbekend") and key != "soort":
            text = str(value)
            # short words only as a whole JSON string (`mij` is no secret inside another word)
            assert (f'"{text}"' if len(text) < 5 else text) not in row, text
            checked += 1
    assert checked >= at_least  # the check ran over the input, not over nothing


def _row(db: Path, oordeel_id: str) -> str:
    connection = sqlite3.connect(db)
    try:
        row = connection.execute("SELECT * FROM besluitregistratie WHERE oordeel_id = ?", (oordeel_id,)).fetchone()
    finally:
        connection.close()
    assert row is not None
    return " ".join(str(column) for column in row)


def test_a_dossier_record_holds_no_fact_or_event_and_replays(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SALT_ENV, "geheime-zout")
    runner, db = CliRunner(), tmp_path / "besluiten.sqlite"
    done = runner.invoke(
        main, ["evaluate", str(DOSSIER), "--op", OP, "--records", str(db), "-f", "json", "-e", "reference"]
    )
    assert done.exit_code == 0, done.output
    oordeel = json.loads(done.output)
    record = SqliteStore(db).get(oordeel["oordeel_id"])
    assert record is not None and (record.soort, record.op, record.datum) == ("dossier", OP, OP)
    assert record.acties == tuple(a["code"] for a in oordeel["acties"]) and "herbeoordelen" in record.acties
    assert record.verlopen == tuple(a["verlopen"] for a in oordeel["acties"])
    assert record.verlopen[record.acties.index("herbeoordelen")] is True  # the overdue re-assessment, recorded
    assert record.rulesets == tuple(
        {"id": r.id, "versie": r.versie, "sha256": r.sha256} for r in compiled_for(None, dt.date(2026, 3, 1)).rulesets
    )
    _no_input_value_in(_row(db, record.oordeel_id), read_yaml(DOSSIER.read_text(encoding="utf-8"), "d")[0])
    same = runner.invoke(main, ["replay", record.oordeel_id, "--case", str(DOSSIER), "--db", str(db)])
    assert same.exit_code == 0 and "zelfde uitkomst: melden ja, besluit melden_en_hulp" in same.output, same.output
    assert f"dossier op peildatum {OP}" in same.output
    # the same dossier as JSON: the same input; one event a day later: another dossier, refused
    data = _dates_as_text(read_yaml(DOSSIER.read_text(encoding="utf-8"), "d")[0])
    as_json = tmp_path / "dossier.json"
    as_json.write_text(json.dumps(data), encoding="utf-8")
    assert runner.invoke(main, ["replay", record.oordeel_id, "--case", str(as_json), "--db", str(db)]).exit_code == 0
    data["gebeurtenissen"][6]["evaluatiedatum"] = "2026-02-02"
    as_json.write_text(json.dumps(data), encoding="utf-8")
    changed = runner.invoke(main, ["replay", record.oordeel_id, "--case", str(as_json), "--db", str(db)])
    assert changed.exit_code == 2 and "niet het vastgelegde dossier" in changed.output, changed.output
    # a plain case is not the recorded dossier
    wrong = runner.invoke(main, ["replay", record.oordeel_id, "--case", str(_write(tmp_path, ACUUT)), "--db", str(db)])
    assert wrong.exit_code == 2 and "over een dossier" in wrong.output


def test_a_case_judged_with_op_is_recorded_as_of_op_and_replays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SALT_ENV, "geheime-zout")
    runner, db = CliRunner(), tmp_path / "besluiten.sqlite"
    case_file = _write(tmp_path, ACUUT)
    done = runner.invoke(main, ["evaluate", str(case_file), "--op", "2026-12-01", "--records", str(db), "-f", "json"])
    assert done.exit_code == 0, done.output
    record = SqliteStore(db).get(json.loads(done.output)["oordeel_id"])
    assert record is not None and (record.soort, record.op, record.referentie) == ("casus", "2026-12-01", "zaak-7")
    assert record.verlopen is not None and len(record.verlopen) == len(record.acties)
    _no_input_value_in(
        _row(db, record.oordeel_id), {k: v for k, v in ACUUT.items() if k not in ("referentie", "sector")}, 7
    )
    same = runner.invoke(main, ["replay", record.oordeel_id, "--case", str(case_file), "--db", str(db)])
    assert same.exit_code == 0 and "zelfde uitkomst: melden ja" in same.output, same.output
    other = _write(tmp_path, {**ACUUT, "datum": "2026-11-24"})  # another date: other deadlines
    changed = runner.invoke(main, ["replay", record.oordeel_id, "--case", str(other), "--db", str(db)])
    assert changed.exit_code == 2 and "niet de vastgelegde casus" in changed.output


def test_batch_records_dossiers_and_op_and_a_changed_verlopen_is_a_different_outcome(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SALT_ENV, "geheime-zout")
    runner, db = CliRunner(), tmp_path / "besluiten.sqlite"
    data = _dates_as_text(read_yaml(DOSSIER.read_text(encoding="utf-8"), "d")[0])
    lines = json.dumps(data) + "\n" + json.dumps({**ACUUT, "datum": "2026-02-01"}) + "\n"
    batch = runner.invoke(main, ["batch", "--op", OP, "--records", str(db), "-e", "reference"], input=lines)
    assert batch.exit_code == 0, batch.output
    ids = [json.loads(line)["oordeel_id"] for line in batch.output.splitlines()]
    store = SqliteStore(db)
    records = [store.get(i) for i in ids]
    assert [(r.soort, r.op) for r in records if r is not None] == [("dossier", OP), ("casus", OP)]
    first = records[0]
    assert first is not None
    flipped = tuple(not v if isinstance(v, bool) else v for v in first.verlopen or ())
    store.append(dataclasses.replace(first, oordeel_id="ander-verlopen", verlopen=flipped))
    store.close()
    differs = runner.invoke(main, ["replay", "ander-verlopen", "--case", str(DOSSIER), "--db", str(db)])
    assert differs.exit_code == 1 and "`verlopen`: vastgelegd" in differs.output, differs.output


def test_a_record_written_before_dossier_records_stays_readable_and_replayable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The database as the code before records for dossiers wrote it (tests/fixtures/records/).
    dump = (REPO / "tests" / "fixtures" / "records" / "besluiten-b8a0de7.sql").read_text(encoding="utf-8")
    old_id = "93bdf2f8-295d-4079-b83c-8dedbe7a7a23"
    # Its rulesets are those of that day; a ruleset edited since would (rightly) refuse the replay,
    # so the dump names today's installed ones for its date: the format and the hash are what is tested.
    now = [
        {"id": r.id, "versie": r.versie, "sha256": r.sha256}
        for r in compiled_for("onderwijs", dt.date(2026, 11, 23)).rulesets
    ]
    start = dump.index('"rulesets":') + len('"rulesets":')
    end = dump.index(',"invoer_hash"')
    dump = dump[:start] + json.dumps(now, separators=(",", ":")) + dump[end:]
    db = tmp_path / "oud.sqlite"
    connection = sqlite3.connect(db)
    connection.executescript(dump)
    connection.close()
    store = SqliteStore(db)  # opening it changes nothing it cannot read
    record = store.get(old_id)
    assert record is not None and (record.soort, record.op, record.verlopen) == ("casus", None, None)
    assert record.melden == "ja" and record.referentie == "zaak-7"
    monkeypatch.setenv(SALT_ENV, "zout-van-een-oude-registratie")
    new = evaluate(
        json.loads(json.dumps(_dates_as_text(read_yaml(DOSSIER.read_text(encoding="utf-8"), "d")[0]))),
        op=dt.date(2026, 3, 1),
        records=RecordWriter(store, b"zout-van-een-oude-registratie"),
    )
    store.close()
    case_file = _write(tmp_path, ACUUT)
    runner = CliRunner()
    old = runner.invoke(main, ["replay", old_id, "--case", str(case_file), "--db", str(db)])
    assert old.exit_code == 0 and "zelfde uitkomst: melden ja, besluit melden" in old.output, old.output
    appended = runner.invoke(main, ["replay", new.oordeel_id or "", "--case", str(DOSSIER), "--db", str(db)])
    assert appended.exit_code == 0, appended.output


def test_a_record_this_version_cannot_read_in_full_is_refused_never_read_in_part() -> None:
    from meldcode_rules.records.store import DecisionRecord, RecordError

    oordeel = evaluate(ACUUT, records=RecordWriter(JsonLinesStore(stream := io.StringIO()), b"zout"))
    data = json.loads(stream.getvalue())
    assert DecisionRecord.from_json(stream.getvalue()).oordeel_id == oordeel.oordeel_id
    with pytest.raises(RecordError, match="nieuwere versie"):
        DecisionRecord.from_json(json.dumps({**data, "uitkomst_nieuw": "ja"}))
    with pytest.raises(RecordError, match="mist `melden`"):
        DecisionRecord.from_json(json.dumps({k: v for k, v in data.items() if k != "melden"}))
    with pytest.raises(RecordError, match="geen leesbare JSON"):
        DecisionRecord.from_json("{")


def test_replay_tries_a_bounded_number_of_older_hashes_however_many_time_facts() -> None:
    from meldcode_rules.records.replay import MAX_LEGACY_HASHES, _case_hashes
    from meldcode_rules.records.store import TIJD_PREFIX

    oordeel, flat = judge_facts(ACUUT)
    # 20 time facts would be 2^20 subsets; the search stops at the bound
    many = {**flat, **{f"{TIJD_PREFIX}feit_{i}": "onbekend" for i in range(20)}}
    hashes = list(_case_hashes(b"zout", oordeel, many))
    assert len(hashes) == 1 + MAX_LEGACY_HASHES
    # the current hash leaves every time fact out; the first older one keeps them all
    assert hashes[0] == input_hash(b"zout", oordeel, flat)
    assert hashes[1] == input_hash(b"zout", oordeel, many, [k for k in many if k.startswith(TIJD_PREFIX)])
