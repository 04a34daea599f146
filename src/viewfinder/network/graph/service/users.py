"""The User node: the professional account a token is for (`me`, or its id), with Instagram's field names."""

from __future__ import annotations

from typing import Any

from viewfinder.network.graph.nodes import Call, node_type
from viewfinder.network.social.models import AccountType, NetworkPerson

ACCOUNT_TYPES = {AccountType.BUSINESS: "Business", AccountType.CREATOR: "Media_Creator"}

USER = node_type("User")


def absolute(call: Call, address: str | None) -> str | None:
    """The network's own addresses are paths; the Graph answers absolute ones."""
    if address and address.startswith("/"):
        return f"{str(call.resources.settings.base_url).rstrip('/')}{address}"
    return address


def _account_type(call: Call, person: NetworkPerson) -> str | None:
    return ACCOUNT_TYPES.get(person.account_type)


USER.fields.update(
    {
        "id": lambda call, person: str(person.id),
        "user_id": lambda call, person: str(person.id),
        "ig_id": lambda call, person: person.id,
        "username": lambda call, person: person.username,
        "name": lambda call, person: person.name,
        "account_type": _account_type,
        "biography": lambda call, person: person.bio,
        "website": lambda call, person: person.website,
        "profile_picture_url": lambda call, person: absolute(call, person.avatar_url),
        "followers_count": lambda call, person: person.followers_count,
        "follows_count": lambda call, person: person.following_count,
        "media_count": lambda call, person: person.posts_count,
    }
)


async def _load(call: Call, person_id: int) -> Any:
    # A token reads its own account by id; other accounts only through business_discovery, as on Instagram.
    return call.person if person_id == call.person.id else None


USER.load = _load
