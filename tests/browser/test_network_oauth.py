"""An app asks a network person for access in a real browser: she switches to a business account, allows the app
on the consent page, the app exchanges the code for tokens and reads her profile through the Graph; she then
removes the app in her settings and its token stops working."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Server, Tab
from tests.browser.test_network import join

pytestmark = pytest.mark.xdist_group("browser")

SCOPES = "instagram_business_basic,instagram_business_manage_insights"
APP_SITE = "https://studio-planner.example"
REDIRECT_URI = f"{APP_SITE}/callback"


def _register_app(server: Server, redirect_uri: str) -> dict[str, str]:
    command = ["network", "app", "create", "--name", "Studio Planner", "--redirect-uri", redirect_uri, "--json"]
    output = subprocess.run(
        [sys.executable, "-m", "viewfinder", *command],
        env=server.env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    made: dict[str, str] = json.loads(output)
    return made


def test_a_business_allows_an_app_and_later_removes_it(server: Server, open_tab: Callable[..., Tab]) -> None:
    made = _register_app(server, REDIRECT_URI)
    tab = open_tab("network-oauth")
    page = tab.page
    # The app's own site is outside the network: the test plays it, and reads the code from the address bar.
    page.route(f"{APP_SITE}/**", lambda route: route.fulfill(status=200, content_type="text/html", body="<p>ok</p>"))
    join(page, "studio.mila", "Studio Mila")

    # Only business and creator accounts can allow: she switches first.
    page.goto("/network/settings/profile")
    page.get_by_label("Account type").select_option("business")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Profile saved.")).to_be_visible()

    query = {
        "client_id": made["app_id"],
        "redirect_uri": REDIRECT_URI,
        "scope": SCOPES,
        "response_type": "code",
        "state": "csrf-42",
    }
    page.goto(f"/network/oauth/authorize?{urlencode(query)}")
    expect(page.get_by_role("heading", name="Connect Studio Planner")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("See the insights of your account and your posts")
    tab.shot("consent")
    page.get_by_role("button", name="Allow").click()
    page.wait_for_url(f"{REDIRECT_URI}?**")

    landed = urlsplit(page.url)
    answer = parse_qs(landed.query)
    assert answer["state"] == ["csrf-42"]
    code = answer["code"][0]

    exchanged = httpx.post(
        f"{server.base_url}/network/oauth/access_token",
        data={
            "client_id": made["app_id"],
            "client_secret": made["app_secret"],
            "grant_type": "authorization_code",
            "redirect_uri": REDIRECT_URI,
            "code": code,
        },
    )
    assert exchanged.status_code == 200, exchanged.text
    assert sorted(exchanged.json()["permissions"]) == sorted(SCOPES.split(","))
    long_lived = httpx.get(
        f"{server.base_url}/network/graph/access_token",
        params={
            "grant_type": "ig_exchange_token",
            "client_secret": made["app_secret"],
            "access_token": exchanged.json()["access_token"],
        },
    ).json()
    assert long_lived["expires_in"] == 60 * 86400
    token = long_lived["access_token"]
    me = httpx.get(f"{server.base_url}/network/graph/v21.0/me", params={"fields": "username", "access_token": token})
    assert me.json()["username"] == "studio.mila"

    # She removes the app from her settings: its token no longer works.
    page.goto("/network/settings/apps")
    page.get_by_role("button", name="Remove Studio Planner").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Remove").click()
    expect(page.get_by_text("Studio Planner no longer has access to your account.")).to_be_visible()
    tab.shot("removed")
    refused = httpx.get(f"{server.base_url}/network/graph/v21.0/me", params={"access_token": token})
    assert refused.json()["error"]["code"] == 190
    assert refused.json()["error"]["error_subcode"] == 458
