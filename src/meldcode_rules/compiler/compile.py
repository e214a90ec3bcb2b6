"""Stage 2 and 3, check and compile: ruleset models -> one executable ruleset.

Checking finds every semantic problem at once (unknown fact, wrong value,
duplicate id, unknown action, a sector that tries to lower ``melden``), each
located and with a suggestion. Compiling resolves ``breidt_uit`` and turns
each rule's condition into two expressions in negation normal form over flat
atoms (see :mod:`meldcode_rules.case.facts`):

``zeker``
    the condition holds for certain, given what is known;
``mogelijk``
    the condition holds under at least one answer to the unknown facts.

This is Kleene's three-valued logic, written out so that any engine that can
test ``key == value`` / ``key != value`` under and/or can run it. ``mogelijk``
over-approximates and ``zeker`` under-approximates the true sets, which is
the safe direction: an unknown can only make ``melden`` less certain, never
turn it into ``nee``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from meldcode_rules.case.facts import GEEN, FactCatalog, FactSpec
from meldcode_rules.diagnostics import Diagnostic, Location, RulesetError, nearest
from meldcode_rules.load.loader import LoadedRuleset, SourceMap, YamlPath
from meldcode_rules.load.ruleset import (
    ActieDefinitie,
    Alle,
    Begrip,
    BegripRef,
    Conclusie,
    Conditie,
    EenVan,
    FeitTest,
    Invariant,
    Niet,
    Regel,
)

# ---------------------------------------------------------------- expressions


@dataclass(frozen=True)
class Lit:
    """``key == value`` (or ``!=`` when ``equal`` is False) on the flat case."""

    key: str
    value: str | bool
    equal: bool = True


@dataclass(frozen=True)
class And:
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Expr, ...]


Expr = Lit | And | Or
TRUE: Expr = And(())
FALSE: Expr = Or(())


def _and(items: Iterable[Expr]) -> Expr:
    flat: list[Expr] = []
    for item in items:
        if item == FALSE:
            return FALSE
        flat.extend(item.items if isinstance(item, And) else (item,))
    return flat[0] if len(flat) == 1 else And(tuple(dict.fromkeys(flat)))


def _or(items: Iterable[Expr]) -> Expr:
    flat: list[Expr] = []
    for item in items:
        if item == TRUE:
            return TRUE
        flat.extend(item.items if isinstance(item, Or) else (item,))
    return flat[0] if len(flat) == 1 else Or(tuple(dict.fromkeys(flat)))


def evaluate_expr(expr: Expr, flat: dict[str, Any]) -> bool:
    """Evaluate an expression on a flat case (the reference semantics)."""
    if isinstance(expr, Lit):
        return (flat[expr.key] == expr.value) == expr.equal
    if isinstance(expr, And):
        return all(evaluate_expr(item, flat) for item in expr.items)
    return any(evaluate_expr(item, flat) for item in expr.items)


def expr_keys(expr: Expr) -> set[str]:
    if isinstance(expr, Lit):
        return {expr.key}
    keys: set[str] = set()
    for item in expr.items:
        keys |= expr_keys(item)
    return keys


# ---------------------------------------------------------------- compiled form


@dataclass(frozen=True)
class CompiledRule:
    id: str
    titel: str
    bron: str
    uitleg: str
    ruleset: str
    location: Location
    als: Conditie
    #: ``als`` with every ``begrip`` written out: only fact tests remain
    als_uitgeschreven: Conditie
    dan: Conclusie
    zeker: Expr
    mogelijk: Expr
    #: tri-state facts the condition tests (candidates for open questions)
    feiten: tuple[str, ...]


@dataclass(frozen=True)
class RulesetInfo:
    id: str
    versie: str
    geldig_vanaf: dt.date
    sha256: str
    pad: str


@dataclass(frozen=True)
class CompiledInvariant:
    id: str
    titel: str
    bron: str
    ruleset: str
    location: Location
    invariant: Invariant
    zeker: Expr


@dataclass(frozen=True)
class CompiledRuleset:
    """Everything an engine needs: rules in a fixed order, plus provenance."""

    id: str
    sector: str | None
    rules: tuple[CompiledRule, ...]
    rulesets: tuple[RulesetInfo, ...]
    acties: dict[str, str]
    catalog: FactCatalog
    invarianten: tuple[CompiledInvariant, ...]
    #: every action code's definition (``stap``, ``volgorde``), in catalog order
    actiedefinities: dict[str, ActieDefinitie] = field(default_factory=dict)

    def rule(self, rule_id: str) -> CompiledRule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


# ---------------------------------------------------------------- three-valued compile


def compile_condition(cond: Conditie, catalog: FactCatalog, *, zeker: bool, negated: bool = False) -> Expr:
    """``zeker``/``mogelijk`` form of ``cond`` (or of ``not cond`` when ``negated``)."""
    if isinstance(cond, Alle | EenVan):
        parts = [
            compile_condition(c, catalog, zeker=zeker, negated=negated)
            for c in (cond.alle if isinstance(cond, Alle) else cond.een_van)
        ]
        conjunctive = isinstance(cond, Alle) != negated  # De Morgan
        return _and(parts) if conjunctive else _or(parts)
    if isinstance(cond, Niet):
        return compile_condition(cond.niet, catalog, zeker=zeker, negated=not negated)
    if isinstance(cond, BegripRef):
        raise ValueError(f"begrip `{cond.begrip}` is not expanded; call expand() first")
    return _compile_test(cond, catalog[cond.feit], zeker=zeker, negated=negated)


def _compile_test(test: FeitTest, spec: FactSpec, *, zeker: bool, negated: bool) -> Expr:
    op, value = test.operator()
    if op == "is_niet":
        op, negated = "is", not negated
    if spec.kind == "lijst":
        wanted = [value] if op == "bevat" else list(value)
        hits = [Lit(spec.key(v), True) for v in wanted]
        return _and(Lit(h.key, False) for h in hits) if negated else _or(hits)
    wanted = [value] if op == "is" else list(value)
    if spec.kind == "keuze" or ("onbekend" in wanted and len(wanted) == 1):
        # A concrete test: `onbekend` is itself the answer being tested for.
        return _concrete(spec, wanted, negated)
    key = spec.key()
    known = [v for v in wanted if v != "onbekend"]
    tests_unknown = "onbekend" in wanted
    lifts = not spec.later_beantwoord  # a later-answered fact's onbekend is concrete
    if not negated:
        hits: list[Expr] = [Lit(key, v) for v in known]
        if tests_unknown or (lifts and not zeker):
            hits.append(Lit(key, "onbekend"))
        return _or(hits)
    # not (answer in wanted)
    others = [v for v in ("ja", "nee") if v not in known]
    hits = [Lit(key, v) for v in others]
    if not tests_unknown and (not lifts or not zeker):
        hits.append(Lit(key, "onbekend"))
    return _or(hits)


def _concrete(spec: FactSpec, wanted: Sequence[str], negated: bool) -> Expr:
    key = spec.key()
    if negated:
        return _and(Lit(key, v, equal=False) for v in wanted)
    return _or(Lit(key, v) for v in wanted)


def expand(cond: Conditie, begrippen: dict[str, Begrip]) -> Conditie:
    """``cond`` with every ``begrip`` written out (references were checked before)."""
    if isinstance(cond, Alle):
        return Alle(alle=[expand(c, begrippen) for c in cond.alle])
    if isinstance(cond, EenVan):
        return EenVan(een_van=[expand(c, begrippen) for c in cond.een_van])
    if isinstance(cond, Niet):
        return Niet(niet=expand(cond.niet, begrippen))
    if isinstance(cond, BegripRef):
        return expand(begrippen[cond.begrip].als, begrippen)
    return cond


def begrip_refs(cond: Conditie) -> list[str]:
    if isinstance(cond, Alle):
        return [b for c in cond.alle for b in begrip_refs(c)]
    if isinstance(cond, EenVan):
        return [b for c in cond.een_van for b in begrip_refs(c)]
    if isinstance(cond, Niet):
        return begrip_refs(cond.niet)
    if isinstance(cond, BegripRef):
        return [cond.begrip]
    return []


def condition_facts(cond: Conditie) -> list[str]:
    if isinstance(cond, BegripRef):
        return []
    if isinstance(cond, Alle):
        return [f for c in cond.alle for f in condition_facts(c)]
    if isinstance(cond, EenVan):
        return [f for c in cond.een_van for f in condition_facts(c)]
    if isinstance(cond, Niet):
        return condition_facts(cond.niet)
    return [cond.feit]


# ---------------------------------------------------------------- semantic checks


class _Checker:
    def __init__(self, catalog: FactCatalog, source: SourceMap, begrippen: dict[str, Begrip]) -> None:
        self.catalog = catalog
        self.source = source
        self.begrippen = begrippen
        self.problems: list[Diagnostic] = []

    def add(
        self,
        code: str,
        message: str,
        path: YamlPath,
        suggestion: str | None = None,
        details: tuple[str, ...] = (),
    ) -> None:
        self.problems.append(Diagnostic(code, message, self.source.locate(path), suggestion, details=details))

    def condition(self, cond: Conditie, path: YamlPath) -> None:
        if isinstance(cond, Alle):
            for i, c in enumerate(cond.alle):
                self.condition(c, (*path, "alle", i))
        elif isinstance(cond, EenVan):
            for i, c in enumerate(cond.een_van):
                self.condition(c, (*path, "een_van", i))
        elif isinstance(cond, Niet):
            self.condition(cond.niet, (*path, "niet"))
        elif isinstance(cond, BegripRef):
            if cond.begrip not in self.begrippen:
                self.add(
                    "MR035",
                    f"onbekend begrip `{cond.begrip}`",
                    (*path, "begrip"),
                    nearest(cond.begrip, self.begrippen),
                    details=("begrippen staan onder `begrippen:` in deze of een uitgebreide ruleset",),
                )
        else:
            self.test(cond, path)

    def test(self, test: FeitTest, path: YamlPath) -> None:
        if test.feit not in self.catalog:
            self.add(
                "MR020",
                f"onbekend feit `{test.feit}`",
                (*path, "feit"),
                nearest(test.feit, self.catalog.paths),
                details=("de feiten staan in docs/vocabulary.md",),
            )
            return
        spec = self.catalog[test.feit]
        op, value = test.operator()
        yaml_op = op
        if spec.kind == "lijst" and op not in ("bevat", "bevat_een_van"):
            self.add(
                "MR022",
                f"`{test.feit}` is een lijst: gebruik `bevat` of `bevat_een_van`, niet `{op}`",
                (*path, yaml_op),
            )
            return
        if spec.kind != "lijst" and op in ("bevat", "bevat_een_van"):
            self.add(
                "MR022",
                f"`{test.feit}` is geen lijst: gebruik `is`, `is_niet` of `in`, niet `{op}`",
                (*path, yaml_op),
                "is",
            )
            return
        allowed = list(spec.values) + ([GEEN] if spec.kind == "keuze" else [])
        for index, item in enumerate(value if isinstance(value, list) else [value]):
            if item not in allowed:
                where = (*path, yaml_op, index) if isinstance(value, list) else (*path, yaml_op)
                self.add(
                    "MR021",
                    f"`{item}` is geen waarde van `{test.feit}`; toegestaan: " + ", ".join(allowed),
                    where,
                    nearest(str(item), allowed),
                )


def check_and_compile(loaded: Sequence[LoadedRuleset], top: str, catalog: FactCatalog) -> CompiledRuleset:
    """Resolve ``top`` and everything it extends from ``loaded``; check and compile.

    Raises RulesetError with every problem found, sorted by file and line.
    """
    by_id: dict[str, LoadedRuleset] = {}
    problems: list[Diagnostic] = []
    for item in loaded:
        if item.model.id in by_id:
            problems.append(
                Diagnostic(
                    "MR032",
                    f"ruleset-id `{item.model.id}` komt twee keer voor (ook in {by_id[item.model.id].path})",
                    item.source.locate(("id",)),
                )
            )
        else:
            by_id[item.model.id] = item
    if top not in by_id:
        raise RulesetError(
            [
                Diagnostic(
                    "MR032",
                    f"onbekende ruleset `{top}`",
                    Location("<rulesets>"),
                    nearest(top, by_id),
                )
            ]
        )

    order: list[LoadedRuleset] = []
    visiting: list[str] = []

    def visit(ruleset_id: str, via: LoadedRuleset | None, index: int) -> None:
        if any(r.model.id == ruleset_id for r in order):
            return
        if ruleset_id in visiting:
            assert via is not None
            problems.append(
                Diagnostic(
                    "MR032",
                    "kring in `breidt_uit`: " + " -> ".join([*visiting, ruleset_id]),
                    via.source.locate(("breidt_uit", index)),
                )
            )
            return
        item = by_id.get(ruleset_id)
        if item is None:
            assert via is not None
            problems.append(
                Diagnostic(
                    "MR032",
                    f"`breidt_uit` noemt onbekende ruleset `{ruleset_id}`",
                    via.source.locate(("breidt_uit", index)),
                    nearest(ruleset_id, by_id),
                )
            )
            return
        visiting.append(ruleset_id)
        for i, parent in enumerate(item.model.breidt_uit):
            visit(parent, item, i)
        visiting.pop()
        order.append(item)

    visit(top, None, 0)

    acties: dict[str, str] = {}
    actiedefinities: dict[str, ActieDefinitie] = {}
    for item in order:
        for definition in item.model.acties:
            acties.setdefault(definition.code, definition.omschrijving)
            actiedefinities.setdefault(definition.code, definition)

    begrippen: dict[str, Begrip] = {}
    for item in order:
        for index, begrip in enumerate(item.model.begrippen):
            if begrip.id in begrippen:
                problems.append(
                    Diagnostic(
                        "MR030",
                        f"begrip `{begrip.id}` bestaat al",
                        item.source.locate(("begrippen", index, "id")),
                    )
                )
            else:
                begrippen[begrip.id] = begrip
    for item in order:
        for index, begrip in enumerate(item.model.begrippen):
            cycle = _begrip_cycle(begrip.id, begrippen, [])
            if cycle:
                problems.append(
                    Diagnostic(
                        "MR036",
                        "een begrip verwijst naar zichzelf: " + " -> ".join(cycle),
                        item.source.locate(("begrippen", index, "als")),
                    )
                )
    if problems:
        raise RulesetError(problems)

    rules: list[CompiledRule] = []
    invariants: list[CompiledInvariant] = []
    seen: dict[str, Location] = {}
    for item in order:
        checker = _Checker(catalog, item.source, begrippen)
        for index, begrip in enumerate(item.model.begrippen):
            checker.condition(begrip.als, ("begrippen", index, "als"))
        extends = bool(item.model.breidt_uit)
        for index, regel in enumerate(item.model.regels):
            path: YamlPath = ("regels", index)
            location = item.source.locate(path)
            if regel.id in seen:
                checker.add(
                    "MR030",
                    f"regel-id `{regel.id}` bestaat al ({seen[regel.id]}); een "
                    "uitbreiding voegt regels toe en kan een bestaande regel niet vervangen",
                    (*path, "id"),
                )
            seen.setdefault(regel.id, location)
            checker.condition(regel.als, (*path, "als"))
            _check_conclusion(checker, regel, path, acties, catalog, extends=extends)
        for index, invariant in enumerate(item.model.invarianten):
            checker.condition(invariant.als, ("invarianten", index, "als"))
            for j, code in enumerate(invariant.dan.acties):
                if code not in acties:
                    checker.add(
                        "MR031",
                        f"onbekende actiecode `{code}`",
                        ("invarianten", index, "dan", "acties", j),
                        nearest(code, acties),
                    )
        problems.extend(checker.problems)
        if problems:
            continue  # compiling needs every fact and begrip to exist
        for index, regel in enumerate(item.model.regels):
            rules.append(_compile_rule(regel, item, item.source.locate(("regels", index)), catalog, begrippen))
        for index, invariant in enumerate(item.model.invarianten):
            invariants.append(
                CompiledInvariant(
                    invariant.id,
                    invariant.titel,
                    invariant.bron,
                    item.model.id,
                    item.source.locate(("invarianten", index)),
                    invariant,
                    compile_condition(expand(invariant.als, begrippen), catalog, zeker=True),
                )
            )
    if problems:
        raise RulesetError(problems)

    top_model = by_id[top].model
    return CompiledRuleset(
        id=top,
        sector=top_model.sector,
        # Sorted by id: the outcome never depends on the order rules stand in a file.
        rules=tuple(sorted(rules, key=lambda r: r.id)),
        rulesets=tuple(
            RulesetInfo(r.model.id, r.model.versie, r.model.geldig_vanaf, r.sha256, r.path.name) for r in order
        ),
        acties=acties,
        catalog=catalog,
        invarianten=tuple(invariants),
        actiedefinities=actiedefinities,
    )


def _check_conclusion(
    checker: _Checker,
    regel: Regel,
    path: YamlPath,
    acties: dict[str, str],
    catalog: FactCatalog,
    *,
    extends: bool,
) -> None:
    dan = regel.dan
    for i, actie in enumerate(dan.acties):
        if actie.code not in acties:
            checker.add(
                "MR031",
                f"onbekende actiecode `{actie.code}`",
                (*path, "dan", "acties", i, "code"),
                nearest(actie.code, acties),
                details=("nieuwe codes staan bovenaan de ruleset onder `acties:`",),
            )
    for i, fact in enumerate(dan.vragen):
        if fact not in catalog:
            checker.add(
                "MR020",
                f"onbekend feit `{fact}` in `vragen`",
                (*path, "dan", "vragen", i),
                nearest(fact, catalog.paths),
            )
    if dan.besluit in ("melden", "melden_en_hulp") and dan.melden != "ja":
        checker.add(
            "MR033",
            f"besluit `{dan.besluit}` hoort bij `melden: ja` in dezelfde regel",
            (*path, "dan", "besluit"),
        )
    if extends and dan.melden == "nee":
        checker.add(
            "MR040",
            f"regel `{regel.id}` concludeert `melden: nee`; een uitbreiding mag "
            "het basismodel aanvullen maar melden nooit verlagen",
            (*path, "dan", "melden"),
            details=("laat `melden` weg, of concludeer `ja` of `onbekend`",),
        )


def _begrip_cycle(start: str, begrippen: dict[str, Begrip], stack: list[str]) -> list[str]:
    if start in stack:
        return [*stack, start]
    begrip = begrippen.get(start)
    if begrip is None:
        return []
    for ref in begrip_refs(begrip.als):
        cycle = _begrip_cycle(ref, begrippen, [*stack, start])
        if cycle:
            return cycle
    return []


def _compile_rule(
    regel: Regel,
    item: LoadedRuleset,
    location: Location,
    catalog: FactCatalog,
    begrippen: dict[str, Begrip],
) -> CompiledRule:
    written_out = expand(regel.als, begrippen)
    facts = [f for f in dict.fromkeys(condition_facts(written_out)) if catalog[f].kind == "tri"]
    return CompiledRule(
        id=regel.id,
        titel=regel.titel,
        bron=regel.bron,
        uitleg=regel.uitleg,
        ruleset=item.model.id,
        location=location,
        als=regel.als,
        als_uitgeschreven=written_out,
        dan=regel.dan,
        zeker=compile_condition(written_out, catalog, zeker=True),
        mogelijk=compile_condition(written_out, catalog, zeker=False),
        feiten=tuple(facts),
    )
