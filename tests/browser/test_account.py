"""A person's own account in a real browser at phone width: sign in with the keyboard alone, the pages fit the
screen, an API token is shown once and works, sign out, and a forgotten password is reset from the mailed link."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Server, Tab

pytestmark = pytest.mark.xdist_group("browser")

EMAIL = "mara@example.com"
PASSWORD = "a long and unusual passphrase"
NEW_PASSWORD = "another entirely unusual passphrase"
PAGES = ["", "/settings/profile", "/settings/security", "/settings/notifications", "/settings/workspace",
         "/settings/team", "/settings/audit"]  # fmt: skip


def sign_in(page: Page, password: str) -> None:
    page.goto("/signin")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/w/[0-9a-f-]+$"))


def focused_name(page: Page) -> str:
    """The focused control's label (or text), and whether the focus shows: an outline or a ring."""
    return str(
        page.evaluate(
            """() => {
                const element = document.activeElement;
                const style = getComputedStyle(element);
                const shows = style.outlineStyle !== "none" || style.boxShadow !== "none";
                const label = element.labels?.[0]?.textContent ?? element.getAttribute("aria-label")
                    ?? element.textContent;
                return `${label.trim()}${shows ? "" : " (focus not visible)"}`;
            }"""
        )
    )


def sign_in_with_the_keyboard(page: Page, password: str) -> list[str]:
    """Tab through the sign-in page to the form, type, and press Enter; return what took the focus."""
    page.goto("/signin")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    visited: list[str] = []
    while not visited or visited[-1] != "Email":
        page.keyboard.press("Tab")
        visited.append(focused_name(page))
        assert len(visited) < 10, f"Email is not reachable with Tab: {visited}"
    page.keyboard.type(EMAIL)
    page.keyboard.press("Tab")
    visited.append(focused_name(page))
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    return visited


def open_user_menu(page: Page) -> None:
    page.get_by_role("button", name="Open menu").click()  # at phone width the sidebar is a drawer
    page.get_by_role("button", name="Account menu").click()


def test_an_account_at_phone_width(server: Server, open_tab: Callable[..., Tab]) -> None:
    subprocess.run(
        [sys.executable, "-m", "viewfinder", "user", "create", "--email", EMAIL, "--password", PASSWORD,
         "--workspace", "Mara's Shop"],
        env=server.env, check=True, capture_output=True,
    )  # fmt: skip
    tab = open_tab("account", width=375, height=812)
    page = tab.page

    # The keyboard alone signs in, and every control it passes shows that it has the focus.
    visited = sign_in_with_the_keyboard(page, PASSWORD)
    assert visited[-2:] == ["Email", "Password"]
    assert not [name for name in visited if "(focus not visible)" in name], visited
    expect(page).to_have_url(re.compile(r"/w/[0-9a-f-]+$"))
    workspace_url = page.url
    tab.shot("home")

    # Every page fits a phone's width: nothing scrolls sideways.
    for path in PAGES:
        page.goto(workspace_url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path or '/'} is {overflow} px too wide at 375 px"
    tab.shot("audit-log")

    # A personal API token is shown once, works as a Bearer token, and stops working when revoked.
    page.goto(workspace_url + "/settings/security")
    page.get_by_role("button", name="Create token").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name").fill("Reporting script")
    dialog.get_by_label("Read workspace").check()
    dialog.get_by_role("button", name="Create token").click()
    token = dialog.get_by_label("Token").input_value()
    assert token.startswith("vfp_")
    tab.shot("token-once")
    me = httpx.get(f"{server.base_url}/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json()["email"] == EMAIL
    dialog.get_by_role("button", name="Done").click()
    expect(page.get_by_role("main")).to_contain_text("Reporting script")
    expect(page.get_by_role("main")).not_to_contain_text(token)
    page.get_by_role("button", name="Revoke token Reporting script").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Revoke token").click()
    expect(page.get_by_role("main")).not_to_contain_text("Reporting script")
    assert (
        httpx.get(f"{server.base_url}/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    )

    # Sign out from the user menu.
    open_user_menu(page)
    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page).to_have_url(re.compile(r"/signin"))
    page.goto(workspace_url)
    expect(page).to_have_url(re.compile(r"/signin\?next="))
    tab.shot("signed-out")

    # Forgot the password: the mailed link sets a new one, and the old one stops working.
    page.get_by_role("link", name="Forgot your password?").click()
    # The sign-in page has an Email field too: wait for the next page before typing.
    expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_role("main")).to_contain_text(f"If an account exists for {EMAIL}")
    page.goto(server.link_mailed_to(EMAIL, "/reset-password"))
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_role("heading", name="Password changed")).to_be_visible()
    tab.shot("password-reset")
    old = httpx.post(f"{server.base_url}/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD})
    assert old.status_code == 401
    sign_in(page, NEW_PASSWORD)
    assert page.url == workspace_url
