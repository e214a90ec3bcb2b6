"""Decision records: what a record holds (never the facts), append-only SQLite, JSON Lines, the CLI, replay."""

from __future__ import annotations

import dataclasses
import io
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from meldcode_rules import evaluate
from meldcode_rules.api import judge_facts, read_case_file
from meldcode_rules.cli.main import main
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
