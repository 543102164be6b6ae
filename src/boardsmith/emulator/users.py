"""Identity from the bearer token: ``Ana:1`` is the user "Ana" with a stable id.

Each user also has an email address, the handle Miro's share endpoint takes:
``<name>.<user id>@emulator.invalid`` (see :func:`email_of`). It is made from the
name and the id, never from the token.
"""

from __future__ import annotations

import re
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

    @property
    def email(self) -> str:
        """The address other users share boards with (:func:`email_of`)."""
        return email_of(self.name, self.id)


EMAIL_DOMAIN = "emulator.invalid"
_EMAIL = re.compile(r"^(?P<name>[^@\s]*)\.(?P<id>\d{19})@" + re.escape(EMAIL_DOMAIN) + "$")


def email_of(name: str, user_id: str) -> str:
    """``Ana``, ``3074457…`` -> ``ana.3074457…@emulator.invalid``."""
    local = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "user"
    return f"{local}.{user_id}@{EMAIL_DOMAIN}"


def email_for_token(token: str) -> str:
    """The email address of the user behind an emulator token (for tests and tools)."""
    user = user_from_authorization(f"Bearer {token}")
    return user.email


def user_of_email(email: str) -> tuple[str, str] | None:
    """``(user id, name as the address spells it)`` for an emulator address, else None."""
    match = _EMAIL.match(email.strip().casefold())
    if match is None:
        return None
    return match["id"], match["name"] or "user"


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
