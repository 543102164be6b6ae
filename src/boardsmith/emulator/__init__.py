"""A Miro-compatible ASGI app on SQLite: the embedded default backend and the test double."""
