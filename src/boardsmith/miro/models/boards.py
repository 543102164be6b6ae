"""Boards and board members."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from boardsmith.miro.models.common import Id, Links, MiroRequest, MiroResponse, Timestamp

__all__ = [
    "Board",
    "BoardCreate",
    "BoardMember",
    "BoardPermissionsPolicy",
    "BoardPolicyChange",
    "BoardSharingPolicy",
    "BoardUpdate",
    "UserRef",
]

MemberRole = Literal["viewer", "commenter", "editor", "coowner", "owner"]


class UserRef(MiroResponse):
    """A user or team as boards mention them (``owner``, ``createdBy``, ``team``)."""

    id: Id | None = None
    name: str | None = None
    type: str | None = None


class BoardMember(MiroResponse):
    """A member of a board; ``role`` keeps values Miro adds later as strings."""

    id: Id
    name: str | None = None
    role: MemberRole | str | None = None
    type: str | None = None
    links: Links | None = None


class Board(MiroResponse):
    """A board (``id`` looks like base64, e.g. ``uXjVOD6LSME=``)."""

    id: Id
    name: str = ""
    description: str | None = None
    type: str | None = None
    view_link: str | None = None
    team: UserRef | None = None
    project: UserRef | None = None
    owner: UserRef | None = None
    current_user_membership: BoardMember | None = None
    created_at: Timestamp | None = None
    created_by: UserRef | None = None
    modified_at: Timestamp | None = None
    modified_by: UserRef | None = None
    last_opened_at: Timestamp | None = None
    links: Links | None = None


class BoardPermissionsPolicy(MiroRequest):
    """Who may copy, share, or start collaboration tools on the board."""

    collaboration_tools_start_access: Literal["all_editors", "board_owners_and_coowners"] | None = (
        None
    )
    copy_access: Literal["anyone", "team_members", "team_editors", "board_owner"] | None = None
    sharing_access: Literal["team_members_with_editing_rights", "owner_and_coowners"] | None = None


class BoardSharingPolicy(MiroRequest):
    """Who can open the board and with what rights."""

    access: Literal["private", "view", "edit", "comment"] | None = None
    invite_to_account_and_board_link_access: (
        Literal["viewer", "commenter", "editor", "no_access"] | None
    ) = None
    organization_access: Literal["private", "view", "comment", "edit"] | None = None
    team_access: Literal["private", "view", "comment", "edit"] | None = None


class BoardPolicyChange(MiroRequest):
    """A board's permissions and sharing policy."""

    permissions_policy: BoardPermissionsPolicy | None = None
    sharing_policy: BoardSharingPolicy | None = None


class BoardCreate(MiroRequest):
    """``POST /v2/boards`` body (Miro's ``BoardChanges``)."""

    name: str | None = Field(default=None, min_length=1, max_length=60)
    description: str | None = Field(default=None, max_length=300)
    policy: BoardPolicyChange | None = None
    team_id: Id | None = None
    project_id: Id | None = None


class BoardUpdate(BoardCreate):
    """``PATCH /v2/boards/{board_id}`` body (same shape as create)."""
