"""Roles and what each may do: the one permission table that every route uses.

A permission is an area and an access level, which is also how personal API tokens are scoped
("publishing:write"): a request may do what the member's role allows and, with a token, what the token
allows too.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    EDITOR = "editor"
    ANALYST = "analyst"
    VIEWER = "viewer"


class Permission(StrEnum):
    WORKSPACE_READ = "workspace:read"
    WORKSPACE_WRITE = "workspace:write"
    WORKSPACE_DELETE = "workspace:delete"
    MEMBERS_READ = "members:read"
    MEMBERS_WRITE = "members:write"
    AUDIT_READ = "audit:read"
    CONTENT_READ = "content:read"
    CONTENT_WRITE = "content:write"
    CONTENT_APPROVE = "content:approve"
    CHANNELS_READ = "channels:read"
    CHANNELS_WRITE = "channels:write"
    REPORTS_READ = "reports:read"
    REPORTS_RUN = "reports:run"

    @property
    def area(self) -> str:
        return self.value.split(":")[0]

    @property
    def is_write(self) -> bool:
        return not self.value.endswith(":read")


# The audit log is for owners and admins only.
_READ_ALL = frozenset(p for p in Permission if not p.is_write) - {Permission.AUDIT_READ}

PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OWNER: frozenset(Permission),
    Role.ADMIN: frozenset(Permission) - {Permission.WORKSPACE_DELETE},
    Role.EDITOR: _READ_ALL | {Permission.CONTENT_WRITE},
    Role.ANALYST: _READ_ALL | {Permission.REPORTS_RUN},
    Role.VIEWER: _READ_ALL,
}

# Roles an admin may hand out; only an owner makes owners (see transfer of ownership).
ASSIGNABLE_BY: dict[Role, frozenset[Role]] = {
    Role.OWNER: frozenset(Role),
    Role.ADMIN: frozenset(Role) - {Role.OWNER},
}

# Scopes a personal API token may carry: "area:read" or "area:write" (write includes read).
TOKEN_SCOPES = sorted({f"{p.area}:{level}" for p in Permission for level in ("read", "write")})


def can(role: Role, permission: Permission) -> bool:
    return permission in PERMISSIONS[role]


def scope_allows(scopes: frozenset[str], permission: Permission) -> bool:
    if permission.is_write:
        return f"{permission.area}:write" in scopes
    return bool({f"{permission.area}:read", f"{permission.area}:write"} & scopes)
