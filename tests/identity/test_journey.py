"""Issue 3's "done when", as a person goes through it with the API alone."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from viewfinder.kit.mail import OutboxMail, links_in

pytestmark = pytest.mark.anyio

PASSWORD = "a long and unusual passphrase"


async def _last_link(app: FastAPI, to: str) -> str:
    async with app.state.resources.db.sessions() as session:
        mail = await session.scalar(
            select(OutboxMail).where(OutboxMail.to_address == to).order_by(OutboxMail.created_at.desc()).limit(1)
        )
    assert mail is not None, f"no mail to {to}"
    return links_in(mail.text_body)[0]


def _token_of(link: str) -> str:
    parts = urlsplit(link)
    return parts.query.removeprefix("token=") if parts.query else parts.path.rsplit("/", 1)[1]


async def _sign_in(client: httpx.AsyncClient, email: str) -> dict[str, str]:
    response = await client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    client.cookies.clear()  # these tests speak as API clients, with Bearer tokens
    return response.json()


def _bearer(pair: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {pair['access_token']}"}


async def test_a_team_signs_up_works_together_and_is_kept_safe(app: FastAPI, client: httpx.AsyncClient) -> None:
    # Sign up and verify the email from the mailed link.
    signup = await client.post(
        "/api/v1/auth/signup", json={"email": "Ada@Example.com", "password": PASSWORD, "name": "Ada"}
    )
    assert signup.status_code == 201, signup.text
    verify_token = _token_of(await _last_link(app, "ada@example.com"))
    assert (await client.post("/api/v1/auth/verify-email", json={"token": verify_token})).status_code in (200, 204)
    ada = await _sign_in(client, "ada@example.com")
    me = (await client.get("/api/v1/auth/me", headers=_bearer(ada))).json()
    assert me["email"] == "ada@example.com"
    assert me["email_verified"] is True or me.get("email_verified_at")

    # Create a workspace and invite a colleague, who signs up from the mailed link.
    created = await client.post("/api/v1/workspaces", json={"name": "Acme"}, headers=_bearer(ada))
    assert created.status_code == 201, created.text
    workspace_id = created.json()["id"]
    invited = await client.post(
        f"/api/v1/workspaces/{workspace_id}/invitations",
        json={"email": "grace@example.com", "role": "editor"},
        headers=_bearer(ada),
    )
    assert invited.status_code == 201, invited.text
    invitation_token = _token_of(await _last_link(app, "grace@example.com"))
    joined = await client.post(
        f"/api/v1/invitations/{invitation_token}/signup", json={"name": "Grace", "password": PASSWORD}
    )
    assert joined.status_code == 201, joined.text
    grace_user_id = joined.json()["id"]
    grace = await _sign_in(client, "grace@example.com")

    # The owner makes the colleague a viewer; both actions are in the audit log, and the chain holds.
    changed = await client.patch(
        f"/api/v1/workspaces/{workspace_id}/members/{grace_user_id}", json={"role": "viewer"}, headers=_bearer(ada)
    )
    assert changed.status_code == 200, changed.text
    audit = (await client.get(f"/api/v1/workspaces/{workspace_id}/audit", headers=_bearer(ada))).json()
    actions = [item["action"] for item in audit["items"]]
    assert any(action.startswith("invitation.") for action in actions)
    assert any(action.startswith("member.role") for action in actions)
    verified = (await client.get(f"/api/v1/workspaces/{workspace_id}/audit/verify", headers=_bearer(ada))).json()
    assert verified["valid"] is True

    # The viewer reads but cannot create or change anything.
    assert (await client.get(f"/api/v1/workspaces/{workspace_id}", headers=_bearer(grace))).status_code == 200
    for method, path, body in [
        ("PATCH", f"/api/v1/workspaces/{workspace_id}", {"name": "Mine now"}),
        ("POST", f"/api/v1/workspaces/{workspace_id}/invitations", {"email": "eve@example.com", "role": "viewer"}),
        ("PATCH", f"/api/v1/workspaces/{workspace_id}/members/{grace_user_id}", {"role": "owner"}),
    ]:
        refused = await client.request(method, path, json=body, headers=_bearer(grace))
        assert refused.status_code == 403, (method, path, refused.text)

    # A member of another workspace sees 404 for this one.
    await client.post("/api/v1/auth/signup", json={"email": "eve@example.com", "password": PASSWORD, "name": "Eve"})
    eve = await _sign_in(client, "eve@example.com")
    assert (await client.post("/api/v1/workspaces", json={"name": "Eve's"}, headers=_bearer(eve))).status_code == 201
    for path in (
        f"/api/v1/workspaces/{workspace_id}",
        f"/api/v1/workspaces/{workspace_id}/members",
        f"/api/v1/workspaces/{workspace_id}/audit",
    ):
        assert (await client.get(path, headers=_bearer(eve))).status_code == 404

    # A stolen refresh token, already rotated by its owner, signs out the thief and the victim.
    stolen = ada["refresh_token"]
    rotated = await client.post("/api/v1/auth/refresh", json={"refresh_token": stolen})
    assert rotated.status_code == 200
    victim = rotated.json()
    assert (await client.post("/api/v1/auth/refresh", json={"refresh_token": stolen})).status_code == 401
    assert (
        await client.post("/api/v1/auth/refresh", json={"refresh_token": victim["refresh_token"]})
    ).status_code == 401
    assert (await client.get("/api/v1/auth/me", headers=_bearer(victim))).status_code == 401
