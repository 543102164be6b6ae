"""Identity from the bearer token: ``Ana:1`` is the user "Ana" with a stable id."""

from __future__ import annotations

from dataclasses import dataclass

from boardsmith.emulator.errors import ApiError
from boardsmith.emulator.ids import user_id_for


@dataclass(frozen=True)
class User:
    """The caller of one request."""

    id: str
    name: str

    def short(self) -> dict[str, str]:
        """``createdBy``/``modifiedBy`` of items."""
        return {"id": self.id, "type": "user"}

    def info(self) -> dict[str, str]:
        """``UserInfoShort`` of boards."""
        return {"id": self.id, "name": self.name, "type": "user"}


def user_from_authorization(header: str | None) -> User:
    """The user behind an ``Authorization`` header; 401 ``tokenNotProvided`` when absent/blank."""
    token = ""
    if header:
        scheme, _, rest = header.strip().partition(" ")
        if scheme.lower() == "bearer":
            token = rest.strip()
    if not token:
        raise ApiError(401, "tokenNotProvided", "No access token was provided in the request")
    name = token.split(":", 1)[0].strip() or "User"
    return User(id=user_id_for(token), name=name)
