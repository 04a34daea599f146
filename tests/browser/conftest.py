"""Browser tests: the real server on SQLite with a fresh data folder, driven through Debian's Chromium.

Every page fails its test on a console error or an uncaught exception. Screenshots of each step are saved
under test-results/browser/ for a person to look at.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Playwright, sync_playwright

from tests.processes import free_port, running, viewfinder_env, wait_for
from viewfinder.kit.spa import default_dist_dir

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "browser"
# As the machine's own probe starts it: without the background-networking flags Chromium keeps dialling
# Google's hosts, which a closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class Server:
    base_url: str
    env: dict[str, str]

    def mails(self) -> list[dict[str, object]]:
        """The mail outbox, newest first, as `viewfinder mail list --json` shows it."""
        output = subprocess.run(
            [sys.executable, "-m", "viewfinder", "mail", "list", "--json"],
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        mails: list[dict[str, object]] = json.loads(output)
        return mails

    def link_mailed_to(self, address: str, containing: str) -> str:
        for mail in self.mails():
            if mail["to"] == address:
                for link in mail["links"]:  # type: ignore[attr-defined]
                    if containing in link:
                        return str(link)
        raise AssertionError(f"no mail to {address} with a link containing {containing!r}")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if not (default_dist_dir() / "index.html").is_file():
        pytest.fail("the web app is not built: `make web` builds it (make test does)")
    data = tmp_path_factory.mktemp("browser-data")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = viewfinder_env(data, f"sqlite:///{data}/viewfinder.db", BASE_URL=base_url, HOST="127.0.0.1", PORT=str(port))
    subprocess.run([sys.executable, "-m", "viewfinder", "migrate"], env=env, check=True, capture_output=True)
    log = data / "serve.log"
    with running(["serve"], env, log):
        wait_for(lambda: _answers(f"{base_url}/health/live"), timeout=30, what="the server", log_path=log)
        yield Server(base_url, env)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `apt-get install -y chromium` (.ci/run does it)")
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@dataclass
class Tab:
    """A page with its own browser context (cookies, storage), watched for console errors."""

    page: Page
    name: str
    errors: list[str] = field(default_factory=list)
    step: int = 0

    def shot(self, what: str) -> None:
        self.step += 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=SCREENSHOTS / f"{self.name}-{self.step:02d}-{what}.png", full_page=True)

    def assert_no_errors(self) -> None:
        assert not self.errors, f"console errors in {self.name}'s browser:\n" + "\n".join(self.errors)


@pytest.fixture
def open_tab(browser: Browser, server: Server) -> Iterator[Callable[..., Tab]]:
    contexts: list[tuple[BrowserContext, Tab]] = []

    def open_one(name: str, *, width: int = 1280, height: int = 800) -> Tab:
        context = browser.new_context(base_url=server.base_url, viewport={"width": width, "height": height})
        context.set_default_timeout(10_000)
        tab = Tab(context.new_page(), name)

        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error":
                tab.errors.append(f"{message.text} at {message.location.get('url')}")

        tab.page.on("console", on_console)
        tab.page.on("pageerror", lambda error: tab.errors.append(f"uncaught: {error}"))
        contexts.append((context, tab))
        return tab

    yield open_one
    for context, _ in contexts:
        context.close()
    for _, tab in contexts:
        tab.assert_no_errors()
