"""Generated pages of the docs site: the ruleset format reference and one page per ruleset.

Used two ways, both without network:

- as an mkdocs hook (``hooks: [docs/gen_reference.py]`` in ``mkdocs.yml``):
  the pages are added to the build in memory, so they are regenerated on
  every build and cannot drift from the code;
- as a script: ``python docs/gen_reference.py OUT_DIR`` writes the same pages
  as Markdown files (to read them without mkdocs).

The reference is generated from the JSON Schema of the ruleset format
(:mod:`meldcode_rules.schema`), the ruleset pages from the compiled rulesets
(:mod:`meldcode_rules.explain.render`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from meldcode_rules import schema
from meldcode_rules.case.facts import catalog_for
from meldcode_rules.explain import render
from meldcode_rules.sectors.registry import compiled_for, known_sectors

#: The order in which the parts of a ruleset are explained.
DEFS_ORDER = (
    "RulesetFile",
    "ActieDefinitie",
    "Begrip",
    "Regel",
    "Alle",
    "EenVan",
    "Niet",
    "BegripRef",
    "FeitTest",
    "Conclusie",
    "Actie",
    "Invariant",
    "Verwachting",
)


def _type(prop: dict[str, Any]) -> str:
    if "$ref" in prop:
        name = prop["$ref"].rsplit("/", 1)[1]
        return f"[{name}](#{name.lower()})"
    if "enum" in prop:
        if len(prop["enum"]) > 8:
            return "een van de feitnamen (zie [Feiten](#feiten))"
        return " \\| ".join(f"`{v}`" for v in prop["enum"])
    if "anyOf" in prop:
        return " of ".join(_type(p) for p in prop["anyOf"] if p.get("type") != "null")
    if "oneOf" in prop:
        return "een voorwaarde ([Voorwaarden](#voorwaarden))"
    kind = prop.get("type", "")
    if kind == "array":
        return f"lijst van {_type(prop.get('items', {}))}"
    if prop.get("format") == "date":
        return "datum (`JJJJ-MM-DD`)"
    return {"string": "tekst", "integer": "getal", "boolean": "ja/nee", "": "waarde"}.get(kind, kind)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def ruleset_reference() -> str:
    """The ruleset format, generated from the ruleset JSON Schema."""
    ruleset_schema = schema.generate()["ruleset"]
    defs = dict(ruleset_schema["$defs"])
    defs["RulesetFile"] = {k: v for k, v in ruleset_schema.items() if k != "$defs"}
    out = [
        "# Referentie: het rulesetformaat",
        "",
        "Deze pagina is gegenereerd uit het JSON Schema van het rulesetformaat "
        "(`schemas/ruleset.schema.json`, zelf gegenereerd uit de modellen in "
        "`meldcode_rules/load/ruleset.py` en de operatortabel `load/operators.py`). "
        "Zet bovenaan een rulesetbestand:",
        "",
        "```yaml",
        "# yaml-language-server: $schema=../schemas/ruleset.schema.json",
        "```",
        "",
        "dan vult een editor met de YAML-extensie van Red Hat (VS Code) of yaml-language-server "
        "velden, feitnamen en actiecodes aan en markeert fouten terwijl u typt.",
        "",
    ]
    for name in DEFS_ORDER:
        definition = defs.get(name)
        if definition is None:
            continue
        title = "Ruleset (het bestand)" if name == "RulesetFile" else name
        out += [f"## {title} {{#{name.lower()}}}", ""]
        if definition.get("description"):
            out += [_cell(definition["description"]), ""]
        required = set(definition.get("required", []))
        out += ["| Veld | Soort | Verplicht | Betekenis |", "|---|---|---|---|"]
        for field, prop in definition.get("properties", {}).items():
            verplicht = "ja" if field in required else "nee"
            out.append(f"| `{field}` | {_type(prop)} | {verplicht} | {_cell(prop.get('description', ''))} |")
        out.append("")
    out += [
        "## Voorwaarden {#voorwaarden}",
        "",
        "Een voorwaarde (`als`) is precies een van: [Alle](#alle), [EenVan](#eenvan), [Niet](#niet), "
        "[BegripRef](#begripref) of [FeitTest](#feittest). Ze mogen in elkaar genest worden.",
        "",
        "## Feiten {#feiten}",
        "",
        "Alle feiten die een regel kan testen, in meldcode-volgorde (uit het casusmodel).",
        "",
        "| Feit | Soort | Waarden | Vraag |",
        "|---|---|---|---|",
    ]
    for spec in catalog_for():
        waarden = ", ".join(f"`{v}`" for v in spec.values)
        out.append(f"| `{spec.path}` | {spec.kind} | {waarden} | {_cell(spec.vraag)} |")
    codes = ruleset_schema["$defs"]["Actie"]["properties"]["code"].get("examples", [])
    out += ["", "## Actiecodes {#actiecodes}", "", "De actiecodes van de ingebouwde rulesets:", ""]
    out += [f"- `{code}`" for code in codes]
    return "\n".join(out) + "\n"


def ruleset_pages() -> dict[str, str]:
    """One Markdown page per built-in ruleset (the basismodel and every sector), plus an index."""
    pages = {}
    index = [
        "# Rulesets",
        "",
        "Elke pagina is gegenereerd uit de gecompileerde ruleset (`meldcode-rules render --format markdown`): "
        "het afwegingskader met de regels die elke tak uitvoeren, de stappen met wat u vastlegt, "
        "en de beslistabel van alle regels.",
        "",
    ]
    for sector in [None, *known_sectors()]:
        compiled = compiled_for(sector)
        pages[f"rulesets/{compiled.id}.md"] = render.markdown(compiled)
        label = f"sector {sector}" if sector else "het basismodel, geldt voor elke sector"
        index.append(f"- [{compiled.id}]({compiled.id}.md): {label}")
    pages["rulesets/index.md"] = "\n".join(index) + "\n"
    return pages


def all_pages() -> dict[str, str]:
    return {"referentie/ruleset.md": ruleset_reference(), **ruleset_pages()}


# ---------------------------------------------------------------- mkdocs hook


def on_files(files: Any, config: Any) -> Any:
    from mkdocs.structure.files import File

    for src_uri, content in all_pages().items():
        files.append(File.generated(config, src_uri, content=content))
    return files


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "generated-docs")
    for name, content in all_pages().items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        print(f"geschreven: {path}")
