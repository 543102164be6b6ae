"""Who may see and change a board: board roles, the board's sharing policy, and Miro's errors.

The rules (docs/emulator.md, "Access") in short:

- every emulator user is a member of the one emulator team, which owns every board;
- a user's role on a board is the highest of their direct membership (``members``
  table), the board's ``sharingPolicy.teamAccess`` and its public ``access``
  (``private`` gives nothing, ``view`` viewer, ``comment`` commenter, ``edit`` editor),
  as the spec's ``BoardSharingPolicy`` describes;
- no role at all answers 403 ``forbiddenAccess`` for an existing board (404 only when
  the board does not exist); a role below what the operation needs answers 403 too.
"""

from __future__ import annotations

from boardsmith.emulator.errors import ApiError, not_found
from boardsmith.emulator.storage import JSON, Store
from boardsmith.emulator.users import User

#: Board roles from the weakest to the strongest (``BoardMember.role``).
ROLES = ("viewer", "commenter", "editor", "coowner", "owner")
RANK = {role: rank for rank, role in enumerate(ROLES)}
#: The role each sharing-policy level grants (``private`` grants none).
POLICY_ROLE = {"view": "viewer", "comment": "commenter", "edit": "editor"}
#: What reading and changing a board's content need.
READ = "viewer"
WRITE = "editor"


def effective_role(store: Store, board: JSON, user: User) -> str | None:
    """The caller's role on ``board``: direct membership or the sharing policy, the higher."""
    member = store.get_member(board["id"], user.id)
    roles = [member.role] if member is not None else []
    sharing = board.get("policy", {}).get("sharingPolicy", {})
    # Every emulator user is in the board's team, so teamAccess always applies to them.
    for key in ("teamAccess", "access"):
        granted = POLICY_ROLE.get(str(sharing.get(key, "private")))
        if granted is not None:
            roles.append(granted)
    return max(roles, key=RANK.__getitem__) if roles else None


def visible_in_list(board: JSON, member_boards: set[str]) -> bool:
    """True when ``GET /v2/boards`` lists the board for ``user``.

    Direct members and the team (when ``teamAccess`` is not private) see it; public
    ``access`` alone does not list a board (Miro lists no stranger's public boards).
    """
    if board["id"] in member_boards:
        return True
    team = board.get("policy", {}).get("sharingPolicy", {}).get("teamAccess", "private")
    return bool(team != "private")


def forbidden(message: str) -> ApiError:
    """Miro's 403 (``Error403``'s code is ``forbiddenAccess``)."""
    return ApiError(403, "forbiddenAccess", message)


def require(store: Store, board_id: str, user: User, needed: str, doing: str) -> tuple[JSON, str]:
    """The board and the caller's role, or Miro's 404/403 when the role is below ``needed``."""
    board = store.get_board(board_id)
    if board is None:
        raise not_found(f"Board {board_id}")
    role = effective_role(store, board, user)
    if role is None:
        raise forbidden(f"You are not a member of board {board_id}; ask its owner to share it")
    if RANK[role] < RANK[needed]:
        raise forbidden(f"Your role on board {board_id} is {role}; {doing} needs {needed} or above")
    return board, role
