"""A Miro-compatible ASGI app on SQLite: the embedded default backend and the test double.

```python
from boardsmith.emulator import create_app, Faults, EmulatorTransport
app = create_app(":memory:", credits_per_minute=100_000, faults=Faults(latency_ms=0))
transport = EmulatorTransport(app)   # httpx.AsyncBaseTransport, in-process
app.stats()                          # {"total_requests", "credits", "requests": {...}}
```

This package imports nothing from boardsmith except :mod:`boardsmith.errors`.
"""

from __future__ import annotations

from boardsmith.emulator.app import EmulatorApp, create_app
from boardsmith.emulator.faults import Faults
from boardsmith.emulator.paths import default_db_path
from boardsmith.emulator.transport import EmulatorTransport

__all__ = ["EmulatorApp", "EmulatorTransport", "Faults", "create_app", "default_db_path"]
