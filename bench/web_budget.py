"""The web app's budgets: JavaScript loaded by the first page (gzipped), and the sign-in page's first
contentful paint in headless Chromium against the local server.

Reads the built app (web/dist; `make web` builds it), starts `viewfinder serve` on SQLite in a scratch data
folder, loads /signin `--runs` times in fresh browser contexts, and prints the figures beside their budgets
(250 kB and 1 s).

    uv run python -m bench.web_budget [--runs 7]
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.server import free_port, start_server
from viewfinder.kit.spa import default_dist_dir

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
BUDGET_KB = 250
BUDGET_FCP_MS = 1000


def gzipped_kb(path: Path) -> float:
    return len(gzip.compress(path.read_bytes(), compresslevel=6)) / 1000


def initial_javascript(dist: Path) -> dict[str, float]:
    """The scripts index.html loads at once: its module entry and the chunks it preloads."""
    html = (dist / "index.html").read_text()
    sources = re.findall(r'<script[^>]+type="module"[^>]+src="([^"]+)"', html)
    sources += re.findall(r'<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"', html)
    return {source: gzipped_kb(dist / source.lstrip("/")) for source in sources}


def all_chunks_kb(dist: Path) -> float:
    return sum(gzipped_kb(path) for path in (dist / "assets").glob("*.js"))


def first_contentful_paints(base_url: str, runs: int) -> list[float]:
    paints: list[float] = []
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for _ in range(runs):
            context = browser.new_context()
            page = context.new_page()
            page.goto(f"{base_url}/signin", wait_until="networkidle")
            page.wait_for_selector("form")
            fcp = page.evaluate("() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null")
            paints.append(float(fcp))
            context.close()
        browser.close()
    return paints


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    dist = default_dist_dir()
    if not (dist / "index.html").is_file():
        sys.exit("web/dist is missing: run `make web` first")
    initial = initial_javascript(dist)
    for source, size in initial.items():
        print(f"  {source}: {size:.1f} kB gzipped")
    total = sum(initial.values())
    print(
        f"initial JavaScript: {total:.1f} kB gzipped (budget {BUDGET_KB} kB); all chunks {all_chunks_kb(dist):.1f} kB"
    )

    with tempfile.TemporaryDirectory() as data:
        port = free_port()
        env = dict(os.environ, DATA_DIR=data, DATABASE_URL=f"sqlite:///{data}/bench.db", LOG_LEVEL="WARNING")
        subprocess.run([sys.executable, "-m", "viewfinder", "migrate"], env=env, check=True, capture_output=True)
        server = start_server(port, env)
        try:
            paints = first_contentful_paints(f"http://127.0.0.1:{port}", args.runs)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait()
    print(
        f"first contentful paint of /signin over {len(paints)} loads: median {statistics.median(paints):.0f} ms, "
        f"max {max(paints):.0f} ms (budget {BUDGET_FCP_MS} ms)"
    )


if __name__ == "__main__":
    main()
