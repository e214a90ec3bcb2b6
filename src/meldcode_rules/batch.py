"""Many cases in one process: JSON Lines in, JSON Lines out.

For case systems that are not written in Python: starting a process costs
more than a judgement, so they can stream cases through one process. Each
non-empty input line gets exactly one output line, in order (blank lines
are skipped); a line that cannot be
judged gets an error object naming the problem (never its facts), so the
caller can never mistake a failed line for a judgement.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator

from meldcode_rules.api import RecordSink
from meldcode_rules.api import evaluate as evaluate_case
from meldcode_rules.compiler.compile import CompiledRuleset
from meldcode_rules.diagnostics import CaseError, MeldcodeError
from meldcode_rules.dossier import evaluate, is_dossier  # cases and dossiers alike


def judge_lines(
    lines: Iterable[str],
    *,
    sector: str | None = None,
    engine: str | None = None,
    ruleset_for: Callable[[str | None], CompiledRuleset | None] | None = None,
    op: dt.date | None = None,
    records: RecordSink | None = None,
) -> Iterator[tuple[bool, str]]:
    """Yield ``(ok, json_line)`` for each non-empty input line: a case, or a dossier judged as of ``op``.

    ``sector`` is for the cases without their own ``sector`` field (a case that names its
    sector is judged by it). ``ruleset_for(sector)`` picks the ruleset (``--ruleset``).
    ``records``: a decision record per judgement (see :func:`evaluate`).
    """
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            yield False, _error(number, [f"geen geldige JSON (kolom {error.colno})"])
            continue
        own = data.get("sector") if isinstance(data, dict) else None
        # a wrong type of `sector` is left to the case's own validation to report
        use = sector if own is None else own if isinstance(own, str) else None
        try:
            ruleset = ruleset_for(use) if ruleset_for is not None else None
            if records is not None:
                # Decision records are written for plain cases; a dossier is refused, not judged unrecorded.
                if op is not None or is_dossier(data):
                    raise CaseError(["besluitregistratie is er (nog) niet voor dossiers of `--op`"])
                oordeel = evaluate_case(data, sector=use, engine=engine, ruleset=ruleset, records=records)
            else:
                oordeel = evaluate(data, sector=use, engine=engine, ruleset=ruleset, op=op)
        except MeldcodeError as error:
            problems = getattr(error, "problems", None) or [str(error)]
            yield False, _error(number, problems)
            continue
        yield True, oordeel.model_dump_json()


def _error(number: int, problems: list[str]) -> str:
    return json.dumps({"regel": number, "fout": problems}, ensure_ascii=False)
