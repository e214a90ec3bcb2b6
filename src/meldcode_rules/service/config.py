"""How the service is set up: address, tokens, limits, decision records.

Everything a worker process needs is in :class:`ServiceConfig`, which travels to
uvicorn's worker processes as JSON in an environment variable: the tokens themselves
never do (a worker reads them again from the file or variable they came from).
"""

from __future__ import annotations

import ipaddress
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from meldcode_rules.diagnostics import ConfigError
from meldcode_rules.records.store import SALT_ENV

#: The environment variable that carries the configuration to worker processes.
CONFIG_ENV = "MELDCODE_RULES_SERVICE_CONFIG"
#: The default environment variable with bearer tokens (whitespace or comma separated).
TOKENS_ENV = "MELDCODE_RULES_TOKENS"
#: Shorter tokens are refused: a bearer token must not be guessable.
MIN_TOKEN_LENGTH = 32


@dataclass(frozen=True)
class ServiceConfig:
    host: str = "127.0.0.1"
    port: int = 8000
    #: file with one token per line (``#`` starts a comment), and/or an environment variable
    token_file: str | None = None
    token_env: str = TOKENS_ENV
    #: the engine when a request names none (None: the library's default)
    engine: str | None = None
    #: largest request body in bytes, for one case and for a batch
    max_body: int = 64 * 1024
    max_batch_body: int = 16 * 1024 * 1024
    #: most cases in one batch request
    max_batch: int = 10_000
    #: seconds to receive a whole request body (a slow body is refused with 408)
    body_timeout: float = 10.0
    #: decision records: None (off), a SQLite path, or "-" (JSON Lines on standard output)
    records: str | None = None
    #: record every judgement, not only those whose request asks for it (``vastleggen=true``)
    records_always: bool = False
    salt_env: str = SALT_ENV
    workers: int = 1

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls) -> ServiceConfig:
        raw = os.environ.get(CONFIG_ENV)
        return cls(**json.loads(raw)) if raw else cls()

    def tokens(self) -> tuple[str, ...]:
        """Every accepted bearer token (several, so one can be rotated without downtime)."""
        found: list[str] = []
        if self.token_file:
            try:
                text = Path(self.token_file).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise ConfigError(f"het tokenbestand is niet te lezen: {type(error).__name__}") from None
            for line in text.splitlines():
                line = line.split("#", 1)[0].strip()
                if line:
                    found.append(line)
        env = os.environ.get(self.token_env, "")
        found += [t for t in env.replace(",", " ").split() if t]
        short = [t for t in found if len(t) < MIN_TOKEN_LENGTH]
        if short:
            raise ConfigError(
                f"{len(short)} token(s) korter dan {MIN_TOKEN_LENGTH} tekens; maak ze lang en willekeurig "
                "(bijvoorbeeld `python -c 'import secrets; print(secrets.token_urlsafe(32))'`)"
            )
        return tuple(found)

    def salt(self) -> bytes | None:
        value = os.environ.get(self.salt_env)
        return value.encode("utf-8") if value else None

    def check(self) -> tuple[str, ...]:
        """Refuse a configuration that is unsafe; returns the tokens."""
        tokens = self.tokens()
        if not is_loopback(self.host) and not tokens:
            raise ConfigError(
                f"de service luistert alleen op een ander adres dan loopback met bearer-tokens; geef "
                f"`--token-file` of zet `{self.token_env}` (zie docs/integratie.md)"
            )
        if self.records is not None and not self.salt():
            raise ConfigError(
                f"besluitregistratie vraagt een geheime salt voor de invoer-hash: zet `{self.salt_env}` "
                "(die wordt nooit bij de registratie bewaard)"
            )
        for name in ("max_body", "max_batch_body", "max_batch", "workers"):
            if getattr(self, name) < 1:
                raise ConfigError(f"`{name}` moet minstens 1 zijn")
        if self.body_timeout <= 0:
            raise ConfigError("`body_timeout` moet groter dan 0 zijn")
        return tokens


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name other than localhost: it may resolve anywhere
