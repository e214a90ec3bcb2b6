"""The dependency direction is one way: load -> compiler -> engines -> judge -> explain, with
sectors, the facade, scenarios, check and the CLI on top. No import cycle, no backward import,
and an import inside a function only where it is genuinely lazy, with a comment why.

A small import graph read with ``ast`` (function-level imports included, since they hide
cycles) rather than import-linter: the rule is one ordered list below, the check is a few
lines, and it needs no extra dependency. docs/architecture.md draws the same order.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "meldcode_rules"

#: Lowest first. A module may import from its own layer's package or from a lower layer.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("_version", "resources", "diagnostics", "messages"),  # foundation: errors as data, shipped files, Dutch
    ("bronnen",),  # the source legend (data shipped in the package)
    ("load",),  # the ruleset format, the operator table, YAML with positions
    ("case",),  # the case model and its fact catalog
    ("compiler",),  # check and compile, zeker/mogelijk
    ("engines",),  # which rules fire
    ("judge",),  # one protective judgement
    ("sectors",),  # which rulesets a sector uses, compiled once
    ("api",),  # the facade: evaluate, parse_case
    ("dossier",),  # a case over time: events -> facts and time facts as of a date, then judged
    ("records",),  # decision records, replay
    ("explain",),  # explain, render, the terminal summary
    ("scenarios",),  # trainer-written scenarios, training mode
    ("check",),  # proofs over all cases
    ("schema", "batch"),  # generated schemas, JSON Lines
    ("service",),  # the HTTP service
    ("monitor",),  # many dossiers as of a date, counted; reads judgements only
    ("cli",),  # the command line
    ("",),  # the public package itself (meldcode_rules/__init__.py)
)


def _modules() -> dict[str, Path]:
    out = {}
    for path in (SRC / PACKAGE).rglob("*.py"):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _layer(module: str) -> int:
    rest = module.removeprefix(PACKAGE).lstrip(".")
    head = rest.split(".", 1)[0]
    for rank, names in enumerate(LAYERS):
        if head in names:
            return rank
    raise AssertionError(f"{module}: in no layer of tests/test_imports.py; add its package there")


def _imports(module: str) -> list[tuple[str, int, bool]]:
    """(imported module, line, inside a function) for every import of a module of this package."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            targets = [
                f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in MODULES else node.module for a in node.names
            ]
        elif isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        else:
            continue
        for target in dict.fromkeys(targets):
            if target in MODULES and target != module:
                found.append((target, node.lineno, node.col_offset > 0))
    return found


GRAPH = {module: _imports(module) for module in MODULES}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_every_module_imports(module: str) -> None:
    if module.endswith("__main__"):
        assert importlib.util.find_spec(module) is not None  # importing it runs the CLI
        return
    if module.endswith("engines.durable"):
        pytest.importorskip("durable.engine")  # the optional C extension (not on Python 3.13+)
    importlib.import_module(module)


def test_no_import_cycle() -> None:
    state: dict[str, int] = {}  # 1: on the stack, 2: done

    def visit(module: str, stack: list[str]) -> None:
        state[module] = 1
        for target, _line, _lazy in GRAPH[module]:
            if state.get(target) == 1:
                cycle = [*stack[stack.index(target) :], target]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target, [*stack, target])
        state[module] = 2

    for module in sorted(MODULES):
        if module not in state:
            visit(module, [module])


def test_no_backward_import() -> None:
    backward = [
        f"{MODULES[m].relative_to(SRC)}:{line}: {m} imports {target}"
        for m, edges in GRAPH.items()
        for target, line, _lazy in edges
        if _layer(target) > _layer(m)
    ]
    assert not backward, "imports against the pipeline order:\n" + "\n".join(backward)


def test_an_import_inside_a_function_says_why_it_is_lazy() -> None:
    unexplained = []
    for path in MODULES.values():
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom) and node.col_offset > 0:
                around = " ".join(lines[max(0, node.lineno - 2) : node.lineno])
                if "lazy:" not in around:
                    unexplained.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert not unexplained, "function-level imports without a `# lazy: why` comment: " + ", ".join(unexplained)


def test_the_layers_are_those_of_the_architecture_doc() -> None:
    text = (SRC.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = text.split("## Packages, in pipeline order", 1)[1].split("\n### ", 1)[0]
    ranks = []
    for row in re.findall(r"^\|[^|]*\|([^|]*)\|", section, re.M)[2:]:
        for name in re.findall(r"`(\w+)(?:\.py|/)`", row):
            head = "" if name == "__init__" else name
            ranks.append((head, next(r for r, names in enumerate(LAYERS) if head in names)))
    assert {head for head, _ in ranks} == {name for names in LAYERS for name in names}
    assert [r for _, r in ranks] == sorted(r for _, r in ranks), f"docs/architecture.md is out of order: {ranks}"
