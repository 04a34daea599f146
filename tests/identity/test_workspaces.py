"""Workspaces, members, ownership and invitations, through the HTTP API."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import anyio
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, update

from tests.identity.helpers import Person, add_member, make_person, make_workspace
from viewfinder.identity.models import AuditEntry, Invitation, Membership, User, Workspace
from viewfinder.identity.permissions import Role
from viewfinder.identity.service.audit import verify_chain
from viewfinder.kit.clock import utcnow
from viewfinder.kit.mail import OutboxMail, links_in
from viewfinder.kit.security import hash_token

pytestmark = pytest.mark.anyio

API = "/api/v1"
NEW_PASSWORD = "a long and unusual passphrase"


# Helpers


async def _workspace(app: FastAPI, owner: Person, *members: tuple[Person, Role], name: str = "Acme") -> uuid.UUID:
    workspace_id = await make_workspace(app, owner, name)
    for person, role in members:
        await add_member(app, workspace_id, person, role)
    return workspace_id


async def _audit(app: FastAPI, workspace_id: uuid.UUID | str) -> list[AuditEntry]:
    async with app.state.resources.db.unit_of_work() as session:
        statement = (
            select(AuditEntry).where(AuditEntry.workspace_id == uuid.UUID(str(workspace_id))).order_by(AuditEntry.seq)
        )
        return list(await session.scalars(statement))


async def _actions(app: FastAPI, workspace_id: uuid.UUID | str) -> list[str]:
    return [entry.action for entry in await _audit(app, workspace_id)]


async def _roles(app: FastAPI, workspace_id: uuid.UUID) -> dict[uuid.UUID, Role]:
    async with app.state.resources.db.unit_of_work() as session:
        rows = await session.execute(
            select(Membership.user_id, Membership.role).where(Membership.workspace_id == workspace_id)
        )
        return dict(rows.all())  # not dict(rows): a Result has keys(), so dict() would read it as a mapping


async def _mails_to(app: FastAPI, address: str) -> list[OutboxMail]:
    async with app.state.resources.db.unit_of_work() as session:
        statement = (
            select(OutboxMail).where(OutboxMail.to_address == address).order_by(OutboxMail.created_at, OutboxMail.id)
        )
        return list(await session.scalars(statement))


def _invitation_token(mail: OutboxMail) -> str:
    links = [link for link in links_in(mail.text_body) if "/invitations/" in link]
    assert len(links) == 1, mail.text_body
    assert links[0].startswith("http://testserver/invitations/")
    assert links[0] in mail.html_body
    return links[0].rsplit("/", 1)[1]


async def _invite(
    client: httpx.AsyncClient, app: FastAPI, by: Person, workspace_id: uuid.UUID, email: str, role: str = "editor"
) -> tuple[dict[str, Any], str]:
    response = await client.post(
        f"{API}/workspaces/{workspace_id}/invitations", json={"email": email, "role": role}, headers=by.headers
    )
    assert response.status_code == 201, response.text
    mails = await _mails_to(app, email.lower())
    return response.json(), _invitation_token(mails[-1])


async def _expire(app: FastAPI, invitation_id: str) -> None:
    async with app.state.resources.db.unit_of_work() as session:
        await session.execute(
            update(Invitation)
            .where(Invitation.id == uuid.UUID(invitation_id))
            .values(expires_at=utcnow() - timedelta(minutes=1))
        )


# Workspaces


async def test_create_list_get_and_change_a_workspace(app: FastAPI, client: httpx.AsyncClient) -> None:
    ada = await make_person(app, "ada@example.com", "Ada")
    created = await client.post(
        f"{API}/workspaces", json={"name": "  Acme  ", "timezone": "Europe/Rome", "locale": "it"}, headers=ada.headers
    )
    assert created.status_code == 201, created.text
    workspace = created.json()
    assert (workspace["name"], workspace["timezone"], workspace["locale"], workspace["role"]) == (
        "Acme",
        "Europe/Rome",
        "it",
        "owner",
    )
    workspace_id = uuid.UUID(workspace["id"])
    assert await _roles(app, workspace_id) == {ada.user_id: Role.OWNER}

    second = await client.post(f"{API}/workspaces", json={"name": "Beta"}, headers=ada.headers)
    assert second.status_code == 201
    assert (second.json()["timezone"], second.json()["locale"]) == ("UTC", "en")
    elsewhere = await make_person(app, "bob@example.com")
    await _workspace(app, elsewhere, name="Not Ada's")

    first_page = await client.get(f"{API}/workspaces", params={"limit": 1}, headers=ada.headers)
    assert first_page.status_code == 200
    assert [(w["name"], w["role"]) for w in first_page.json()["items"]] == [("Acme", "owner")]
    cursor = first_page.json()["next_cursor"]
    assert cursor
    second_page = await client.get(f"{API}/workspaces", params={"limit": 1, "cursor": cursor}, headers=ada.headers)
    assert [w["name"] for w in second_page.json()["items"]] == ["Beta"]
    assert second_page.json()["next_cursor"] is None

    got = await client.get(f"{API}/workspaces/{workspace_id}", headers=ada.headers)
    assert got.status_code == 200
    assert got.json() == workspace

    renamed = await client.patch(
        f"{API}/workspaces/{workspace_id}",
        json={"name": "Acme Studio", "timezone": "America/New_York"},
        headers=ada.headers,
    )
    assert renamed.status_code == 200, renamed.text
    assert (renamed.json()["name"], renamed.json()["timezone"], renamed.json()["locale"]) == (
        "Acme Studio",
        "America/New_York",
        "it",
    )
    locale = await client.patch(f"{API}/workspaces/{workspace_id}", json={"locale": "en"}, headers=ada.headers)
    assert locale.json()["locale"] == "en"

    for body, field in [
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"timezone": "../../etc/passwd"}, "timezone"),
        ({"locale": "fr"}, "locale"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 101}, "name"),
    ]:
        refused = await client.patch(f"{API}/workspaces/{workspace_id}", json=body, headers=ada.headers)
        assert refused.status_code == 422, (body, refused.text)
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert [error["field"] for error in refused.json()["errors"]] == [field]
    refused_create = await client.post(
        f"{API}/workspaces", json={"name": "X", "timezone": "Nowhere"}, headers=ada.headers
    )
    assert refused_create.status_code == 422

    async with app.state.resources.db.unit_of_work() as session:
        stored = await session.get_one(Workspace, workspace_id)
        assert (stored.name, stored.timezone, stored.locale) == ("Acme Studio", "America/New_York", "en")
    entries = await _audit(app, workspace_id)
    assert [e.action for e in entries] == ["workspace.created", "workspace.updated", "workspace.updated"]
    assert all(e.actor_id == ada.user_id for e in entries)
    assert entries[1].details["changes"] == {
        "name": ["Acme", "Acme Studio"],
        "timezone": ["Europe/Rome", "America/New_York"],
    }


async def test_without_a_session_nothing_answers(client: httpx.AsyncClient) -> None:
    assert (await client.get(f"{API}/workspaces")).status_code == 401
    assert (await client.post(f"{API}/workspaces", json={"name": "Acme"})).status_code == 401


async def test_deleting_needs_an_owner_and_the_name_typed(app: FastAPI, client: httpx.AsyncClient) -> None:
    owner = await make_person(app, "owner@example.com")
    admin = await make_person(app, "admin@example.com")
    workspace_id = await _workspace(app, owner, (admin, Role.ADMIN), name="Acme Corp")
    url = f"{API}/workspaces/{workspace_id}"

    by_admin = await client.delete(url, params={"confirm": "Acme Corp"}, headers=admin.headers)
    assert by_admin.status_code == 403
    unconfirmed = await client.delete(url, headers=owner.headers)
    assert unconfirmed.status_code == 422
    mistyped = await client.delete(url, params={"confirm": "acme corp"}, headers=owner.headers)
    assert mistyped.status_code == 422
    assert mistyped.json()["errors"][0]["field"] == "query.confirm"
    assert "Acme Corp" in mistyped.json()["detail"]
    assert (await client.get(url, headers=owner.headers)).status_code == 200

    deleted = await client.delete(url, params={"confirm": "Acme Corp"}, headers=owner.headers)
    assert deleted.status_code == 204
    assert (await client.get(url, headers=owner.headers)).status_code == 404
    assert (await client.get(f"{API}/workspaces", headers=admin.headers)).json()["items"] == []
    assert await _roles(app, workspace_id) == {}
    # The entry stays in the workspace's chain, which still verifies.
    entries = await _audit(app, workspace_id)
    assert [e.action for e in entries] == ["workspace.deleted"]
    assert entries[0].actor_id == owner.user_id
    async with app.state.resources.db.unit_of_work() as session:
        assert (await verify_chain(session, workspace_id)).valid


# Members


async def test_members_are_listed_with_their_names_and_roles(app: FastAPI, client: httpx.AsyncClient) -> None:
    owner = await make_person(app, "owner@example.com", "Olivia")
    viewer = await make_person(app, "viewer@example.com", "Victor")
    workspace_id = await _workspace(app, owner, (viewer, Role.VIEWER))

    listed = await client.get(f"{API}/workspaces/{workspace_id}/members", headers=viewer.headers)
    assert listed.status_code == 200
    items = listed.json()["items"]
    assert [(m["user_id"], m["name"], m["email"], m["role"]) for m in items] == [
        (str(owner.user_id), "Olivia", "owner@example.com", "owner"),
        (str(viewer.user_id), "Victor", "viewer@example.com", "viewer"),
    ]
    assert all(m["joined_at"] for m in items)
    paged = await client.get(f"{API}/workspaces/{workspace_id}/members", params={"limit": 1}, headers=owner.headers)
    assert len(paged.json()["items"]) == 1
    assert paged.json()["next_cursor"]


async def test_role_changes_follow_who_may_assign_what(app: FastAPI, client: httpx.AsyncClient) -> None:
    owner = await make_person(app, "owner@example.com")
    admin = await make_person(app, "admin@example.com")
    editor = await make_person(app, "editor@example.com")
    workspace_id = await _workspace(app, owner, (admin, Role.ADMIN), (editor, Role.EDITOR))

    def member_url(person: Person) -> str:
        return f"{API}/workspaces/{workspace_id}/members/{person.user_id}"

    changed = await client.patch(member_url(editor), json={"role": "analyst"}, headers=admin.headers)
    assert changed.status_code == 200, changed.text
    assert (changed.json()["role"], changed.json()["email"]) == ("analyst", "editor@example.com")

    # An admin neither makes nor unmakes owners.
    assert (await client.patch(member_url(editor), json={"role": "owner"}, headers=admin.headers)).status_code == 403
    assert (await client.patch(member_url(owner), json={"role": "admin"}, headers=admin.headers)).status_code == 403
    # The last owner cannot step down.
    last = await client.patch(member_url(owner), json={"role": "admin"}, headers=owner.headers)
    assert last.status_code == 409
    assert "last owner" in last.json()["detail"]
    assert "owner first" in last.json()["detail"]
    # An unknown role is bad input; an unknown member is not found.
    assert (await client.patch(member_url(editor), json={"role": "boss"}, headers=owner.headers)).status_code == 422
    missing = f"{API}/workspaces/{workspace_id}/members/{uuid.uuid4()}"
    assert (await client.patch(missing, json={"role": "viewer"}, headers=owner.headers)).status_code == 404

    # With a second owner, the first may step down.
    promoted = await client.patch(member_url(admin), json={"role": "owner"}, headers=owner.headers)
    assert promoted.status_code == 200
    stepped_down = await client.patch(member_url(owner), json={"role": "admin"}, headers=owner.headers)
    assert stepped_down.status_code == 200
    assert await _roles(app, workspace_id) == {
        owner.user_id: Role.ADMIN,
        admin.user_id: Role.OWNER,
        editor.user_id: Role.ANALYST,
    }

    entries = [e for e in await _audit(app, workspace_id) if e.action == "member.role_changed"]
    assert [(e.actor_id, e.target_id, e.details) for e in entries] == [
        (admin.user_id, str(editor.user_id), {"from": "editor", "to": "analyst"}),
        (owner.user_id, str(admin.user_id), {"from": "admin", "to": "owner"}),
        (owner.user_id, str(owner.user_id), {"from": "owner", "to": "admin"}),
    ]


async def test_members_leave_and_are_removed_but_the_last_owner_stays(app: FastAPI, client: httpx.AsyncClient) -> None:
    owner = await make_person(app, "owner@example.com")
    admin = await make_person(app, "admin@example.com")
    editor = await make_person(app, "editor@example.com")
    viewer = await make_person(app, "viewer@example.com")
    workspace_id = await _workspace(app, owner, (admin, Role.ADMIN), (editor, Role.EDITOR), (viewer, Role.VIEWER))

    def member_url(person: Person) -> str:
        return f"{API}/workspaces/{workspace_id}/members/{person.user_id}"

    # Anyone may leave; removing someone else needs members:write, and an admin cannot remove an owner.
    assert (await client.delete(member_url(editor), headers=viewer.headers)).status_code == 403
    assert (await client.delete(member_url(viewer), headers=viewer.headers)).status_code == 204
    assert (await client.get(f"{API}/workspaces/{workspace_id}", headers=viewer.headers)).status_code == 404
    assert (await client.delete(member_url(owner), headers=admin.headers)).status_code == 403
    assert (await client.delete(member_url(editor), headers=admin.headers)).status_code == 204
    assert (await client.delete(member_url(editor), headers=admin.headers)).status_code == 404

    last = await client.delete(member_url(owner), headers=owner.headers)
    assert last.status_code == 409
    assert "transfer ownership" in last.json()["detail"]
    assert await _roles(app, workspace_id) == {owner.user_id: Role.OWNER, admin.user_id: Role.ADMIN}

    entries = [e for e in await _audit(app, workspace_id) if e.action.startswith("member.")]
    assert [(e.action, e.actor_id, e.target_id) for e in entries] == [
        ("member.left", viewer.user_id, str(viewer.user_id)),
        ("member.removed", admin.user_id, str(editor.user_id)),
    ]


async def test_ownership_is_transferred_to_a_member(app: FastAPI, client: httpx.AsyncClient) -> None:
    owner = await make_person(app, "owner@example.com")
    admin = await make_person(app, "admin@example.com")
    editor = await make_person(app, "editor@example.com")
    stranger = await make_person(app, "stranger@example.com")
    workspace_id = await _workspace(app, owner, (admin, Role.ADMIN), (editor, Role.EDITOR))
    url = f"{API}/workspaces/{workspace_id}/ownership"

    by_admin = await client.post(url, json={"user_id": str(editor.user_id)}, headers=admin.headers)
    assert by_admin.status_code == 403
    to_stranger = await client.post(url, json={"user_id": str(stranger.user_id)}, headers=owner.headers)
    assert to_stranger.status_code == 404
    to_self = await client.post(url, json={"user_id": str(owner.user_id)}, headers=owner.headers)
    assert to_self.status_code == 409

    transferred = await client.post(url, json={"user_id": str(editor.user_id)}, headers=owner.headers)
    assert transferred.status_code == 200, transferred.text
    assert transferred.json()["role"] == "admin"
    assert await _roles(app, workspace_id) == {
        owner.user_id: Role.ADMIN,
        admin.user_id: Role.ADMIN,
        editor.user_id: Role.OWNER,
    }
    # The former owner no longer may.
    again = await client.post(url, json={"user_id": str(admin.user_id)}, headers=owner.headers)
    assert again.status_code == 403

    entries = [e for e in await _audit(app, workspace_id) if e.action == "workspace.ownership_transferred"]
    assert [(e.actor_id, e.target_id) for e in entries] == [(owner.user_id, str(editor.user_id))]


# Invitations


async def test_an_invitation_is_mailed_and_accepted_by_the_signed_in_invitee(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    owner = await make_person(app, "owner@example.com", "Olivia")
    invitee = await make_person(app, "grace@example.com", "Grace")
    other = await make_person(app, "mallory@example.com", "Mallory")
    workspace_id = await _workspace(app, owner)

    invitation, token = await _invite(client, app, owner, workspace_id, "Grace@Example.COM", "editor")
    assert (invitation["email"], invitation["role"], invitation["status"]) == ("grace@example.com", "editor", "pending")
    assert "token" not in invitation
    mail = (await _mails_to(app, "grace@example.com"))[-1]
    assert mail.template == "invitation"
    assert "Olivia" in mail.subject
    assert "Acme" in mail.subject
    async with app.state.resources.db.unit_of_work() as session:
        stored = await session.get_one(Invitation, uuid.UUID(invitation["id"]))
        # Only the hash is kept, and the link lives seven days.
        assert stored.token_hash == hash_token(token) != token
        assert timedelta(days=6, hours=23) < stored.expires_at - utcnow() <= timedelta(days=7)

    listed = await client.get(f"{API}/workspaces/{workspace_id}/invitations", headers=owner.headers)
    assert [i["id"] for i in listed.json()["items"]] == [invitation["id"]]

    preview = await client.get(f"{API}/invitations/{token}")
    assert preview.status_code == 200
    assert {k: preview.json()[k] for k in ("workspace_name", "invited_by_name", "email", "role")} == {
        "workspace_name": "Acme",
        "invited_by_name": "Olivia",
        "email": "grace@example.com",
        "role": "editor",
    }
    assert preview.json()["expires_at"]
    assert (await client.post(f"{API}/invitations/{token}/accept")).status_code == 401

    mismatch = await client.post(f"{API}/invitations/{token}/accept", headers=other.headers)
    assert mismatch.status_code == 403
    assert "grace@example.com" in mismatch.json()["detail"]
    assert other.user_id not in await _roles(app, workspace_id)

    accepted = await client.post(f"{API}/invitations/{token}/accept", headers=invitee.headers)
    assert accepted.status_code == 200, accepted.text
    assert (accepted.json()["id"], accepted.json()["role"]) == (str(workspace_id), "editor")
    assert (await _roles(app, workspace_id))[invitee.user_id] == Role.EDITOR
    assert (await client.get(f"{API}/workspaces/{workspace_id}", headers=invitee.headers)).status_code == 200

    used = await client.post(f"{API}/invitations/{token}/accept", headers=invitee.headers)
    assert used.status_code == 410
    assert "already accepted" in used.json()["detail"]
    assert (await client.get(f"{API}/invitations/{token}")).status_code == 410
    listed = await client.get(f"{API}/workspaces/{workspace_id}/invitations", headers=owner.headers)
    assert listed.json()["items"] == []
    # Now a member: inviting the address again is a conflict.
    again = await client.post(
        f"{API}/workspaces/{workspace_id}/invitations",
        json={"email": "grace@example.com", "role": "viewer"},
        headers=owner.headers,
    )
    assert again.status_code == 409

    entries = await _audit(app, workspace_id)
    assert [(e.action, e.actor_id) for e in entries] == [
        ("invitation.created", owner.user_id),
        ("invitation.accepted", invitee.user_id),
    ]
    assert "grace@example.com" not in str([(e.summary, e.details) for e in entries])


async def test_a_person_signs_up_through_the_link(app: FastAPI, client: httpx.AsyncClient) -> None:
    owner = await make_person(app, "owner@example.com")
    workspace_id = await _workspace(app, owner)
    _invitation, token = await _invite(client, app, owner, workspace_id, "new@example.com", "analyst")

    weak = await client.post(f"{API}/invitations/{token}/signup", json={"name": "New", "password": "password1"})
    assert weak.status_code == 422
    assert weak.json()["errors"][0]["field"] == "password"
    nameless = await client.post(f"{API}/invitations/{token}/signup", json={"name": " ", "password": NEW_PASSWORD})
    assert nameless.status_code == 422

    signed_up = await client.post(
        f"{API}/invitations/{token}/signup", json={"name": "Newton", "password": NEW_PASSWORD}
    )
    assert signed_up.status_code == 201, signed_up.text
    user = signed_up.json()
    assert (user["email"], user["name"]) == ("new@example.com", "Newton")
    assert user["email_verified_at"]
    assert "password" not in str(user)
    user_id = uuid.UUID(user["id"])
    assert (await _roles(app, workspace_id))[user_id] == Role.ANALYST
    async with app.state.resources.db.unit_of_work() as session:
        stored = await session.get_one(User, user_id)
        assert stored.password_hash
        assert stored.password_hash.startswith("$argon2id$")

    assert (
        await client.post(f"{API}/invitations/{token}/signup", json={"name": "Twice", "password": NEW_PASSWORD})
    ).status_code == 410

    entries = await _audit(app, workspace_id)
    assert [(e.action, e.actor_id) for e in entries] == [
        ("invitation.created", owner.user_id),
        ("user.signed_up", user_id),
        ("invitation.accepted", user_id),
    ]


async def test_signing_up_with_an_address_that_has_an_account_says_sign_in(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    owner = await make_person(app, "owner@example.com")
    existing = await make_person(app, "existing@example.com")
    workspace_id = await _workspace(app, owner)
    _invitation, token = await _invite(client, app, owner, workspace_id, "existing@example.com")

    taken = await client.post(f"{API}/invitations/{token}/signup", json={"name": "Again", "password": NEW_PASSWORD})
    assert taken.status_code == 409
    assert "sign in and accept" in taken.json()["detail"]
    assert existing.user_id not in await _roles(app, workspace_id)
    # The invitation is still usable by signing in.
    accepted = await client.post(f"{API}/invitations/{token}/accept", headers=existing.headers)
    assert accepted.status_code == 200


async def test_expired_revoked_and_unknown_links(app: FastAPI, client: httpx.AsyncClient) -> None:
    owner = await make_person(app, "owner@example.com")
    late = await make_person(app, "late@example.com")
    workspace_id = await _workspace(app, owner)

    expired, expired_token = await _invite(client, app, owner, workspace_id, "late@example.com")
    await _expire(app, expired["id"])
    for response in (
        await client.get(f"{API}/invitations/{expired_token}"),
        await client.post(f"{API}/invitations/{expired_token}/accept", headers=late.headers),
        await client.post(f"{API}/invitations/{expired_token}/signup", json={"name": "L", "password": NEW_PASSWORD}),
    ):
        assert response.status_code == 410, response.text
        assert response.json()["type"].endswith("/invitation-gone")
        assert "expired" in response.json()["detail"]
    assert late.user_id not in await _roles(app, workspace_id)
    listed = await client.get(f"{API}/workspaces/{workspace_id}/invitations", headers=owner.headers)
    assert [(i["id"], i["status"]) for i in listed.json()["items"]] == [(expired["id"], "expired")]

    revoked, revoked_token = await _invite(client, app, owner, workspace_id, "gone@example.com")
    url = f"{API}/workspaces/{workspace_id}/invitations/{revoked['id']}"
    assert (await client.delete(url, headers=owner.headers)).status_code == 204
    assert (await client.delete(url, headers=owner.headers)).status_code == 204  # twice changes nothing
    gone = await client.get(f"{API}/invitations/{revoked_token}")
    assert gone.status_code == 410
    assert "withdrawn" in gone.json()["detail"]
    assert (await client.post(f"{url}/resend", headers=owner.headers)).status_code == 409

    assert (await client.get(f"{API}/invitations/not-a-real-token")).status_code == 404
    assert (await client.post(f"{API}/invitations/not-a-real-token/accept", headers=late.headers)).status_code == 404

    actions = await _actions(app, workspace_id)
    assert actions == ["invitation.created", "invitation.created", "invitation.revoked"]


async def test_resending_mails_a_new_link_and_retires_the_old_one(app: FastAPI, client: httpx.AsyncClient) -> None:
    owner = await make_person(app, "owner@example.com")
    invitee = await make_person(app, "grace@example.com")
    workspace_id = await _workspace(app, owner)
    invitation, old_token = await _invite(client, app, owner, workspace_id, "grace@example.com")
    await _expire(app, invitation["id"])

    resent = await client.post(
        f"{API}/workspaces/{workspace_id}/invitations/{invitation['id']}/resend", headers=owner.headers
    )
    assert resent.status_code == 200, resent.text
    assert resent.json()["status"] == "pending"
    mails = await _mails_to(app, "grace@example.com")
    assert len(mails) == 2
    new_token = _invitation_token(mails[-1])
    assert new_token != old_token

    assert (await client.get(f"{API}/invitations/{old_token}")).status_code == 404
    assert (await client.post(f"{API}/invitations/{old_token}/accept", headers=invitee.headers)).status_code == 404
    assert (await client.post(f"{API}/invitations/{new_token}/accept", headers=invitee.headers)).status_code == 200
    assert await _actions(app, workspace_id) == ["invitation.created", "invitation.resent", "invitation.accepted"]


async def test_inviting_again_replaces_the_open_invitation(app: FastAPI, client: httpx.AsyncClient) -> None:
    owner = await make_person(app, "owner@example.com")
    admin = await make_person(app, "admin@example.com")
    workspace_id = await _workspace(app, owner, (admin, Role.ADMIN))
    first, first_token = await _invite(client, app, owner, workspace_id, "grace@example.com", "viewer")
    second, _second_token = await _invite(client, app, admin, workspace_id, "grace@example.com", "editor")

    assert (await client.get(f"{API}/invitations/{first_token}")).status_code == 410
    listed = await client.get(f"{API}/workspaces/{workspace_id}/invitations", headers=owner.headers)
    assert [(i["id"], i["role"]) for i in listed.json()["items"]] == [(second["id"], "editor")]
    replaced = (await _audit(app, workspace_id))[-1]
    assert replaced.details["replaced"] == [first["id"]]

    url = f"{API}/workspaces/{workspace_id}/invitations"
    as_owner = await client.post(url, json={"email": "boss@example.com", "role": "owner"}, headers=admin.headers)
    assert as_owner.status_code == 403
    member = await client.post(url, json={"email": "ADMIN@example.com", "role": "viewer"}, headers=owner.headers)
    assert member.status_code == 409
    invalid = await client.post(url, json={"email": "not an address", "role": "viewer"}, headers=owner.headers)
    assert invalid.status_code == 422
    assert invalid.json()["errors"][0]["field"] == "email"
    assert await _mails_to(app, "boss@example.com") == []


async def test_an_invitation_made_at_the_same_moment_leaves_one_open(app: FastAPI, client: httpx.AsyncClient) -> None:
    """Another admin's invitation to the same address is still uncommitted when this one is written."""
    owner = await make_person(app, "owner@example.com")
    workspace_id = await _workspace(app, owner)
    url = f"{API}/workspaces/{workspace_id}/invitations"
    answers: list[httpx.Response] = []

    async def invite_meanwhile() -> None:
        answers.append(
            await client.post(url, json={"email": "ivy@example.com", "role": "viewer"}, headers=owner.headers)
        )

    async with anyio.create_task_group() as tasks, app.state.resources.db.unit_of_work() as session:
        now = utcnow()
        session.add(
            Invitation(
                workspace_id=workspace_id,
                email="ivy@example.com",
                role=Role.EDITOR,
                token_hash=hash_token("the other admin's link"),
                expires_at=now + timedelta(days=7),
                last_sent_at=now,
            )
        )
        await session.flush()
        tasks.start_soon(invite_meanwhile)
        await anyio.sleep(0.5)  # the request now waits on this transaction's row (or the SQLite write lock)
    # The unit of work committed before the task group waited for the request (contexts exit in reverse).

    # PostgreSQL refuses the second row; SQLite serialises the writers, so the later one replaces the first.
    assert answers[0].status_code in {201, 409}, answers[0].text
    if answers[0].status_code == 409:
        assert answers[0].json()["title"] == "Invited at the same moment"
    async with app.state.resources.db.unit_of_work() as session:
        open_ones = await session.scalars(
            select(Invitation).where(
                Invitation.workspace_id == workspace_id,
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
            )
        )
        assert len(list(open_ones)) == 1


# Roles and tenancy


async def test_a_viewer_reads_but_changes_nothing(app: FastAPI, client: httpx.AsyncClient) -> None:
    owner = await make_person(app, "owner@example.com")
    viewer = await make_person(app, "viewer@example.com")
    editor = await make_person(app, "editor@example.com")
    workspace_id = await _workspace(app, owner, (viewer, Role.VIEWER), (editor, Role.EDITOR), name="Acme")
    invitation, _token = await _invite(client, app, owner, workspace_id, "grace@example.com")
    base = f"{API}/workspaces/{workspace_id}"
    before = await _actions(app, workspace_id)

    for path in (base, f"{base}/members", f"{base}/invitations"):
        assert (await client.get(path, headers=viewer.headers)).status_code == 200, path
    for method, path, body in [
        ("PATCH", base, {"name": "Mine"}),
        ("DELETE", f"{base}?confirm=Acme", None),
        ("PATCH", f"{base}/members/{editor.user_id}", {"role": "viewer"}),
        ("PATCH", f"{base}/members/{viewer.user_id}", {"role": "admin"}),
        ("DELETE", f"{base}/members/{editor.user_id}", None),
        ("POST", f"{base}/ownership", {"user_id": str(viewer.user_id)}),
        ("POST", f"{base}/invitations", {"email": "eve@example.com", "role": "viewer"}),
        ("POST", f"{base}/invitations/{invitation['id']}/resend", None),
        ("DELETE", f"{base}/invitations/{invitation['id']}", None),
    ]:
        refused = await client.request(method, path, json=body, headers=viewer.headers)
        assert refused.status_code == 403, (method, path, refused.text)
    assert await _actions(app, workspace_id) == before
    assert len(await _mails_to(app, "grace@example.com")) == 1


async def test_ids_of_another_workspace_are_not_found(app: FastAPI, client: httpx.AsyncClient) -> None:
    ada = await make_person(app, "ada@example.com")
    bob = await make_person(app, "bob@example.com")
    bobs_colleague = await make_person(app, "carol@example.com")
    workspace_a = await _workspace(app, ada, name="A")
    workspace_b = await _workspace(app, bob, (bobs_colleague, Role.EDITOR), name="B")
    invitation_b, _token = await _invite(client, app, bob, workspace_b, "dave@example.com")
    in_a = f"{API}/workspaces/{workspace_a}"
    in_b = f"{API}/workspaces/{workspace_b}"

    for method, path, body in [
        ("PATCH", f"{in_a}/members/{bobs_colleague.user_id}", {"role": "viewer"}),
        ("DELETE", f"{in_a}/members/{bobs_colleague.user_id}", None),
        ("POST", f"{in_a}/ownership", {"user_id": str(bobs_colleague.user_id)}),
        ("POST", f"{in_a}/invitations/{invitation_b['id']}/resend", None),
        ("DELETE", f"{in_a}/invitations/{invitation_b['id']}", None),
        ("GET", in_b, None),
        ("GET", f"{in_b}/members", None),
        ("GET", f"{in_b}/invitations", None),
        ("PATCH", in_b, {"name": "Taken"}),
        ("DELETE", f"{in_b}?confirm=B", None),
        ("PATCH", f"{in_b}/members/{bobs_colleague.user_id}", {"role": "viewer"}),
        ("POST", f"{in_b}/invitations", {"email": "eve@example.com", "role": "viewer"}),
        ("DELETE", f"{in_b}/invitations/{invitation_b['id']}", None),
    ]:
        response = await client.request(method, path, json=body, headers=ada.headers)
        assert response.status_code == 404, (method, path, response.text)
    assert await _roles(app, workspace_b) == {bob.user_id: Role.OWNER, bobs_colleague.user_id: Role.EDITOR}
    assert await _actions(app, workspace_b) == ["invitation.created"]
    assert await _actions(app, workspace_a) == []
