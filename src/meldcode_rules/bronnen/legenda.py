"""Load, validate and render the source legend (``bronnen.yaml`` beside this module)."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field, field_validator
from ruamel.yaml import YAML

#: A source tag as it stands in a ``bron`` text: ``[NJI]``, ``[KNMG-B5]``, ``[INSP-ROT]``.
TAG_PATTERN = re.compile(r"\[([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*)\]")


class Bron(BaseModel):
    """One source: enough to find it without a network (the address is text, never fetched)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tag: str = Field(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$", description="De afkorting, zonder [].")
    titel: str = Field(min_length=1)
    uitgever: str = Field(min_length=1)
    jaar: int | None = Field(
        default=None, ge=1900, le=2100, description="Jaar van uitgave; leeg als de bron er geen noemt."
    )
    adres: str = Field(min_length=1, description="Waar de bron te vinden is, als tekst.")
    toelichting: str | None = None

    def regel(self) -> str:
        """One line of text: ``[TAG] titel. Uitgever, jaar. adres``."""
        jaar = str(self.jaar) if self.jaar is not None else "zonder jaar"
        return f"[{self.tag}] {self.titel}. {self.uitgever}, {jaar}. {self.adres}"


class Legenda(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    bronnen: list[Bron] = Field(min_length=1)

    @field_validator("bronnen")
    @classmethod
    def _unique(cls, value: list[Bron]) -> list[Bron]:
        seen: set[str] = set()
        for bron in value:
            if bron.tag in seen:
                raise ValueError(f"afkorting `{bron.tag}` staat twee keer in de legenda")
            seen.add(bron.tag)
        return value


@cache
def legenda() -> dict[str, Bron]:
    """The shipped legend, by tag (read and validated once)."""
    text = resources.files("meldcode_rules.bronnen").joinpath("bronnen.yaml").read_text(encoding="utf-8")
    data = YAML(typ="safe", pure=True).load(text)
    return {b.tag: b for b in Legenda.model_validate(data).bronnen}


def tags_in(text: str) -> list[str]:
    """The source tags a ``bron`` text cites, in order, each once."""
    return list(dict.fromkeys(TAG_PATTERN.findall(text)))


def bronnen_voor(text: str) -> list[Bron]:
    """The legend entries of the tags ``text`` cites (tags missing from the legend are left out;
    the test suite guarantees there are none in the shipped rulesets)."""
    known = legenda()
    return [known[tag] for tag in tags_in(text) if tag in known]


#: What a ``bron`` may never cite: the project's own brief or the seed reports behind it. A
#: professional reads every ``bron`` in a judgement and must be able to look it up.
_NIET_PUBLIEK = re.compile(r"meldcode\.md|shared/domain|\bseeds?\b|\bbrief\b|sector rules", re.IGNORECASE)
#: Quoted text: straight or curly quotes, single or double.
_CITAAT = re.compile(r"'([^']+)'|\"([^\"]+)\"|‘([^’]+)’|“([^”]+)”")
#: English words that do not occur in Dutch prose; one of them in a quotation means the
#: quotation is not a real Dutch quotation but a paraphrase in English.
_ENGELS = frozenset(
    {
        "the", "if", "not", "why", "record", "same", "holder", "suspect", "reports", "applies",
        "confirmed", "duty", "staff", "member", "when", "who", "with", "an", "and", "to", "should",
    }
)  # fmt: skip


def bron_problemen(bron: str) -> list[str]:
    """What is wrong with one ``bron`` text (empty: nothing). Used by the test suite."""
    out: list[str] = []
    if _NIET_PUBLIEK.search(bron):
        out.append("noemt de eigen projectbrief of een seed in plaats van een publieke bron")
    known = legenda()
    for tag in tags_in(bron):
        if tag not in known:
            out.append(f"afkorting `[{tag}]` staat niet in de bronnenlegenda")
    for match in _CITAAT.finditer(bron):
        quoted = next(g for g in match.groups() if g is not None)
        if _ENGELS & set(re.findall(r"[a-z]+", quoted.lower())):
            out.append("aanhalingstekens om tekst die geen Nederlands citaat is")
    return out


def markdown() -> str:
    """The legend as the Markdown page ``docs/bronnen.md``."""
    out = [
        "# Bronnen",
        "",
        "<!-- Gemaakt uit src/meldcode_rules/bronnen/bronnen.yaml: "
        "python -m meldcode_rules.bronnen > docs/bronnen.md -->",
        "",
        "Elke regel in de rulesets noemt zijn bron (`bron`) met afkortingen tussen `[]`. Hier staat",
        "wat elke afkorting is, zodat u de bron kunt opzoeken. Staat er *zonder jaar*, dan noemt de",
        "bron zelf geen jaar van uitgave (een webpagina die wordt bijgehouden). De meldcode zelf is",
        "een meldrecht; een meldplicht bestaat alleen waar een wet die oplegt (hieronder: Jeugdwet,",
        "Wmo 2015, Wkkgz, Wet op het primair onderwijs, Wet voortgezet onderwijs 2020, Wet kinderopvang).",
        "",
        "| afkorting | titel | uitgever | jaar | adres | toelichting |",
        "|---|---|---|---|---|---|",
    ]
    for bron in legenda().values():
        jaar = str(bron.jaar) if bron.jaar is not None else "zonder jaar"
        cells = [f"`{bron.tag}`", bron.titel, bron.uitgever, jaar, bron.adres, bron.toelichting or ""]
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(out) + "\n"
