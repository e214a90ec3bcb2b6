"""Hypothesis strategies and helpers over the whole case vocabulary.

A case is generated in *canonical* form first: ``{dotted path: value}`` with
every tri-state fact ``ja``/``nee``/``onbekend``, every choice fact a value or
``None`` and every list fact a tuple. ``to_case_dict`` then writes it as a
case file would, in any of the spellings the vocabulary accepts (``true`` for
``ja``, ``false`` for ``nee``, missing or ``null`` for ``onbekend``). The
properties reason on the canonical form and evaluate the written form, so the
spellings are exercised everywhere.

The fact list comes from the catalog, which is derived from the case model:
a field added to the vocabulary is generated here without editing this file.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from hypothesis import strategies as st

from meldcode_rules.case.facts import catalog_for
from meldcode_rules.engines import durable_available
from meldcode_rules.load.ruleset import MELDEN_ORDE

CATALOG = catalog_for()
TRI = tuple(s.path for s in CATALOG if s.kind == "tri")
KEUZE = {s.path: s.values for s in CATALOG if s.kind == "keuze"}
LIJST = {s.path: s.values for s in CATALOG if s.kind == "lijst"}
#: tri-state facts whose ``onbekend`` means "not yet known" (not "answered later")
OPEN_TRI = tuple(s.path for s in CATALOG if s.kind == "tri" and not s.later_beantwoord)
LATER_TRI = tuple(s.path for s in CATALOG if s.kind == "tri" and s.later_beantwoord)

ENGINES = ("reference", "durable") if durable_available() else ("reference",)

Canonical = dict[str, Any]
T = TypeVar("T")


def rank(melden: str) -> int:
    """Protective order of ``melden``: nee < onbekend < ja."""
    return MELDEN_ORDE.index(melden)  # type: ignore[arg-type]


@st.composite
def canonical_cases(draw: st.DrawFn, fixed: Canonical | None = None) -> Canonical:
    """A case in canonical form over every fact of the vocabulary (``fixed`` overrides)."""
    canon: Canonical = {}
    for path in TRI:
        canon[path] = draw(st.sampled_from(("ja", "nee", "onbekend")))
    for path, values in KEUZE.items():
        canon[path] = draw(st.none() | st.sampled_from(values))
    for path, values in LIJST.items():
        canon[path] = tuple(draw(st.lists(st.sampled_from(values), unique=True, max_size=4)))
    canon["datum"] = draw(st.none() | st.dates(dt.date(2019, 1, 1), dt.date(2035, 12, 31)))
    canon.update(fixed or {})
    return canon


def set_path(out: dict[str, Any], path: str, value: Any) -> None:
    """Set a dotted ``path`` in a nested case dict."""
    *parents, leaf = path.split(".")
    for part in parents:
        out = out.setdefault(part, {})
    out[leaf] = value


@st.composite
def written(draw: st.DrawFn, canon: Canonical) -> dict[str, Any]:
    """``canon`` as a case file would write it, in a drawn mix of accepted spellings."""
    out: dict[str, Any] = {}
    for path in TRI:
        value = canon[path]
        spelling = {
            "ja": st.sampled_from(("ja", True)),
            "nee": st.sampled_from(("nee", False)),
            "onbekend": st.sampled_from(("onbekend", None, "<missing>")),
        }[value]
        chosen = draw(spelling)
        if chosen != "<missing>":
            set_path(out, path, chosen)
    for path in KEUZE:
        if canon[path] is not None or draw(st.booleans()):
            set_path(out, path, canon[path])
    for path in LIJST:
        if canon[path] or draw(st.booleans()):
            set_path(out, path, list(canon[path]))
    if canon["datum"] is not None:
        set_path(out, "datum", canon["datum"].isoformat())
    return out


def to_case_dict(canon: Canonical) -> dict[str, Any]:
    """``canon`` in the plainest spelling (``ja``/``nee``/``onbekend``, every field present)."""
    out: dict[str, Any] = {}
    for path in (*TRI, *KEUZE):
        set_path(out, path, canon[path])
    for path in LIJST:
        set_path(out, path, list(canon[path]))
    if canon["datum"] is not None:
        set_path(out, "datum", canon["datum"].isoformat())
    return out


@st.composite
def case_dicts(draw: st.DrawFn) -> dict[str, Any]:
    """A case file over the whole vocabulary, in any accepted spelling."""
    return draw(written(draw(canonical_cases())))


def comparable(judgement: Any) -> dict[str, Any]:
    """A judgement without the field that names the engine."""
    data = judgement.model_dump()
    data.pop("engine")
    return data


def random_cases(count: int, seed: int) -> list[dict[str, Any]]:
    """Cases over the whole vocabulary from a seeded generator (no hypothesis in threads)."""
    rng = random.Random(seed)
    cases = []
    for _ in range(count):
        case: dict[str, Any] = {"datum": "2026-03-02"}
        for path in TRI:
            value = rng.choice(["ja", "nee", "onbekend", True, False, None, "-"])
            if value != "-":
                set_path(case, path, value)
        for path, values in KEUZE.items():
            set_path(case, path, rng.choice([None, *values]))
        for path, values in LIJST.items():
            set_path(case, path, rng.sample(values, rng.randint(0, 3)))
        cases.append(case)
    return cases


def in_threads(work: Callable[[int], T], count: int = 8, timeout: float = 300) -> list[T]:
    """``work(index)`` in ``count`` threads released together; their results, by index.

    A worker's exception is raised here, in the test's own thread, rather than lost in
    its thread; a worker that has not finished within ``timeout`` seconds fails too.
    """
    results: dict[int, T] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(count)

    def run(index: int) -> None:
        try:
            start.wait()
            results[index] = work(index)
        except BaseException as error:  # re-raised below, from the test's thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    if errors:
        raise errors[0]
    assert not any(thread.is_alive() for thread in threads), f"a thread did not finish within {timeout} s"
    assert sorted(results) == list(range(count))
    return [results[i] for i in range(count)]
