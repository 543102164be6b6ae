"""Test your own Miro code offline: a Miro emulator per test, as a fixture or a ``with``.

Installing boardsmith registers a pytest plugin (``boardsmith.testing.plugin``) whose
``miro_emulator`` fixture is a :class:`MiroEmulator` with a fresh database::

    async def test_my_integration(miro_emulator):
        async with miro_emulator.client("Ana") as client:
            board = await client.boards.create(name="Vision")
        assert miro_emulator.stats()["requests"]["POST /v2/boards"] == 1

Outside pytest, ``with MiroEmulator(served=True) as emulator:`` does the same.

Importing this package is cheap (standard library only): the plugin is loaded in every
pytest run of anyone who installs boardsmith, so the emulator, httpx and uvicorn are
imported only when an emulator is made.
"""

from boardsmith.testing.emulator import MiroEmulator

__all__ = ["MiroEmulator"]
