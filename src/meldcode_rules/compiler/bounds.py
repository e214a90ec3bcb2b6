"""Size bounds of a ruleset, checked before anything is written out (docs/limits.md).

A ``begrip`` is written out in place wherever it is used. A chain of begrippen
each using the previous one twice doubles per level: 26 levels of 2.3 KB
would write out 2**26 fact tests. The written-out size of every begrip and
condition is therefore computed first, each begrip once (shared, so linear in
the text), and a condition too large is refused with the name of the begrip
or rule, before any expansion. The number of rules is bounded as well: every
check of ``meldcode-rules check`` grows with it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence

from meldcode_rules import limits
from meldcode_rules.compiler.compiled import CompiledRule
from meldcode_rules.compiler.expr import And, Expr, Or, expr_keys
from meldcode_rules.diagnostics import Code, Diagnostic, DurableTooWide, Location
from meldcode_rules.load.loader import LoadedRuleset
from meldcode_rules.load.ruleset import Alle, Begrip, BegripRef, Conditie, EenVan, Niet, begrip_refs

#: Expression entries of one durable-rules rule: below MAX_SEQUENCE_EXPRESSIONS (error 113 at 32).
DURABLE_MAX_ENTRIES = limits.DURABLE_MAX_RULE_EXPRESSIONS - 2


def _entries(expr: Expr) -> int:
    """Expression entries for ``expr`` counted strictly: one per test, two per ``$and``/``$or``.

    durable itself counts none for a test against a value (engines/durable.py writes out by
    its count); this stricter count decides what ``check`` refuses (MR039), as before.
    """
    if not hasattr(expr, "items"):  # a Lit
        return 1
    if len(expr.items) <= 1:
        return sum(_entries(i) for i in expr.items) or 1
    return 2 + sum(_entries(i) for i in expr.items)


def durable_branches(expr: Expr, fits: Callable[[Expr], bool] | None = None) -> list[Expr]:
    """``expr`` as an `or` of branches, each small enough for one durable rule.

    An expression that fits stays whole; a larger `or` is split (a rule fires
    when one of its branches does); a branch still too large is written out (an `and` over an `or`
    distributes) up to limits.DURABLE_MAX_BRANCHES; an `and` of too many tests is refused.
    ``fits``: whether a part is one durable rule; by default the count ``check`` refuses by
    (every test an entry). The durable adapter passes durable's own, less strict count.
    """
    if fits is None:
        fits = _fits
    todo = [expr]
    done: list[Expr] = []
    while todo:
        item = todo.pop()
        if fits(item):
            done.append(item)  # fits whole: one durable rule, one action when it fires
        elif isinstance(item, Or):
            todo.extend(item.items)
        elif isinstance(item, And) and any(isinstance(i, Or) for i in item.items):
            # index and part together: the isinstance in the generator tells mypy the part is an Or
            index, inner = next((n, i) for n, i in enumerate(item.items) if isinstance(i, Or))
            rest = item.items[:index] + item.items[index + 1 :]
            todo.extend(And((*rest, choice)) for choice in inner.items)
        else:
            raise DurableTooWide
        if len(done) + len(todo) > limits.DURABLE_MAX_BRANCHES:
            raise DurableTooWide
    return done[::-1]


#: The adapter's key that is in every fact and true (engines/durable.py: a rule that always fires).
DURABLE_ALWAYS_KEY = "mr__case"
#: The properties a fact holds beside the keys of the rules: durable's id and session id, and that key.
DURABLE_OWN_PROPERTIES = ("id", "sid", DURABLE_ALWAYS_KEY)
#: FNV-1a, 32 bits, as durable-rules' ``json.h`` defines it
_FNV_OFFSET_BASIS, _FNV_PRIME = 0x811C9DC5, 16777619


def property_hash(name: str) -> int:
    """The hash by which durable-rules knows the property ``name``, and nothing else of it.

    ``getStringAndHash`` (``json.c``) hashes the name as it stands in the JSON text, escapes
    included, and ``getObjectProperty`` (``state.c``) compares only hashes: two names with one
    hash are one property to durable, and a rule testing one reads the other. The adapter
    writes every fact with ``json.dumps``, in ASCII, as here.
    """
    value = _FNV_OFFSET_BASIS
    for byte in json.dumps(name)[1:-1].encode("ascii"):
        value = ((value ^ byte) * _FNV_PRIME) & 0xFFFFFFFF
    return value


def same_property(keys: Iterable[str]) -> tuple[str, str] | None:
    """The first two of ``keys`` (or of durable's own properties) that share one hash, or ``None``."""
    seen: dict[int, str] = {property_hash(name): name for name in DURABLE_OWN_PROPERTIES}
    for key in sorted(set(keys)):
        other = seen.setdefault(property_hash(key), key)
        if other != key:
            return other, key
    return None


def same_property_problem(pair: tuple[str, str]) -> str:
    """What is wrong with a pair :func:`same_property` found (for ``check`` and the adapter alike)."""
    return (
        f"durable-rules kan de feiten `{pair[0]}` en `{pair[1]}` niet uit elkaar houden: het kent een "
        "eigenschap alleen aan een hash van 32 bits van haar naam, en die is voor beide gelijk"
    )


def _fits(expr: Expr) -> bool:
    return _entries(expr) <= DURABLE_MAX_ENTRIES


def durable_problems(rules: Sequence[CompiledRule]) -> list[Diagnostic]:
    """MR039 for every rule that durable-rules (the default engine) cannot hold, however split,
    and MR046 for two keys it would take for one (:func:`same_property`).

    Refused here, at compile time, so that every ruleset that passes ``check`` runs on both
    engines; engines/durable.py splits whatever fits (docs/engines.md).
    """
    problems = []
    tested: dict[str, CompiledRule] = {}
    for rule in rules:
        for key in expr_keys(rule.zeker) | expr_keys(rule.mogelijk):
            tested.setdefault(key, rule)
    pair = same_property(tested)
    if pair is not None:
        problems.append(
            Diagnostic(
                Code.MR046,
                same_property_problem(pair),
                tested[pair[1]].location,
                details=("geef een van beide feiten een andere naam; zie docs/limits.md",),
            )
        )
    for rule in rules:
        try:
            for expr in (rule.zeker, rule.mogelijk):
                durable_branches(expr)
        except DurableTooWide:
            problems.append(
                Diagnostic(
                    Code.MR039,
                    f"regel `{rule.id}` is te groot voor durable-rules: na uitschrijven test een `alle` meer dan "
                    f"{DURABLE_MAX_ENTRIES} feitwaarden tegelijk, of de voorwaarde wordt meer dan "
                    f"{limits.DURABLE_MAX_BRANCHES} takken",
                    rule.location,
                    details=("splits de regel in meer regels met kleinere voorwaarden; zie docs/limits.md",),
                )
            )
    return problems


def expanded_size(cond: Conditie, sizes: dict[str, int], begrippen: dict[str, Begrip]) -> int:
    """Fact tests in ``cond`` with every begrip written out; ``sizes`` memoises begrippen.

    Begrippen form no cycle here (checked before, MR036).
    """
    if isinstance(cond, Alle | EenVan):
        return sum(expanded_size(c, sizes, begrippen) for c in (cond.alle if isinstance(cond, Alle) else cond.een_van))
    if isinstance(cond, Niet):
        return expanded_size(cond.niet, sizes, begrippen)
    if isinstance(cond, BegripRef):
        name = cond.begrip
        if name not in sizes:
            begrip = begrippen.get(name)
            sizes[name] = 0 if begrip is None else expanded_size(begrip.als, sizes, begrippen)
        return sizes[name]
    return 1


def count_problems(order: Sequence[LoadedRuleset]) -> list[Diagnostic]:
    """MR038 when the rulesets together have too many rules or begrippen (before any is walked)."""
    problems: list[Diagnostic] = []
    top = order[-1] if order else None
    for section, most in (("regels", limits.MAX_RULES), ("begrippen", limits.MAX_BEGRIPPEN)):
        total = sum(len(getattr(item.model, section)) for item in order)
        if total > most:
            problems.append(
                Diagnostic(
                    Code.MR038,
                    f"te veel {section}: {_number(total)}, hoogstens {_number(most)} "
                    "(basismodel en uitbreidingen samen)",
                    top.source.locate((section,)) if top else Location("ruleset"),
                    details=("zie docs/limits.md",),
                )
            )
    return problems


def size_problems(order: Sequence[LoadedRuleset], begrippen: dict[str, Begrip]) -> list[Diagnostic]:
    """MR037 for the first begrip, and every rule or invariant, too large written out."""
    problems: list[Diagnostic] = []
    sizes: dict[str, int] = {}
    large: set[str] = set()
    most = limits.MAX_EXPANDED_TESTS
    for item in order:
        parts = [("begrip", "begrippen", b.id, b.als) for b in item.model.begrippen]
        parts += [("regel", "regels", r.id, r.als) for r in item.model.regels]
        parts += [("invariant", "invarianten", i.id, i.als) for i in item.model.invarianten]
        index: dict[str, int] = {}
        for kind, section, name, cond in parts:
            position = index[section] = index.get(section, -1) + 1
            size = expanded_size(cond, sizes, begrippen)
            if size <= most:
                continue
            if kind == "begrip":
                large.add(name)
            if large & set(begrip_refs(cond)) - {name}:
                continue  # the begrip it uses is reported already: the first too large is the one to fix
            problems.append(
                Diagnostic(
                    Code.MR037,
                    f"{kind} `{name}` is uitgeschreven te groot: {_number(size)} feittests, hoogstens {_number(most)}",
                    item.source.locate((section, position, "als")),
                    details=(
                        "een begrip wordt overal waar het gebruikt wordt uitgeschreven; gebruikt elk begrip "
                        "het vorige meer dan eens, dan verdubbelt de omvang per stap",
                    ),
                )
            )
    return problems


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")
