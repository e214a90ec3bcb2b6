"""Check and compile as a list of named, small stages (as Open Policy Agent's compiler is).

:data:`STAGES` is the whole compiler, in order. Each stage reads and fills one
shared :class:`Context` and collects located :class:`Diagnostic`\\ s into it
rather than raising, so a trainer who broke three things learns about all
three in one run. A stage marked ``gate`` runs only when nothing was found
before it (checking conditions needs every ruleset resolved; compiling needs
every fact and begrip to exist); at the end, anything found is raised as one
:class:`RulesetError`, sorted by file and line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from meldcode_rules.case.facts import GEEN, FactCatalog
from meldcode_rules.compiler.bounds import count_problems, durable_problems, size_problems
from meldcode_rules.compiler.compiled import CompiledInvariant, CompiledRule, CompiledRuleset, RulesetInfo
from meldcode_rules.compiler.expr import all_of, negate
from meldcode_rules.compiler.kleene import compile_condition
from meldcode_rules.compiler.tijdregels import check_tijdregels as tijdregels_of
from meldcode_rules.compiler.versions import in_force, timeline_problems
from meldcode_rules.diagnostics import Code, Diagnostic, Location, RulesetError, nearest
from meldcode_rules.load.loader import LoadedRuleset, SourceMap
from meldcode_rules.load.operators import BY_NAME, counterpart, dutch_list, for_kind
from meldcode_rules.load.ruleset import (
    ActieDefinitie,
    Alle,
    Begrip,
    BegripRef,
    Conditie,
    EenVan,
    FeitTest,
    Niet,
    Regel,
    Tijdregel,
    YamlPath,
    begrip_refs,
    condition_facts,
    fold,
    leaves,
)

#: The ruleset every sector extends.
BASISMODEL = "basismodel"


@dataclass(frozen=True)
class SectorRulesets:
    """The rulesets a sector package brings, for the sector stage (MR041, MR042)."""

    name: str
    rulesets: tuple[LoadedRuleset, ...]
    #: where to point when the package has no ruleset for its sector (its first file)
    location: Location


@dataclass
class Context:
    """What the stages share: the input, what each stage found, and every problem so far."""

    loaded: Sequence[LoadedRuleset]
    top: str | None
    catalog: FactCatalog
    sector: SectorRulesets | None = None
    #: the date whose versions are compiled (None: today)
    datum: dt.date | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    by_id: dict[str, LoadedRuleset] = field(default_factory=dict)
    #: the top ruleset and everything it extends, parents first
    order: list[LoadedRuleset] = field(default_factory=list)
    acties: dict[str, str] = field(default_factory=dict)
    actiedefinities: dict[str, ActieDefinitie] = field(default_factory=dict)
    begrippen: dict[str, Begrip] = field(default_factory=dict)
    rules: list[CompiledRule] = field(default_factory=list)
    invariants: list[CompiledInvariant] = field(default_factory=list)
    #: the time rules of ``order`` (their ``tijd.`` facts join ``catalog``)
    tijdregels: tuple[Tijdregel, ...] = ()
    #: per time fact, where its time rule stands
    tijdregel_locaties: dict[str, Location] = field(default_factory=dict)
    #: set by a stage after which nothing can run (an unknown top ruleset)
    stopped: bool = False

    def add(
        self,
        code: Code,
        message: str,
        where: Location | tuple[SourceMap, YamlPath],
        suggestion: str | None = None,
        details: tuple[str, ...] = (),
    ) -> None:
        location = where if isinstance(where, Location) else where[0].locate(where[1])
        self.diagnostics.append(Diagnostic(code, message, location, suggestion, details=details))


# ---------------------------------------------------------------- the stages


def select_versions(ctx: Context) -> None:
    """Per ruleset id the version in force on ``ctx.datum`` (MR043 gap, MR044 overlap: then
    no version can be chosen for certain and nothing else runs; MR045: an in-force version
    extends an id of which no version is in force on that date)."""
    problems = timeline_problems(ctx.loaded)
    if problems:
        ctx.diagnostics.extend(problems)
        ctx.stopped = True
        return
    datum = ctx.datum or dt.date.today()
    ids = {item.model.id for item in ctx.loaded}
    chosen = in_force(ctx.loaded, datum)
    chosen_ids = {item.model.id for item in chosen}
    for item in chosen:
        for index, parent in enumerate(item.model.breidt_uit):
            if parent in ids and parent not in chosen_ids:
                ctx.add(
                    Code.MR045,
                    f"op {datum.isoformat()} geldt ruleset `{item.model.id}` versie `{item.model.versie}`, maar geen "
                    f"versie van `{parent}`, die zij uitbreidt",
                    (item.source, ("breidt_uit", index)),
                    details=("`breidt_uit` kiest de versie die op dezelfde datum geldt",),
                )
    # Tested once, outside the generator, so that its condition's ``sector.name`` is known not None
    # (without a sector there is nothing to search: None, as before).
    sector = ctx.sector
    top = ctx.top or (
        next((i.model.id for i in sector.rulesets if i.model.sector == sector.name), None) if sector else None
    )
    if top in ids and top not in chosen_ids:
        first = min((i for i in ctx.loaded if i.model.id == top), key=lambda i: i.model.geldig_vanaf)
        ctx.add(
            Code.MR045,
            f"op {datum.isoformat()} geldt geen versie van ruleset `{top}`",
            (first.source, ("geldig_vanaf",)),
        )
    ctx.loaded = chosen
    if ctx.sector is not None:
        ctx.sector = replace(ctx.sector, rulesets=tuple(i for i in ctx.sector.rulesets if i.model.in_force(datum)))


def index_rulesets(ctx: Context) -> None:
    """Every loaded ruleset by id; a second one with the same id is MR032."""
    for item in ctx.loaded:
        if item.model.id in ctx.by_id:
            ctx.add(
                Code.MR032,
                f"ruleset-id `{item.model.id}` komt twee keer voor (ook in {ctx.by_id[item.model.id].path})",
                (item.source, ("id",)),
            )
        else:
            ctx.by_id[item.model.id] = item


def check_sector(ctx: Context) -> None:
    """A sector package holds exactly one ruleset for its sector, none for another (MR042),
    and that ruleset extends the basismodel (MR041); it becomes the top ruleset."""
    sector = ctx.sector
    if sector is None:
        return
    tops = [item for item in sector.rulesets if item.model.sector == sector.name]
    for item in sector.rulesets:
        if item.model.sector not in (None, sector.name):
            ctx.add(
                Code.MR042,
                f"ruleset `{item.model.id}` hoort bij sector `{item.model.sector}`, maar staat in het pakket "
                f"van sector `{sector.name}`",
                (item.source, ("sector",)),
            )
    if len(tops) != 1:
        ctx.add(
            Code.MR042,
            f"sector `{sector.name}` heeft {len(tops)} rulesets met `sector: {sector.name}`; verwacht precies één",
            (tops[1].source, ("sector",)) if len(tops) > 1 else sector.location,
        )
    by_id = {item.model.id: item for item in ctx.loaded}
    for item in tops:
        if not _extends_basismodel(item.model.id, by_id, set()):
            ctx.add(
                Code.MR041,
                f"ruleset `{item.model.id}` breidt het basismodel niet uit; een sector kan het basismodel "
                "alleen aanvullen, nooit vervangen",
                (item.source, ("breidt_uit",) if item.model.breidt_uit else ("id",)),
                details=("zet `breidt_uit: [basismodel]` bovenaan de ruleset",),
            )
    if tops:
        ctx.top = tops[0].model.id


def resolve_extends(ctx: Context) -> None:
    """The top ruleset and everything it extends, parents first (MR032: unknown, or a cycle)."""
    top = ctx.top or BASISMODEL
    if top not in ctx.by_id:
        ctx.add(Code.MR032, f"onbekende ruleset `{top}`", Location("<rulesets>"), nearest(top, ctx.by_id))
        ctx.stopped = True
        return
    visiting: list[str] = []

    def visit(ruleset_id: str, via: LoadedRuleset | None, index: int) -> None:
        if any(r.model.id == ruleset_id for r in ctx.order):
            return
        if ruleset_id in visiting:
            assert via is not None
            ctx.add(
                Code.MR032,
                "kring in `breidt_uit`: " + " -> ".join([*visiting, ruleset_id]),
                (via.source, ("breidt_uit", index)),
            )
            return
        item = ctx.by_id.get(ruleset_id)
        if item is None:
            assert via is not None
            ctx.add(
                Code.MR032,
                f"`breidt_uit` noemt onbekende ruleset `{ruleset_id}`",
                (via.source, ("breidt_uit", index)),
                nearest(ruleset_id, ctx.by_id),
            )
            return
        visiting.append(ruleset_id)
        for i, parent in enumerate(item.model.breidt_uit):
            visit(parent, item, i)
        visiting.pop()
        ctx.order.append(item)

    ctx.top = top
    visit(top, None, 0)


def collect_actions(ctx: Context) -> None:
    """The action codes of every ruleset in the order (the first description wins)."""
    for item in ctx.order:
        for definition in item.model.acties:
            ctx.acties.setdefault(definition.code, definition.omschrijving)
            ctx.actiedefinities.setdefault(definition.code, definition)


def collect_begrippen(ctx: Context) -> None:
    """Every begrip by id (MR030: twice), and none that refers to itself (MR036)."""
    for item in ctx.order:
        for index, begrip in enumerate(item.model.begrippen):
            if begrip.id in ctx.begrippen:
                ctx.add(Code.MR030, f"begrip `{begrip.id}` bestaat al", (item.source, ("begrippen", index, "id")))
            else:
                ctx.begrippen[begrip.id] = begrip
    for item in ctx.order:
        for index, begrip in enumerate(item.model.begrippen):
            cycle = _begrip_cycle(begrip.id, ctx.begrippen, [], set())
            if cycle:
                ctx.add(
                    Code.MR036,
                    "een begrip verwijst naar zichzelf: " + " -> ".join(cycle),
                    (item.source, ("begrippen", index, "als")),
                )


def count_sizes(ctx: Context) -> None:
    """MR038: too many rules or begrippen in the rulesets together (issue 14)."""
    ctx.diagnostics.extend(count_problems(ctx.order))


def check_sizes(ctx: Context) -> None:
    """MR037: a condition too large with every begrip written out, before any is (issue 14)."""
    ctx.diagnostics.extend(size_problems(ctx.order, ctx.begrippen))


def check_durable(ctx: Context) -> None:
    """MR039: a rule durable-rules cannot hold however split (every engine runs every ruleset)."""
    ctx.diagnostics.extend(durable_problems(ctx.rules))


def check_conditions(ctx: Context) -> None:
    """Every condition (of begrippen, rules and invariants): known facts, values that fit,
    an operator for the kind of fact (MR020-MR022) and known begrippen (MR035)."""
    for item in ctx.order:
        conditions: list[tuple[Conditie, YamlPath]] = [
            *((b.als, ("begrippen", i, "als")) for i, b in enumerate(item.model.begrippen)),
            *((r.als, ("regels", i, "als")) for i, r in enumerate(item.model.regels)),
            *((v.als, ("invarianten", i, "als")) for i, v in enumerate(item.model.invarianten)),
            *((u.als, ("uitzonderingen", i, "als")) for i, u in enumerate(item.model.uitzonderingen)),
        ]
        for cond, path in conditions:
            for leaf, where in leaves(cond, path):
                if isinstance(leaf, BegripRef):
                    _check_begrip_ref(ctx, item.source, leaf, where)
                else:
                    _check_test(ctx, item.source, leaf, where)


def check_rules(ctx: Context) -> None:
    """Rule ids unique over the order (MR030), and every conclusion and invariant sound
    (MR031 actions, MR020 `vragen`, MR033 besluit without melden, MR040 an extension's `nee`)."""
    seen: dict[str, Location] = {}
    for item in ctx.order:
        extends = bool(item.model.breidt_uit)
        for index, regel in enumerate(item.model.regels):
            path: YamlPath = ("regels", index)
            if regel.id in seen:
                ctx.add(
                    Code.MR030,
                    f"regel-id `{regel.id}` bestaat al ({seen[regel.id]}); een "
                    "uitbreiding voegt regels toe en kan een bestaande regel niet vervangen",
                    (item.source, (*path, "id")),
                )
            seen.setdefault(regel.id, item.source.locate(path))
            _check_conclusion(ctx, item.source, regel, path, extends=extends)
        for index, invariant in enumerate(item.model.invarianten):
            for part in ("acties", "geen_acties"):
                for j, code in enumerate(getattr(invariant.dan, part)):
                    if code not in ctx.acties:
                        ctx.add(
                            Code.MR031,
                            f"onbekende actiecode `{code}`",
                            (item.source, ("invarianten", index, "dan", part, j)),
                            nearest(code, ctx.acties),
                        )


def compile_rules(ctx: Context) -> None:
    """Each rule: its begrippen written out, then ``zeker`` and ``mogelijk``."""
    for item in ctx.order:
        for index, regel in enumerate(item.model.regels):
            ctx.rules.append(_compile_rule(ctx, regel, item, item.source.locate(("regels", index))))


def apply_exceptions(ctx: Context) -> None:
    """Narrow rules of extended rulesets by the ``uitzonderingen`` of the rulesets that extend them.

    A narrowed rule keeps its id, source and location; its condition becomes
    ``alle: [als, niet: uitzondering]``, so every stage after this one (engines,
    ``check``, explain, render) sees one ordinary rule. The exception takes effect only
    where it *certainly* holds: while its facts are unknown the rule stays as it is (an
    unknown never removes an action). Only a rule without ``melden`` and ``besluit`` can
    be narrowed: an exception can drop an action that a law replaces by its own route,
    never a report (MR034).
    """
    for item in ctx.order:
        for index, uitz in enumerate(item.model.uitzonderingen):
            where = (item.source, ("uitzonderingen", index, "regel"))
            found = [i for i, r in enumerate(ctx.rules) if r.id == uitz.regel and r.ruleset != item.model.id]
            if not found:
                ctx.add(
                    Code.MR034,
                    f"uitzondering op onbekende regel `{uitz.regel}`; een uitzondering geldt voor een regel "
                    "uit een ruleset die deze ruleset uitbreidt",
                    where,
                    nearest(uitz.regel, [r.id for r in ctx.rules if r.ruleset != item.model.id]),
                )
                continue
            target = ctx.rules[found[0]]
            if target.dan.melden is not None or target.dan.besluit is not None:
                ctx.add(
                    Code.MR034,
                    f"regel `{target.id}` concludeert `melden` of `besluit`; een uitzondering mag alleen "
                    "een regel met acties, vragen of vastleggen raken, nooit een melding",
                    where,
                )
                continue
            expanded = expand(uitz.als, ctx.begrippen)
            not_certain = negate(compile_condition(expanded, ctx.catalog, zeker=True))
            written_out = Alle(alle=[target.als_uitgeschreven, Niet(niet=expanded)])
            ctx.rules[found[0]] = replace(
                target,
                als=Alle(alle=[target.als, Niet(niet=uitz.als)]),
                als_uitgeschreven=written_out,
                zeker=all_of([target.zeker, not_certain]),
                mogelijk=all_of([target.mogelijk, not_certain]),
                feiten=tuple(f for f in dict.fromkeys(condition_facts(written_out)) if ctx.catalog[f].kind == "tri"),
            )


def compile_invariants(ctx: Context) -> None:
    """Each invariant's condition, ``zeker`` (``check`` proves ``dan`` wherever it holds)."""
    for item in ctx.order:
        for index, invariant in enumerate(item.model.invarianten):
            for j, path in enumerate(invariant.dan.melden_niet_lager_dan_zonder):
                # The pair proof moves one tri-state fact; a choice or list fact has no `nee`.
                if path not in ctx.catalog or ctx.catalog[path].kind != "tri":
                    ctx.add(
                        Code.MR020,
                        f"`{path}` is geen ja/nee-feit (`melden_niet_lager_dan_zonder` vergelijkt `ja` met `nee` "
                        "en `onbekend`)",
                        (item.source, ("invarianten", index, "dan", "melden_niet_lager_dan_zonder", j)),
                        nearest(path, [s.path for s in ctx.catalog if s.kind == "tri"]),
                    )
            ctx.invariants.append(
                CompiledInvariant(
                    invariant.id,
                    invariant.titel,
                    invariant.bron,
                    item.model.id,
                    item.source.locate(("invarianten", index)),
                    invariant,
                    compile_condition(expand(invariant.als, ctx.begrippen), ctx.catalog, zeker=True),
                )
            )


def check_tijdregels(ctx: Context) -> None:
    """The time rules (``tijdregels:``) are sound, and their ``tijd.`` facts join the catalog
    (MR031, MR060-MR064); rules are checked and compiled against that catalog."""
    ctx.tijdregels, ctx.catalog, problems, ctx.tijdregel_locaties = tijdregels_of(ctx.order, ctx.catalog, ctx.acties)
    ctx.diagnostics.extend(problems)


Stage = Callable[[Context], None]

#: The compiler, in order: ``(name, stage, gate)``. A gated stage runs only when no
#: problem was found before it. Adding a check is one function and one line here.
STAGES: tuple[tuple[str, Stage, bool], ...] = (
    ("select_versions", select_versions, False),
    ("index_rulesets", index_rulesets, False),
    ("check_sector", check_sector, False),
    ("resolve_extends", resolve_extends, False),
    ("collect_actions", collect_actions, False),
    ("count_sizes", count_sizes, True),  # before anything walks the begrippen (docs/limits.md)
    ("collect_begrippen", collect_begrippen, False),
    ("check_sizes", check_sizes, True),
    ("check_tijdregels", check_tijdregels, False),
    ("check_conditions", check_conditions, True),
    ("check_rules", check_rules, False),  # reported together with check_conditions
    ("compile_rules", compile_rules, True),
    ("apply_exceptions", apply_exceptions, True),
    ("check_durable", check_durable, True),
    ("compile_invariants", compile_invariants, True),
)


def run_stages(ctx: Context, stages: Sequence[tuple[str, Stage, bool]] = STAGES) -> Context:
    """Run ``stages`` on ``ctx`` in order; raise RulesetError with everything found."""
    for _name, stage, gate in stages:
        if ctx.stopped or (gate and ctx.diagnostics):
            break
        stage(ctx)
    if ctx.diagnostics:
        raise RulesetError(ctx.diagnostics)
    return ctx


def check_and_compile(
    loaded: Sequence[LoadedRuleset],
    top: str | None,
    catalog: FactCatalog,
    *,
    sector: SectorRulesets | None = None,
    datum: dt.date | None = None,
) -> CompiledRuleset:
    """Resolve ``top`` (or, for ``sector``, its one ruleset) and everything it extends from
    ``loaded``, each id in the version in force on ``datum`` (default: today); check and compile.

    Raises RulesetError with every problem found, sorted by file and line.
    """
    ctx = run_stages(Context(loaded, top, catalog, sector, datum))
    assert ctx.top is not None
    top_model = ctx.by_id[ctx.top].model
    return CompiledRuleset(
        id=ctx.top,
        sector=top_model.sector,
        # Sorted by id: the outcome never depends on the order rules stand in a file.
        rules=tuple(sorted(ctx.rules, key=lambda r: r.id)),
        rulesets=tuple(
            RulesetInfo(r.model.id, r.model.versie, r.model.geldig_vanaf, r.sha256, r.path.name) for r in ctx.order
        ),
        acties=ctx.acties,
        catalog=ctx.catalog,
        invarianten=tuple(ctx.invariants),
        tijdregels=ctx.tijdregels,
        tijdregel_locaties=dict(ctx.tijdregel_locaties),
        begrippen=dict(ctx.begrippen),
        actiedefinities=dict(ctx.actiedefinities),
    )


# ---------------------------------------------------------------- what the stages share


def expand(cond: Conditie, begrippen: dict[str, Begrip]) -> Conditie:
    """``cond`` with every ``begrip`` written out (references were checked before)."""
    return fold(
        cond,
        feit=lambda test, _: test,
        begrip=lambda ref, _: expand(begrippen[ref.begrip].als, begrippen),
        alle=lambda _, parts: Alle(alle=parts),
        een_van=lambda _, parts: EenVan(een_van=parts),
        niet=lambda _, inner: Niet(niet=inner),
    )


def _check_begrip_ref(ctx: Context, source: SourceMap, ref: BegripRef, path: YamlPath) -> None:
    if ref.begrip not in ctx.begrippen:
        ctx.add(
            Code.MR035,
            f"onbekend begrip `{ref.begrip}`",
            (source, (*path, "begrip")),
            nearest(ref.begrip, ctx.begrippen),
            details=("begrippen staan onder `begrippen:` in deze of een uitgebreide ruleset",),
        )


def _check_test(ctx: Context, source: SourceMap, test: FeitTest, path: YamlPath) -> None:
    if test.feit not in ctx.catalog:
        ctx.add(
            Code.MR020,
            f"onbekend feit `{test.feit}`",
            (source, (*path, "feit")),
            nearest(test.feit, ctx.catalog.paths),
            details=("de feiten staan in docs/vocabulary.md",),
        )
        return
    spec = ctx.catalog[test.feit]
    name, value = test.operator()
    op = BY_NAME[name]
    if spec.kind not in op.kinds:
        fitting = dutch_list([o.name for o in for_kind(spec.kind)])
        what = "een lijst" if spec.kind == "lijst" else "geen lijst"
        same = counterpart(op, spec.kind)
        ctx.add(
            Code.MR022,
            f"`{test.feit}` is {what}: gebruik {fitting}, niet `{name}`",
            (source, (*path, name)),
            same.name if same else None,
        )
        return
    allowed = list(spec.values) + ([GEEN] if spec.kind == "keuze" else [])
    for index, item in enumerate(op.values(value)):
        if item not in allowed:
            ctx.add(
                Code.MR021,
                f"`{item}` is geen waarde van `{test.feit}`; toegestaan: " + ", ".join(allowed),
                (source, (*path, name, index) if op.many else (*path, name)),
                nearest(str(item), allowed),
            )


def _check_conclusion(ctx: Context, source: SourceMap, regel: Regel, path: YamlPath, *, extends: bool) -> None:
    dan = regel.dan
    for i, actie in enumerate(dan.acties):
        if actie.code not in ctx.acties:
            ctx.add(
                Code.MR031,
                f"onbekende actiecode `{actie.code}`",
                (source, (*path, "dan", "acties", i, "code")),
                nearest(actie.code, ctx.acties),
                details=("nieuwe codes staan bovenaan de ruleset onder `acties:`",),
            )
    for i, fact in enumerate(dan.vragen):
        if fact not in ctx.catalog:
            ctx.add(
                Code.MR020,
                f"onbekend feit `{fact}` in `vragen`",
                (source, (*path, "dan", "vragen", i)),
                nearest(fact, ctx.catalog.paths),
            )
    if dan.besluit in ("melden", "melden_en_hulp") and dan.melden != "ja":
        ctx.add(
            Code.MR033,
            f"besluit `{dan.besluit}` hoort bij `melden: ja` in dezelfde regel",
            (source, (*path, "dan", "besluit")),
        )
    if extends and dan.melden == "nee":
        ctx.add(
            Code.MR040,
            f"regel `{regel.id}` concludeert `melden: nee`; een uitbreiding mag "
            "het basismodel aanvullen maar melden nooit verlagen",
            (source, (*path, "dan", "melden")),
            details=("laat `melden` weg, of concludeer `ja` of `onbekend`",),
        )


def _begrip_cycle(start: str, begrippen: dict[str, Begrip], stack: list[str], safe: set[str]) -> list[str]:
    # ``safe``: begrippen already searched without a cycle. Without it a chain of begrippen
    # that each use the previous one twice is searched 2**n times (issue 14).
    if start in stack:
        return [*stack, start]
    begrip = begrippen.get(start)
    if begrip is None or start in safe:
        return []
    for ref in begrip_refs(begrip.als):
        cycle = _begrip_cycle(ref, begrippen, [*stack, start], safe)
        if cycle:
            return cycle
    safe.add(start)
    return []


def _extends_basismodel(ruleset_id: str, by_id: dict[str, LoadedRuleset], seen: set[str]) -> bool:
    if ruleset_id == BASISMODEL:
        return True
    if ruleset_id in seen or ruleset_id not in by_id:
        return False
    seen.add(ruleset_id)
    return any(_extends_basismodel(parent, by_id, seen) for parent in by_id[ruleset_id].model.breidt_uit)


def _compile_rule(ctx: Context, regel: Regel, item: LoadedRuleset, location: Location) -> CompiledRule:
    written_out = expand(regel.als, ctx.begrippen)
    facts = [f for f in dict.fromkeys(condition_facts(written_out)) if ctx.catalog[f].kind == "tri"]
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
        zeker=compile_condition(written_out, ctx.catalog, zeker=True),
        mogelijk=compile_condition(written_out, ctx.catalog, zeker=False),
        feiten=tuple(facts),
    )
