"""The Sandbox network in a real browser: two people sign up on it, find and follow each other (one of them
private), post a photo with a hashtag and a mention, like it, comment on it and reply; his feed and the
hashtag's top posts show her post, her notifications show what he did, and they message each other."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pytest
from PIL import Image
from playwright.sync_api import FilePayload, Page, expect

from tests.browser.conftest import Server, Tab

pytestmark = pytest.mark.xdist_group("browser")

PASSWORD = "a long and unusual passphrase"


def photo() -> FilePayload:
    out = io.BytesIO()
    Image.new("RGB", (1600, 1200), (210, 120, 40)).save(out, format="JPEG")
    return {"name": "mole.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


def join(page: Page, username: str, name: str) -> None:
    page.goto("/network/signup")
    page.get_by_label("Email").fill(f"{username}@example.com")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(re.compile(rf"/network/{username}$"))


def test_two_people_find_and_follow_each_other(server: Server, open_tab: Callable[..., Tab]) -> None:
    nina_tab = open_tab("network-nina", width=375, height=812)
    nina = nina_tab.page
    join(nina, "nina.k", "Nina K")
    expect(nina.get_by_role("heading", name="nina.k")).to_be_visible()
    expect(nina.get_by_role("main")).to_contain_text("Nina K")
    nina_tab.shot("profile")

    # Nina makes her account private.
    nina.goto("/network/settings/profile")
    nina.get_by_label("Bio").fill("Film photos from Turin")
    nina.get_by_label("Private account").check()
    nina.get_by_role("button", name="Save").click()
    expect(nina.get_by_text("Profile saved.")).to_be_visible()
    nina.get_by_role("link", name="Profile").click()
    expect(nina.get_by_role("main")).to_contain_text("Film photos from Turin")

    # Otto finds her by searching, and asks to follow: she is private, so it is a request.
    otto_tab = open_tab("network-otto")
    otto = otto_tab.page
    join(otto, "otto", "Otto")
    otto.goto("/network/search?q=nin")
    otto.get_by_role("link", name=re.compile("nina.k")).click()
    expect(otto.get_by_role("main")).to_contain_text("This account is private")
    otto.get_by_role("button", name="Follow").click()
    expect(otto.get_by_role("button", name="Requested")).to_be_visible()
    otto_tab.shot("requested")

    # Nina accepts; Otto now follows her, and she follows him back, who is public.
    nina.goto("/network/requests")
    expect(nina.get_by_role("main")).to_contain_text("otto")
    nina.get_by_role("button", name="Accept otto").click()
    expect(nina.get_by_role("main")).not_to_contain_text("otto")
    nina.goto("/network/otto")
    nina.get_by_role("button", name="Follow").click()
    expect(nina.get_by_role("button", name="Following")).to_be_visible()
    nina_tab.shot("following-otto")

    otto.reload()
    expect(otto.get_by_role("button", name="Following")).to_be_visible()
    expect(otto.get_by_role("main")).not_to_contain_text("This account is private")
    otto.get_by_role("link", name=re.compile("follower")).click()
    expect(otto).to_have_url(re.compile(r"/network/nina\.k/followers$"))
    expect(otto.get_by_role("main")).to_contain_text("otto")
    otto_tab.shot("followers")

    # Nina shares a photo with a hashtag and a mention; Otto sees it, likes it and comments.
    nina.get_by_role("link", name="New post").click()
    nina.get_by_label("Choose images").set_input_files(photo())
    nina.get_by_label("Alt text for image 1").fill("The Mole Antonelliana at dusk")
    nina.get_by_label("Caption").fill("Dusk over #Torino with @otto")
    nina.get_by_role("button", name="Share").click()
    expect(nina).to_have_url(re.compile(r"/network/p/\d+$"))
    post_url = nina.url
    caption = nina.get_by_role("main")
    expect(caption.get_by_role("link", name="#Torino")).to_have_attribute("href", "/network/explore/tags/torino")
    expect(caption.get_by_role("link", name="@otto")).to_have_attribute("href", "/network/otto")
    expect(nina.get_by_role("img", name="The Mole Antonelliana at dusk")).to_be_visible()
    nina_tab.shot("post")

    otto.goto(post_url.replace(server.base_url, ""))
    like = otto.get_by_role("button", name="Like", exact=True)
    like.click()
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(otto.get_by_role("main")).to_contain_text("1 like")
    otto.get_by_label("Add a comment").fill("Bellissima!")
    otto.get_by_role("button", name="Post", exact=True).click()
    expect(otto.get_by_role("main")).to_contain_text("Bellissima!")
    otto_tab.shot("liked-and-commented")

    # Nina answers his comment with a reply, which sits under it.
    nina.reload()
    nina.get_by_role("button", name="Reply to otto").click()
    expect(nina.get_by_text("Replying to otto")).to_be_visible()
    nina.get_by_label("Add a comment").fill("Grazie, come along next time")
    nina.get_by_role("button", name="Post", exact=True).click()
    replies = nina.get_by_role("list", name="Replies")
    expect(replies).to_contain_text("Grazie, come along next time")
    nina_tab.shot("replied")

    # The hashtag's page lists it, and her profile's grid too.
    otto.get_by_role("link", name="#Torino").click()
    expect(otto).to_have_url(re.compile(r"/network/explore/tags/torino$"))
    post_path = post_url.replace(server.base_url, "")
    top = otto.get_by_role("region", name="Top posts")
    expect(top.get_by_role("link", name=re.compile(r"^Post: 1 like"))).to_have_attribute("href", post_path)
    recent = otto.get_by_role("region", name="Most recent")
    expect(recent.get_by_role("link").first).to_have_attribute("href", post_path)
    nina.goto("/network/nina.k")
    expect(nina.get_by_role("main")).to_contain_text("1 post")

    # Otto's home feed has her post; Nina's bell counts what he did, and her notifications say it.
    otto.goto("/network")
    expect(otto.get_by_role("main")).to_contain_text("Dusk over #Torino with @otto")
    otto_tab.shot("feed")
    nina.reload()
    expect(nina.get_by_role("link", name=re.compile(r"Notifications, [1-9]\d* unread"))).to_be_visible()
    nina.get_by_role("link", name=re.compile("Notifications")).click()
    notifications = nina.get_by_role("main")
    expect(notifications).to_contain_text("liked your post.")
    expect(notifications).to_contain_text("commented on your post.")
    expect(notifications).to_contain_text("asked to follow you.")
    nina_tab.shot("notifications")

    # Otto writes to her from her profile; her bar counts the conversation, she reads it and answers, and he
    # sees the answer arrive and that she has seen his message.
    otto.goto("/network/nina.k")
    otto.get_by_role("button", name="Message").click()
    expect(otto).to_have_url(re.compile(r"/network/messages/\d+$"))
    otto.get_by_label("Message…").fill("Coffee at Baratti tomorrow?")
    otto.get_by_label("Message…").press("Enter")
    conversation = otto.get_by_role("list", name="Messages with nina.k")
    expect(conversation).to_contain_text("Coffee at Baratti tomorrow?")
    expect(otto.get_by_label("Message…")).to_have_value("")

    nina.goto("/network")
    messages_link = nina.get_by_role("link", name="Messages, 1 unread conversation")
    expect(messages_link).to_be_visible()
    messages_link.click()
    expect(nina.get_by_role("main")).to_contain_text("Coffee at Baratti tomorrow?")
    nina_tab.shot("inbox")
    nina.get_by_role("main").get_by_role("link", name=re.compile("otto")).first.click()
    expect(nina.get_by_role("list", name="Messages with otto")).to_contain_text("Coffee at Baratti tomorrow?")
    nina.get_by_label("Message…").fill("Yes! At nine")
    nina.get_by_role("button", name="Send").click()
    expect(nina.get_by_role("list", name="Messages with otto")).to_contain_text("Yes! At nine")
    nina_tab.shot("conversation")

    # His open conversation asks for new messages every few seconds.
    expect(conversation).to_contain_text("Yes! At nine", timeout=15_000)
    otto_tab.shot("conversation")
