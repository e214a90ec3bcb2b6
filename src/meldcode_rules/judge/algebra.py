"""How the conclusions of the rules that fire combine: defined once, for one case and for a space.

Every definition here computes on *sets of cases*, each a Python ``int``. In
``check`` (:mod:`meldcode_rules.check.semantics`) a set is a bitmask over the
cases of a finite space (bit ``i``: case ``i``); for the judgement of one case
(:mod:`meldcode_rules.judge.combine`) the space holds just that case, so a set
is ``1`` (the case is in it) or ``0``. A rule enters through two sets: the
cases where it certainly fires (``zeker``) and where it fires under some
answer to the unknown facts (``mogelijk``). Every part of a judgement is a
union, intersection or difference of those sets, so the judgement of one case
and every proof over all cases evaluate the same definitions; there is no
second copy to keep in step.

The definitions (conclusions combine protectively, so adding a rule never
lowers protection):

- ``melden``: ``ja`` where a rule certainly concludes ``ja``; otherwise
  ``onbekend`` where a rule certainly concludes ``onbekend`` or a rule that
  concludes ``ja`` may fire; otherwise ``nee`` where a rule concludes ``nee``;
  where no rule settles it, the safety net (``vangnet``) answers ``onbekend``.
- ``besluit``: the most protective of the concluded ones and the floor that
  ``melden`` sets (``ja``: ``melden``, ``onbekend``: ``onvoldoende_informatie``,
  ``nee``: ``afsluiten``); ``nee`` with no rule concluding a besluit is
  ``verder_met_stappen``.
- ``stap``: 5 when a rule names step 5 (the decision; unfinished steps stay as
  actions), else the earliest step a rule names, else 1.
- actions: one per code, asked by every rule that certainly fires with it; the
  most urgent termijn chooses the text (on a tie, the first rule in ruleset order).
- records (``vastleggen``): one per text, with every rule that asks it.
- open questions: only what can change the judgement. A fact that is still
  unknown is asked when a rule that may fire (once unknowns are answered) tests
  it and, firing, would change ``melden`` (raise it, or settle the safety net),
  ``besluit`` (a more protective one, or any where ``nee`` left it open) or an
  action (a code the case lacks, or a text that would win); and when a rule that
  certainly fires asks it (``vragen``: the ruleset says the answer is needed now,
  for facts whose effect the engines cannot see ahead, such as a choice).

What only one case has, an order, is defined here too (:func:`actie_volgorde`): actions stand in
the meldcode's order (step, urgency, a route's order, catalog order).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from meldcode_rules.caches import lru
from meldcode_rules.compiler.compile import CompiledRule
from meldcode_rules.load.ruleset import BESLUIT_ORDE, TERMIJN_PATTERN

_VERDER = BESLUIT_ORDE.index("verder_met_stappen")
#: A set of cases: a bitmask over a space; for one case, 1 or 0.
Cases = int
STAPPEN = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class RuleCases:
    """Per rule id, the cases where it certainly (``zeker``) and possibly (``mogelijk``) fires.

    ``mogelijk`` may or may not include ``zeker``: only ``mogelijk`` minus ``zeker`` is used.
    A rule missing from a mapping fires nowhere.
    """

    zeker: Mapping[str, Cases]
    mogelijk: Mapping[str, Cases]
    #: every case of the space
    everything: Cases

    @classmethod
    def one_case(cls, zeker: Iterable[str], mogelijk: Iterable[str]) -> RuleCases:
        """The space of one case, from the ids of the rules that fire on it."""
        return cls(dict.fromkeys(zeker, 1), dict.fromkeys(mogelijk, 1), 1)

    def certain(self, rule_id: str) -> Cases:
        return self.zeker.get(rule_id, 0)

    def only_possible(self, rule_id: str) -> Cases:
        """Where the rule may fire once unknowns are answered, but does not fire for certain."""
        return self.mogelijk.get(rule_id, 0) & ~self.zeker.get(rule_id, 0)


@dataclass(frozen=True)
class MeldenCases:
    #: per value, where ``melden`` has it (the three sets partition the space)
    per_value: dict[str, Cases]
    #: where no rule settled ``melden`` and the safety net answered ``onbekend``
    vangnet: Cases


@lru(256)
def termijn_uren(termijn: str | None) -> float:
    """Urgency of a termijn in hours (no termijn: least urgent; werkdagen count 1.4 days)."""
    if termijn is None:
        return float("inf")
    match = TERMIJN_PATTERN.match(termijn)
    if termijn == "direct" or match is None:
        return 0.0
    n, unit = int(match["n"]), match["eenheid"]
    per = {
        "uur": 1,
        "uren": 1,
        "dag": 24,
        "dagen": 24,
        "werkdag": 24,
        "werkdagen": 24,
        "week": 168,
        "weken": 168,
    }[unit]
    return float(n * per) * (1.4 if unit.startswith("werkdag") else 1)


def actie_volgorde(
    code: str, termijn: str | None, stap: int | None, volgorde: int | None, plaats: int
) -> tuple[int, float, float, int, str]:
    """Where an action stands in a judgement: the meldcode's order, never the alphabet.

    By step first (an action placed in no step comes before the steps: nothing holds it
    back); within a step the most urgent termijn first; then the order a route declares
    (``volgorde``; actions without one after those with one); then the order of the
    action catalog (``plaats``), and the code only to make the order total.
    """
    return (stap or 0, termijn_uren(termijn), float("inf") if volgorde is None else volgorde, plaats, code)


def union(masks: Iterable[Cases]) -> Cases:
    return reduce(or_, masks, 0)


def the_value(per_value: Mapping[Any, Cases]) -> Any:
    """For one case: the value whose set holds it (the sets of a part partition the space)."""
    for value, cases in per_value.items():
        if cases:
            return value
    raise AssertionError("no value holds the case: the sets do not partition the space")


def _index(rules: Sequence[CompiledRule], keys: Callable[[CompiledRule], Iterable[Any]]) -> dict[str, tuple[Any, ...]]:
    """Per rule id, the keys (values, codes, texts, facts) it contributes to; rules with none left out."""
    return {rule.id: found for rule in rules if (found := tuple(keys(rule)))}


def _gather(per_rule: Mapping[str, Cases], index: Mapping[str, tuple[Any, ...]]) -> dict[Any, Cases]:
    """Per key, the union of the cases of the rules that contribute to it.

    Walks the rules of ``per_rule`` rather than the rules of each key: for one case that
    is just the few rules that fired, for a space every rule once. Rules that are not in
    ``index`` (not in this combination, or contributing nothing) are passed over.
    """
    out: dict[Any, Cases] = {}
    for rule_id, cases in per_rule.items():
        if cases:
            keys = index.get(rule_id)
            if keys:
                for key in keys:
                    out[key] = out.get(key, 0) | cases
    return out


class Combination:
    """The definitions above for one list of rules (in ruleset order), prepared once.

    ``later_beantwoord``: facts answered later by design, whose ``onbekend`` is a moment
    to re-assess rather than a question that could change ``melden``. Every result maps
    what a judgement can have (a value, a code, a text, a fact) to the cases that have
    it; what no case has may be left out, so read results with ``.get(key, 0)``.
    """

    def __init__(self, rules: Sequence[CompiledRule], later_beantwoord: Collection[str] = ()) -> None:
        self.rules = tuple(rules)
        #: per rule id: its place in ruleset order (the order rules are named in a judgement)
        self.plaats = {rule.id: n for n, rule in enumerate(rules)}
        self._melden = _index(rules, lambda r: () if r.dan.melden is None else (r.dan.melden,))
        self._besluit = _index(rules, lambda r: () if r.dan.besluit is None else (r.dan.besluit,))
        self._stap = _index(rules, lambda r: () if r.dan.stap is None else (r.dan.stap,))
        self._codes = _index(rules, lambda r: (a.code for a in r.dan.acties))
        self._teksten = _index(rules, lambda r: r.dan.vastleggen)
        self._vragen = _index(rules, lambda r: r.dan.vragen)
        #: per action code: (rule id, the rule's action) in ruleset order
        acties: dict[str, list[tuple[str, Any]]] = {}
        for rule in rules:
            for actie in rule.dan.acties:
                acties.setdefault(actie.code, []).append((rule.id, actie))
        self.acties = {code: tuple(c) for code, c in acties.items()}
        # The order in which a code's texts win: most urgent first, ties in ruleset order.
        self._keuze = {code: tuple(sorted(c, key=lambda c: termijn_uren(c[1].termijn))) for code, c in acties.items()}
        #: per record text: the rule ids that ask it, in ruleset order
        vastleggen: dict[str, list[str]] = {}
        for rule in rules:
            for tekst in rule.dan.vastleggen:
                vastleggen.setdefault(tekst, []).append(rule.id)
        self.vastleggen = {t: tuple(r) for t, r in vastleggen.items()}
        # Questions that could change melden: per rule that concludes melden, its facts.
        # Questions that could change the judgement: per rule that concludes melden, a
        # besluit or actions, its unknown-able facts.
        self._vraagregels = {
            r.id: tuple(f for f in r.feiten if f not in later_beantwoord)
            for r in rules
            if r.dan.melden is not None or r.dan.besluit is not None or r.dan.acties
        }
        self._regel = {r.id: r for r in rules}
        #: per code, per rule id: its place in the order the code's texts win
        self._keuze_plaats = {code: {r: n for n, (r, _a) in enumerate(c)} for code, c in self._keuze.items()}

    # ------------------------------------------------------------ melden, besluit, stap

    def melden(self, fired: RuleCases) -> MeldenCases:
        certain = _gather(fired.zeker, self._melden)
        ja = certain.get("ja", 0)
        possible_ja = 0
        for rule_id, cases in fired.mogelijk.items():
            if cases and self._melden.get(rule_id) == ("ja",):
                possible_ja |= cases & ~fired.certain(rule_id)
        onbekend = (certain.get("onbekend", 0) | possible_ja) & ~ja
        nee = certain.get("nee", 0) & ~ja & ~onbekend
        vangnet = fired.everything & ~(ja | onbekend | nee)
        return MeldenCases({"nee": nee, "onbekend": onbekend | vangnet, "ja": ja}, vangnet)

    def besluit(self, fired: RuleCases, melden: MeldenCases) -> dict[str, Cases]:
        concluded = _gather(fired.zeker, self._besluit)
        any_concluded = union(concluded.values())
        nee = melden.per_value["nee"]
        floor = {
            "melden": melden.per_value["ja"],
            "onvoldoende_informatie": melden.per_value["onbekend"],
            "afsluiten": nee & any_concluded,
            "verder_met_stappen": nee & ~any_concluded,
        }
        besluit: dict[str, Cases] = {}
        taken = 0
        for value in reversed(BESLUIT_ORDE):  # most protective first: it wins
            present = (concluded.get(value, 0) | floor.get(value, 0)) & ~taken
            besluit[value] = present
            taken |= present
        return {value: besluit[value] for value in BESLUIT_ORDE}

    def stap(self, fired: RuleCases) -> dict[int, Cases]:
        named = _gather(fired.zeker, self._stap)
        out = {5: named.get(5, 0)}
        taken = out[5]
        for k in STAPPEN[:-1]:
            out[k] = named.get(k, 0) & ~taken
            taken |= named.get(k, 0)
        out[1] |= fired.everything & ~taken
        return {k: out[k] for k in STAPPEN}

    # ------------------------------------------------------------ actions, records, questions

    def actie_codes(self, fired: RuleCases, only: Collection[str] | None = None) -> dict[str, Cases]:
        """Per action code (of ``only``, default all), where the judgement has that action."""
        found = _gather(fired.zeker, self._codes)
        return found if only is None else {code: found[code] for code in only if code in found}

    def actie_keuze(self, fired: RuleCases) -> dict[str, tuple[tuple[str, Any, Cases], ...]]:
        """Per code, per (rule, action) in the order they win: where that rule's text is chosen.

        Rules whose text is chosen nowhere, and codes no case has, are left out.
        """
        out: dict[str, tuple[tuple[str, Any, Cases], ...]] = {}
        zeker = fired.zeker
        for code in _gather(zeker, self._codes):
            taken = 0
            chosen = []
            for rule_id, actie in self._keuze[code]:
                cases = zeker.get(rule_id, 0) & ~taken
                if cases:
                    chosen.append((rule_id, actie, cases))
                    taken |= cases
            out[code] = tuple(chosen)
        return out

    def vastleggingen(self, fired: RuleCases, only: Collection[str] | None = None) -> dict[str, Cases]:
        """Per record text (of ``only``, default all), where the judgement asks to record it."""
        found = _gather(fired.zeker, self._teksten)
        return found if only is None else {tekst: found[tekst] for tekst in only if tekst in found}

    def gevraagd(self, fired: RuleCases, only: Collection[str] | None = None) -> dict[str, Cases]:
        """Per fact (of ``only``, default all), where a rule that certainly fires asks it (``vragen``)."""
        found = _gather(fired.zeker, self._vragen)
        return found if only is None else {fact: found[fact] for fact in only if fact in found}

    def verandert(self, fired: RuleCases, melden: MeldenCases, rule_id: str) -> Cases:
        """Where ``rule_id``, if it also fired, would change melden, besluit or an action."""
        return self._verandert(Stand(self, fired, melden), rule_id)

    def _verandert(self, now: Stand, rule_id: str, within: Cases | None = None) -> Cases:
        """As :meth:`verandert`; stops early once every case of ``within`` is known to change."""
        dan = self._regel[rule_id].dan
        per_value = now.melden.per_value
        within = now.fired.everything if within is None else within
        out = 0
        if dan.melden == "ja":
            out |= ~per_value["ja"]
        elif dan.melden == "onbekend":
            out |= per_value["nee"]
        elif dan.melden == "nee":
            out |= now.melden.vangnet  # it would settle what only the safety net answered
        for actie in dan.acties:
            if out & within == within:
                return within
            out |= ~now.present.get(actie.code, 0)  # an action the case does not have yet
        if dan.besluit is not None and out & within != within:
            rank = BESLUIT_ORDE.index(dan.besluit)
            for lower in BESLUIT_ORDE[:rank]:
                out |= now.besluit[lower]
            if rank < _VERDER:
                # melden nee with no besluit concluded reads verder_met_stappen; any
                # concluded besluit replaces it.
                out |= now.besluit["verder_met_stappen"] & per_value["nee"] & ~now.any_concluded
        for actie in dan.acties:
            if out & within == within:
                return within
            places = self._keuze_plaats[actie.code]
            mine = places[rule_id]
            for other, theirs, cases in now.chosen.get(actie.code, ()):
                # its text would win over the chosen one, and it reads otherwise
                if places[other] > mine and (theirs.tekst, theirs.termijn) != (actie.tekst, actie.termijn):
                    out |= cases
        return out & within

    def stand(self, fired: RuleCases, melden: MeldenCases) -> Stand:
        """The judgement's besluit and actions as they stand (built once, read by several parts)."""
        return Stand(self, fired, melden)

    def vraag_kandidaten(
        self, fired: RuleCases, melden: MeldenCases, stand: Stand | None = None
    ) -> dict[str, tuple[tuple[str, Cases], ...]]:
        """Per fact, (rule, where the rule makes it a question) for each rule that can.

        The fact is asked where it is still unknown; a fact that is not tri-state (a
        choice or a list) is asked whatever its value. In the order a judgement names
        the rules with the question: first the rules whose firing could change the
        judgement, then the rules that ask it, each part in ruleset order; a rule can
        appear in both parts (on other cases), and on one case counts once, where it
        first holds. Rules that make the fact a question nowhere are left out.
        """
        zeker, mogelijk = fired.zeker, fired.mogelijk
        now = stand
        wanted: dict[str, list[tuple[str, Cases]]] = {}
        # Only rules that may fire can make a question: walk those (for one case a few, not
        # every rule of the ruleset), in ruleset order.
        vraagregels = self._vraagregels
        candidates = [r for r, c in mogelijk.items() if c and r in vraagregels]
        if len(candidates) > 1:
            candidates.sort(key=self.plaats.__getitem__)
        for rule_id in candidates:
            facts = vraagregels[rule_id]
            possible = mogelijk[rule_id]
            if possible and facts:
                possible &= ~zeker.get(rule_id, 0)
            if possible and facts:
                now = now or Stand(self, fired, melden)
                cases = self._verandert(now, rule_id, possible)
                if cases:
                    for fact in facts:
                        wanted.setdefault(fact, []).append((rule_id, cases))
        for rule_id, facts in self._vragen.items():
            cases = zeker.get(rule_id, 0)
            if cases:
                for fact in facts:
                    wanted.setdefault(fact, []).append((rule_id, cases))
        return {fact: tuple(by_rule) for fact, by_rule in wanted.items()}


class Stand:
    """The judgement as it stands (besluit, actions), for asking what one more rule would change."""

    def __init__(self, combination: Combination, fired: RuleCases, melden: MeldenCases) -> None:
        self.fired = fired
        self.melden = melden
        self.besluit = combination.besluit(fired, melden)
        self.any_concluded = union(_gather(fired.zeker, combination._besluit).values())
        self.present = combination.actie_codes(fired)
        self.chosen = combination.actie_keuze(fired)
