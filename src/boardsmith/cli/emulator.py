"""``boardsmith emulator serve``: the embedded Miro emulator as a local HTTP server."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from boardsmith.cli.app import app
from boardsmith.errors import BoardsmithError, UsageError

emulator_app = typer.Typer(
    name="emulator",
    help="Run the embedded Miro emulator (the offline backend) as a local HTTP server.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(emulator_app)


def _fraction(flag: str, value: float) -> float:
    if not 0.0 <= value <= 1.0:
        raise UsageError(f"{flag}: must be between 0 and 1, got {value:g}")
    return value


@emulator_app.command("serve")
def serve(
    host: Annotated[
        str, typer.Option("--host", help="Loopback address to listen on.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8765,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            help="SQLite file (or a directory for emulator.sqlite3); "
            "default <data dir>/emulator.sqlite3.",
        ),
    ] = None,
    latency_ms: Annotated[
        float, typer.Option("--latency-ms", help="Added latency per request.")
    ] = 0.0,
    credits_per_minute: Annotated[
        int, typer.Option("--credits-per-minute", help="Per-user rate-limit budget.")
    ] = 100_000,
    rate_429: Annotated[
        float, typer.Option("--rate-429", help="Fraction of requests answered 429.")
    ] = 0.0,
    rate_500: Annotated[
        float, typer.Option("--rate-500", help="Fraction of requests answered 500.")
    ] = 0.0,
    fail_after_commit: Annotated[
        float,
        typer.Option(
            "--fail-after-commit",
            help="Fraction of writes that commit, then fail (500 or dropped connection).",
        ),
    ] = 0.0,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Seed for reproducible faults and ids.")
    ] = None,
) -> None:
    """Serve a Miro-compatible API on loopback, backed by SQLite (Ctrl-C stops it)."""
    from boardsmith.emulator import Faults, create_app
    from boardsmith.emulator.paths import resolve_db_path
    from boardsmith.emulator.serve import PortInUseError, bind_socket, is_loopback, make_server

    if not is_loopback(host):
        raise UsageError(
            f"--host: the emulator only listens on loopback (127.0.0.1, ::1, localhost), not {host}"
        )
    if not 0 < port < 65536:
        raise UsageError(f"--port: must be between 1 and 65535, got {port}")
    if latency_ms < 0:
        raise UsageError(f"--latency-ms: must be >= 0, got {latency_ms:g}")
    if credits_per_minute < 1:
        raise UsageError(f"--credits-per-minute: must be >= 1, got {credits_per_minute}")
    faults = Faults(
        latency_ms=latency_ms,
        rate_429=_fraction("--rate-429", rate_429),
        rate_500=_fraction("--rate-500", rate_500),
        fail_after_commit=_fraction("--fail-after-commit", fail_after_commit),
        seed=seed,
    )
    shown = f"[{host}]" if ":" in host else host
    try:
        sock = bind_socket(host, port)
    except PortInUseError:
        raise UsageError(
            f"--port {port}: already in use on {host} (another `boardsmith emulator serve`?); "
            "stop it or choose another port"
        ) from None
    except OSError as exc:
        raise UsageError(f"--port {port}: cannot listen on {host}: {exc.strerror}") from None
    db_path = resolve_db_path(db)
    try:
        emulator = create_app(db_path, credits_per_minute=credits_per_minute, faults=faults)
    except BoardsmithError:
        sock.close()
        raise  # already one line naming the file (a damaged database)
    except Exception as exc:  # sqlite3 / OS errors opening the database
        sock.close()
        raise UsageError(f"--db: cannot open {db_path}: {exc}") from exc
    typer.echo(f"Miro emulator on http://{shown}:{port} (database: {db_path}); Ctrl-C stops it")
    try:
        make_server(emulator, host, port).run(sockets=[sock])
    finally:
        sock.close()
        emulator.close()
