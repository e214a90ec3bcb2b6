"""Errors as data: every problem found in a ruleset or case file, with a place.

Like OPA's compiler errors, problems are collected rather than raised one at a
time, sorted by file and line, and each has a stable code, so a trainer who
broke three things learns about all three in one run.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["fout", "waarschuwing"]


@dataclass(frozen=True, order=True)
class Location:
    file: str
    line: int = 0  # 1-based; 0 = the file as a whole
    column: int = 0  # 1-based

    def __str__(self) -> str:
        if not self.line:
            return self.file
        return f"{self.file}:{self.line}:{self.column}" if self.column else f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Diagnostic:
    """One finding. ``code`` is stable; ``message`` is Dutch and says what to do."""

    code: str
    message: str
    location: Location
    suggestion: str | None = None
    severity: Severity = "fout"
    details: tuple[str, ...] = field(default=())

    def render(self) -> str:
        text = f"{self.location}: {self.code}: {self.message}"
        if self.suggestion:
            text += f"\n    bedoelde u: {self.suggestion}?"
        for line in self.details:
            text += f"\n    {line}"
        return text

    def sort_key(self) -> tuple[Location, str]:
        return (self.location, self.code)


class MeldcodeError(Exception):
    """Base of every error this library raises on purpose."""


class RulesetError(MeldcodeError):
    """One or more problems in ruleset files; ``diagnostics`` holds all of them."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics, key=Diagnostic.sort_key)
        super().__init__(self.render())

    def render(self) -> str:
        count = len(self.diagnostics)
        head = f"{count} {'fout' if count == 1 else 'fouten'} in de ruleset(s):"
        return "\n".join([head, *(d.render() for d in self.diagnostics)])


class CaseError(MeldcodeError):
    """A case file that cannot be read or does not fit the vocabulary."""

    def __init__(self, problems: list[str], source: str = "casus") -> None:
        self.problems = problems
        self.source = source
        super().__init__(f"{source}: de casus is ongeldig:\n" + "\n".join(f"  - {p}" for p in problems))


def nearest(word: str, options: Iterable[str]) -> str | None:
    """The closest valid spelling of ``word``, for 'bedoelde u ...?' suggestions."""
    options = list(options)
    # A trainer often types only the last part of a dotted fact name: an exact last part
    # beats a similar-looking other name (`vermoeden` -> `afweging.vermoeden`, not `vormen`).
    tail = [o for o in options if o != word and o.rsplit(".", 1)[-1] == word.rsplit(".", 1)[-1]]
    if tail:
        return tail[0]
    matches = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return matches[0] if matches else None
