"""Where the client gets its bearer token, and how it asks for a fresh one.

The client never stores a raw token string on itself: it asks a
:class:`TokenSource` before each request. A static token (``MIRO_ACCESS_TOKEN``)
is a :class:`StaticToken`; OAuth tokens with refresh live in ``miro/oauth.py``.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from pydantic import SecretStr


@runtime_checkable
class TokenSource(Protocol):
    """Supplies access tokens to :class:`~boardsmith.miro.client.MiroClient`."""

    async def access_token(self) -> SecretStr:
        """Return the token to send now (refreshing first if it is about to expire)."""
        ...

    async def refresh(self, rejected: SecretStr) -> SecretStr | None:
        """Called once after Miro answered 401 to ``rejected``.

        Return a new token to retry with, or ``None`` when no refresh is possible
        (the 401 then reaches the caller). Implementations must make concurrent
        calls for the same rejected token perform a single refresh.
        """
        ...


class StaticToken:
    """A token that never changes and cannot be refreshed."""

    __slots__ = ("_token",)

    def __init__(self, token: str | SecretStr) -> None:
        self._token = token if isinstance(token, SecretStr) else SecretStr(token)

    async def access_token(self) -> SecretStr:
        """The token given at construction."""
        return self._token

    async def refresh(self, rejected: SecretStr) -> SecretStr | None:
        """Always ``None``: a static token cannot be refreshed, so the 401 is raised."""
        return None

    def __repr__(self) -> str:
        return "StaticToken(**********)"
