"""Every error message a trainer or a case system can meet: code, file, line, suggestion.

Ruleset files are written to ``tmp_path``; the expected line is found by
searching the written text for the offending line, so the tests say *which*
line is meant rather than a number.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from meldcode_rules.api import parse_case
from meldcode_rules.cli.main import main
from meldcode_rules.diagnostics import CaseError, Code, Diagnostic, RulesetError
from meldcode_rules.sectors.registry import builtin_ruleset_dir, compile_from

BASISMODEL = builtin_ruleset_dir() / "basismodel.yaml"

VALID = """\
id: basismodel
titel: Proef
versie: "1"
geldig_vanaf: 2024-01-01
bron: test
acties:
  - {code: melden_veilig_thuis, omschrijving: Melden bij Veilig Thuis}
begrippen:
  - id: onveilig
    titel: Onveilig
    bron: "[NJI]"
    als: {feit: afweging.acute_onveiligheid, is: ja}
regels:
  - id: regel-een
    titel: Regel een
    bron: "[NJI]"
    uitleg: Bij acute onveiligheid wordt gemeld.
    als:
      alle:
        - {begrip: onveilig}
        - feit: afweging.vermoeden
          is: ja
    dan:
      melden: ja
      besluit: melden
      acties:
        - code: melden_veilig_thuis
          tekst: Meld bij Veilig Thuis.
"""


def write(tmp_path: Path, text: str, name: str = "basismodel.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, fragment: str, occurrence: int = 1) -> int:
    """1-based number of the line holding ``fragment`` (its ``occurrence``-th time)."""
    hits = [i for i, line in enumerate(text.splitlines(), 1) if fragment in line]
    return hits[occurrence - 1]


def problems(*paths: Path, sector: str | None = None) -> list[Diagnostic]:
    with pytest.raises(RulesetError) as caught:
        compile_from(list(paths), sector)
    return caught.value.diagnostics


def only(found: list[Diagnostic], code: str) -> Diagnostic:
    matching = [d for d in found if d.code == code]
    assert len(matching) == 1, [d.render() for d in found]
    return matching[0]


def test_the_valid_ruleset_compiles(tmp_path: Path) -> None:
    compiled = compile_from([write(tmp_path, VALID)])
    assert [r.id for r in compiled.rules] == ["regel-een"]


# ---------------------------------------------------------------- loading (MR001, MR002, MR010, MR011)


def test_yaml_syntax_error_names_file_line_and_a_hint(tmp_path: Path) -> None:
    text = VALID.replace("titel: Regel een", "titel: Regel: een")
    path = write(tmp_path, text)
    problem = only(problems(path), "MR001")
    assert problem.location.file == str(path)
    assert problem.location.line == line_of(text, "titel: Regel: een")
    assert any("aanhalingstekens" in d for d in problem.details)


@pytest.mark.parametrize(
    ("tagged", "shown"),
    [
        ('titel: !!python/object/apply:os.system ["touch {marker}"]', "!!python/object/apply:os.system"),
        ('titel: !!python/object/new:os.system ["touch {marker}"]', "!!python/object/new:os.system"),
        ("titel: !!python/name:os.system", "!!python/name:os.system"),
        ("titel: !vet Proef", "!vet"),
    ],
)
def test_yaml_tags_are_refused_and_nothing_runs(tmp_path: Path, tagged: str, shown: str) -> None:
    marker = tmp_path / "uitgevoerd"
    line = tagged.format(marker=marker)
    text = VALID.replace("titel: Proef", line, 1)
    path = write(tmp_path, text)
    problem = only(problems(path), "MR002")
    assert "YAML-tag" in problem.message
    assert shown not in problem.message  # the location says where; the text is not repeated
    assert problem.location.file == str(path)
    assert problem.location.line == line_of(text, line)
    assert not marker.exists()


def test_unknown_field_in_a_rule_suggests_the_nearest(tmp_path: Path) -> None:
    text = VALID.replace("    uitleg: Bij acute", "    titels: extra\n    uitleg: Bij acute")
    problem = only(problems(write(tmp_path, text)), "MR010")
    assert "titels" in problem.message
    assert problem.suggestion == "titel"
    assert problem.location.line == line_of(text, "titels: extra")


def test_missing_bron_is_mr011(tmp_path: Path) -> None:
    text = VALID.replace('    bron: "[NJI]"\n    uitleg', "    uitleg")
    path = write(tmp_path, text)
    problem = only(problems(path), "MR011")
    assert "bron" in problem.message
    assert problem.location.file == str(path)
    assert problem.location.line == line_of(text, "- id: regel-een")


# ---------------------------------------------------------------- facts and values (MR020-MR022)


def test_unknown_fact_suggests_the_nearest_name(tmp_path: Path) -> None:
    text = VALID.replace("feit: afweging.vermoeden", "feit: afweging.vermoedn")
    problem = only(problems(write(tmp_path, text)), "MR020")
    assert "afweging.vermoedn" in problem.message
    assert problem.suggestion == "afweging.vermoeden"
    assert problem.location.line == line_of(text, "afweging.vermoedn")


def test_unknown_fact_by_its_last_part_suggests_the_full_name(tmp_path: Path) -> None:
    text = VALID.replace("feit: afweging.vermoeden", "feit: vermoeden")
    assert only(problems(write(tmp_path, text)), "MR020").suggestion == "afweging.vermoeden"


def test_wrong_value_for_a_fact_suggests_a_valid_one(tmp_path: Path) -> None:
    text = VALID.replace("          is: ja", "          is: jaa")
    problem = only(problems(write(tmp_path, text)), "MR021")
    assert "jaa" in problem.message and "afweging.vermoeden" in problem.message
    assert problem.suggestion == "ja"
    assert problem.location.line == line_of(text, "is: jaa")


def test_wrong_value_in_a_list_test_is_located_at_the_item(tmp_path: Path) -> None:
    text = VALID.replace(
        "        - feit: afweging.vermoeden\n          is: ja",
        "        - feit: vormen\n          bevat_een_van:\n            - vgv\n            - huwelijksdwng",
    )
    problem = only(problems(write(tmp_path, text)), "MR021")
    assert problem.suggestion == "huwelijksdwang"
    assert problem.location.line == line_of(text, "- huwelijksdwng")


@pytest.mark.parametrize(
    ("test", "fragment"),
    [
        ("feit: vormen\n          is: vgv", "is: vgv"),
        ("feit: afweging.vermoeden\n          bevat: ja", "bevat: ja"),
    ],
)
def test_operator_that_does_not_fit_the_fact(tmp_path: Path, test: str, fragment: str) -> None:
    text = VALID.replace("feit: afweging.vermoeden\n          is: ja", test)
    problem = only(problems(write(tmp_path, text)), "MR022")
    assert problem.location.line == line_of(text, fragment)


# ---------------------------------------------------------------- structure (MR030-MR040)

EXTENSION = """\
id: proefsector
titel: Proefsector
versie: "1"
geldig_vanaf: 2024-01-01
bron: test
sector: proefsector
breidt_uit: [basismodel]
regels:
  - id: proef-regel
    titel: Proefregel
    bron: test
    uitleg: Een regel van de proefsector.
    als: {feit: afweging.structurele_onveiligheid, is: ja}
    dan:
      melden: ja
"""


def test_two_facts_durable_would_take_for_one_are_refused_with_where(tmp_path: Path) -> None:
    # tijd.xtsphfchvyz and tijd.lxhsbzfaues: one FNV-1a hash of their keys, found by a birthday
    # search; durable-rules knows a property only by that hash (tests/test_durable_engine.py).
    text = (
        EXTENSION
        + """\
  - id: proef-tijd-een
    titel: Proef
    bron: test
    uitleg: Proef.
    als: {feit: tijd.xtsphfchvyz, is: ja}
    dan:
      vastleggen: [Proef.]
  - id: proef-tijd-twee
    titel: Proef
    bron: test
    uitleg: Proef.
    als: {feit: tijd.lxhsbzfaues, is: ja}
    dan:
      vastleggen: [Proef.]
tijdregels:
  - feit: tijd.xtsphfchvyz
    titel: Proef
    bron: test
    vraag: Proef?
    toets: loopt
    start: [{soort: hulp_gestart}]
  - feit: tijd.lxhsbzfaues
    titel: Proef
    bron: test
    vraag: Proef?
    toets: loopt
    start: [{soort: hulp_gestart}]
"""
    )
    ext = write(tmp_path, text, "proefsector.yaml")
    problem = only(problems(BASISMODEL, ext, sector="proefsector"), "MR046")
    assert "tijd__xtsphfchvyz" in problem.message and "tijd__lxhsbzfaues" in problem.message
    assert problem.location.file == str(ext)
    assert problem.location.line in (line_of(text, "- id: proef-tijd-een"), line_of(text, "- id: proef-tijd-twee"))
    # one letter other: no finding
    compile_from(
        [BASISMODEL, write(tmp_path, text.replace("lxhsbzfaues", "lxhsbzfauet"), "proefsector.yaml")], "proefsector"
    )


def test_duplicate_rule_id_across_basismodel_and_extension_names_both_places(tmp_path: Path) -> None:
    text = EXTENSION.replace("- id: proef-regel", "- id: meldnorm1-acute-onveiligheid")
    ext = write(tmp_path, text, "proefsector.yaml")
    problem = only(problems(BASISMODEL, ext, sector="proefsector"), "MR030")
    assert problem.location.file == str(ext)
    assert problem.location.line == line_of(text, "meldnorm1-acute-onveiligheid")
    base_line = line_of(BASISMODEL.read_text(encoding="utf-8"), "- id: meldnorm1-acute-onveiligheid")
    assert f"basismodel.yaml:{base_line}" in problem.message


def test_duplicate_rule_id_within_one_file(tmp_path: Path) -> None:
    rule = VALID[VALID.index("  - id: regel-een") :]
    text = VALID + rule
    problem = only(problems(write(tmp_path, text)), "MR030")
    assert problem.location.line == line_of(text, "- id: regel-een", occurrence=2)
    assert f":{line_of(text, '- id: regel-een')}" in problem.message


def test_unknown_action_code_suggests_the_nearest(tmp_path: Path) -> None:
    text = VALID.replace("- code: melden_veilig_thuis", "- code: melden_veilig_thuiss")
    problem = only(problems(write(tmp_path, text)), "MR031")
    assert problem.suggestion == "melden_veilig_thuis"
    assert problem.location.line == line_of(text, "melden_veilig_thuiss")


def test_unknown_breidt_uit_suggests_the_nearest(tmp_path: Path) -> None:
    text = EXTENSION.replace("breidt_uit: [basismodel]", "breidt_uit: [basismodell]")
    ext = write(tmp_path, text, "proefsector.yaml")
    problem = only(problems(BASISMODEL, ext, sector="proefsector"), "MR032")
    assert problem.suggestion == "basismodel"
    assert problem.location.file == str(ext)
    assert problem.location.line == line_of(text, "basismodell")


def test_besluit_melden_without_melden_ja(tmp_path: Path) -> None:
    text = VALID.replace("      melden: ja\n", "")
    problem = only(problems(write(tmp_path, text)), "MR033")
    assert problem.location.line == line_of(text, "besluit: melden")


def test_unknown_begrip_suggests_the_nearest(tmp_path: Path) -> None:
    text = VALID.replace("{begrip: onveilig}", "{begrip: onveiligg}")
    problem = only(problems(write(tmp_path, text)), "MR035")
    assert problem.suggestion == "onveilig"
    assert problem.location.line == line_of(text, "onveiligg")


def test_begrip_from_the_basismodel_is_known_in_an_extension(tmp_path: Path) -> None:
    text = EXTENSION.replace("{feit: afweging.structurele_onveiligheid, is: ja}", "{begrip: meldnorm_11}")
    ext = write(tmp_path, text, "proefsector.yaml")
    assert only(problems(BASISMODEL, ext, sector="proefsector"), "MR035").suggestion == "meldnorm_1"


def test_extension_may_not_conclude_melden_nee(tmp_path: Path) -> None:
    text = EXTENSION.replace("      melden: ja", "      melden: nee")
    ext = write(tmp_path, text, "proefsector.yaml")
    problem = only(problems(BASISMODEL, ext, sector="proefsector"), "MR040")
    assert problem.location.file == str(ext)
    assert problem.location.line == line_of(text, "melden: nee")


def test_several_errors_in_one_file_are_reported_together_sorted_by_line(tmp_path: Path) -> None:
    text = (
        VALID.replace("{feit: afweging.acute_onveiligheid, is: ja}", "{feit: afweging.acuut, is: ja}")
        .replace("          is: ja", "          is: misschien")
        .replace("- code: melden_veilig_thuis", "- code: meldn")
    )
    path = write(tmp_path, text)
    with pytest.raises(RulesetError) as caught:
        compile_from([path])
    found = caught.value.diagnostics
    assert [d.code for d in found] == ["MR020", "MR021", "MR031"]
    assert [d.location.line for d in found] == [
        line_of(text, "afweging.acuut"),
        line_of(text, "is: misschien"),
        line_of(text, "code: meldn"),
    ]
    rendered = str(caught.value)
    assert rendered.startswith("3 fouten")
    assert all(f"{path}:{d.location.line}:" in rendered for d in found)


def test_errors_of_several_files_are_reported_together(tmp_path: Path) -> None:
    broken = write(tmp_path, VALID.replace("titel: Regel een", "titel: Regel: een"))
    other = write(tmp_path, EXTENSION.replace("    bron: test\n    uitleg", "    uitleg"), "proefsector.yaml")
    found = problems(broken, other)
    assert {(Path(d.location.file).name, d.code) for d in found} == {
        ("basismodel.yaml", "MR001"),
        ("proefsector.yaml", "MR011"),
    }


# ---------------------------------------------------------------- case files through the CLI

SECRET = "Jan-slaat-Marie-op-dinsdag"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["evaluate", *args])
    output = result.output + (result.stderr if result.stderr_bytes is not None else "")
    return result.exit_code, output


def assert_clean_failure(code: int, output: str) -> None:
    assert code == 2, output
    assert "Traceback" not in output
    assert "fout" in output
    assert len(output.splitlines()) < 25  # one screen


def test_case_file_that_is_not_yaml(tmp_path: Path) -> None:
    path = write(tmp_path, "afweging: [ja\nvormen: {", "casus.yaml")
    code, output = run(str(path))
    assert_clean_failure(code, output)
    assert "casus.yaml" in output


def test_case_file_that_is_not_json(tmp_path: Path) -> None:
    path = write(tmp_path, '{"afweging": {"vermoeden": "ja"', "casus.json")
    code, output = run(str(path))
    assert_clean_failure(code, output)
    assert "JSON" in output


def test_case_file_that_is_not_an_object(tmp_path: Path) -> None:
    code, output = run(str(write(tmp_path, "- ja\n- nee\n", "casus.yaml")))
    assert_clean_failure(code, output)


def test_case_file_with_an_unknown_field_suggests_the_nearest(tmp_path: Path) -> None:
    path = write(tmp_path, f"afweging:\n  vermoedn: ja\nnotitie: {SECRET}\n", "casus.yaml")
    code, output = run(str(path))
    assert_clean_failure(code, output)
    # The field and a valid spelling are named; the unknown names themselves are not repeated.
    assert "`afweging`: onbekend veld" in output and "vermoeden" in output
    assert "vermoedn" not in output and "notitie" not in output
    assert SECRET not in output


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("afweging", {"vermoeden": SECRET}),
        ("stappen", {"gesprek_overgeslagen_reden": SECRET}),
        ("vormen", [SECRET]),
        ("datum", SECRET),
    ],
)
def test_case_file_with_a_wrong_value_names_the_field_not_the_value(tmp_path: Path, field: str, value: object) -> None:
    path = write(tmp_path, json.dumps({field: value}), "casus.json")
    code, output = run(str(path))
    assert_clean_failure(code, output)
    assert field in output
    assert SECRET not in output


def test_unknown_sector(tmp_path: Path) -> None:
    path = write(tmp_path, "afweging:\n  vermoeden: ja\n", "casus.yaml")
    code, output = run(str(path), "--sector", "geen_bestaande_sector")
    assert_clean_failure(code, output)
    assert "onbekende sector" in output and "onderwijs" in output
    assert "geen_bestaande_sector" not in output  # never repeated: it may be pasted case text


def test_unknown_sector_in_the_case_file(tmp_path: Path) -> None:
    code, output = run(str(write(tmp_path, "sector: geen_bestaande_sector\n", "casus.yaml")))
    assert_clean_failure(code, output)
    assert "sector" in output


def test_missing_case_file(tmp_path: Path) -> None:
    code, output = run(str(tmp_path / "bestaat-niet.yaml"))
    assert_clean_failure(code, output)
    assert "bestaat-niet.yaml" in output


def test_case_file_with_a_tag_is_refused(tmp_path: Path) -> None:
    marker = tmp_path / "uitgevoerd"
    path = write(tmp_path, f'vormen: !!python/object/apply:os.system ["touch {marker}"]\n', "casus.yaml")
    code, output = run(str(path))
    assert_clean_failure(code, output)
    assert "MR002" in output
    assert not marker.exists()


def test_case_file_with_a_duplicate_key_names_the_key_not_the_values(tmp_path: Path) -> None:
    path = write(tmp_path, f"afweging:\n  vermoeden: ja\nnotitie: {SECRET}-1\nnotitie: {SECRET}-2\n", "casus.yaml")
    code, output = run(str(path))
    assert_clean_failure(code, output)
    assert "casus.yaml:4" in output and "twee keer" in output  # the place, not the key or values
    assert SECRET not in output


def test_duplicate_key_in_a_ruleset(tmp_path: Path) -> None:
    text = VALID.replace("    titel: Regel een\n", "    titel: Regel een\n    titel: Regel twee\n")
    problem = only(problems(write(tmp_path, text)), "MR001")
    assert "twee keer" in problem.message and "Regel" not in problem.message
    assert problem.location.line == line_of(text, "titel: Regel twee")
    assert any("een keer" in d for d in problem.details)


# ---------------------------------------------------------------- the code table


ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "meldcode_rules"


def _doc_table_codes(doc: str, prefix: str) -> set[str]:
    """The codes in the first column of the tables of ``doc`` (``| MR001 |`` or ``| `MC100` |``)."""
    text = (ROOT / "docs" / doc).read_text(encoding="utf-8")
    return {m for m in re.findall(r"^\|\s*`?(M[RCV]\d{3})`?\s*\|", text, re.M) if m.startswith(prefix)}


def test_every_code_is_written_once_in_the_table_and_used_through_it() -> None:
    literal = re.compile(r"[\"'](M[RCV]\d{3})[\"']")
    used: set[str] = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if path.name == "diagnostics.py" and path.parent == SRC:
            continue
        assert not literal.findall(text), f"{path}: write Code.MRxxx, not a string literal"
        used |= set(re.findall(r"\bCode\.(M[RCV]\d{3})\b", text))
    table = {code.value for code in Code}
    assert used <= table  # an unknown member would not even import; this names it
    assert table <= used, f"codes in the table that nothing reports: {sorted(table - used)}"
    for code in Code:
        assert code.beschrijving and code.stap, code


@pytest.mark.parametrize(
    ("doc", "prefix"),
    [("ruleset-format.md", "MR"), ("trainers/foutmeldingen.md", "MR"), ("ci.md", "MC"), ("api.md", "MV")],
)
def test_the_code_tables_of_the_docs_match_the_code_table(doc: str, prefix: str) -> None:
    table = {code.value for code in Code if code.value.startswith(prefix)}
    if doc == "trainers/foutmeldingen.md":
        text = (ROOT / "docs" / doc).read_text(encoding="utf-8")
        documented = set(re.findall(r"^## (MR\d{3}):", text, re.M))
    else:
        documented = _doc_table_codes(doc, prefix)
    assert documented == table, f"{doc}: missing {sorted(table - documented)}, unknown {sorted(documented - table)}"


def test_the_ruleset_format_table_gives_each_code_its_stage() -> None:
    text = (ROOT / "docs" / "ruleset-format.md").read_text(encoding="utf-8")
    stages = dict(re.findall(r"^\| (MR\d{3}) \| (\w+) \|", text, re.M))
    assert stages == {c.value: c.stap for c in Code if c.value.startswith("MR")}


def test_a_case_error_carries_located_coded_diagnostics_and_keeps_its_messages() -> None:
    with pytest.raises(CaseError) as caught:
        parse_case({"afweging": {"vermoedn": "ja", "acute_onveiligheid": "misschien"}, "datum": 3})
    error = caught.value
    by_path = {d.location.path: d for d in error.diagnostics}
    # The unknown key is not repeated (issue 14): its parent is the place, a valid name the hint.
    assert by_path["afweging"].code == Code.MV010
    assert by_path["afweging"].suggestion == "vermoeden"
    assert by_path["afweging.acute_onveiligheid"].code == Code.MV011
    assert by_path["datum"].code == Code.MV012
    assert "`afweging`: onbekend veld (bedoelde u `vermoeden`?)" in error.problems
    assert "misschien" not in str(error)  # the value of a case is never echoed
    assert str(error).startswith("casus: de casus is ongeldig:\n  - ")
    with pytest.raises(CaseError) as caught:
        parse_case(["geen", "object"])  # type: ignore[arg-type]
    assert [d.code for d in caught.value.diagnostics] == [Code.MV004]


def test_the_documented_exceptions_are_exported_and_defined_in_one_module() -> None:
    import meldcode_rules
    from meldcode_rules import diagnostics

    documented = set(
        re.findall(r"^\| `(\w+(?:Error|Sector|Unavailable))` \|", (ROOT / "docs" / "api.md").read_text(), re.M)
    )
    assert documented >= {"CaseError", "RulesetError", "UnknownSector", "EngineUnavailable"}
    for name in documented | {"MeldcodeError"}:
        assert getattr(meldcode_rules, name) is getattr(diagnostics, name), name
    for path in SRC.rglob("*.py"):
        if path.name == "diagnostics.py" and path.parent == SRC:
            continue
        text = path.read_text(encoding="utf-8")
        defined = re.findall(r"^class (\w+)\((?:\w*Error|\w*Exception|MeldcodeError)\)", text, re.M)
        # flat_reader's _Unsupported is a private signal "decline, let pydantic decide", never raised to a caller
        assert defined in ([], ["_Unsupported"]), f"{path}: exception classes belong in diagnostics.py: {defined}"
