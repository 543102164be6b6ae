"""``boardsmith emulator serve``: the embedded Miro emulator as a local HTTP server."""

from __future__ import annotations

import typer

from boardsmith.cli.app import DEVELOPER_PANEL, app
from boardsmith.cli.options import (
    CreditsOpt,
    DbOpt,
    FailAfterCommitOpt,
    HostOpt,
    LatencyOpt,
    Rate429Opt,
    Rate500Opt,
    SeedOpt,
    ServePortOpt,
)
from boardsmith.errors import BoardsmithError, UsageError

emulator_app = typer.Typer(
    name="emulator",
    help="Run the embedded Miro emulator (the offline backend) as a local HTTP server.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(emulator_app, rich_help_panel=DEVELOPER_PANEL)


def _fraction(flag: str, value: float) -> float:
    if not 0.0 <= value <= 1.0:
        raise UsageError(f"{flag}: must be between 0 and 1, got {value:g}")
    return value


@emulator_app.command("serve")
def serve(
    host: HostOpt = "127.0.0.1",
    port: ServePortOpt = 8765,
    db: DbOpt = None,
    latency_ms: LatencyOpt = 0.0,
    credits_per_minute: CreditsOpt = 100_000,
    rate_429: Rate429Opt = 0.0,
    rate_500: Rate500Opt = 0.0,
    fail_after_commit: FailAfterCommitOpt = 0.0,
    seed: SeedOpt = None,
) -> None:
    """Serve a Miro-compatible API on loopback, backed by SQLite (Ctrl-C stops it).

    \b
    Examples:
      boardsmith emulator serve
      boardsmith emulator serve --port 9000 --db /tmp/workshop.sqlite3
      boardsmith emulator serve --rate-429 0.1 --seed 7    # test retries
    Then, in another terminal:
      MIRO_API_URL=http://127.0.0.1:8765 boardsmith create vision-board
    """
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
    from boardsmith.cli.output import note

    # A message, not data: on stderr with the server's log, so --quiet silences it.
    note(f"Miro emulator on http://{shown}:{port} (database: {db_path}); Ctrl-C stops it")
    try:
        make_server(emulator, host, port).run(sockets=[sock])
    finally:
        sock.close()
        emulator.close()
