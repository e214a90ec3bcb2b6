"""The compiled form of a ruleset: what engines, ``judge``, ``check`` and ``explain`` read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from meldcode_rules.case.facts import FactCatalog
from meldcode_rules.compiler.expr import Expr
from meldcode_rules.diagnostics import Location
from meldcode_rules.load.ruleset import ActieDefinitie, Begrip, Conclusie, Conditie, Invariant, Tijdregel


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
    #: every begrip of this ruleset and what it extends, by id (render defines them on the page)
    begrippen: Mapping[str, Begrip] = field(default_factory=dict)
    #: every action code's definition (``stap``, ``volgorde``), in catalog order
    actiedefinities: Mapping[str, ActieDefinitie] = field(default_factory=dict)
    #: the time rules of every ruleset used (their facts are in ``catalog``; see dossier/tijd.py)
    tijdregels: tuple[Tijdregel, ...] = ()
    #: per time fact, where its time rule stands (findings about a time rule point there)
    tijdregel_locaties: Mapping[str, Location] = field(default_factory=dict)

    def rule(self, rule_id: str) -> CompiledRule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)
