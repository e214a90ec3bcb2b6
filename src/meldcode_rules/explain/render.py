"""Pictures of a compiled ruleset: the afwegingskader, the steps and a decision table.

Everything is generated from a :class:`CompiledRuleset`, so a picture cannot
drift from the rules. The *shape* of the afwegingskader (five questions,
ja/nee, where each branch ends) is the national model and is declared here
once, in :data:`TAKKEN`; which rules implement each branch is computed from
the ruleset by evaluating every rule's ``zeker`` expression on the case the
branch stands for. ``tests/test_render.py`` runs those same cases through
:func:`meldcode_rules.api.evaluate` and checks they end where the chart says.

Formats: ``mermaid`` (the flowchart alone), ``markdown`` (flowchart, steps
and table; used for the docs site) and ``html`` (one self-contained page).
The HTML page draws the flowchart with plain HTML and inline CSS and carries
the Mermaid source as text: no JavaScript and no network are needed to read it
(see :func:`html`).
"""

from __future__ import annotations

import html as html_lib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, Literal

from meldcode_rules.api import parse_case
from meldcode_rules.bronnen import TAG_PATTERN, Bron, bronnen_voor
from meldcode_rules.compiler.compile import CompiledRule, CompiledRuleset, begrip_refs, evaluate_expr
from meldcode_rules.explain.render_tijd import tijd_html, tijd_markdown
from meldcode_rules.load.operators import BY_NAME
from meldcode_rules.load.ruleset import Alle, Begrip, Conclusie, Conditie, EenVan, FeitTest, fold

Format = Literal["mermaid", "markdown", "html"]
FORMATS: tuple[str, ...] = ("mermaid", "markdown", "html")

# ---------------------------------------------------------------- the afwegingskader


@dataclass(frozen=True)
class Knoop:
    """A node of the chart: a question (``vraag``) or an end (``einde``)."""

    id: str
    tekst: str
    soort: Literal["vraag", "einde"]
    #: for a question: the fact it asks
    feit: str | None = None


@dataclass(frozen=True)
class Tak:
    """One edge: from a question, with an answer, to a node.

    ``gevallen`` are the cases (nested case-file dicts) this edge stands for;
    an edge that ends in a decision says which ``melden`` and ``besluit`` the
    engine must reach there; an edge to the next question says the next
    question is open. ``actie`` is an action code the engine must ask for.
    """

    van: str
    antwoord: str
    naar: str
    gevallen: tuple[Mapping[str, Any], ...]
    melden: str | None = None
    besluit: str | None = None
    actie: str | None = None


#: The chart's cases answer the afwegingsvragen after stap 1 tot en met 3 (afwegingsvraag 1
#: rests on them; with a step open the basismodel does not close, issue 15).
_STAPPEN_GEDAAN = {"signalen_vastgelegd": "ja", "collega_geraadpleegd": "ja", "gesprek_gevoerd": "ja"}


def _afweging(**answers: str) -> dict[str, Any]:
    return {"afweging": dict(answers), "stappen": dict(_STAPPEN_GEDAAN)}


_GEEN_ONVEILIGHEID = {"vermoeden": "ja", "acute_onveiligheid": "nee", "structurele_onveiligheid": "nee"}
_HULP_LOOPT = {**_GEEN_ONVEILIGHEID, "hulp_mogelijk": "ja", "hulp_aanvaard": "ja"}

KNOPEN: tuple[Knoop, ...] = (
    Knoop("V1", "1. Is er een vermoeden van huiselijk geweld of kindermishandeling?", "vraag", "afweging.vermoeden"),
    Knoop("V2", "2. Is er acute of structurele onveiligheid?", "vraag", "afweging.acute_onveiligheid"),
    Knoop("V3", "3. Kan ik voldoende effectieve hulp bieden of organiseren?", "vraag", "afweging.hulp_mogelijk"),
    Knoop(
        "V4", "4. Aanvaarden de betrokkenen de hulp en verbinden zij zich daaraan?", "vraag", "afweging.hulp_aanvaard"
    ),
    Knoop("H", "Hulp bieden of organiseren en de veiligheid volgen", "einde"),
    Knoop("V5", "5. Leidt de hulp tot de noodzakelijke veiligheid?", "vraag", "afweging.hulp_effectief"),
    Knoop("A1", "Afsluiten en vastleggen", "einde"),
    Knoop("M1", "Melden bij Veilig Thuis (meldnorm 1)", "einde"),
    Knoop("M2", "Melden bij Veilig Thuis (meldnorm 2)", "einde"),
    Knoop("M2B", "Melden bij Veilig Thuis (meldnorm 2)", "einde"),
    Knoop("M3", "Melden bij Veilig Thuis (meldnorm 3)", "einde"),
    Knoop("A5", "Afsluiten met afspraken over het volgen van de veiligheid", "einde"),
)

TAKKEN: tuple[Tak, ...] = (
    Tak(
        "V1",
        "nee",
        "A1",
        (_afweging(vermoeden="nee", acute_onveiligheid="nee", structurele_onveiligheid="nee"),),
        melden="nee",
        besluit="afsluiten",
    ),
    Tak("V1", "ja", "V2", (_afweging(vermoeden="ja"),)),
    Tak(
        "V2",
        "ja",
        "M1",
        (
            _afweging(vermoeden="ja", acute_onveiligheid="ja"),
            _afweging(vermoeden="ja", structurele_onveiligheid="ja"),
        ),
        melden="ja",
        besluit="melden",
    ),
    Tak("V2", "nee", "V3", (_afweging(**_GEEN_ONVEILIGHEID),)),
    Tak("V3", "nee", "M2", (_afweging(**_GEEN_ONVEILIGHEID, hulp_mogelijk="nee"),), melden="ja", besluit="melden"),
    Tak("V3", "ja", "V4", (_afweging(**_GEEN_ONVEILIGHEID, hulp_mogelijk="ja"),)),
    Tak(
        "V4",
        "nee",
        "M2B",
        (_afweging(**_GEEN_ONVEILIGHEID, hulp_mogelijk="ja", hulp_aanvaard="nee"),),
        melden="ja",
        besluit="melden",
    ),
    Tak("V4", "ja", "H", (_afweging(**_HULP_LOOPT),), melden="nee", besluit="hulp_bieden_of_organiseren"),
    Tak("H", "na de afgesproken termijn", "V5", (_afweging(**_HULP_LOOPT),), actie="herbeoordelen"),
    Tak("V5", "nee", "M3", (_afweging(**_HULP_LOOPT, hulp_effectief="nee"),), melden="ja", besluit="melden"),
    Tak("V5", "ja", "A5", (_afweging(**_HULP_LOOPT, hulp_effectief="ja"),), melden="nee", besluit="afsluiten"),
)


def knoop(knoop_id: str) -> Knoop:
    return next(k for k in KNOPEN if k.id == knoop_id)


@dataclass(frozen=True)
class GetekendeTak:
    """An edge with the rules of this ruleset that implement it."""

    tak: Tak
    regels: tuple[str, ...]


def _flat(ruleset: CompiledRuleset, case: Mapping[str, Any]) -> dict[str, Any]:
    return ruleset.catalog.flatten(parse_case(case))


def _implements(rule: CompiledRule, tak: Tak) -> bool:
    if tak.melden is not None or tak.besluit is not None:
        # the rules that conclude what this branch ends in (not the ones it overrules)
        return (rule.dan.melden is not None and rule.dan.melden == tak.melden) or (
            rule.dan.besluit is not None and rule.dan.besluit == tak.besluit
        )
    if tak.actie is not None:
        return any(a.code == tak.actie for a in rule.dan.acties)
    return False


def takken(ruleset: CompiledRuleset) -> list[GetekendeTak]:
    """Every edge of the afwegingskader, with the rules that certainly fire on its cases."""
    out = []
    for tak in TAKKEN:
        ids: dict[str, None] = {}
        for case in tak.gevallen:
            flat = _flat(ruleset, case)
            for rule in ruleset.rules:
                if _implements(rule, tak) and evaluate_expr(rule.zeker, flat):
                    ids[rule.id] = None
        out.append(GetekendeTak(tak, tuple(ids)))
    return out


# ---------------------------------------------------------------- readable Dutch


def conditie_tekst(cond: Conditie) -> str:
    """A condition in readable Dutch (``begrip`` references are kept by name).

    The wording of each operator comes from the operator table (``Operator.woorden``).
    """

    def feit(test: FeitTest, _path: object) -> str:
        name, value = test.operator()
        return f"{test.feit} {BY_NAME[name].woorden} {', '.join(value) if isinstance(value, list) else value}"

    def join(word: str) -> Callable[[Alle | EenVan, list[str]], str]:
        def combine(node: Alle | EenVan, parts: list[str]) -> str:
            items = node.alle if isinstance(node, Alle) else node.een_van
            return word.join(f"({p})" if isinstance(c, Alle | EenVan) else p for c, p in zip(items, parts, strict=True))

        return combine

    return fold(
        cond,
        feit=feit,
        begrip=lambda ref, _: f"begrip {ref.begrip}",
        alle=join(" en "),
        een_van=join(" of "),
        niet=lambda _, inner: f"niet ({inner})",
    )


def conclusie_tekst(dan: Conclusie) -> str:
    parts = []
    if dan.melden is not None:
        parts.append(f"melden: {dan.melden}")
    if dan.besluit is not None:
        parts.append(f"besluit: {dan.besluit}")
    if dan.stap is not None:
        parts.append(f"stap {dan.stap}")
    for actie in dan.acties:
        parts.append(f"actie {actie.code}" + (f" ({actie.termijn})" if actie.termijn else ""))
    if dan.vragen:
        parts.append("vraag naar " + ", ".join(dan.vragen))
    if dan.vastleggen and not parts:
        parts.append("vastleggen")
    return "; ".join(parts)


# ---------------------------------------------------------------- steps

STAPPEN: dict[int, str] = {
    1: "Signalen in kaart brengen",
    2: "Collegiale consultatie en zo nodig Veilig Thuis of een deskundige raadplegen",
    3: "Gesprek met de cliënt",
    4: "Wegen met het afwegingskader",
    5: "Beslissen: hulp bieden of organiseren en/of melden",
}


@dataclass
class Stap:
    nummer: int
    titel: str
    regels: list[CompiledRule] = field(default_factory=list)


def stappen(ruleset: CompiledRuleset) -> tuple[list[Stap], list[CompiledRule]]:
    """The rules per step, and the rules that apply whatever the step (with something to record)."""
    per = [Stap(n, titel) for n, titel in STAPPEN.items()]
    overig = []
    for rule in ruleset.rules:
        if rule.dan.stap is not None:
            per[rule.dan.stap - 1].regels.append(rule)
        elif rule.dan.vastleggen or rule.dan.acties:
            overig.append(rule)
    return per, overig


# ---------------------------------------------------------------- mermaid


def _mermaid_label(text: str) -> str:
    return html_lib.escape(text, quote=False).replace('"', "#quot;")


def mermaid(ruleset: CompiledRuleset) -> str:
    """The afwegingskader as a Mermaid flowchart, edges annotated with rule ids."""
    lines = ["flowchart TD"]
    for k in KNOPEN:
        label = _mermaid_label(k.tekst)
        lines.append(f'    {k.id}{{"{label}"}}' if k.soort == "vraag" else f'    {k.id}(["{label}"])')
    for getekend in takken(ruleset):
        tak = getekend.tak
        parts = [tak.antwoord, *getekend.regels]
        if not getekend.regels and (tak.melden or tak.besluit or tak.actie):
            parts.append("⚠ geen regel")
        label = "<br/>".join(_mermaid_label(p) for p in parts)
        lines.append(f'    {tak.van} -->|"{label}"| {tak.naar}')
    lines += _mermaid_sector(ruleset)
    lines.append("    classDef melden fill:#fde2e1,stroke:#b42318")
    lines.append("    classDef afsluiten fill:#e3f4e8,stroke:#1e7a3c")
    lines.append("    classDef sector fill:#fff8db,stroke:#b54708")
    lines.append("    class M1,M2,M2B,M3 melden")
    lines.append("    class A1,A5,H afsluiten")
    if ruleset.sector is not None:
        eigen = eigen_regels(ruleset)
        lines.append("    class " + (",".join(f"S{i}" for i in range(1, len(eigen) + 1)) or "S0") + " sector")
    return "\n".join(lines) + "\n"


def eigen_regels(ruleset: CompiledRuleset) -> list[CompiledRule]:
    """The rules a sector adds to what it extends (none for the basismodel itself)."""
    if ruleset.sector is None:
        return []
    return [r for r in ruleset.rules if r.ruleset == ruleset.id]


def _vraag_van(rule: CompiledRule) -> str | None:
    """The question of the chart whose fact the rule tests first (to hang its node under)."""
    for feit in rule.feiten:
        for k in KNOPEN:
            if k.feit == feit:
                return k.id
    return None


def _mermaid_sector(ruleset: CompiledRuleset) -> list[str]:
    """What the sector adds: one node per own rule, in a box of its own, linked to its question."""
    if ruleset.sector is None:
        return []
    eigen = eigen_regels(ruleset)
    box = f"Wat {ruleset.sector} toevoegt"
    lines = [f'    subgraph S["{_mermaid_label(box)}"]']
    if not eigen:
        lines.append(f'        S0["{_mermaid_label("geen eigen regels: het basismodel geldt zoals het is")}"]')
    for i, rule in enumerate(eigen, start=1):
        doet = [a.code for a in rule.dan.acties]
        if rule.dan.melden:
            doet.insert(0, f"melden: {rule.dan.melden}")
        label = "<br/>".join(_mermaid_label(t) for t in (rule.titel, rule.id, ", ".join(doet)) if t)
        lines.append(f'        S{i}["{label}"]')
    lines.append("    end")
    for i, rule in enumerate(eigen, start=1):
        vraag = _vraag_van(rule)
        if vraag is not None:
            lines.append(f"    {vraag} -.-> S{i}")
    return lines


# ---------------------------------------------------------------- markdown


def _md(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _titel(ruleset: CompiledRuleset) -> str:
    return f"Ruleset {ruleset.id}" + (f" (sector {ruleset.sector})" if ruleset.sector else "")


def _versies(ruleset: CompiledRuleset) -> str:
    return ", ".join(f"{r.id} {r.versie} (geldig vanaf {r.geldig_vanaf.isoformat()})" for r in ruleset.rulesets)


def markdown(ruleset: CompiledRuleset) -> str:
    """Flowchart, branch table, steps and the decision table, as Markdown."""
    out = [
        f"# {_titel(ruleset)}",
        "",
        f"Gegenereerd uit de gecompileerde ruleset: {_versies(ruleset)}.",
        "",
        "## Afwegingskader",
        "",
        "```mermaid",
        mermaid(ruleset).rstrip("\n"),
        "```",
        "",
        "| Vraag | Antwoord | Dan | Regels |",
        "|---|---|---|---|",
    ]
    for getekend in takken(ruleset):
        tak = getekend.tak
        regels = ", ".join(f"`{r}`" for r in getekend.regels) or "-"
        out.append(f"| {_md(knoop(tak.van).tekst)} | {tak.antwoord} | {_md(knoop(tak.naar).tekst)} | {regels} |")
    out += ["", "## Stappen en wat u vastlegt", ""]
    per, overig = stappen(ruleset)
    for stap in per:
        out += [f"### Stap {stap.nummer}: {stap.titel}", ""]
        out += _md_regels(stap.regels) or ["Geen regel in deze ruleset.", ""]
    if overig:
        out += ["### Wanneer van toepassing", ""]
        out += _md_regels(overig)
    eigen = eigen_regels(ruleset)
    if ruleset.sector is not None:
        out += [f"## Wat {ruleset.sector} toevoegt", ""]
        out += _md_regels(eigen) or ["Geen eigen regels: het basismodel geldt zoals het is.", ""]
    out += ["## Beslistabel", "", "| Regel | Als | Dan | Bron |", "|---|---|---|---|"]
    for rule in ruleset.rules:
        out.append(
            f"| `{rule.id}`<br/>{_md(rule.titel)}<br/><small>{_md(_locatie(rule))}</small> "
            f"| {_md(conditie_tekst(rule.als))} | {_md(conclusie_tekst(rule.dan))} | {_md_bron(rule.bron)} |"
        )
    gebruikt = gebruikte_begrippen(ruleset)
    if gebruikt:
        out += ["", "## Begrippen", "", "De begrippen die de beslistabel gebruikt:", ""]
        out += ["| Begrip | Betekent | Bron |", "|---|---|---|"]
        for begrip in gebruikt:
            out.append(
                f"| `{begrip.id}`<br/>{_md(begrip.titel)} | {_md(conditie_tekst(begrip.als))} | {_md(begrip.bron)} |"
            )
    out += ["", *_md_bronnen(ruleset)]
    tijd = tijd_markdown(ruleset)
    return "\n".join([*out, "", *tijd] if tijd else out) + "\n"


def gebruikte_begrippen(ruleset: CompiledRuleset) -> list[Begrip]:
    """Every begrip the rules use, also through another begrip, in order of first use."""
    seen: dict[str, Begrip] = {}
    todo = [ref for rule in ruleset.rules for ref in begrip_refs(rule.als)]
    while todo:
        ref = todo.pop(0)
        begrip = ruleset.begrippen.get(ref)
        if begrip is None or ref in seen:
            continue
        seen[ref] = begrip
        todo += begrip_refs(begrip.als)
    return list(seen.values())


def _bronnen(ruleset: CompiledRuleset) -> list[Bron]:
    """The legend entries of every tag the rules cite, in order of first citation."""
    seen: dict[str, Bron] = {}
    for rule in ruleset.rules:
        for bron in bronnen_voor(rule.bron):
            seen.setdefault(bron.tag, bron)
    return list(seen.values())


def _anker(tag: str) -> str:
    return "bron-" + tag.lower()


def _md_bron(text: str) -> str:
    """A ``bron`` in Markdown, each tag a link to its entry under "Bronnen"."""
    known = {b.tag for b in bronnen_voor(text)}
    return TAG_PATTERN.sub(
        lambda m: f"[\\[{m.group(1)}\\]](#{_anker(m.group(1))})" if m.group(1) in known else m.group(0), _md(text)
    )


def _md_bronnen(ruleset: CompiledRuleset) -> list[str]:
    out = [
        "## Bronnen",
        "",
        "De afkortingen in de kolom Bron; de hele legenda staat in docs/bronnen.md.",
        "",
        "| afkorting | bron |",
        "|---|---|",
    ]
    for bron in _bronnen(ruleset):
        jaar = str(bron.jaar) if bron.jaar is not None else "zonder jaar"
        out.append(
            f'| <a id="{_anker(bron.tag)}"></a>`{bron.tag}` '
            f"| {_md(bron.titel)}. {_md(bron.uitgever)}, {jaar}. {_md(bron.adres)} |"
        )
    return out


def _locatie(rule: CompiledRule) -> str:
    # the file's name, never the absolute path of the machine it was rendered on
    loc = rule.location
    return f"{rule.ruleset}: {PurePath(loc.file).name}:{loc.line}"


def _md_regels(rules: list[CompiledRule]) -> list[str]:
    out = []
    for rule in rules:
        out.append(f"- **{_md(rule.titel)}** (`{rule.id}`)")
        for actie in rule.dan.acties:
            termijn = f" (termijn: {actie.termijn})" if actie.termijn else ""
            out.append(f"    - Doen: {_md(actie.tekst)}{termijn}")
        for tekst in rule.dan.vastleggen:
            out.append(f"    - Vastleggen: {_md(tekst)}")
    return [*out, ""] if out else []


# ---------------------------------------------------------------- html

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:72rem;color:#1d2939;
line-height:1.45;padding:0 1rem}
h1{color:#1f3a5f}h2{border-bottom:2px solid #1f3a5f;padding-bottom:.2rem;margin-top:2.2rem}
table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{border:1px solid #d0d5dd;padding:.4rem .5rem;
vertical-align:top;text-align:left;font-size:.92rem}th{background:#1f3a5f;color:#fff}
code{background:#f2f4f7;padding:0 .2rem;border-radius:3px}
.kader{display:grid;gap:.6rem}.vraag{display:grid;grid-template-columns:22rem 1fr;gap:.6rem;align-items:start}
.q{background:#eef4ff;border:2px solid #1f3a5f;border-radius:.6rem;padding:.6rem;font-weight:600}
.takken{display:grid;gap:.4rem}.tak{display:grid;grid-template-columns:9rem 1fr;gap:.4rem}
.antw{font-weight:700;padding:.4rem;border-radius:.4rem;background:#f2f4f7;text-align:center}
.ja{background:#fff4e5}.nee{background:#eaf2ff}
.eind{border-radius:1.2rem;padding:.4rem .8rem;border:2px solid #667085}
.melden{background:#fde2e1;border-color:#b42318}.afsluiten{background:#e3f4e8;border-color:#1e7a3c}
.volgende{background:#fff;border-style:dashed}
.regels{font-size:.85rem;color:#475467}details{margin:1rem 0}pre{background:#f2f4f7;padding:.8rem;overflow:auto}
"""


def _e(text: str) -> str:
    return html_lib.escape(" ".join(text.split()))


def _eind_klasse(k: Knoop) -> str:
    if k.soort == "vraag":
        return "volgende"
    return "melden" if k.id.startswith("M") else "afsluiten"


def html(ruleset: CompiledRuleset) -> str:
    """One self-contained page (inline CSS, no scripts, no network).

    The flowchart is drawn with HTML and CSS rather than Mermaid's JavaScript:
    ``mermaid.min.js`` is an npm package (this project installs from PyPI and
    Debian only), about 3 MB, and a page that needs a script to show the
    afwegingskader is blank where scripts are blocked. The Mermaid source is
    included for whoever wants to paste it into an editor.
    """
    getekend = takken(ruleset)
    kader = []
    for k in KNOPEN:
        eigen = [g for g in getekend if g.tak.van == k.id]
        if not eigen:
            continue
        rows = []
        for g in eigen:
            doel = knoop(g.tak.naar)
            regels = ", ".join(f"<code>{_e(r)}</code>" for r in g.regels)
            rows.append(
                f'<div class="tak"><div class="antw {_e(g.tak.antwoord)}">{_e(g.tak.antwoord)}</div>'
                f'<div class="eind {_eind_klasse(doel)}">{"→ " if doel.soort == "vraag" else ""}{_e(doel.tekst)}'
                + (f'<div class="regels">regels: {regels}</div>' if regels else "")
                + "</div></div>"
            )
        kader.append(
            f'<div class="vraag"><div class="q">{_e(k.tekst)}</div><div class="takken">{"".join(rows)}</div></div>'
        )
    per, overig = stappen(ruleset)
    stap_html = []
    for stap in [*per, Stap(0, "Wanneer van toepassing", overig)]:
        if not stap.regels:
            continue
        kop = f"Stap {stap.nummer}: {stap.titel}" if stap.nummer else stap.titel
        items = []
        for rule in stap.regels:
            sub = [
                f"<li>Doen: {_e(a.tekst)}" + (f" (termijn: {_e(a.termijn)})" if a.termijn else "") + "</li>"
                for a in rule.dan.acties
            ]
            sub += [f"<li>Vastleggen: {_e(t)}</li>" for t in rule.dan.vastleggen]
            items.append(
                f"<li><strong>{_e(rule.titel)}</strong> (<code>{_e(rule.id)}</code>)<ul>{''.join(sub)}</ul></li>"
            )
        stap_html.append(f"<h3>{_e(kop)}</h3><ul>{''.join(items)}</ul>")
    rijen = "".join(
        f"<tr><td><code>{_e(r.id)}</code><br>{_e(r.titel)}<br><small>{_e(_locatie(r))}</small></td>"
        f"<td>{_e(conditie_tekst(r.als))}</td><td>{_e(conclusie_tekst(r.dan))}</td><td>{_html_bron(r.bron)}</td></tr>"
        for r in ruleset.rules
    )
    legenda_rijen = "".join(
        f'<tr id="{_anker(b.tag)}"><td><code>{_e(b.tag)}</code></td><td>{_e(b.titel)}</td><td>{_e(b.uitgever)}</td>'
        f"<td>{_e(str(b.jaar) if b.jaar is not None else 'zonder jaar')}</td><td>{_e(b.adres)}</td></tr>"
        for b in _bronnen(ruleset)
    )
    begrip_rijen = "".join(
        f"<tr><td><code>{_e(b.id)}</code><br>{_e(b.titel)}</td><td>{_e(conditie_tekst(b.als))}</td>"
        f"<td>{_e(b.bron)}</td></tr>"
        for b in gebruikte_begrippen(ruleset)
    )
    begrip_html = (
        "<h2>Begrippen</h2><table><thead><tr><th>Begrip</th><th>Betekent</th><th>Bron</th></tr></thead>"
        f"<tbody>{begrip_rijen}</tbody></table>"
        if begrip_rijen
        else ""
    )
    sector_html = ""
    if ruleset.sector is not None:
        regel_items = "".join(
            f"<li><strong>{_e(r.titel)}</strong> (<code>{_e(r.id)}</code>): {_e(conclusie_tekst(r.dan))}</li>"
            for r in eigen_regels(ruleset)
        )
        sector_html = f"<h2>Wat {_e(ruleset.sector)} toevoegt</h2>" + (
            f"<ul>{regel_items}</ul>" if regel_items else "<p>Geen eigen regels: het basismodel geldt zoals het is.</p>"
        )
    return (
        '<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8">'
        f"<title>{_e(_titel(ruleset))}</title><style>{_CSS}</style></head><body>"
        f"<h1>{_e(_titel(ruleset))}</h1><p>Gegenereerd uit de gecompileerde ruleset: {_e(_versies(ruleset))}.</p>"
        f'<h2>Afwegingskader</h2><div class="kader">{"".join(kader)}</div>'
        "<details><summary>Mermaid-bron van dit schema</summary>"
        f"<pre>{html_lib.escape(mermaid(ruleset))}</pre></details>"
        f"{sector_html}<h2>Stappen en wat u vastlegt</h2>{''.join(stap_html)}"
        f"<h2>Beslistabel</h2><table><thead><tr><th>Regel</th><th>Als</th><th>Dan</th><th>Bron</th></tr></thead>"
        f"<tbody>{rijen}</tbody></table>{begrip_html}{tijd_html(ruleset)}"
        "<h2>Bronnen</h2><table><thead><tr><th>Afkorting</th><th>Titel</th><th>Uitgever</th><th>Jaar</th>"
        f"<th>Adres</th></tr></thead><tbody>{legenda_rijen}</tbody></table></body></html>\n"
    )


def _html_bron(text: str) -> str:
    """A ``bron`` in HTML, each tag a link to its row in the Bronnen table."""
    known = {b.tag for b in bronnen_voor(text)}
    return TAG_PATTERN.sub(
        lambda m: f'<a href="#{_anker(m.group(1))}">[{m.group(1)}]</a>' if m.group(1) in known else m.group(0),
        _e(text),
    )


def render(ruleset: CompiledRuleset, fmt: Format) -> str:
    return {"mermaid": mermaid, "markdown": markdown, "html": html}[fmt](ruleset)
