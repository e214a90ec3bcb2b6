"""Findings of ``check``: errors as data, sorted by file and line, with stable codes.

Codes are stable and defined once, in :class:`meldcode_rules.diagnostics.Code` (``MR0xx``:
schema and references, as the loader and compiler report them; ``MC1xx``-``MC5xx``: the
findings of the stages of ``check``); docs/ci.md lists them with what to do. When ``check``
and the evaluator disagree that is not a finding but a bug: :class:`CheckerBug` is raised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from meldcode_rules.diagnostics import Diagnostic, Location

Severity = Literal["fout", "waarschuwing", "notitie"]


@dataclass(frozen=True)
class RuleRef:
    id: str
    location: Location

    def __str__(self) -> str:
        return f"{self.id} ({self.location.file}:{self.location.line})"


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    location: Location
    severity: Severity = "fout"
    #: True: holds for every case of the (finite) space; False: found or checked on a sample;
    #: None: not a statement about cases at all (a syntax or reference error in a file)
    proved: bool | None = True
    ruleset: str | None = None
    regels: tuple[RuleRef, ...] = ()
    #: the smallest case that shows it, in case-file form (the ``gegeven:`` of a scenario)
    tegenvoorbeeld: dict[str, Any] | None = None
    #: where the counterexample has facts about time (``tijd.``), which no case file can give:
    #: a dossier scenario (``dossier:`` and ``op:``) whose events give exactly those facts
    #: (``getuige`` True), or of another case of the same set (False); None: no dossier gives any
    tegenvoorbeeld_dossier: dict[str, Any] | None = None
    #: melden/besluit of the real evaluator on the counterexample
    oordeel: dict[str, Any] | None = None
    details: tuple[str, ...] = field(default=())
    #: the other rulesets (sectors) where the same finding holds, folded into this one
    ook_in: tuple[str, ...] = ()
    #: other findings with the same smallest counterexample: consequences of the same defect
    gevolgen: tuple[Finding, ...] = ()

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.code, self.message)

    @classmethod
    def from_diagnostic(cls, diagnostic: Diagnostic) -> Finding:
        details = tuple(diagnostic.details)
        if diagnostic.suggestion:
            details = (f"bedoelde u: {diagnostic.suggestion}?", *details)
        severity: Severity = "fout" if diagnostic.severity == "fout" else "waarschuwing"
        return cls(diagnostic.code, diagnostic.message, diagnostic.location, severity, None, details=details)

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "ernst": self.severity,
            "bewezen": self.proved,
            "bestand": self.location.file,
            "regel": self.location.line,
            "kolom": self.location.column,
            "melding": self.message,
            "ruleset": self.ruleset,
            "regels": [{"id": r.id, "bestand": r.location.file, "regel": r.location.line} for r in self.regels],
            "tegenvoorbeeld": self.tegenvoorbeeld,
            "tegenvoorbeeld_dossier": self.tegenvoorbeeld_dossier,
            "oordeel": self.oordeel,
            "details": list(self.details),
            "ook_in": list(self.ook_in),
            "gevolgen": [g.to_json() for g in self.gevolgen],
        }
