"""Deadlines: datum + termijn, for every unit a ruleset may write (ruleset.TERMIJN_PATTERN)."""

from __future__ import annotations

import datetime as dt

import pytest

from meldcode_rules.judge.combine import deadline

MAANDAG = dt.date(2026, 3, 2)
VRIJDAG = dt.date(2026, 3, 6)


@pytest.mark.parametrize(
    ("datum", "termijn", "expected"),
    [
        (MAANDAG, None, None),
        (MAANDAG, "direct", MAANDAG),
        (MAANDAG, "1 uur", MAANDAG),
        (MAANDAG, "4 uren", MAANDAG),
        (MAANDAG, "1 dag", MAANDAG + dt.timedelta(days=1)),
        (MAANDAG, "7 dagen", MAANDAG + dt.timedelta(days=7)),
        (MAANDAG, "1 week", MAANDAG + dt.timedelta(weeks=1)),
        (MAANDAG, "6 weken", MAANDAG + dt.timedelta(weeks=6)),
        (MAANDAG, "5 werkdagen", MAANDAG + dt.timedelta(weeks=1)),
        (VRIJDAG, "1 werkdag", VRIJDAG + dt.timedelta(days=3)),
    ],
)
def test_deadline_per_unit(datum: dt.date, termijn: str | None, expected: dt.date | None) -> None:
    assert deadline(datum, termijn) == expected
