"""``MiroEmulator``: one emulator with its database, users, faults, stats and (on demand)
a loopback HTTP server, for tests of any Miro client.

Only the standard library is imported at module level: this module is imported whenever
pytest loads boardsmith's plugin, and most test runs never make an emulator.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx
    import uvicorn

    from boardsmith.emulator import EmulatorApp, Faults
    from boardsmith.emulator.faults import FailMode
    from boardsmith.miro import MiroClient

__all__ = ["IN_PROCESS_URL", "MiroEmulator"]

#: The base URL of in-process clients. ``.invalid`` never resolves, so a client that
#: was meant to go in-process but lost its transport fails instead of reaching Miro.
IN_PROCESS_URL = "http://miro-emulator.invalid"

_START_TIMEOUT = 10.0


class MiroEmulator:
    """A Miro-compatible emulator for one test: a fresh database, in process or served.

    In process (the default), :meth:`transport`, :meth:`client` and :meth:`http_client`
    reach the app on the caller's event loop with no socket. Reading :attr:`base_url`
    (or passing ``served=True``) also serves it with uvicorn on a loopback port in a
    background thread, for clients that need a URL: plain httpx, Miro's official
    ``miro-api`` SDK, another process. Both reach the same boards.

    Any bearer token is accepted; :meth:`token` gives each user name its own token, so
    its own Miro user (a stable 19-digit :meth:`user_id`). Fault knobs (``latency_ms``,
    ``rate_429``, ``rate_500``, ``fail_after_commit``, ``fail_mode``, ``seed``) and
    ``credits_per_minute`` set the starting behaviour; :meth:`set_faults` changes it at
    any time. Use it as a context manager, or call :meth:`close`.
    """

    def __init__(
        self,
        db_path: str | Path = ":memory:",
        *,
        served: bool = False,
        credits_per_minute: int = 100_000,
        latency_ms: float = 0,
        rate_429: float = 0.0,
        rate_500: float = 0.0,
        fail_after_commit: float = 0.0,
        fail_mode: FailMode = "mixed",
        seed: int | None = None,
    ) -> None:
        from boardsmith.emulator import Faults, create_app

        faults = Faults(
            latency_ms=latency_ms,
            rate_429=rate_429,
            rate_500=rate_500,
            fail_after_commit=fail_after_commit,
            fail_mode=fail_mode,
            seed=seed,
        )
        self.app: EmulatorApp = create_app(
            db_path, credits_per_minute=credits_per_minute, faults=faults
        )
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._url: str | None = None
        self._closed = False
        if served:
            self.serve()

    def __repr__(self) -> str:
        where = self._url or "in process"
        return f"MiroEmulator({where}, db={str(self.app.db_path)!r})"

    def __enter__(self) -> MiroEmulator:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # ---- users --------------------------------------------------------------

    @staticmethod
    def token(user: str = "Ana") -> str:
        """The bearer token of ``user`` (``"Ana"`` -> ``"Ana:1"``): same name, same user."""
        if not user or ":" in user or user != user.strip():
            raise ValueError(f"a user name without ':' or surrounding spaces expected: {user!r}")
        return f"{user}:1"

    @classmethod
    def user_id(cls, user: str = "Ana") -> str:
        """The id the emulator gives ``user`` (``createdBy.id``, board owner, member id)."""
        from boardsmith.emulator.ids import user_id_for

        return user_id_for(cls.token(user))

    @classmethod
    def headers(cls, user: str = "Ana") -> dict[str, str]:
        """``{"Authorization": "Bearer <token of user>"}`` for a hand-made request."""
        return {"Authorization": f"Bearer {cls.token(user)}"}

    # ---- reaching it ----------------------------------------------------------

    @property
    def served(self) -> bool:
        """True once the loopback server is running."""
        return self._url is not None

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>``: the served emulator (started on first use)."""
        return self.serve()

    def serve(self) -> str:
        """Serve the emulator on a free loopback port (once) and return its base URL."""
        if self._closed:
            raise RuntimeError("this MiroEmulator is closed")
        if self._url is not None:
            return self._url
        from boardsmith.emulator.serve import bind_socket, make_server

        host = "127.0.0.1"
        sock = bind_socket(host, 0)
        port = int(sock.getsockname()[1])
        server = make_server(self.app, host, port)
        # Its own thread and event loop: a sync test (or a sync SDK) blocks its own
        # thread while waiting for the answer, which the server must still produce.
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name="miro-emulator", daemon=True
        )
        thread.start()
        deadline = time.monotonic() + _START_TIMEOUT
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                server.should_exit = True
                sock.close()
                raise RuntimeError(f"the emulator server did not start on {host}:{port}")
            time.sleep(0.005)
        self._server, self._thread = server, thread
        self._url = f"http://{host}:{port}"
        return self._url

    def transport(self) -> httpx.AsyncBaseTransport:
        """An httpx transport into the app, in process (async clients only)."""
        from boardsmith.emulator import EmulatorTransport

        return EmulatorTransport(self.app)

    def _route(self, served: bool | None) -> tuple[str, httpx.AsyncBaseTransport | None]:
        if served or (served is None and self.served):
            return self.base_url, None
        return IN_PROCESS_URL, self.transport()

    def client(self, user: str = "Ana", *, served: bool | None = None, **kwargs: Any) -> MiroClient:
        """A :class:`~boardsmith.miro.MiroClient` acting as ``user``; use it as
        ``async with``. In process unless ``served`` (default: served once serving);
        ``kwargs`` go to the client (``max_retries=0``, ``sleep=...``)."""
        from boardsmith.miro import MiroClient

        base_url, transport = self._route(served)
        kwargs.setdefault("base_url", base_url)
        if transport is not None:
            kwargs.setdefault("transport", transport)
        return MiroClient(token=self.token(user), **kwargs)

    def http_client(
        self, user: str = "Ana", *, served: bool | None = None, **kwargs: Any
    ) -> httpx.AsyncClient:
        """A plain ``httpx.AsyncClient`` acting as ``user`` (``base_url`` set, same rule
        as :meth:`client`); use it as ``async with``."""
        import httpx

        base_url, transport = self._route(served)
        headers = {**self.headers(user), **kwargs.pop("headers", {})}
        return httpx.AsyncClient(base_url=base_url, transport=transport, headers=headers, **kwargs)

    # ---- behaviour and what it saw -------------------------------------------

    @property
    def faults(self) -> Faults:
        """The current fault settings (see :class:`boardsmith.emulator.Faults`)."""
        return self.app.faults

    @faults.setter
    def faults(self, value: Faults) -> None:
        self.app.faults = value

    def set_faults(self, **changes: Any) -> Faults:
        """Change some fault knobs (``rate_429=1.0``), keep the others; returns the new
        settings. The random decisions restart from ``seed``."""
        self.app.faults = dataclasses.replace(self.app.faults, **changes)
        return self.app.faults

    @property
    def credits_per_minute(self) -> int:
        """Each user's credit budget per minute (Miro's is 100,000)."""
        return self.app.credits_per_minute

    @credits_per_minute.setter
    def credits_per_minute(self, value: int) -> None:
        self.app.credits_per_minute = value

    def stats(self) -> dict[str, Any]:
        """``{"total_requests", "credits", "requests": {"POST /v2/boards": n, ...}}``."""
        return self.app.stats()

    def reset_stats(self) -> None:
        """Count requests and credits from zero again."""
        self.app.reset_stats()

    def close(self) -> None:
        """Stop the server (if serving) and close the database. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=_START_TIMEOUT)
        self.app.close()
