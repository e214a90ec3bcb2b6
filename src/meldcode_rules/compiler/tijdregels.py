"""Stage 2b, time rules: check every ``tijdregels:`` entry and declare its derived fact.

A time rule declares a tri-state fact (``tijd.herbeoordeling_verlopen``) in terms of a
dossier's events: which event starts its clock, which stops it, its termijn. This stage
checks the declaration (event kinds, field names and values, what each ``toets`` needs,
the action it dates) and adds the facts to the fact catalog, so ordinary rules test
them and ``meldcode-rules check`` proves over them like over any tri-state fact. What
a declaration means for one dossier on one date is decided in one place,
:mod:`meldcode_rules.dossier.tijd`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from meldcode_rules.case.dossier import SOORTEN, event_fields
from meldcode_rules.case.facts import TRI_VALUES, FactCatalog, FactSpec
from meldcode_rules.diagnostics import Code, Diagnostic, Location, nearest
from meldcode_rules.load.loader import LoadedRuleset, YamlPath
from meldcode_rules.load.ruleset import GebeurtenisKeuze, Tijdregel

#: What each toets needs besides ``start`` (docs/ruleset-format.md, tijdregels).
_NEEDS: dict[str, tuple[str, ...]] = {
    "loopt": ("start",),
    "verlopen": ("start", "termijn|deadline_veld|termijn_veld"),
    "venster_open": ("start", "termijn"),
    "na_start": ("start", "gebeurtenis"),
    "patroon": ("gebeurtenis", "termijn", "min_aantal|min_herkomsten"),
}


def check_tijdregels(
    order: Sequence[LoadedRuleset], catalog: FactCatalog, acties: dict[str, str]
) -> tuple[tuple[Tijdregel, ...], FactCatalog, list[Diagnostic], dict[str, Location]]:
    """The time rules of ``order`` (basismodel first), the catalog with their facts, problems,
    and where each time rule stands (by its fact)."""
    problems: list[Diagnostic] = []
    locaties: dict[str, Location] = {}
    regels: list[Tijdregel] = []
    seen: set[str] = set()
    for item in order:
        for index, regel in enumerate(item.model.tijdregels):
            path: YamlPath = ("tijdregels", index)

            def add(
                code: Code, message: str, where: YamlPath, hint: str | None = None, _item: LoadedRuleset = item
            ) -> None:
                problems.append(Diagnostic(code, message, _item.source.locate(where), hint))

            if regel.feit in seen or regel.feit in catalog:
                add(Code.MR060, f"het feit `{regel.feit}` bestaat al", (*path, "feit"))
            seen.add(regel.feit)
            locaties.setdefault(regel.feit, item.source.locate(path))
            for need in _NEEDS[regel.toets]:
                if not any(getattr(regel, option) for option in need.split("|")):
                    wanted = " of ".join(f"`{o}`" for o in need.split("|"))
                    add(Code.MR063, f"toets `{regel.toets}` heeft {wanted} nodig", (*path, "toets"))
            for key in ("start", "stop", "gebeurtenis"):
                for j, keuze in enumerate(getattr(regel, key)):
                    _check_keuze(keuze, (*path, key, j), add)
            for key, kind in (("vanaf", "moment"), ("deadline_veld", "moment"), ("termijn_veld", "termijn")):
                name = getattr(regel, key)
                if name is None:
                    continue
                for j, keuze in enumerate(regel.start):
                    if keuze.soort not in SOORTEN:
                        continue
                    fields = event_fields(keuze.soort)
                    if fields.get(name, ("",))[0] != kind:
                        options = [f for f, (k, _v) in fields.items() if k == kind]
                        add(
                            Code.MR062,
                            f"`{keuze.soort}` heeft geen {'datum' if kind == 'moment' else 'termijn'}veld `{name}`"
                            f" (start {j + 1})",
                            (*path, key),
                            nearest(name, options),
                        )
            if regel.actie is not None and regel.actie not in acties:
                add(Code.MR031, f"onbekende actiecode `{regel.actie}`", (*path, "actie"), nearest(regel.actie, acties))
            for name in regel.maakt_onbekend:
                # Only a ja/nee fact of the case: its answer can become `onbekend`. A time fact
                # is derived as of the date already, and a list or choice has no ja/nee to age.
                if name not in catalog or catalog[name].kind != "tri":
                    options = [s.path for s in catalog if s.kind == "tri"]
                    add(
                        Code.MR064,
                        f"`{name}` is geen ja/nee-casusfeit",
                        (*path, "maakt_onbekend", name),
                        nearest(name, options),
                    )
            regels.append(regel)
    specs = tuple(
        FactSpec(r.feit, "tri", TRI_VALUES, r.vraag, r.titel, False, 0) for r in regels if r.feit not in catalog
    )
    derived = catalog.with_derived(tuple(dict((s.path, s) for s in specs).values()))
    return tuple(regels), derived, problems, locaties


_Report = Callable[[Code, str, YamlPath, str | None], None]


def _check_keuze(keuze: GebeurtenisKeuze, path: YamlPath, report: _Report) -> None:
    if keuze.soort not in SOORTEN:
        report(
            Code.MR061, f"onbekende soort gebeurtenis `{keuze.soort}`", (*path, "soort"), nearest(keuze.soort, SOORTEN)
        )
        return
    fields = event_fields(keuze.soort)
    for name, values in keuze.waar.items():
        kind, allowed = fields.get(name, ("", ()))
        if kind not in ("keuze", "lijst"):
            options = [f for f, (k, _v) in fields.items() if k in ("keuze", "lijst")]
            report(
                Code.MR062,
                f"`{keuze.soort}` heeft geen keuzeveld `{name}`",
                (*path, "waar", name),
                nearest(name, options),
            )
            continue
        for value in values:
            if value not in allowed and not (kind == "keuze" and value == "onbekend"):
                report(
                    Code.MR062,
                    f"`{value}` is geen waarde van `{keuze.soort}.{name}`; toegestaan: " + ", ".join(allowed),
                    (*path, "waar", name),
                    nearest(value, allowed),
                )
