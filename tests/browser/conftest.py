"""Browser journeys in Debian's Chromium, driven by Playwright, with an axe-core check.

On a developer machine without Chromium these tests skip; in CI (CI=true) a missing
browser is a failure, never a skip.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import in_ci

CHROMIUM = os.environ.get("HOWGOOD_CHROMIUM", "/usr/bin/chromium")
AXE_SOURCE = (
    Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js"
).read_text()
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"

# Playwright's sync API runs an event loop in this thread; Django's guard would otherwise
# refuse database access from the test body.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _chromium_path() -> str | None:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    return shutil.which("chromium")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    path = _chromium_path()
    if path is None:
        if in_ci():
            pytest.fail("Chromium is missing in CI: .ci/run installs it with apt-get")
        pytest.skip(
            "Chromium is not installed (apt-get install chromium); browser journeys skipped"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


class Page:
    """A page wrapper that fails on CSP violations and JavaScript errors, and runs axe."""

    def __init__(
        self, page: Any, base_url: str, javascript: bool = True, browser: Any = None
    ) -> None:
        self.page = page
        self.javascript = javascript
        self.browser = browser
        self.base_url = base_url
        self.problems: list[str] = []
        self.checked: set[str] = set()
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"JavaScript error: {error}"))

    def _console(self, message: Any) -> None:
        text = message.text
        if message.type == "error" and ("Content Security Policy" in text or "Refused to" in text):
            self.problems.append(f"CSP violation: {text}")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.page, name)

    def go(self, path: str) -> Any:
        return self.page.goto(self.base_url + path)

    def axe(self, label: str = "") -> None:
        """Run axe-core on the current page: no serious or critical violations allowed.

        A page without JavaScript cannot run axe itself, so its exact HTML is served again
        to a scripted page at the same address and checked there.
        """
        target = self.page
        helper = None
        if not self.javascript:
            html, url = self.page.content(), self.page.url
            helper = self.browser.new_context(viewport=self.page.viewport_size)
            target = helper.new_page()
            target.route(
                url, lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8")
            )
            target.goto(url)
        target.evaluate(AXE_SOURCE)
        result = target.evaluate(
            "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
            " return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})); }"
        )
        if helper is not None:
            helper.close()
        bad = [v for v in result if v["impact"] in ("serious", "critical")]
        where = label or self.page.url
        self.checked.add(where)
        assert not bad, f"axe violations on {where}:\n{json.dumps(bad, indent=2)}"

    def shot(self, name: str) -> None:
        SCREENSHOTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    def assert_clean(self) -> None:
        assert not self.problems, "\n".join(self.problems)


@pytest.fixture
def new_page(browser: Any, live_server: Any) -> Iterator[Any]:
    contexts: list[Any] = []
    pages: list[Page] = []

    def make(javascript: bool = True, width: int = 1280) -> Page:
        context = browser.new_context(
            java_script_enabled=javascript,
            viewport={"width": width, "height": 900},
            locale="en-GB",
            timezone_id="Europe/London",
        )
        contexts.append(context)
        page = Page(context.new_page(), live_server.url, javascript=javascript, browser=browser)
        page.page.set_default_timeout(10_000)
        pages.append(page)
        return page

    yield make
    for page in pages:
        page.assert_clean()
    for context in contexts:
        context.close()
