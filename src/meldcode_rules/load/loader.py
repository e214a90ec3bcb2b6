"""Stage 1, parse: YAML text -> ruleset model, keeping file:line:column.

YAML is read with ruamel's round-trip parser, which records the position of
every key and item. Tags are refused outright, so no ruleset can ask the
parser to build Python objects. Schema errors from pydantic are mapped back
to the line a trainer has to fix, all of them at once.
"""

from __future__ import annotations

import hashlib
import re
import typing
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, CommentedSet
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, ScalarEvent
from ruamel.yaml.reader import ReaderError

from meldcode_rules import limits
from meldcode_rules.diagnostics import Code, Diagnostic, Location, RulesetError, YamlTooLarge, nearest
from meldcode_rules.load.ruleset import CONDITIE_SLEUTELS, FeitTest, RulesetFile
from meldcode_rules.messages import MOMENT_BESTAAT_NIET, MOMENT_ERRORS, MOMENT_MEMBERS, dutch_list, pydantic_message

YamlPath = tuple[str | int, ...]


@dataclass(frozen=True)
class SourceMap:
    """Where every node of one YAML document stands."""

    file: str
    positions: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: YamlPath) -> Location:
        """The location of ``path``, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            pos = self.positions.get(path[:end])
            if pos is not None:
                return Location(self.file, pos[0], pos[1])
        return Location(self.file)


@dataclass(frozen=True)
class LoadedRuleset:
    """A parsed ruleset file: the model, its source map and its content hash."""

    model: RulesetFile
    source: SourceMap
    path: Path
    sha256: str


_YAML_TAG_PREFIX = "tag:yaml.org,2002:"


def _tag_problem(what: str, positions: dict[YamlPath, tuple[int, int]], path: YamlPath, file: str) -> Diagnostic:
    pos = positions.get(path, (0, 0))
    return Diagnostic(Code.MR002, f"{what} is niet toegestaan: een ruleset bevat alleen gegevens", Location(file, *pos))


class _Plain:
    """Converts ruamel nodes to plain data while recording positions (1-based), bounded.

    Aliases make the document a graph: every alias is written out, so the count of
    nodes written out (not of the text) is what is bounded, and an alias that stands
    inside its own anchor is refused instead of recursing forever.
    """

    def __init__(self, file: str) -> None:
        self.file = file
        self.positions: dict[YamlPath, tuple[int, int]] = {(): (1, 1)}
        self.problems: list[Diagnostic] = []
        self.nodes = 0
        self.open: set[int] = set()  # ids of the collections being converted

    def convert(self, node: Any, path: YamlPath) -> Any:
        self.nodes += 1
        if self.nodes > limits.MAX_YAML_NODES:
            raise YamlTooLarge(
                f"het document is te groot: meer dan {limits.MAX_YAML_NODES:,} waarden (aliassen meegeteld)".replace(
                    ",", "."
                ),
                path,
            )
        tag = getattr(node, "tag", None)
        tag_value = getattr(tag, "value", tag) if tag is not None else None
        if isinstance(tag_value, str) and tag_value:
            # Every explicit tag is refused, local (`!x`) and standard (`!!python/...`), and
            # not repeated: a ruleset holds only data, and a case file's text is case data.
            self.problems.append(_tag_problem("een YAML-tag", self.positions, path, self.file))
        elif isinstance(node, bytes | CommentedSet):
            self.problems.append(_tag_problem("YAML-tag `!!binary` of `!!set`", self.positions, path, self.file))
        if isinstance(node, CommentedMap | CommentedSeq):
            if id(node) in self.open:
                raise YamlTooLarge("een alias verwijst naar het blok waarin hij zelf staat", path)
            if len(path) >= limits.MAX_YAML_DEPTH:
                raise YamlTooLarge(f"te diep genest (hoogstens {limits.MAX_YAML_DEPTH} niveaus)", path)
            self.open.add(id(node))
            try:
                return self._collection(node, path)
            finally:
                self.open.discard(id(node))
        if hasattr(node, "value") and not isinstance(node, str | int | float | bool):
            return node.value  # tagged scalar: already reported above
        if isinstance(node, str):
            return str(node)  # ruamel's ScalarString subclasses
        return node

    def _collection(self, node: CommentedMap | CommentedSeq, path: YamlPath) -> Any:
        marks = node.lc.data or {}
        if isinstance(node, CommentedMap):
            out: dict[str, Any] = {}
            for key, value in node.items():
                child = (*path, str(key))
                _record(self.positions, child, marks.get(key))
                out[str(key)] = self.convert(value, child)
            return out
        items = []
        for index, value in enumerate(node):
            child = (*path, index)
            _record(self.positions, child, marks.get(index))
            items.append(self.convert(value, child))
        return items


def _record(positions: dict[YamlPath, tuple[int, int]], path: YamlPath, mark: Any) -> None:
    # ruamel keeps no position for the items of some tagged collections (`!!python/...`);
    # such a node is reported by its tag, and locate() falls back to its parent.
    if mark:
        positions[path] = (mark[0] + 1, mark[1] + 1)


def _limit(message: str, file: str, mark: Any = None) -> RulesetError:
    location = Location(file, mark.line + 1, mark.column + 1) if mark is not None else Location(file)
    return RulesetError([Diagnostic(Code.MR003, message, location, details=("zie docs/limits.md",))])


def _prescan(yaml: YAML, text: str, file: str) -> None:
    """Walk the parser's events (linear in the text, nothing built): aliases, depth, numbers."""
    aliases = depth = 0
    for event in yaml.parse(text):
        if isinstance(event, AliasEvent):
            aliases += 1
            if aliases > limits.MAX_YAML_ALIASES:
                raise _limit(f"te veel aliassen (hoogstens {limits.MAX_YAML_ALIASES})", file, event.start_mark)
        elif isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > limits.MAX_YAML_DEPTH:
                raise _limit(f"te diep genest (hoogstens {limits.MAX_YAML_DEPTH} niveaus)", file, event.start_mark)
        elif isinstance(event, CollectionEndEvent):
            depth -= 1
        elif (
            isinstance(event, ScalarEvent)
            and event.style is None
            and len(event.value) > limits.MAX_NUMBER_DIGITS
            and event.value.lstrip("+-").replace("_", "").isdigit()
        ):
            # A plain scalar of digits becomes an int; Python refuses more than 4,300 digits.
            raise _limit(f"getal te lang (hoogstens {limits.MAX_NUMBER_DIGITS} cijfers)", file, event.start_mark)


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _char(character: Any) -> str:
    code = ord(character) if isinstance(character, str) and len(character) == 1 else character
    code = code if isinstance(code, int) else None
    return f"#x{code:04x}" if code is not None else "onbekend teken"


def _safe_problem(problem: str) -> str:
    """ruamel's wording without the text it quotes (a key, an alias name, a value)."""
    # ruamel repeats the key and both values of a duplicate key; in a case file those are case data.
    if "duplicate key" in problem:
        return "dezelfde sleutel staat twee keer in hetzelfde blok"
    # Quoted punctuation (`':'`, `'<block end>'`) says what the parser expected; quoted words
    # and names are the document's own text.
    return re.sub(r"(['\"])(.*?)\1", lambda m: m[0] if re.fullmatch(r"[^\w]{1,3}|<[\w ]+>", m[2]) else "…", problem)


def read_yaml(text: str, file: str, *, case: bool = False) -> tuple[Any, SourceMap]:
    """Parse one YAML document safely; raise RulesetError on syntax errors, tags or limits.

    ``case``: the text is a case file (its byte limit is a case's, docs/limits.md).
    """
    max_bytes = limits.MAX_CASE_BYTES if case else limits.MAX_YAML_BYTES
    if len(text) > max_bytes:
        raise _limit(f"het bestand is te groot (hoogstens {max_bytes:,} bytes)".replace(",", "."), file)
    yaml = YAML(typ="rt", pure=True)
    yaml.allow_duplicate_keys = False
    try:
        _prescan(yaml, text, file)
        node = yaml.load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        location = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file)
        problem = _safe_problem(error.problem or "ongeldige YAML")
        raise RulesetError(
            [
                Diagnostic(
                    Code.MR001,
                    f"de YAML is niet te lezen: {problem}",
                    location,
                    details=_yaml_hint(f"{problem} {error.problem or ''}"),  # Dutch and raw text; a fixed hint, no echo
                )
            ]
        ) from None
    except ReaderError as error:
        # A NUL or other control character: ruamel gives an index into the text, no line.
        line, column = _position(text, error.position)
        raise RulesetError(
            [
                Diagnostic(
                    Code.MR001,
                    f"de YAML is niet te lezen: een niet toegestaan teken ({_char(error.character)})",
                    Location(file, line, column),
                    details=("een YAML-bestand bevat geen NUL- of besturingstekens",),
                )
            ]
        ) from None
    except (YAMLError, ValueError, RecursionError) as error:
        # What ruamel raises without a mark (a number it cannot build, nesting it cannot
        # compose): the prescan stops the known ones; anything else is still an error here.
        raise RulesetError(
            [Diagnostic(Code.MR001, f"de YAML is niet te lezen ({type(error).__name__})", Location(file))]
        ) from None
    plain = _Plain(file)
    try:
        data = plain.convert(node, ())
    except YamlTooLarge as error:
        raise RulesetError(
            [Diagnostic(Code.MR003, error.message, SourceMap(file, plain.positions).locate(error.path))]
        ) from None
    if plain.problems:
        raise RulesetError(plain.problems)
    return data, SourceMap(file, plain.positions)


def _yaml_hint(problem: str) -> tuple[str, ...]:
    if "twee keer" in problem:
        return ("elke sleutel mag maar een keer voorkomen in hetzelfde blok",)
    if "tab" in problem or "'\\t'" in problem or "\t" in problem:  # ruamel says: found character '\t'
        return ("gebruik spaties om in te springen, geen tabs",)
    if "mapping values" in problem:
        return ("staat er een dubbele punt in een tekst? zet de tekst dan tussen aanhalingstekens",)
    return ()


def _walk_loc(data: Any, loc: tuple[Any, ...]) -> YamlPath:
    """Turn a pydantic error location into a YAML path (skipping union tags)."""
    path: list[str | int] = []
    node = data
    for index, part in enumerate(loc):
        following = loc[index + 1] if index + 1 < len(loc) else None
        if part == "feit" and isinstance(node, dict) and isinstance(following, str):
            continue  # the FeitTest union tag, followed by one of its fields
        if isinstance(node, dict) and isinstance(part, str):
            key = _yaml_key(node, part)
            if key is None:
                if part in CONDITIE_SLEUTELS:
                    continue  # a union tag, not a key
                path.append(part)
                node = None
                continue
            path.append(key)
            node = node[key]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            path.append(part)
            node = node[part]
        else:
            path.append(part)
            node = None
    return tuple(path)


def _yaml_key(node: dict[str, Any], part: str) -> str | None:
    if part in node:
        return part
    alias = part.rstrip("_")  # is_ -> is, in_ -> in
    return alias if alias in node else None


def schema_diagnostics(
    error: ValidationError, data: Any, source: SourceMap, model: type[BaseModel]
) -> list[Diagnostic]:
    """One diagnostic per pydantic error, located and with a suggestion."""
    problems = []
    for item in error.errors():
        path = _walk_loc(data, item["loc"])
        kind = item["type"]
        if kind in MOMENT_ERRORS and path and path[-1] in MOMENT_MEMBERS:
            path = path[:-1]  # the member of a moment's union (`date | datetime`) pydantic tried
        location = source.locate(path)
        field_name = next((p for p in reversed(path) if isinstance(p, str)), "")
        suggestion = None
        if kind in MOMENT_ERRORS:
            message = f"`{field_name}`: {MOMENT_BESTAAT_NIET}"
        elif kind == "extra_forbidden":
            parent = _parent_fields(model, path)
            suggestion = nearest(field_name, parent) if parent else None
            message = f"onbekend veld `{field_name}`"
        elif kind == "missing":
            message = f"veld `{field_name}` ontbreekt" + (
                " (elke regel noemt zijn bron)" if field_name == "bron" else ""
            )
        elif kind == "literal_error":
            expected = item.get("ctx", {}).get("expected", "")
            message = f"ongeldige waarde voor `{field_name}`; toegestaan: {dutch_list(expected)}"
            options = [o.strip(" '") for o in str(expected).replace(" or ", ",").split(",")]
            suggestion = nearest(str(item.get("input")), [o for o in options if o])
        elif kind == "string_pattern_mismatch" and field_name == "termijn":
            message = (
                "ongeldige termijn: schrijf `direct`, `4 uur`, `5 dagen`, `5 werkdagen` of `6 weken` "
                f"(hoogstens {limits.MAX_TERMIJN})"
            )
        elif (
            kind == "string_type"
            and isinstance(item.get("input"), int | float)
            and not isinstance(item.get("input"), bool)
        ):
            # YAML reads `versie: 2026.1` as a number (and would drop a trailing 0 of 2026.10)
            message = (
                f"`{field_name}` moet tekst zijn, maar YAML leest hier een getal; zet de waarde tussen "
                f'aanhalingstekens: `{field_name}: "{item.get("input")}"`'
            )
        else:
            message = f"`{field_name}`: {pydantic_message(item)}" if field_name else pydantic_message(item)
        code = Code.MR011 if kind == "missing" and field_name == "bron" else Code.MR010
        problems.append(Diagnostic(code, message, location, suggestion))
    # the two members of a moment's union give one problem, said once
    return list(dict.fromkeys(problems))


def _parent_fields(model: type[BaseModel], path: YamlPath) -> list[str]:
    """Field names allowed at the parent of ``path`` (best effort, for suggestions)."""
    current: Any = model
    for part in path[:-1]:
        if isinstance(part, int):
            continue
        if current is None or not hasattr(current, "model_fields"):
            return []
        info = current.model_fields.get(part)
        if info is None:
            return []
        current = _model_in(info.annotation)
        if current is None and part in ("als", "alle", "een_van", "niet"):
            current = FeitTest
    if current is None or not hasattr(current, "model_fields"):
        return []
    return [f.alias or name for name, f in current.model_fields.items()]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def yaml_files(paths: Iterable[Path]) -> list[Path]:
    """The YAML files named by ``paths``: files as given, directories searched (sorted)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*.yaml") if p.is_file()))
        else:
            files.append(path)
    return files


def load_ruleset_file(path: Path) -> LoadedRuleset:
    """Parse and schema-validate one ruleset file (semantic checks come later)."""
    file = str(path)
    with path.open("rb") as handle:
        raw = handle.read(limits.MAX_YAML_BYTES + 1)  # a larger file is refused by read_yaml
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise RulesetError(
            [Diagnostic(Code.MR001, f"het bestand is geen UTF-8 ({error.reason})", Location(file))]
        ) from None
    data, source = read_yaml(text, file)
    if not isinstance(data, dict):
        raise RulesetError(
            [
                Diagnostic(
                    Code.MR010,
                    "een ruleset is een YAML-blok met velden (id, titel, regels, ...)",
                    Location(file, 1, 1),
                )
            ]
        )
    try:
        model = RulesetFile.model_validate(data)
    except ValidationError as error:
        raise RulesetError(schema_diagnostics(error, data, source, RulesetFile)) from None
    return LoadedRuleset(model, source, path, hashlib.sha256(raw).hexdigest())
