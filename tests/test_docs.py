"""The docs name everything the code defines, so they cannot silently fall behind it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from meldcode_rules.case.facts import catalog_for
from meldcode_rules.judge.judgement import Judgement
from meldcode_rules.load.ruleset import BESLUIT_ORDE, RulesetFile
from meldcode_rules.sectors.registry import compiled_for

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _text(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("fact", [spec.path for spec in catalog_for()])
def test_every_fact_is_documented(fact: str) -> None:
    assert f"`{fact}`" in _text("vocabulary.md")


@pytest.mark.parametrize("field", list(Judgement.model_fields))
def test_every_judgement_field_is_documented(field: str) -> None:
    assert f"| `{field}` |" in _text("vocabulary.md")


def test_besluit_values_are_documented_in_protective_order() -> None:
    text = _text("vocabulary.md")
    rows = re.findall(r"^\| (\d) \| `([a-z_]+)` \|", text, flags=re.MULTILINE)
    assert [name for _, name in rows] == list(BESLUIT_ORDE)


@pytest.mark.parametrize("code", sorted(compiled_for(None).acties))
def test_every_action_code_is_documented(code: str) -> None:
    assert f"| `{code}` |" in _text("vocabulary.md")


@pytest.mark.parametrize("key", [f.alias or name for name, f in RulesetFile.model_fields.items()])
def test_every_ruleset_key_is_documented(key: str) -> None:
    assert f"| `{key}` |" in _text("ruleset-format.md")


def test_every_error_code_in_the_source_is_documented() -> None:
    used = set()
    for path in (ROOT / "src").rglob("*.py"):
        used |= set(re.findall(r"\bMR\d{3}\b", path.read_text(encoding="utf-8")))
    assert used, "no error codes found in src/"
    documented = set(re.findall(r"^\| (MR\d{3}) \|", _text("ruleset-format.md"), flags=re.MULTILINE))
    assert used <= documented, f"undocumented: {sorted(used - documented)}"


def test_readme_links_resolve() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(((?!https?:)[^)#]+)", readme)
    assert targets
    for target in targets:
        assert (ROOT / target).exists(), target
