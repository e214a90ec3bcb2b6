"""Synthetic dossiers, seeded: realistic enough to test and measure the monitor, never real.

Each dossier tells a plausible story in the events of the dossier format
(:mod:`meldcode_rules.case.dossier`): signals from several sources over months, the
kindcheck, consultations, the conversation, an afweging; then, for some, my report (with or
without a confirmed receipt), help with an agreed evaluation date (evaluated in time, or not),
help closed with or without agreement on who keeps contact, a closed case, and now and then
a new signal after closure. The mix (sectors, forms, how often a report, help or a delay
happens, how many events) is a :class:`Mix`; the same seed and mix give the same dossiers,
dossier ``i`` independently of the others (so parts can be generated anywhere).

``Mix(vorm="casus")`` gives plain case files instead (a dossier of one moment).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TextIO

SECTOREN = (
    "onderwijs",
    "kinderopvang",
    "gezondheidszorg",
    "jeugdhulp",
    "maatschappelijke_ondersteuning",
    "justitie",
    None,
)
VORMEN = (
    "kindermishandeling",
    "partnergeweld",
    "verwaarlozing",
    "seksueel_geweld",
    "ouderenmishandeling",
    "eergerelateerd_geweld",
    "financiele_uitbuiting",
)
VORM_GEWICHTEN = (40, 25, 15, 6, 6, 4, 4)
HERKOMSTEN = ("eigen_waarneming", "client", "kind", "familie", "collega", "ketenpartner", "school", "huisarts")
TRI = ("ja", "nee", None)


@dataclass(frozen=True)
class Mix:
    """What the generated dossiers look like. Shares are probabilities per dossier."""

    peildatum: dt.date = dt.date(2026, 12, 1)
    #: how far back the first signal lies, in days
    looptijd: int = 365
    sectoren: tuple[str | None, ...] = SECTOREN
    organisaties_per_sector: int = 3
    #: about this many events per dossier (signals, consultations and evaluations fill up)
    gebeurtenissen: int = 20
    melding: float = 0.35
    melding_door_ander: float = 0.1
    hulp: float = 0.45
    afgesloten: float = 0.3
    #: how often a step that should follow does not: no receipt, a missed evaluation,
    #: no agreement on contact at closure, no consultation after signals
    vertraging: float = 0.25
    na_afsluiting_signaal: float = 0.15
    vorm: str = "dossier"
    vormen: tuple[str, ...] = field(default=VORMEN)
    vorm_gewichten: tuple[int, ...] = field(default=VORM_GEWICHTEN)


def dossier(index: int, seed: int = 2026, mix: Mix | None = None) -> dict[str, Any]:
    """Dossier number ``index`` of the stream for ``seed`` (a plain, JSON-ready dict)."""
    mix = mix or Mix()
    rng = random.Random(seed * 1_000_003 + index)
    sector = rng.choice(mix.sectoren)
    organisatie = f"{(sector or 'basis')[:4]}-{rng.randrange(mix.organisaties_per_sector) + 1:02d}"
    if mix.vorm == "casus":
        return _casus(rng, index, sector, organisatie, mix)
    return _dossier(rng, index, sector, organisatie, mix)


def dossiers(count: int, seed: int = 2026, mix: Mix | None = None, start: int = 0) -> Iterator[dict[str, Any]]:
    for index in range(start, start + count):
        yield dossier(index, seed, mix)


def write_jsonl(out: TextIO, count: int, seed: int = 2026, mix: Mix | None = None) -> None:
    for item in dossiers(count, seed, mix):
        out.write(json.dumps(item, ensure_ascii=False, separators=(",", ":")))
        out.write("\n")


def _day(day: dt.date) -> str:
    return day.isoformat()


def _dossier(rng: random.Random, index: int, sector: str | None, organisatie: str, mix: Mix) -> dict[str, Any]:
    op = mix.peildatum
    first = op - dt.timedelta(days=rng.randrange(1, mix.looptijd + 1))
    span = (op - first).days
    vorm = rng.choices(mix.vormen, weights=mix.vorm_gewichten)[0]
    events: list[dict[str, Any]] = []

    def at(offset: int) -> dt.date:
        return min(op, first + dt.timedelta(days=max(0, offset)))

    signal: dict[str, Any] = {
        "soort": "signaal",
        "datum": _day(first),
        "vormen": [vorm],
        "herkomst": rng.choice(HERKOMSTEN),
    }
    if rng.random() < 0.5:
        signal["incidentdatum"] = _day(first - dt.timedelta(days=rng.randrange(0, 5)))
    if rng.random() < 0.7:
        signal["vastgelegd"] = "ja"
    events.append(signal)
    delay = rng.random() < mix.vertraging
    # More signals over the first weeks: a pattern, consulted on in time or (a delay) not.
    for _ in range(rng.randrange(1, 4)):
        events.append(
            {
                "soort": "signaal",
                "datum": _day(at(rng.randrange(1, 30))),
                "vormen": [vorm],
                "herkomst": rng.choice(HERKOMSTEN),
            }
        )
    consulted = not delay or rng.random() < 0.3
    if consulted:
        events.append(
            {
                "soort": "consultatie",
                "datum": _day(at(rng.randrange(30, 40))),
                "met": rng.choice(("collega", "aandachtsfunctionaris")),
            }
        )
        # most professionals also ask Veilig Thuis for advice in step 2; a delay skips it
        if rng.random() < 0.8:
            events.append({"soort": "consultatie", "datum": _day(at(rng.randrange(30, 40))), "met": "veilig_thuis"})
    events.append(
        {"soort": "kindcheck", "datum": _day(at(rng.randrange(0, 10))), "zorgt_voor_minderjarigen": rng.choice(TRI)}
    )
    events.append({"soort": "gesprek", "datum": _day(at(rng.randrange(35, 50)))})
    acuut = rng.random() < 0.1
    report = rng.random() < mix.melding
    help_ = rng.random() < mix.hulp
    afweging: dict[str, Any] = {
        "soort": "afweging",
        "datum": _day(at(rng.randrange(45, 60))),
        "vermoeden": "ja" if report or help_ else rng.choice(TRI),
        "acute_onveiligheid": "ja" if acuut and report else "nee" if report or help_ else None,
    }
    if help_:
        afweging.update({"structurele_onveiligheid": "nee", "hulp_mogelijk": "ja", "hulp_aanvaard": "ja"})
    elif report:
        afweging["structurele_onveiligheid"] = "ja"
    events.append(afweging)
    cursor = 60
    if rng.random() < mix.melding_door_ander:
        events.append({"soort": "melding", "datum": _day(at(rng.randrange(10, 60))), "door": "ander"})
    if report:
        day = rng.randrange(cursor, cursor + 5)
        events.append({"soort": "melding", "datum": _day(at(day)), "door": "mij", "besproken_met_client": "ja"})
        if not (rng.random() < mix.vertraging):
            events.append({"soort": "ontvangst_bevestigd", "datum": _day(at(day + rng.randrange(1, 5)))})
            events.append(
                {
                    "soort": "terugkoppeling_veilig_thuis",
                    "datum": _day(at(day + rng.randrange(5, 20))),
                    "uitkomst": rng.choice(("advies", "onderzoek", "hulp_georganiseerd", "overgedragen")),
                }
            )
        cursor = day + 20
    closed = False
    if help_:
        start = rng.randrange(cursor, cursor + 10)
        events.append(
            {
                "soort": "hulp_gestart",
                "datum": _day(at(start)),
                "hulpvorm": "ambulant",
                "evaluatiedatum": _day(at(start) + dt.timedelta(weeks=6)),
            }
        )
        evaluation = start + 42
        missed = rng.random() < mix.vertraging
        while evaluation < span and len(events) < mix.gebeurtenissen - 3:
            if missed and rng.random() < 0.5:
                break  # the agreed re-assessment does not happen: overdue from here on
            events.append(
                {
                    "soort": "hulp_geevalueerd",
                    "datum": _day(at(evaluation)),
                    "veilig": rng.choice(TRI),
                    "evaluatiedatum": _day(at(evaluation) + dt.timedelta(weeks=6)),
                }
            )
            evaluation += 42
        if rng.random() < mix.afgesloten * 2 and evaluation < span:
            agreed = rng.choice(("nee", None)) if rng.random() < 2 * mix.vertraging else "ja"
            events.append(
                {"soort": "hulp_afgesloten", "datum": _day(at(evaluation)), "afspraak_wie_contact_houdt": agreed}
            )
            if rng.random() < 0.6:  # the case closes too, or stays open for follow-up
                events.append({"soort": "zaak_afgesloten", "datum": _day(at(evaluation + 1))})
            closed = True
            cursor = evaluation + 2
    elif not report and rng.random() < mix.afgesloten and cursor < span:
        events.append({"soort": "zaak_afgesloten", "datum": _day(at(cursor))})
        closed, cursor = True, cursor + 1
    if closed and rng.random() < mix.na_afsluiting_signaal and cursor < span:
        day = rng.randrange(cursor, span + 1)
        events.append({"soort": "signaal", "datum": _day(at(day)), "vormen": [vorm], "herkomst": "school"})
        if rng.random() < 0.5:
            events.append({"soort": "zaak_heropend", "datum": _day(at(day))})
    # Fill up to about the wanted number with signals and consultations spread over the time.
    while len(events) < mix.gebeurtenissen + rng.randrange(-3, 4):
        moment = at(rng.randrange(0, max(1, min(span, cursor))))
        if rng.random() < 0.7:
            events.append(
                {"soort": "signaal", "datum": _day(moment), "vormen": [vorm], "herkomst": rng.choice(HERKOMSTEN)}
            )
        else:
            events.append({"soort": "consultatie", "datum": _day(moment), "met": rng.choice(("collega", "deskundige"))})
    events.sort(key=lambda e: e["datum"])  # stable: same-day events keep their story order
    item: dict[str, Any] = {"dossier_id": f"d{index:07d}", "organisatie": organisatie}
    if sector:
        item["sector"] = sector
    item["gebeurtenissen"] = events
    return item


def _casus(rng: random.Random, index: int, sector: str | None, organisatie: str, mix: Mix) -> dict[str, Any]:
    datum = mix.peildatum - dt.timedelta(days=rng.randrange(0, mix.looptijd))
    vorm = rng.choices(mix.vormen, weights=mix.vorm_gewichten)[0]
    report = rng.random() < mix.melding
    help_ = rng.random() < mix.hulp
    item: dict[str, Any] = {
        "dossier_id": f"c{index:07d}",
        "organisatie": organisatie,
        "datum": _day(datum),
        "vormen": [vorm],
    }
    if sector:
        item["sector"] = sector
    item["stappen"] = {
        "signalen_vastgelegd": rng.choice(TRI),
        "collega_geraadpleegd": rng.choice(TRI),
        "gesprek_gevoerd": rng.choice(TRI),
    }
    item["afweging"] = {
        "vermoeden": "ja" if report or help_ else rng.choice(TRI),
        "acute_onveiligheid": rng.choice(("ja", "nee")) if report else "nee" if help_ else rng.choice(TRI),
        "structurele_onveiligheid": "ja" if report else "nee" if help_ else rng.choice(TRI),
    }
    if help_ and not report:
        item["afweging"].update({"hulp_mogelijk": "ja", "hulp_aanvaard": "ja"})
    if report:
        item["melding"] = {"besproken_met_client": rng.choice(TRI), "ontvangst_bevestigd": rng.choice(TRI)}
    return item
