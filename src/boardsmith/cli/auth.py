"""``boardsmith auth login | status | logout``: connect boardsmith to a Miro account.

Heavy imports (httpx, pydantic, the OAuth module) happen inside the commands so
``boardsmith --version`` stays fast. Every failure is a BoardsmithError, which
the root error boundary prints as one line.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

import typer

from boardsmith.cli.app import SETUP_PANEL, app
from boardsmith.cli.options import (
    FormatOpt,
    NoBrowserOpt,
    OAuthPortOpt,
    PrintJsonOpt,
    TeamIdOpt,
    wants_json,
)

if TYPE_CHECKING:
    import httpx

    from boardsmith.config import Settings

auth_app = typer.Typer(
    name="auth",
    help="Log in to Miro (OAuth), show who you are logged in as, or log out.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(auth_app, rich_help_panel=SETUP_PANEL)

#: Tests point the OAuth HTTP calls at a fake Miro through this hook.
HTTP_TRANSPORT: httpx.AsyncBaseTransport | None = None


def _http() -> httpx.AsyncClient:
    import httpx

    return httpx.AsyncClient(transport=HTTP_TRANSPORT, timeout=30)


@auth_app.command("login")
def login(
    port: OAuthPortOpt = None,
    team_id: TeamIdOpt = None,
    no_browser: NoBrowserOpt = False,
) -> None:
    """Authorize boardsmith in your browser and store the token (mode 0600).

    \b
    Examples:
      boardsmith auth login
      boardsmith auth login --no-browser    # on a machine without a browser
      boardsmith auth login --port 9000 --team-id 3458764517517819000
    """
    import asyncio

    from boardsmith.config import load_settings

    settings = load_settings(oauth_port=port, team_id=team_id)
    asyncio.run(_login(settings, open_browser=not no_browser))


async def _login(settings: Settings, *, open_browser: bool) -> None:
    import asyncio
    import webbrowser

    from boardsmith.cli.output import note
    from boardsmith.config import require_oauth_app, token_store_for
    from boardsmith.miro.oauth import (
        CallbackServer,
        OAuthError,
        authorization_url,
        exchange_code,
        new_state,
        token_info,
    )

    oauth = require_oauth_app(settings)
    store = token_store_for(settings)
    state = new_state()
    async with CallbackServer(state, port=settings.oauth_port) as server:
        url = authorization_url(oauth, state, team_id=settings.team_id)
        note("Authorize boardsmith in your browser. If it does not open, visit:")
        # The URL itself on stdout: with --no-browser it is what the command is for.
        typer.echo(url)
        if open_browser:
            # In a thread: some browsers block webbrowser.open while the loop must answer.
            await asyncio.to_thread(webbrowser.open, url)
        note(f"Waiting for Miro to redirect to {server.redirect_uri} (up to 10 minutes)...")
        code = await server.wait_for_code()
    async with _http() as http:
        token = await exchange_code(http, oauth, code)
        store.save(token)
        try:
            info = await token_info(http, settings.api_url, token.access_token)
        except OAuthError:
            info = None
    who = info.user_name if info and info.user_name else "your Miro user"
    team = (info.team_name if info else None) or token.team_id or "unknown team"
    typer.echo(f"Logged in to Miro as {who} (team {team}); token stored in {store.description}")


def _expiry(expires_at: datetime | None) -> str:
    if expires_at is None:
        return "never (non-expiring token)"
    from boardsmith.miro.token_store import utc_now

    minutes = int((expires_at - utc_now()).total_seconds() // 60)
    when = expires_at.strftime("%Y-%m-%d %H:%M UTC")
    if minutes < 0:
        return f"{when} (expired; refreshed on next use)"
    return f"{when} (in {minutes} min)"


@auth_app.command("status")
def status(
    as_json: PrintJsonOpt = False,
    fmt: FormatOpt = None,
) -> None:
    """Show which Miro user and team the token belongs to, its scopes and expiry.

    \b
    Examples:
      boardsmith auth status
      boardsmith auth status --json | jq -r .team
    """
    import asyncio

    as_json = wants_json(as_json, fmt)
    from boardsmith.config import load_settings

    data = asyncio.run(_status(load_settings()))
    if as_json:
        typer.echo(json.dumps(data, indent=2))
        return
    for key in ("user", "team", "organization", "scopes", "expires", "token", "api_url"):
        if data.get(key):
            value = data[key]
            shown = " ".join(value) if isinstance(value, list) else str(value)
            typer.echo(f"{key + ':':<14}{shown}")


async def _status(settings: Settings) -> dict[str, Any]:
    from boardsmith.config import token_origin, token_source_for
    from boardsmith.errors import ConfigError
    from boardsmith.miro.oauth import OAuthTokenSource, token_info

    source = token_source_for(settings, transport=HTTP_TRANSPORT)
    if source is None:
        raise ConfigError(
            "not logged in to Miro (boardsmith uses the embedded emulator)",
            hint="run `boardsmith auth login` or set MIRO_ACCESS_TOKEN",
        )
    access = await source.access_token()
    async with _http() as http:
        info = await token_info(http, settings.api_url, access)
    expires_at = source.token.expires_at if isinstance(source, OAuthTokenSource) else None
    expires = (
        _expiry(expires_at) if isinstance(source, OAuthTokenSource) else "unknown (static token)"
    )

    def named(name: str | None, ident: str | None) -> str | None:
        if name and ident:
            return f"{name} ({ident})"
        return name or ident

    return {
        "user": named(info.user_name, info.user_id),
        "team": named(info.team_name, info.team_id),
        "organization": info.organization_name,
        "scopes": info.scopes,
        "expires": expires,
        "expires_at": expires_at.isoformat() if expires_at else None,
        "token": token_origin(settings),
        "api_url": settings.api_url,
    }


@auth_app.command("logout")
def logout() -> None:
    """Revoke the stored token at Miro and delete it locally.

    \b
    Examples:
      boardsmith auth logout
    """
    import asyncio

    from boardsmith.config import load_settings

    typer.echo(asyncio.run(_logout(load_settings())))


async def _logout(settings: Settings) -> str:
    from boardsmith.config import oauth_app, token_store_for
    from boardsmith.miro.oauth import OAuthError, revoke_token

    store = token_store_for(settings)
    token = store.load()
    if token is None:
        return "Not logged in to Miro; nothing to do."
    oauth = oauth_app(settings)
    failure: OAuthError | None = None
    revoked: bool | None = None
    if oauth is not None:
        try:
            async with _http() as http:
                revoked = await revoke_token(http, oauth, token.access_token)
        except OAuthError as exc:
            failure = exc
    store.delete()
    if failure is not None:
        raise OAuthError(
            f"deleted the local token, but could not revoke it at Miro: {failure.message}",
            hint="remove the app from your Miro profile's apps to revoke it",
        )
    if revoked is None:
        return (
            f"Logged out: token deleted from {store.description} (not revoked at Miro: "
            "MIRO_CLIENT_ID/MIRO_CLIENT_SECRET are not configured)."
        )
    how = "revoked at Miro" if revoked else "already unknown to Miro"
    return f"Logged out: token {how} and deleted from {store.description}."
