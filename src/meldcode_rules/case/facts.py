"""The fact catalog: every fact a rule may test, derived from the case model.

Rules name facts by dotted path (``afweging.acute_onveiligheid``). The
catalog knows each fact's kind and allowed values, its question, and its
place in meldcode order. It is built from the pydantic models, never typed
twice, so a rule can only test what a case file can say.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from meldcode_rules.caches import lru
from meldcode_rules.case.model import Case, Tri

TRI_VALUES: tuple[str, ...] = ("ja", "nee", "onbekend")
# Plain strings for the engines; reading Enum.value goes through a slow descriptor.
_TRI_TEXT: dict[Any, str] = {member: member.value for member in Tri}
#: The value a flattened choice fact has when the case file leaves it empty.
GEEN = "geen"


@dataclass(frozen=True)
class FactSpec:
    """One testable fact."""

    path: str
    #: ``tri`` (ja/nee/onbekend), ``keuze`` (one of ``values`` or empty), ``lijst`` (a set of ``values``)
    kind: Literal["tri", "keuze", "lijst"]
    values: tuple[str, ...]
    vraag: str
    beschrijving: str
    #: answered later by design: ``onbekend`` is a moment to re-assess, not a gap
    later_beantwoord: bool
    #: position in meldcode order (used to sort open questions)
    volgorde: int

    def key(self, value: str | None = None) -> str:
        """The flat key the engines see (``.`` is not safe in every engine's keys)."""
        base = self.path.replace(".", "__")
        return base if value is None else f"{base}__{value}"


class FactCatalog:
    """All facts of one case model, in meldcode order."""

    def __init__(self, model: type[Case], specs: list[FactSpec], derived: tuple[FactSpec, ...] = ()) -> None:
        self.model = model
        self._specs = {spec.path: spec for spec in [*specs, *derived]}
        #: facts no case file states: derived from a dossier's events (``tijd.``...); a plain case
        #: has them ``onbekend``, the dossier module fills them in (meldcode_rules.dossier.tijd)
        self.derived = derived
        self._derived_keys = tuple(spec.key() for spec in derived)
        self._own = specs
        # Precomputed once: flatten() runs for every case and must not rebuild key strings.
        self._plan = [
            (spec.kind, tuple(spec.path.split(".")), spec.key(), tuple((v, spec.key(v)) for v in spec.values))
            for spec in specs
        ]
        # Derived facts have no place in the case model: flatten() sets them, _groups skips them.
        plan_all = [*self._plan, *(("tri", (), spec.key(), ()) for spec in derived)]
        # The same, grouped by the sub-model that holds the facts (each read once per case).
        groups: dict[tuple[str, ...], list[tuple[str, str, str, tuple[tuple[str, str], ...]]]] = {}
        for kind, parts, key, options in self._plan:
            groups.setdefault(parts[:-1], []).append((kind, parts[-1], key, options))
        self._groups = tuple((parent, tuple(facts)) for parent, facts in groups.items())
        self._plan_all = plan_all

    def __contains__(self, path: object) -> bool:
        return path in self._specs

    def __getitem__(self, path: str) -> FactSpec:
        return self._specs[path]

    def __iter__(self) -> typing.Iterator[FactSpec]:
        return iter(self._specs.values())

    def __len__(self) -> int:
        return len(self._specs)

    @property
    def paths(self) -> list[str]:
        return list(self._specs)

    def flatten(self, case: BaseModel) -> dict[str, Any]:
        """The case as flat atoms: ``{key: "ja"|"nee"|"onbekend"|value|"geen"|bool}``."""
        flat: dict[str, Any] = {}
        for parent, facts in self._groups:
            part: Any = case
            for name in parent:
                part = getattr(part, name)
            values = part.__dict__
            for kind, name, key, options in facts:
                value = values[name]
                if kind == "tri":
                    flat[key] = _TRI_TEXT[value]
                elif kind == "keuze":
                    flat[key] = GEEN if value is None else value
                else:
                    for option, option_key in options:
                        flat[option_key] = option in value
        for key in self._derived_keys:
            flat[key] = "onbekend"
        return flat

    def with_derived(self, derived: tuple[FactSpec, ...]) -> FactCatalog:
        """This catalog plus derived tri-state facts (numbered after every case fact)."""
        if not derived:
            return self
        base = len(self._own)
        numbered = tuple(
            FactSpec(d.path, "tri", TRI_VALUES, d.vraag, d.beschrijving, False, base + i) for i, d in enumerate(derived)
        )
        return FactCatalog(self.model, self._own, numbered)

    def has_domain(self, key: str) -> bool:
        return key in self._domains

    def domain(self, key: str) -> tuple[str | bool, ...]:
        """Every value a flat key can take (finite: this is what makes proofs possible)."""
        return self._domains[key]

    @property
    def _domains(self) -> dict[str, tuple[str | bool, ...]]:
        domains = self.__dict__.get("_domain_cache")
        if domains is None:
            domains = {}
            for kind, _parts, key, options in self._plan_all:
                if kind == "tri":
                    domains[key] = TRI_VALUES
                elif kind == "keuze":
                    domains[key] = (*(v for v, _ in options), GEEN)
                else:
                    for _option, option_key in options:
                        domains[option_key] = (True, False)
            self.__dict__["_domain_cache"] = domains
        return domains


def _literal_values(annotation: Any) -> tuple[str, ...] | None:
    if typing.get_origin(annotation) is Literal:
        return tuple(str(v) for v in typing.get_args(annotation))
    return None


def _classify(annotation: Any) -> tuple[str, tuple[str, ...]] | None:
    """Kind and values of a field annotation, or None if it is not a testable fact."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _classify(typing.get_args(annotation)[0])
    if annotation is Tri:
        return "tri", TRI_VALUES
    literal = _literal_values(annotation)
    if literal is not None:
        return "keuze", literal
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(options) == 1:
            inner = _classify(options[0])
            if inner and inner[0] == "keuze":
                return inner
        return None
    if origin is list:
        (item,) = typing.get_args(annotation)
        literal = _literal_values(item)
        if literal is not None:
            return "lijst", literal
    return None


def _walk(model: type[BaseModel], prefix: str, out: list[FactSpec]) -> None:
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            _walk(annotation, f"{path}.", out)
            continue
        kind_values = _classify(annotation)
        if kind_values is None:
            continue  # sector, datum: context, not facts a rule tests
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        kind, values = kind_values
        out.append(
            FactSpec(
                path=path,
                kind=kind,  # type: ignore[arg-type]
                values=values,
                vraag=str(extra.get("vraag", field.description or path)),
                beschrijving=field.description or "",
                later_beantwoord=bool(extra.get("later_beantwoord", False)),
                volgorde=len(out),
            )
        )


#: Case models whose catalogs are kept (a plugin's model is made anew for each compile).
CATALOGS = 64


@lru(CATALOGS)
def catalog_for(model: type[Case] = Case) -> FactCatalog:
    """The fact catalog of a case model (the basismodel's, or a sector's extension)."""
    specs: list[FactSpec] = []
    _walk(model, "", specs)
    return FactCatalog(model, specs)
