"""A small fake of Miro's OAuth endpoints (and one API endpoint) as a starlette app.

It behaves like API-NOTES section 2: codes are single-use, every refresh issues
a new pair and invalidates the old one, revoking kills both, ``team_id`` is a
bare JSON number. Counters let tests assert how many exchanges happened.
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

CLIENT_ID = "3458764500000000001"
CLIENT_SECRET = "client-secret-" + "S3CR3T" * 4
TEAM_ID = 3458764517517819000  # a JSON number on purpose


@dataclass
class Pair:
    access: str
    refresh: str
    alive: bool = True


@dataclass
class FakeMiro:
    """State of the fake; ``app`` is the ASGI app, ``transport()`` an httpx transport."""

    expires_in: int = 3599
    issue_refresh: bool = True
    codes: dict[str, str] = field(default_factory=dict)  # code -> redirect_uri
    pairs: list[Pair] = field(default_factory=list)
    exchanges: int = 0
    refreshes: int = 0
    revocations: int = 0
    last_form: dict[str, str] = field(default_factory=dict)
    last_content_type: str = ""
    #: Extra delay inside the refresh handler so concurrent callers really overlap.
    refresh_delay: float = 0.0
    api_requests: list[str] = field(default_factory=list)
    #: Access tokens Miro already considers expired (their refresh token still works).
    expired: set[str] = field(default_factory=set)

    def issue_code(self, redirect_uri: str) -> str:
        code = "code-" + secrets.token_hex(8)
        self.codes[code] = redirect_uri
        return code

    def new_pair(self) -> Pair:
        pair = Pair("acc-" + secrets.token_hex(16), "ref-" + secrets.token_hex(16))
        self.pairs.append(pair)
        return pair

    def live(self, access: str) -> bool:
        if access in self.expired:
            return False
        return any(p.access == access and p.alive for p in self.pairs)

    def _token_body(self, pair: Pair) -> dict[str, Any]:
        body: dict[str, Any] = {
            "token_type": "bearer",
            "team_id": TEAM_ID,
            "access_token": pair.access,
            "scope": "boards:write boards:read identity:read",
            "user_id": 3074457350000000042,
        }
        if self.issue_refresh:
            body["refresh_token"] = pair.refresh
            body["expires_in"] = self.expires_in
        return body

    async def _token(self, request: Request) -> Response:
        self.last_content_type = request.headers.get("content-type", "")
        # Parsed by hand: starlette's form parser needs python-multipart.
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode()).items()}
        self.last_form = form
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        grant = form.get("grant_type")
        if grant == "authorization_code":
            redirect = self.codes.pop(form.get("code", ""), None)
            if redirect is None or redirect != form.get("redirect_uri"):
                return JSONResponse(
                    {"error": "invalid_grant", "error_description": "bad code"}, status_code=400
                )
            self.exchanges += 1
            return JSONResponse(self._token_body(self.new_pair()))
        if grant == "refresh_token":
            if self.refresh_delay:
                await asyncio.sleep(self.refresh_delay)
            old = next((p for p in self.pairs if p.refresh == form.get("refresh_token")), None)
            if old is None or not old.alive:
                return JSONResponse(
                    {"error": "invalid_grant", "error_description": "refresh token is invalid"},
                    status_code=400,
                )
            old.alive = False  # Miro invalidates the old pair on refresh
            self.refreshes += 1
            return JSONResponse(self._token_body(self.new_pair()))
        return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)

    def _bearer(self, request: Request) -> str:
        header = request.headers.get("authorization", "")
        return header.removeprefix("Bearer ").strip()

    async def _token_info(self, request: Request) -> Response:
        if not self.live(self._bearer(request)):
            return JSONResponse({"status": 401, "code": "tokenNotProvided"}, status_code=401)
        return JSONResponse(
            {
                "type": "oauth_token",
                "organization": {"type": "organization", "name": "Acme", "id": "1"},
                "team": {"type": "team", "name": "Vision Team", "id": str(TEAM_ID)},
                "createdBy": {"type": "user", "name": "Ana Facilitator", "id": "42"},
                "user": {"type": "user", "name": "Ana Facilitator", "id": "3074457350000000042"},
                "scopes": ["boards:read", "boards:write"],
            }
        )

    async def _revoke(self, request: Request) -> Response:
        body = await request.json()
        if body.get("clientId") != CLIENT_ID or body.get("clientSecret") != CLIENT_SECRET:
            return JSONResponse({"status": 401}, status_code=401)
        pair = next((p for p in self.pairs if p.access == body.get("accessToken")), None)
        if pair is None or not pair.alive:
            return JSONResponse({"status": 404, "code": "notFound"}, status_code=404)
        pair.alive = False
        self.revocations += 1
        return Response(status_code=204)

    async def _boards(self, request: Request) -> Response:
        self.api_requests.append(self._bearer(request))
        if not self.live(self._bearer(request)):
            return JSONResponse(
                {"status": 401, "code": "tokenNotProvided", "message": "expired", "type": "error"},
                status_code=401,
            )
        return JSONResponse({"data": [], "total": 0, "size": 0, "offset": 0, "limit": 20})

    @property
    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v1/oauth/token", self._token, methods=["POST"]),
                Route("/v1/oauth-token", self._token_info, methods=["GET"]),
                Route("/v2/oauth/revoke", self._revoke, methods=["POST"]),
                Route("/v2/boards", self._boards, methods=["GET"]),
            ]
        )

    def transport(self) -> httpx.AsyncBaseTransport:
        return httpx.ASGITransport(app=self.app)
