"""One TLS context per process, and none that trusts anything for plain HTTP."""

from __future__ import annotations

import ssl
from typing import Any

import httpx
import pytest

from boardsmith.miro import MiroClient, tls
from boardsmith.miro.tls import tls_context


def _context_of(client: MiroClient) -> ssl.SSLContext:
    # httpx keeps it on the connection pool of the client's default transport.
    pool: Any = client._http._transport._pool  # type: ignore[attr-defined]
    context = pool._ssl_context
    assert isinstance(context, ssl.SSLContext)
    return context


async def test_https_clients_share_one_verifying_context() -> None:
    async with (
        MiroClient("t", base_url="https://api.miro.com") as one,
        MiroClient("t", base_url="https://api.miro.com") as two,
    ):
        assert _context_of(one) is _context_of(two)
    context = _context_of(one)
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
    assert context.cert_store_stats()["x509_ca"] > 0


async def test_plain_http_loads_no_ca_bundle(monkeypatch: pytest.MonkeyPatch) -> None:
    tls._verifying.cache_clear()
    built: list[object] = []
    monkeypatch.setattr(httpx, "create_ssl_context", lambda: built.append(1))
    async with MiroClient("t", base_url="http://127.0.0.1:8765") as client:
        context = _context_of(client)
    assert built == []
    # Any TLS through it would fail: it verifies, and trusts no certificate.
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
    assert context.cert_store_stats()["x509_ca"] == 0
    tls._verifying.cache_clear()


@pytest.mark.parametrize(
    ("url", "trusting"),
    [("HTTP://localhost:1", False), ("https://example.test", True), ("http://a/b", False)],
)
def test_the_scheme_picks_the_context(url: str, trusting: bool) -> None:
    assert (tls_context(url).cert_store_stats()["x509_ca"] > 0) is trusting
