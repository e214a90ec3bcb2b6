"""`meldcode-rules serve`: the HTTP service (needs the extra `[service]`)."""

from __future__ import annotations

import click

from meldcode_rules.cli.commands.exits import fail
from meldcode_rules.engines import ENGINES
from meldcode_rules.service.config import ConfigError, ServiceConfig


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Adres; buiten loopback alleen met tokens.")
@click.option("--port", "-p", type=int, default=8000, show_default=True)
@click.option("--workers", "-w", type=click.IntRange(1, 64), default=1, show_default=True, help="Aantal processen.")
@click.option("--token-file", type=click.Path(dir_okay=False), help="Bestand met bearer-tokens, één per regel.")
@click.option("--token-env", default="MELDCODE_RULES_TOKENS", show_default=True, help="Omgevingsvariabele met tokens.")
@click.option("--engine", "-e", type=click.Choice(ENGINES), help="Standaard-engine (anders durable waar die werkt).")
@click.option("--records", help="Besluitregistratie: pad van een SQLite-database, of `-` (JSON Lines op stdout).")
@click.option("--records-always", is_flag=True, help="Registreer elk oordeel, niet alleen op verzoek.")
@click.option("--max-body", type=click.IntRange(1), default=64 * 1024, show_default=True, help="Bytes per casus.")
@click.option("--max-batch-body", type=click.IntRange(1), default=16 * 1024 * 1024, show_default=True)
@click.option("--max-batch", type=click.IntRange(1), default=10_000, show_default=True, help="Casussen per reeks.")
@click.option("--body-timeout", type=click.FloatRange(0.1), default=10.0, show_default=True, help="Seconden.")
@click.option("--ssl-certfile", type=click.Path(dir_okay=False, exists=True), help="TLS-certificaat (PEM).")
@click.option("--ssl-keyfile", type=click.Path(dir_okay=False, exists=True), help="TLS-sleutel (PEM).")
@click.option("--no-access-log", is_flag=True, help="Geen toegangslog (het log bevat nooit bodies of queries).")
def serve_command(
    host: str,
    port: int,
    workers: int,
    token_file: str | None,
    token_env: str,
    engine: str | None,
    records: str | None,
    records_always: bool,
    max_body: int,
    max_batch_body: int,
    max_batch: int,
    body_timeout: float,
    ssl_certfile: str | None,
    ssl_keyfile: str | None,
    no_access_log: bool,
) -> None:
    """Start de HTTP-service (POST /v1/oordeel, /v1/oordelen; zie docs/integratie.md)."""
    try:
        # lazy: the [service] extra (fastapi, uvicorn) is optional; without it only this command fails
        import fastapi  # noqa: F401
        import uvicorn  # noqa: F401  (lazy: the same optional extra)
    except ImportError:
        fail("de service vraagt de extra `[service]`: pip install 'meldcode-rules[service]'")
    # lazy: these import uvicorn (the optional [service] extra, checked just above)
    from meldcode_rules.service.server import run

    config = ServiceConfig(
        host=host,
        port=port,
        token_file=token_file,
        token_env=token_env,
        engine=engine,
        max_body=max_body,
        max_batch_body=max_batch_body,
        max_batch=max_batch,
        body_timeout=body_timeout,
        records=records,
        records_always=records_always,
        workers=workers,
    )
    try:
        config.check()
    except ConfigError as error:
        fail(f"de service start niet: {error}")
    run(config, ssl_certfile=ssl_certfile, ssl_keyfile=ssl_keyfile, access_log=not no_access_log)
