"""The HTTP service: the library's ``evaluate`` behind a small, versioned REST API.

The handlers read the raw body themselves (size limit, time limit, JSON depth) and pass
the plain dict to :func:`meldcode_rules.api.evaluate`, the same function and the same
pydantic models as the library: there is no second definition of a case. Every
failure is a Dutch ``application/problem+json`` (:mod:`.problems`).

Judging runs on the event loop's thread: one judgement takes tens of microseconds,
less than handing it to a thread would. A durable-rules failure fails only that
request (503), and is never answered by the other engine instead.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hmac
import json
import platform
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response, StreamingResponse

from meldcode_rules import schema
from meldcode_rules._version import __version__
from meldcode_rules.api import evaluate
from meldcode_rules.diagnostics import CaseError, Code, MeldcodeError, RulesetError
from meldcode_rules.dossier import evaluate as evaluate_dossier
from meldcode_rules.dossier import is_dossier
from meldcode_rules.engines import ENGINES, EngineUnavailable, default_engine, durable_available
from meldcode_rules.judge.judgement import Judgement
from meldcode_rules.records.store import RecordError, RecordWriter, open_store
from meldcode_rules.sectors.registry import UnknownSector, compiled_for, discover, sources
from meldcode_rules.service.config import ServiceConfig
from meldcode_rules.service.openapi import openapi_document
from meldcode_rules.service.problems import ProblemError, problem_response, status_of

JSON = "application/json"
NDJSON = "application/x-ndjson"
#: A case is at most a few levels deep; far deeper JSON is refused before it is judged.
MAX_DEPTH = 32
#: A request's options: sector, engine, record or not, peildatum, a pinned versie.
Options = tuple[str | None, str | None, bool, dt.date | None, str | None]
#: what a `versie` looks like (the ruleset format's own, in short); anything else is refused unread
_VERSIE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$")


def create_app(config: ServiceConfig | None = None) -> FastAPI:
    """The app for ``config`` (tokens are read, and checked, now)."""
    config = config or ServiceConfig()
    tokens = tuple(t.encode("utf-8") for t in config.check())
    records: RecordWriter | None = None
    if config.records is not None:
        salt = config.salt()
        assert salt is not None  # config.check() refuses records without a salt
        records = RecordWriter(open_store(config.records), salt)
    state = _State(config, tokens, records)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        state.warm()
        yield

    app = FastAPI(
        title="meldcode-rules",
        version=__version__,
        docs_url=None,  # Swagger UI loads scripts from a CDN: not from this service
        redoc_url=None,
        openapi_url=None,  # served below, the document shipped in schemas/
        lifespan=lifespan,
    )
    document = openapi_document()
    generated = {f"{name}.schema.json": s for name, s in schema.generate().items()}  # once, not per request
    app.openapi = lambda: document  # type: ignore[method-assign]

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        kind = {404: "niet-gevonden", 405: "methode"}.get(error.status_code, "parameter")
        detail = {404: "deze URL bestaat niet (zie /openapi.json)", 405: "deze methode kan hier niet"}.get(
            error.status_code, "ongeldig verzoek"
        )
        # 405 keeps starlette's `Allow` header (RFC 9110).
        return problem_response(kind, detail, request.url.path, headers=dict(error.headers or {}))

    @app.exception_handler(ProblemError)
    async def problem(request: Request, error: ProblemError) -> Response:
        return problem_response(error.kind, error.detail, request.url.path, error.fouten)

    @app.exception_handler(Exception)
    async def internal(request: Request, _error: Exception) -> Response:
        # Never a traceback and never the exception text (it could quote case data).
        return problem_response("intern", "onverwachte fout; het verzoek is niet beoordeeld", request.url.path)

    @app.get("/health")
    async def health() -> Response:
        return _json({"status": "ok"})

    @app.get("/ready")
    async def ready() -> Response:
        if not state.ready:
            raise ProblemError("niet-beschikbaar", "de rulesets zijn nog niet geladen", state.problems)
        return _json({"status": "gereed", "sectoren": state.usable})

    @app.get("/version")
    async def version(request: Request) -> Response:
        state.authorize(request)
        return _json(
            {
                "meldcode_rules": __version__,
                "api": "v1",
                "python": platform.python_version(),
                "engines": {"durable": durable_available(), "reference": True},
                "standaard_engine": config.engine or default_engine(),
            }
        )

    @app.get("/openapi.json")
    async def openapi(request: Request) -> Response:
        state.authorize(request)
        return _json(document)

    @app.get("/v1/sectoren")
    async def sectoren(request: Request) -> Response:
        state.authorize(request)
        return _json({"sectoren": state.sector_rows})

    @app.get("/v1/rulesets")
    async def rulesets(request: Request) -> Response:
        state.authorize(request)
        return _json({"rulesets": state.ruleset_rows})

    @app.get("/v1/schemas/{naam}")
    async def schemas(request: Request, naam: str) -> Response:
        state.authorize(request)
        found = generated.get(naam) or generated.get(f"{naam}.schema.json")
        if found is None:
            raise ProblemError("niet-gevonden", "onbekend schema; kies uit: " + ", ".join(sorted(generated)))
        return _json(found, media_type="application/schema+json")

    @app.post("/v1/oordeel")
    async def oordeel(request: Request) -> Response:
        state.authorize(request)
        options = state.options(request)
        _require_json(request)
        data = _loads(await state.body(request, config.max_body))
        judged = state.judge(data, *options)
        return Response(_to_json(judged), media_type=JSON)

    @app.post("/v1/oordelen")
    async def oordelen(request: Request) -> Response:
        state.authorize(request)
        options = state.options(request)
        kind = _media_type(request)
        if kind == NDJSON:
            return _Stream(state.stream(request, options), media_type=NDJSON)
        if kind != JSON:
            raise ProblemError("mediatype", f"stuur `{JSON}` (een array van casussen) of `{NDJSON}`")
        # No depth walk over a whole batch (it costs more than judging): JSON deeper than the
        # parser's own limit is refused by it, and each case is validated on its own.
        data = _loads(await state.body(request, config.max_batch_body), check_depth=False)
        if not isinstance(data, list):
            raise ProblemError("casus", "de body is een JSON-array van casussen", ["(body): geen array"])
        if len(data) > config.max_batch:
            raise ProblemError("te-groot", f"hoogstens {config.max_batch} casussen per verzoek")
        parts = [state.judge_line(number, item, options)[1] for number, item in enumerate(data, start=1)]
        return Response(b"[" + b",".join(parts) + b"]", media_type=JSON)

    return app


class _State:
    def __init__(self, config: ServiceConfig, tokens: tuple[bytes, ...], records: RecordWriter | None) -> None:
        self.config = config
        self.tokens = tokens
        self.records = records
        self.ready = False
        self.problems: list[str] = []
        self.usable: list[str] = []
        self.sector_rows: list[dict[str, Any]] = []
        self.ruleset_rows: list[dict[str, Any]] = []

    def warm(self) -> None:
        """Compile every sector once at start-up, so /ready means: every sector can be judged."""
        found = discover()
        self.problems = [f"{name}: niet bruikbaar" for name in found.problems]
        seen: dict[tuple[str, str], dict[str, Any]] = {}
        for name in [None, *found.sectors]:
            try:
                compiled = compiled_for(name)
            except MeldcodeError:
                self.problems.append(f"{name}: rulesets geweigerd (zie `meldcode-rules sectors`)")
                continue
            if name is not None:
                self.usable.append(name)
            today = {(info.id, info.versie) for info in compiled.rulesets}
            # every version, not only today's: a request's `datum` (or `versie`) may choose another
            for item in sources(name)[0]:
                model = item.model
                key = (model.id, model.versie)
                row = seen.setdefault(
                    key,
                    {"id": model.id, "versie": model.versie, "geldig_vanaf": model.geldig_vanaf.isoformat()}
                    | {"geldig_tot": model.geldig_tot.isoformat() if model.geldig_tot else None}
                    | {"sha256": item.sha256, "sectoren": [], "geldt_vandaag": key in today},
                )
                if (name or "basismodel") not in row["sectoren"]:
                    row["sectoren"].append(name or "basismodel")
        self.ruleset_rows = sorted(seen.values(), key=lambda r: not r["geldt_vandaag"])
        self.sector_rows = [
            {"naam": s.name, "titel": s.titel, "versie": s.versie, "bron": s.bron, "bruikbaar": s.name in self.usable}
            for s in found.sectors.values()
        ]
        self.ready = True

    def authorize(self, request: Request) -> None:
        if not self.tokens:
            return
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise ProblemError("niet-geautoriseerd", "geef een bearer-token in de header `Authorization`")
        given = token.strip().encode("utf-8")
        # Compared with every token, each in constant time, so timing tells nothing.
        matched = False
        for known in self.tokens:
            matched |= hmac.compare_digest(given, known)
        if not matched:
            raise ProblemError("niet-geautoriseerd", "onjuist bearer-token")

    def options(self, request: Request) -> Options:
        query = request.query_params
        unknown = sorted(set(query) - {"sector", "engine", "vastleggen", "peildatum", "versie"})
        if unknown:
            fouten = [f"`{name}`: onbekende parameter" for name in unknown]
            raise ProblemError("parameter", "onbekende parameter", fouten)
        engine = query.get("engine") or self.config.engine
        if engine is not None and engine not in ENGINES:
            raise ProblemError("parameter", "onbekende engine", [f"`engine`: kies uit {', '.join(ENGINES)}"])
        flag = query.get("vastleggen", "false")
        if flag not in ("true", "false"):
            raise ProblemError("parameter", "ongeldige parameter", ["`vastleggen`: `true` of `false`"])
        record = self.config.records_always or flag == "true"
        if record and self.records is None:
            raise ProblemError("geen-registratie", "deze service legt geen besluiten vast (start hem met `--records`)")
        peildatum = None
        if "peildatum" in query:
            try:
                peildatum = dt.date.fromisoformat(query["peildatum"]) if len(query["peildatum"]) == 10 else None
            except ValueError:
                peildatum = None
            if peildatum is None:
                raise ProblemError("parameter", "ongeldige parameter", ["`peildatum`: een datum als JJJJ-MM-DD"])
        versie = query.get("versie")  # given empty is refused too, as the document says
        if versie is not None and not _VERSIE.match(versie):
            raise ProblemError("parameter", "ongeldige parameter", ["`versie`: een versie zoals `2026.1`"])
        return query.get("sector") or None, engine, record, peildatum, versie

    async def body(self, request: Request, limit: int) -> bytes:
        if request.headers.get("upgrade", "").lower() == "h2c":
            # uvicorn answers an h2c upgrade request without its body: say so, not "no JSON".
            raise ProblemError("parameter", "HTTP/2-upgrade (h2c) wordt niet ondersteund; gebruik HTTP/1.1 (of HTTPS)")
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            raise ProblemError("te-groot", f"de body is groter dan {limit} bytes")
        chunks: list[bytes] = []
        size = 0
        try:
            async with asyncio.timeout(self.config.body_timeout):
                async for chunk in request.stream():
                    size += len(chunk)
                    if size > limit:
                        raise ProblemError("te-groot", f"de body is groter dan {limit} bytes")
                    chunks.append(chunk)
        except TimeoutError:
            raise ProblemError(
                "te-traag", f"de body kwam niet binnen {self.config.body_timeout:g} seconden binnen"
            ) from None
        return b"".join(chunks)

    def judge(
        self,
        data: Any,
        sector: str | None,
        engine: str | None,
        record: bool,
        peildatum: dt.date | None,
        versie: str | None = None,
    ) -> Any:
        """One judgement, or a ProblemError that says what went wrong (never with values).

        The versions are chosen per request (per line), as ``evaluate`` chooses them: those in
        force on the case's ``datum`` (a dossier's ``peildatum``), or the pinned ``versie``.
        """
        name = engine or default_engine()
        records = self.records if record else None
        try:
            if peildatum is not None or is_dossier(data):
                return evaluate_dossier(
                    data, sector=sector, engine=engine, op=peildatum, versie=versie, records=records
                )
            return evaluate(data, sector=sector, engine=engine, records=records, versie=versie)
        except ProblemError:
            raise
        except CaseError as error:
            if any(d.code == Code.MV021 for d in error.diagnostics):
                # MV021 names the versie given: a problem never quotes input
                raise ProblemError(
                    "parameter", "onbekende versie", ["`versie`: geen versie van deze ruleset; zie /v1/rulesets"]
                ) from None
            raise ProblemError("casus", "de casus is ongeldig; zie `fouten`", error.problems) from None
        except UnknownSector:
            # The message of UnknownSector quotes the name given; a problem never quotes input.
            known = ", ".join(row["naam"] for row in self.sector_rows)
            raise ProblemError("sector", f"onbekende sector; bekend: {known}", ["`sector`: onbekende sector"]) from None
        except RecordError:
            raise ProblemError("registratie", "het besluit kon niet worden vastgelegd; niets is beoordeeld") from None
        except (EngineUnavailable, RulesetError):
            detail = f"de engine `{name}` of de rulesets zijn hier niet bruikbaar"
            raise ProblemError("niet-beschikbaar", detail) from None
        except Exception:
            # durable-rules is a C extension: whatever it raises fails this request only, and
            # is never answered by the other engine instead.
            if name == "durable":
                raise ProblemError(
                    "engine", "de engine `durable` faalde bij deze casus; probeer opnieuw of kies `engine=reference`"
                ) from None
            # Not re-raised: the error text could quote case data, and uvicorn would log it.
            raise ProblemError("intern", "onverwachte fout; de casus is niet beoordeeld") from None

    def judge_line(self, number: int, data: Any, options: Options) -> tuple[bool, bytes]:
        try:
            return True, _to_json(self.judge(data, *options))
        except ProblemError as error:
            if status_of(error) >= 500:
                raise
            fout = error.fouten or [error.detail]
            return False, json.dumps({"regel": number, "fout": fout}, ensure_ascii=False).encode()

    async def stream(self, request: Request, options: Options) -> AsyncIterator[bytes]:
        """NDJSON in, NDJSON out: each line is judged as soon as it has arrived."""
        limit, count, size, number = self.config.max_batch_body, 0, 0, 0
        pending = b""
        chunks = request.stream().__aiter__()
        while True:
            try:
                async with asyncio.timeout(self.config.body_timeout):
                    chunk = await anext(chunks)
            except StopAsyncIteration:
                chunk = None
            except ClientDisconnect:
                return  # nobody to answer
            except TimeoutError:
                yield _line_error(number + 1, "de invoer kwam te traag binnen; gestopt", 408)
                return
            size += len(chunk or b"")
            if size > limit:
                yield _line_error(number + 1, f"de invoer is groter dan {limit} bytes; gestopt", 413)
                return
            pending += chunk or b""
            *lines, pending = pending.split(b"\n") if chunk is not None else [*pending.split(b"\n"), b""]
            out: list[bytes] = []
            for raw in lines:
                number += 1
                if not raw.strip():
                    continue
                count += 1
                if count > self.config.max_batch:
                    out.append(_line_error(number, f"meer dan {self.config.max_batch} casussen; gestopt", 413))
                    yield b"".join(out)
                    return
                try:
                    data = _loads(raw)
                except ProblemError as error:
                    out.append(json.dumps({"regel": number, "fout": error.fouten or [error.detail]}).encode() + b"\n")
                    continue
                try:
                    out.append(self.judge_line(number, data, options)[1] + b"\n")
                except ProblemError as error:
                    out.append(_line_error(number, error.detail, status_of(error)))
                    yield b"".join(out)
                    return
            if out:
                yield b"".join(out)
            if chunk is None:
                return


class _Stream(StreamingResponse):
    """Streams the response while the body is still being read.

    Starlette's StreamingResponse also listens for a disconnect on ASGI 2.3 servers
    (uvicorn), and that listener would take the request body's messages away from the
    handler that streams it in; a disconnect shows up in ``request.stream()`` anyway.
    """

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.stream_response(send)


def _line_error(number: int, message: str, status: int) -> bytes:
    return (json.dumps({"regel": number, "fout": [message], "status": status}, ensure_ascii=False) + "\n").encode()


#: Bytes straight from pydantic-core: no str of the judgement that is encoded again.
_to_json = Judgement.__pydantic_serializer__.to_json


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def _require_json(request: Request) -> None:
    kind = _media_type(request)
    if kind != JSON and not (kind.startswith("application/") and kind.endswith("+json")):
        raise ProblemError("mediatype", f"stuur de casus als `{JSON}`")


def _loads(body: bytes, *, check_depth: bool = True) -> Any:
    try:
        data = json.loads(body)
    except UnicodeDecodeError:
        raise ProblemError("json", "de body is geen UTF-8-tekst") from None
    except json.JSONDecodeError as error:
        raise ProblemError("json", f"geen geldige JSON (regel {error.lineno}, kolom {error.colno})") from None
    except (ValueError, RecursionError):
        raise ProblemError("json", "geen bruikbare JSON (te diep genest of een te groot getal)") from None
    if check_depth and _depth(data) > MAX_DEPTH:
        raise ProblemError("json", f"de JSON is dieper genest dan {MAX_DEPTH} niveaus")
    return data


def _depth(data: Any, level: int = 0) -> int:
    # Cases are shallow: this only walks far into input that will be refused anyway.
    if level > MAX_DEPTH:
        return level
    if isinstance(data, dict):
        return max((_depth(v, level + 1) for v in data.values()), default=level + 1)
    if isinstance(data, list):
        return max((_depth(v, level + 1) for v in data), default=level + 1)
    return level


def _json(data: Any, media_type: str = JSON) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), media_type=media_type)
