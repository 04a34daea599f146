"""Issue 4's journey in a real browser: a team signs up, invites and manages a teammate, and finds it all in the
audit log; the teammate, made a viewer, sees no controls to change anything."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Server, Tab

pytestmark = pytest.mark.xdist_group("browser")

PASSWORD = "a long and unusual passphrase"
OWNER_EMAIL = "olivia@example.com"
COLLEAGUE_EMAIL = "carlo@example.com"


def sign_up(page: Page, name: str, email: str) -> None:
    page.goto("/signup")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()


def test_a_team_signs_up_invites_and_manages_a_teammate(server: Server, open_tab: Callable[..., Tab]) -> None:
    owner = open_tab("owner")
    page = owner.page

    # Signed out, the app asks to sign in.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/signin"))
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    owner.shot("sign-in")

    # Sign up, then verify the address from the mailed link.
    sign_up(page, "Olivia Owner", OWNER_EMAIL)
    expect(page).to_have_url(re.compile(r"/welcome"))
    owner.shot("welcome")
    page.goto(server.link_mailed_to(OWNER_EMAIL, "/verify-email"))
    expect(page.get_by_role("main")).to_contain_text(re.compile("verified", re.IGNORECASE))
    owner.shot("email-verified")

    # Create the first workspace.
    page.goto("/welcome")
    page.get_by_label("Name").fill("Studio Nord")
    page.get_by_role("button", name="Create workspace").click()
    expect(page).to_have_url(re.compile(r"/w/[0-9a-f-]+$"))
    workspace_url = page.url
    expect(page.get_by_role("button", name="Switch workspace")).to_contain_text("Studio Nord")
    owner.shot("home")

    # Invite a colleague as an editor.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Team").click()
    page.get_by_role("button", name="Invite").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Email").fill(COLLEAGUE_EMAIL)
    dialog.get_by_label("Role").select_option("editor")
    owner.shot("invite")
    dialog.get_by_role("button", name="Send invitation").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("main")).to_contain_text(COLLEAGUE_EMAIL)
    owner.shot("invited")

    # The colleague follows the mailed link in a browser of their own and signs up there.
    colleague = open_tab("colleague", width=375, height=812)
    other = colleague.page
    other.goto(server.link_mailed_to(COLLEAGUE_EMAIL, "/invitations/"))
    expect(other.get_by_role("main")).to_contain_text("Studio Nord")
    colleague.shot("invitation")
    other.get_by_label("Name").fill("Carlo Colleague")
    other.get_by_label("Password").fill(PASSWORD)
    other.get_by_role("button", name="Create account").click()
    expect(other).to_have_url(re.compile(r"/w/[0-9a-f-]+$"))
    colleague.shot("joined")

    # The owner makes the colleague a viewer.
    page.reload()
    role = page.get_by_label("Role of Carlo Colleague")
    expect(role).to_have_value("editor")
    role.select_option("viewer")
    expect(page.get_by_text(re.compile("role", re.IGNORECASE)).first).to_be_visible()
    expect(role).to_have_value("viewer")
    owner.shot("made-viewer")

    # The viewer sees the team but no control to change it.
    other.goto(workspace_url + "/settings/team")
    expect(other.get_by_role("main")).to_contain_text("Olivia Owner")
    expect(other.get_by_role("button", name="Invite")).to_have_count(0)
    expect(other.get_by_role("combobox")).to_have_count(0)
    expect(other.get_by_role("button", name="Remove")).to_have_count(0)
    colleague.shot("viewer-team")
    other.goto(workspace_url + "/settings/workspace")
    expect(other.get_by_role("button", name="Save")).to_have_count(0)
    colleague.shot("viewer-workspace")

    # Theme and language switch, and are remembered.
    page.get_by_role("button", name="Theme").click()
    page.get_by_role("menuitemradio", name="Dark").click()
    expect(page.locator("html")).to_have_class(re.compile(r"\bdark\b"))
    page.get_by_role("button", name="Language").click()
    page.get_by_role("menuitemradio", name="Italiano").click()
    expect(page.locator("html")).to_have_attribute("lang", "it")
    page.reload()
    expect(page.locator("html")).to_have_class(re.compile(r"\bdark\b"))
    expect(page.locator("html")).to_have_attribute("lang", "it")
    owner.shot("dark-italian")
    page.get_by_role("button", name="Lingua").click()
    page.get_by_role("menuitemradio", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # Every action is in the audit log, and the chain holds.
    page.goto(workspace_url + "/settings/audit")
    log = page.get_by_role("table", name="Audit log")
    for action in ("workspace.created", "invitation.created", "invitation.accepted", "member.role_changed"):
        expect(log).to_contain_text(action)
    expect(page.get_by_role("main")).to_contain_text(re.compile("intact", re.IGNORECASE))
    owner.shot("audit-log")
