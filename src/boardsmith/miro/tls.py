"""The TLS context of boardsmith's HTTP clients, built once per process.

httpx builds a fresh context for every client, and loading the CA bundle into it
costs 30-40 ms of CPU (more on a busy machine): paid by every ``MiroClient``, also
those that only ever speak plain HTTP to a local emulator.
"""

from __future__ import annotations

import ssl
from functools import cache
from urllib.parse import urlsplit

import httpx

__all__ = ["tls_context"]


def tls_context(base_url: str) -> ssl.SSLContext:
    """The context a client of ``base_url`` verifies servers with.

    ``https``: httpx's default (certifi, or ``SSL_CERT_FILE`` / ``SSL_CERT_DIR``),
    one for the whole process. Plain ``http``: a context that trusts no certificate,
    so a TLS connection through it fails verification rather than being trusted
    (the client never follows redirects, so it makes none).
    """
    if urlsplit(base_url).scheme.lower() == "http":
        return _trusting_nothing()
    return _verifying()


@cache
def _verifying() -> ssl.SSLContext:
    return httpx.create_ssl_context()


@cache
def _trusting_nothing() -> ssl.SSLContext:
    # PROTOCOL_TLS_CLIENT checks host names and requires a certificate by default.
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
