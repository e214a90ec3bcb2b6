"""`meldcode-rules monitor`: readers, refusals, totals, the monoid, privacy and the outputs."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import multiprocessing
import pickle
import random
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from meldcode_rules import evaluate
from meldcode_rules.cli import main
from meldcode_rules.diagnostics import MeldcodeError
from meldcode_rules.judge.judgement import Judgement
from meldcode_rules.monitor import Aggregaat, Opties, beoordeel, beoordeel_deel, monitor, plan
from meldcode_rules.monitor.judge import KENMERKEN, Uitkomst, signalen
from meldcode_rules.monitor.report import as_csv, rapport
from meldcode_rules.monitor.synthetic import Mix, dossier, dossiers

OP = dt.date(2026, 12, 1)
OPTIES = Opties(op=OP, engine="reference")
SECRET = "Jansen-geheim"  # a value that must never show up in any output


def write_jsonl(path: Path, items: list[object]) -> Path:
    path.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    return path


def cases(count: int, seed: int = 7) -> list[dict[str, object]]:
    return list(dossiers(count, seed, Mix(peildatum=OP, vorm="casus")))


def test_bad_lines_are_named_by_line_number_counted_and_the_run_goes_on(tmp_path: Path) -> None:
    good = cases(6)
    path = tmp_path / "dossiers.jsonl"
    lines = [json.dumps(good[0]), "{niet: json " + SECRET, "", json.dumps([SECRET]), json.dumps(good[1])]
    lines += [json.dumps({"dossier_id": "x1", "afweging": {"vermoeden": SECRET}})]
    lines += [json.dumps({"dossier_id": "x2", SECRET: "ja"})]
    lines += [json.dumps(g) for g in good[2:]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = monitor([path], OPTIES)
    assert (result.gelezen, result.beoordeeld, result.geweigerd) == (10, 6, 4)
    assert result.gelezen == result.beoordeeld + result.geweigerd
    assert [(w.bron, w.plek) for w in result.weigeringen] == [
        ("dossiers.jsonl", 2),
        ("dossiers.jsonl", 4),
        ("dossiers.jsonl", 6),
        ("dossiers.jsonl", 7),
    ]
    assert [w.categorie for w in result.weigeringen][:2] == ["geen geldige JSON", "geen JSON-object"]
    runner = CliRunner()
    for fmt in ("text", "json", "csv", "html"):
        run = runner.invoke(main, ["monitor", str(path), "--op", "2026-12-01", "-e", "reference", "-f", fmt])
        assert run.exit_code == 1, run.output
        assert SECRET not in run.output
        assert "dossiers.jsonl" in run.output


def test_empty_input_gives_an_empty_report_not_an_error(tmp_path: Path) -> None:
    path = tmp_path / "leeg.jsonl"
    path.write_text("\n\n", encoding="utf-8")
    assert monitor([path], OPTIES) == Aggregaat()
    run = CliRunner().invoke(main, ["monitor", str(path), "-f", "json", "-e", "reference"])
    assert run.exit_code == 0, run.output
    data = json.loads(run.output)
    assert data["totalen"] == {"gelezen": 0, "beoordeeld": 0, "geweigerd": 0}
    assert data["werklijst"] == [] and data["per"]["sector"] == {}
    folder = tmp_path / "map"
    folder.mkdir()
    assert CliRunner().invoke(main, ["monitor", str(folder), "-e", "reference"]).exit_code == 0


def test_a_folder_of_case_and_dossier_files_names_bad_files_by_name(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    (folder / "sub").mkdir(parents=True)
    items = cases(4)
    (folder / "a.json").write_text(json.dumps(items[0]), encoding="utf-8")
    (folder / "b.yaml").write_text(
        "dossier_id: b1\ndatum: 2026-11-02\nafweging: {vermoeden: ja, acute_onveiligheid: ja}\n", encoding="utf-8"
    )
    (folder / "sub" / "c.jsonl").write_text(json.dumps(items[1]) + "\n" + json.dumps(items[2]) + "\n")
    (folder / "kapot.yaml").write_text(f"naam: !!python/object {SECRET}\n", encoding="utf-8")
    (folder / "lijst.json").write_text(json.dumps([SECRET]), encoding="utf-8")
    (folder / "notities.txt").write_text(SECRET, encoding="utf-8")  # not a dossier file: not read
    result = monitor([folder], OPTIES)
    assert (result.gelezen, result.beoordeeld, result.geweigerd) == (6, 4, 2)
    assert {(w.bron, w.plek) for w in result.weigeringen} == {("kapot.yaml", 0), ("lijst.json", 0)}
    assert result.waarde("totaal", "alle", "open_besluit_melden") >= 1  # b.yaml: acute unsafety


def test_parquet_gives_the_same_figures_as_json_lines(tmp_path: Path) -> None:
    import pyarrow as pa  # in the test extra, so CI runs this
    import pyarrow.parquet as pq

    items = cases(40)
    jsonl = monitor([write_jsonl(tmp_path / "d.jsonl", items)], OPTIES)
    # an export with the dossier's fields as columns (nulls where a row has no such field) ...
    # (pa.array infers the columns from every row; from_pylist would look at the first row only)
    pq.write_table(pa.Table.from_struct_array(pa.array(items)), tmp_path / "kolommen.parquet", row_group_size=16)
    # ... and one with a single text column of JSON
    pq.write_table(pa.table({"dossier": [json.dumps(i) for i in items]}), tmp_path / "json.parquet")
    for name in ("kolommen.parquet", "json.parquet"):
        result = monitor([tmp_path / name], OPTIES, per_deel=10)
        assert result == jsonl, name
    pq.write_table(pa.table({"dossier": ["{kapot", json.dumps(items[0])]}), tmp_path / "slecht.parquet")
    bad = monitor([tmp_path / "slecht.parquet"], OPTIES)
    assert [(w.bron, w.plek) for w in bad.weigeringen] == [("slecht.parquet", 1)]


def test_parts_of_any_size_and_processes_give_exactly_the_single_process_result(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "d.jsonl", [*cases(60), "kapot", *cases(30, seed=8)])
    whole = monitor([path], OPTIES, per_deel=1000)
    for size in (1, 7, 33):
        assert monitor([path], OPTIES, per_deel=size) == whole
    assert monitor([path], OPTIES, per_deel=9, processen=2) == whole
    assert whole.gelezen == 91 and whole.geweigerd == 1


def test_the_aggregate_is_a_monoid() -> None:
    parts = [beoordeel_deel(deel, OPTIES) for deel in plan_lines(cases(45), 5)]
    empty = Aggregaat()
    left = empty
    for part in parts:
        left = left + part
    right = empty
    for part in reversed(parts):
        right = part + right
    assert left == right
    assert parts[0] + empty == parts[0] == empty + parts[0]
    a, b, c = parts[:3]
    assert (a + b) + c == a + (b + c)
    assert a + b == b + a


def plan_lines(items: list[dict[str, object]], size: int) -> list[object]:
    import sys

    stdin, sys.stdin = sys.stdin, io.StringIO("".join(json.dumps(i) + "\n" for i in items))
    try:
        return list(plan(["-"], size))
    finally:
        sys.stdin = stdin


def test_a_capped_work_list_keeps_the_most_urgent_and_counts_all() -> None:
    def outcome(i: int, prio: str, day: int) -> Uitkomst:
        from meldcode_rules.monitor.judge import Signaal

        return Uitkomst(
            f"d{i}",
            "onderwijs",
            None,
            OP,
            (),
            False,
            True,
            5,
            "melden",
            "ja",
            (Signaal(prio, OP - dt.timedelta(days=day)),),
        )

    everything = Aggregaat(max_werklijst=3)
    halves = [Aggregaat(max_werklijst=3), Aggregaat(max_werklijst=3)]
    for i in range(20):
        kenmerk = KENMERKEN[i % 3].code
        everything.tel(outcome(i, kenmerk, i))
        halves[i % 2].tel(outcome(i, kenmerk, i))
    combined = halves[0] + halves[1]
    assert combined == everything.af()
    assert everything.werklijst_totaal == 20 and len(everything.werklijst) == 3
    # most urgent kenmerk first, then the longest overdue
    assert [p.dossier_id for p in everything.werklijst] == ["d18", "d15", "d12"]


def test_one_id_twice_is_ordered_by_the_text_of_its_reasons_in_any_input_order() -> None:
    from meldcode_rules.monitor.judge import Signaal

    since = dt.date(2026, 3, 1)

    def outcome(dossier_id: str, *others: tuple[str, dt.date | None]) -> Uitkomst:
        reasons = (Signaal("patroon_zonder_consultatie", since), *(Signaal(k, d) for k, d in others))
        return Uitkomst(dossier_id, "onderwijs", None, OP, (), False, True, 5, "melden", "ja", reasons)

    # The same priority and date of the most urgent reason: the id decides, then the reasons as
    # text `kenmerk@sinds`: a prefix first, and a date before `None` (as text, "2" < "N"),
    # although an unknown date is the most urgent one in the order of priority.
    expected = [
        ("d6", ("patroon_zonder_consultatie@2026-03-01", "termijn_onbekend@None")),
        ("d7", ("patroon_zonder_consultatie@2026-03-01",)),
        ("d7", ("patroon_zonder_consultatie@2026-03-01", "actie_verlopen@2026-01-05")),
        ("d7", ("patroon_zonder_consultatie@2026-03-01", "actie_verlopen@None")),
        ("d7", ("patroon_zonder_consultatie@2026-03-01", "termijn_onbekend@None")),
    ]
    items = [
        outcome("d7", ("termijn_onbekend", None)),
        outcome("d7", ("actie_verlopen", None)),
        outcome("d6", ("termijn_onbekend", None)),
        outcome("d7"),
        outcome("d7", ("actie_verlopen", dt.date(2026, 1, 5))),
    ]
    rng = random.Random(3)
    for _ in range(6):
        rng.shuffle(items)
        whole, halves = Aggregaat(max_werklijst=3), [Aggregaat(max_werklijst=3), Aggregaat(max_werklijst=3)]
        for i, item in enumerate(items):
            whole.tel(item)
            halves[i % 2].tel(item)
        whole.af()
        assert [(p.dossier_id, p.volgnummer) for p in whole.werklijst] == expected[:3]
        assert halves[0] + halves[1] == halves[1] + halves[0] == whole
        everything = Aggregaat()
        for item in items:
            everything.tel(item)
        assert [(p.dossier_id, p.volgnummer) for p in everything.af().werklijst] == expected
        assert pickle.loads(pickle.dumps(everything)) == everything


def judged(item: dict[str, object]) -> Judgement:
    """The judgement `meldcode-rules evaluate --op` gives, without the monitor in between."""
    subject = (
        {k: v for k, v in item.items() if k not in ("dossier_id", "organisatie")}
        if "gebeurtenissen" not in item
        else item
    )
    return evaluate(subject, engine="reference", op=OP)


@pytest.mark.parametrize("vorm", ["casus", "dossier"])
def test_every_figure_is_read_from_the_judgement_of_evaluate(vorm: str) -> None:
    items = list(dossiers(300, 11, Mix(peildatum=OP, vorm=vorm)))
    counted = monitor_items(items)
    steps: Counter[int] = Counter()
    besluiten: Counter[str] = Counter()
    by_rule: Counter[str] = Counter()
    actie_van = {r: k.actie for k in KENMERKEN for r in k.regels if k.actie}
    for item in items:
        oordeel = judged(item)
        uitkomst = beoordeel(item, OP, "reference", "x")
        if uitkomst.open:
            steps[oordeel.stap] += 1
            besluiten[oordeel.besluit] += 1
        assert uitkomst.signalen == signalen(oordeel)
        assert (uitkomst.stap, uitkomst.besluit, uitkomst.melden) == (oordeel.stap, oordeel.besluit, oordeel.melden)
        # the kenmerk's own action (a time rule may ask more, as `afwegen` beside `zaak_heropenen`),
        # unless the dossier shows it done (`voldaan`: a report made, a case reopened)
        by_rule.update(
            {r for a in oordeel.acties if a.voldaan is None for r in a.regels if actie_van.get(r, a.code) == a.code}
        )
    for stap, n in steps.items():
        assert counted.waarde("totaal", "alle", f"open_stap_{stap}") == n
    for besluit, n in besluiten.items():
        assert counted.waarde("totaal", "alle", f"open_besluit_{besluit}") == n
    # each time-rule figure is exactly the number of judgements in which that time rule asked for its action
    for kenmerk in KENMERKEN:
        for regel in kenmerk.regels:
            assert counted.waarde("totaal", "alle", kenmerk.code) == by_rule[regel], kenmerk.code
    if vorm == "dossier":  # the generated mix reaches every time rule the monitor counts
        assert all(by_rule[r] for k in KENMERKEN for r in k.regels), by_rule


def test_the_plain_facts_of_a_dossier_are_its_events_as_they_lie() -> None:
    # Read from the judged events per kind; here from the file itself, in date order (stable).
    items = list(dossiers(400, 5, Mix(peildatum=OP)))
    reopened = next(i for i in items if any(e["soort"] == "zaak_heropend" for e in i["gebeurtenissen"]))
    events = reopened["gebeurtenissen"]
    at = max(i for i, e in enumerate(events) if e["soort"] == "zaak_heropend")
    closing = {"soort": "zaak_afgesloten", "datum": events[at]["datum"]}
    # closed again on the day it was reopened: later in the file (closed) or earlier (open)
    items.append({**reopened, "gebeurtenissen": [*events[: at + 1], closing, *events[at + 1 :]]})
    items.append({**reopened, "gebeurtenissen": [*events[:at], closing, *events[at:]]})
    # a second report of my own, dated earlier but later in the file: the reports by date
    reported = next(i for i in items if any(e.get("door") == "mij" for e in i["gebeurtenissen"]))
    report = next(e for e in reported["gebeurtenissen"] if e.get("door") == "mij")
    earlier = {**report, "datum": reported["gebeurtenissen"][0]["datum"]}
    items.append({**reported, "gebeurtenissen": [*reported["gebeurtenissen"], earlier]})
    for item in items:
        events = sorted(item["gebeurtenissen"], key=lambda e: dt.date.fromisoformat(e["datum"][:10]))
        closed = heropend = False
        for event in events:
            if event["soort"] == "zaak_afgesloten":
                closed = True
            elif event["soort"] == "zaak_heropend":
                closed, heropend = False, True
        gemeld = sorted(
            dt.date.fromisoformat(e["datum"][:10]) for e in events if e["soort"] == "melding" and e.get("door") == "mij"
        )
        uitkomst = beoordeel(item, OP, "reference", "x")
        assert (uitkomst.open, uitkomst.heropend, uitkomst.gemeld) == (not closed, heropend, tuple(gemeld))
        assert uitkomst.instroom == dt.date.fromisoformat(events[0]["datum"][:10])
    outcomes = [beoordeel(item, OP, "reference", "x") for item in items]
    assert not outcomes[-3].open and outcomes[-2].open and outcomes[-2].heropend
    assert len(outcomes[-1].gemeld) == 2 and any(not u.open and not u.heropend for u in outcomes)


def monitor_items(items: list[dict[str, object]]) -> Aggregaat:
    result = Aggregaat()
    for deel in plan_lines(items, 1000):
        result = result + beoordeel_deel(deel, OPTIES)
    return result


def test_small_cells_are_suppressed_in_every_output(tmp_path: Path) -> None:
    base = {"afweging": {"vermoeden": "ja", "acute_onveiligheid": "ja"}, "datum": "2026-11-20"}
    items = [{**base, "dossier_id": f"o{i}", "sector": "onderwijs"} for i in range(3)]
    items += [{**base, "dossier_id": f"j{i}", "sector": "jeugdhulp"} for i in range(7)]
    path = write_jsonl(tmp_path / "d.jsonl", items)
    data = rapport(monitor([path], OPTIES), OP, 5)
    assert data["per"]["sector"]["onderwijs"]["dossiers"] is None
    # 7 = 10 - 3 would reveal the 3: suppressed secondarily (tests/test_monitor_suppression.py)
    assert data["per"]["sector"]["jeugdhulp"]["dossiers"] is None
    assert data["per"]["totaal"]["alle"]["dossiers"] == 10
    rows = list(csv.DictReader(io.StringIO(as_csv(data))))
    onderwijs = next(r for r in rows if r["waarde"] == "onderwijs" and r["maat"] == "dossiers")
    assert onderwijs["aantal"] == "" and onderwijs["onderdrukt"] == "ja"
    runner = CliRunner()
    for fmt in ("text", "html"):
        run = runner.invoke(main, ["monitor", str(path), "--op", "2026-12-01", "-e", "reference", "-f", fmt])
        assert run.exit_code == 0
        assert "&lt;5" in run.output if fmt == "html" else "<5" in run.output
        assert "×" in run.output and "secundair" in run.output
    # --drempel 0 shows every count
    run = runner.invoke(
        main, ["monitor", str(path), "--op", "2026-12-01", "-e", "reference", "-f", "json", "--drempel", "0"]
    )
    assert json.loads(run.output)["per"]["sector"]["onderwijs"]["dossiers"] == 3


def test_nothing_is_logged(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = write_jsonl(tmp_path / "d.jsonl", [*cases(20), {"dossier_id": "x", "afweging": {"vermoeden": SECRET}}])
    with caplog.at_level(logging.DEBUG):
        monitor([path], OPTIES)
    assert not [r for r in caplog.records if r.name.startswith("meldcode_rules")]
    assert SECRET not in caplog.text


def test_the_generator_is_seeded_and_mixes_sectors() -> None:
    assert dossier(3, seed=1) == dossier(3, seed=1)
    assert dossier(3, seed=1) != dossier(3, seed=2)
    sample = list(dossiers(300, seed=5))
    assert len({d.get("sector") for d in sample}) == 7
    assert 15 <= sum(len(d["gebeurtenissen"]) for d in sample) / len(sample) <= 25
    for d in sample:
        days = [e["datum"] for e in d["gebeurtenissen"]]
        assert days == sorted(days) and max(days) <= OP.isoformat()
    run = CliRunner().invoke(main, ["monitor", "--genereer", "5", "--seed", "1", "--op", "2026-12-01"])
    assert run.exit_code == 0
    assert [json.loads(line) for line in run.output.splitlines()] == list(dossiers(5, 1))


def test_unknown_path_and_kind_are_input_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["monitor", str(tmp_path / "nergens.jsonl")]).exit_code == 2
    (tmp_path / "x.csv").write_text("a,b\n")
    assert runner.invoke(main, ["monitor", str(tmp_path / "x.csv")]).exit_code == 2
    assert runner.invoke(main, ["monitor"]).exit_code == 2


def test_a_peildatum_before_every_basismodel_version_fails_up_front(tmp_path: Path) -> None:
    # Every dossier is judged by the basismodel: on a date before its first version each line
    # would be refused ("ongeldig"), a run of refusals hiding its one cause. It is an input
    # error of the run instead (exit 2), before any dossier is read.
    path = tmp_path / "oud.jsonl"
    path.write_text(
        json.dumps({"dossier_id": "d1", "gebeurtenissen": [{"soort": "signaal", "datum": "2001-01-01"}]}) + "\n",
        encoding="utf-8",
    )
    with pytest.raises(MeldcodeError, match="eerste versie van ruleset `basismodel`"):
        monitor([path], Opties(op=dt.date(2002, 1, 1), engine="reference"))
    run = CliRunner().invoke(main, ["monitor", str(path), "--op", "2002-01-01", "-e", "reference"])
    assert run.exit_code == 2, run.output
    assert "basismodel" in run.output and "geweigerd" not in run.output
    # From its first day on the same dossier is judged, not refused.
    first = CliRunner().invoke(main, ["monitor", str(path), "--op", "2019-01-01", "-e", "reference", "-f", "json"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.output)["totalen"] == {"gelezen": 1, "beoordeeld": 1, "geweigerd": 0}
    # A sector whose first version is later: a refusal of that dossier, naming the cause.
    zorg = tmp_path / "zorg.jsonl"
    zorg.write_text(
        json.dumps(
            {
                "dossier_id": "d2",
                "sector": "gezondheidszorg",
                "gebeurtenissen": [{"soort": "signaal", "datum": "2020-01-01"}],
            }
        )
        + "\n",
        encoding="utf-8",
    )
    result = monitor([zorg], Opties(op=dt.date(2020, 6, 1), engine="reference"))
    assert (result.gelezen, result.geweigerd) == (1, 1)
    assert [w.categorie for w in result.weigeringen] == ["op deze datum geldt geen versie van de ruleset van de sector"]


def test_no_progress_bar_when_piped_and_progress_adds_up(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "d.jsonl", cases(250))
    run = CliRunner().invoke(main, ["monitor", str(path), "--op", "2026-12-01", "-e", "reference", "-f", "json"])
    assert run.exit_code == 0
    json.loads(run.output)  # nothing but the report: no bar, no rate
    told: list[int] = []
    totals: list[int | None] = []

    def start(total: int | None):  # type: ignore[no-untyped-def]
        totals.append(total)
        return told.append

    monitor([path], OPTIES, per_deel=120, voortgang=start)
    assert totals == [250] and sum(told) == 250 and len(told) > 3


def test_ids_are_pseudonymous_codes_never_markup_or_names(tmp_path: Path) -> None:
    base = {"datum": "2026-11-20", "afweging": {"vermoeden": "ja", "acute_onveiligheid": "ja"}}
    items = [
        {**base, "dossier_id": "[bold red]x"},
        {**base, "dossier_id": "Jan Jansen"},
        {**base, "dossier_id": "ok-1", "organisatie": "<script>"},
        {**base, "dossier_id": "ok-2", "organisatie": "school.17"},
    ]
    result = monitor([write_jsonl(tmp_path / "d.jsonl", items)], OPTIES)
    assert [(w.plek, w.categorie) for w in result.weigeringen] == [
        (1, "`dossier_id` is geen geldig kenmerk"),
        (2, "`dossier_id` is geen geldig kenmerk"),
        (3, "`organisatie` is geen geldig kenmerk"),
    ]
    assert result.waarde("organisatie", "school.17", "dossiers") == 1


def test_the_seed_example_dossiers_land_on_the_work_list_for_their_story() -> None:
    examples = Path(__file__).resolve().parents[1] / "examples"
    paths = sorted(examples.glob("seed00*-dossier-*.yaml"))
    assert len(paths) >= 3
    result = monitor(paths, OPTIES)
    assert result.geweigerd == 0
    reasons = {p.dossier_id: {s.kenmerk for s in p.redenen} for p in result.werklijst}
    found = {kenmerk for kenmerken in reasons.values() for kenmerk in kenmerken}
    for kenmerk in (
        "ontvangst_onbevestigd",  # seed 000: nobody checked the receipt
        "hulp_afgesloten_zonder_contactafspraak",  # seed 002: who keeps contact?
        "herbeoordeling_verlopen",  # seed 003: risks not re-assessed
    ):
        assert kenmerk in found, (kenmerk, reasons)


def test_both_engines_give_the_same_figures(tmp_path: Path) -> None:
    from meldcode_rules.engines import durable_available

    path = tmp_path / "d.jsonl"
    with path.open("w", encoding="utf-8") as out:
        from meldcode_rules.monitor.synthetic import write_jsonl as generate

        generate(out, 80, seed=41, mix=Mix(peildatum=OP))
    reference = monitor([path], OPTIES)
    assert reference.beoordeeld == 80
    if durable_available():  # Python 3.11 and 3.12 (CI); on 3.13 only the reference engine exists
        assert monitor([path], Opties(op=OP, engine="durable")) == reference


def test_the_fast_dossier_reader_keeps_the_organisation_as_pydantic_does() -> None:
    from meldcode_rules.case.dossier import Dossier
    from meldcode_rules.dossier.reader import read_dossier

    for item in dossiers(30, seed=51):
        read = read_dossier(item)
        assert read is not None and read.organisatie == item["organisatie"]
        assert read == Dossier.model_validate(item)
    assert read_dossier({**dossier(1), "organisatie": "geen geldige code"}) is None  # pydantic decides


def test_out_writes_each_format_to_a_file(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "d.jsonl", cases(30))
    runner = CliRunner()
    for fmt, check in (
        ("text", "Werklijst"),
        ("json", '"peildatum": "2026-12-01"'),
        ("csv", "peildatum,dimensie,waarde,maat,aantal,onderdrukt"),
        ("html", "<svg"),
    ):
        out = tmp_path / f"rapport.{fmt}"
        run = runner.invoke(
            main, ["monitor", str(path), "--op", "2026-12-01", "-e", "reference", "-f", fmt, "-o", str(out)]
        )
        assert run.exit_code == 0, run.output
        assert check in out.read_text(encoding="utf-8"), fmt
        assert check not in run.output  # the report went to the file, not to the terminal


@cache  # judged once: the property is about combining, not judging
def _small_parts() -> tuple[Aggregaat, ...]:
    items = [*cases(30, seed=61), *dossiers(30, 62, Mix(peildatum=OP))]
    opties = Opties(op=OP, engine="reference", max_werklijst=7)
    return tuple(beoordeel_deel(d, opties) for d in plan_lines(items, 4))


@settings(max_examples=25, deadline=None)
@given(st.randoms(use_true_random=False))
def test_any_grouping_and_order_of_parts_gives_the_same_result(rng: random.Random) -> None:
    parts = _small_parts()
    expected = sum(parts, Aggregaat(max_werklijst=7)).af()
    assert expected.werklijst_totaal > len(expected.werklijst) == 7  # the cap is exercised
    shuffled = list(parts)
    rng.shuffle(shuffled)
    # combine in a random tree: pick two neighbours, add them, until one is left
    while len(shuffled) > 1:
        i = rng.randrange(len(shuffled) - 1)
        shuffled[i : i + 2] = [shuffled[i] + shuffled[i + 1]]
    assert shuffled[0].af() == expected


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_forked_and_spawned_workers_give_exactly_the_single_process_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, method: str
) -> None:
    from meldcode_rules.monitor import run

    # The first part (which the parent reads to compile for forked workers) holds bad lines too.
    bad: list[object] = ["kapot", {"sector": "geen-sector", "gebeurtenissen": []}, [1]]
    items = [*bad, *dossiers(40, 3, Mix(peildatum=OP))]
    path = write_jsonl(tmp_path / "d.jsonl", [*items, *cases(20)])
    whole = monitor([path], OPTIES, per_deel=11)
    monkeypatch.setattr(run, "start_method", lambda: method)
    workers: list[int] = []
    told: list[int] = []

    def start(total: int | None):  # type: ignore[no-untyped-def]
        # The display (a thread, in the CLI) starts only once the pool's workers exist.
        workers.append(len(multiprocessing.active_children()))
        return told.append

    assert monitor([path], OPTIES, per_deel=11, processen=2, voortgang=start) == whole
    assert whole.geweigerd == 3 and sum(told) == whole.gelezen == 63
    assert len(workers) == 1 and workers[0] >= 1
    empty = write_jsonl(tmp_path / "leeg.jsonl", [])
    assert monitor([empty], OPTIES, processen=2, voortgang=start) == monitor([empty], OPTIES)


def test_workers_are_forked_only_where_no_thread_or_durable_host_would_be_copied(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys
    import threading

    from meldcode_rules.monitor.run import start_method

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delitem(sys.modules, "meldcode_rules.engines.durable", raising=False)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert start_method() == "fork"
    monkeypatch.setattr(threading, "active_count", lambda: 2)  # e.g. a progress display's thread
    assert start_method() == "spawn"
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setitem(sys.modules, "meldcode_rules.engines.durable", sys.modules[__name__])  # a host may exist
    assert start_method() == "spawn"
    monkeypatch.delitem(sys.modules, "meldcode_rules.engines.durable")
    monkeypatch.setattr(sys, "platform", "darwin")
    assert start_method() == "spawn"


def test_small_inputs_are_cut_so_that_every_worker_gets_several_parts(tmp_path: Path) -> None:
    from meldcode_rules.monitor.run import deel_grootte

    assert deel_grootte(100_000, 2) == 1000  # large: the default part
    assert deel_grootte(3_000, 2) == 375  # 8 parts, 4 per worker
    assert deel_grootte(3_000, 3) == 250
    assert deel_grootte(150, 2) == 100 and deel_grootte(0, 2) == 100  # never below the minimum
    path = write_jsonl(tmp_path / "d.jsonl", [*cases(230), "kapot"])
    assert monitor([path], OPTIES, processen=2) == monitor([path], OPTIES)
    with pytest.raises(ValueError):
        monitor([path], OPTIES, per_deel=0)


def test_the_parents_warm_up_for_forked_workers_never_changes_or_fails_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from meldcode_rules.monitor import run

    path = write_jsonl(tmp_path / "d.jsonl", [*dossiers(30, 5, Mix(peildatum=OP)), "kapot"])
    whole = monitor([path], OPTIES, per_deel=10)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("kapot")

    monkeypatch.setattr(run, "start_method", lambda: "fork")
    monkeypatch.setattr(run, "compiled_for", broken)  # the warm-up only: the judge compiles for itself
    assert monitor([path], OPTIES, per_deel=10, processen=2) == whole
    monkeypatch.setattr(run, "known_sectors", broken)
    assert monitor([path], OPTIES, per_deel=10, processen=2) == whole
