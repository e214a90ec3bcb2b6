"""The caches of the judgement path stay bounded, keep what is in use, and refresh() empties them all."""

from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path

import pytest

from meldcode_rules import caches
from meldcode_rules.api import evaluate
from meldcode_rules.case.flat_reader import _iso_date, reader_for
from meldcode_rules.engines import get_engine
from meldcode_rules.judge import combine
from meldcode_rules.sectors.registry import compile_from, compiled_for, refresh
from strategies import ENGINES, random_cases

ROOT_RULESETS = Path(__file__).resolve().parents[1] / "rulesets"


def test_lru_drops_the_least_recently_used() -> None:
    cache: caches.LRU[str, int] = caches.LRU(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # a is now the most recently used
    cache.put("c", 3)
    assert cache.get("b") is None
    assert (cache.get("a"), cache.get("c"), len(cache)) == (1, 3, 2)
    with pytest.raises(ValueError):
        caches.LRU(0)


def test_clear_all_empties_every_registered_cache() -> None:
    mapping: caches.LRU[str, int] = caches.LRU(4)
    mapping.put("a", 1)

    @caches.lru(4)
    def double(n: int) -> int:
        return 2 * n

    double(1)
    caches.clear_all()
    assert len(mapping) == 0
    assert double.cache_info().currsize == 0  # type: ignore[attr-defined]


def test_fill_counts_the_entries_and_room_of_every_live_cache() -> None:
    caches.clear_all()
    before, room = caches.fill()
    mapping: caches.LRU[str, int] = caches.LRU(4)

    @caches.lru(8)
    def double(n: int) -> int:
        return 2 * n

    mapping.put("a", 1)
    double(1), double(2)
    entries, capacity = caches.fill()
    assert (entries - before, capacity - room) == (3, 12)


def _plan() -> combine._Plan:
    return combine._plan(compiled_for(None))


def test_dated_actions_are_kept_for_dates_in_use_however_many_were_seen() -> None:
    case = {"afweging": {"vermoeden": "ja", "acute_onveiligheid": "ja"}}
    plan = _plan()
    first = dt.date(2026, 1, 1)
    for n in range(combine.ACTIES_OP_DATUM + 200):  # more dates than are kept
        evaluate({**case, "datum": (first + dt.timedelta(days=n)).isoformat()}, engine="reference")
    info = plan.acties_op.cache_info()  # type: ignore[attr-defined]
    assert info.currsize <= combine.ACTIES_OP_DATUM
    # Today's date, judged again and again after all those, is built once and then kept.
    for _ in range(5):
        evaluate({**case, "datum": "2031-05-05"}, engine="reference")
    after = plan.acties_op.cache_info()  # type: ignore[attr-defined]
    assert after.hits - info.hits == 4
    assert after.misses - info.misses == 1


@pytest.mark.parametrize("engine", ENGINES)
def test_every_cache_is_bounded_after_many_varied_cases(engine: str) -> None:
    for n, case in enumerate(random_cases(300, seed=3)):
        case["datum"] = (dt.date(2026, 1, 1) + dt.timedelta(days=n)).isoformat()
        evaluate(case, engine=engine)
    plan = _plan()
    for part, limit in (
        (plan.skeleton, combine.SKELETONS),
        (plan.acties_op, combine.ACTIES_OP_DATUM),
        (plan.actie, combine.DELEN),
        (plan.vastlegging, combine.DELEN),
        (plan.open_vraag, combine.DELEN),
    ):
        info = part.cache_info()  # type: ignore[attr-defined]
        assert info.maxsize == limit
        assert info.currsize <= limit


def test_plans_and_programs_of_many_rulesets_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    # As many kept as the bound (here 2, to need few compiles), the oldest dropped first.
    engine = get_engine("reference")
    monkeypatch.setattr(combine, "_plans", caches.LRU(2))
    monkeypatch.setattr(engine, "_programs", caches.LRU(2))
    case = {"afweging": {"vermoeden": "ja"}, "datum": "2026-03-02"}
    rulesets = [compile_from([ROOT_RULESETS]) for _ in range(3)]
    judgements = [evaluate(case, engine="reference", ruleset=r) for r in rulesets]
    assert len(combine._plans) == 2
    assert len(engine._programs) == 2  # type: ignore[attr-defined]
    assert combine._plans.get(id(rulesets[0])) is None
    assert evaluate(case, engine="reference", ruleset=rulesets[0]) == judgements[0]


@pytest.mark.parametrize("engine", ENGINES)
def test_refresh_empties_every_cache_and_judges_the_same(engine: str) -> None:
    case = {"afweging": {"vermoeden": "ja"}, "datum": "2026-03-02"}
    before = evaluate(case, engine=engine)
    assert len(combine._plans) > 0
    assert _iso_date.cache_info().currsize > 0  # type: ignore[attr-defined]
    refresh()
    gc.collect()
    assert len(combine._plans) == 0
    assert len(get_engine(engine)._programs) == 0  # type: ignore[attr-defined]
    assert _iso_date.cache_info().currsize == 0  # type: ignore[attr-defined]
    assert reader_for.cache_info().currsize == 0  # type: ignore[attr-defined]
    assert evaluate(case, engine=engine) == before
