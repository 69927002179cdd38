"""Playwright (sync API) against Debian's Chromium and pytest-django's live server.

No browser is downloaded: Chromium comes from ``/usr/bin/chromium`` (``MATCHDAY_CHROMIUM``
overrides). Missing Chromium skips these tests locally and fails them in CI (``CI=true``).
Every test's page fails on any console error or uncaught page error; a test that submits
an invalid form on purpose declares it with ``console.expect_unprocessable(page)``, which
allows exactly that one 422 response.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread
from playwright.sync_api import expect

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# in a thread with a running loop unless told this is safe (it is: the loop is Playwright's).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
DEFAULT_CHROMIUM = "/usr/bin/chromium"


class SerializedWSGIServer(ThreadedWSGIServer):
    """The live server, one request at a time.

    With the in-memory SQLite test database every server thread shares the test's single
    connection, and two requests at once (a page and an htmx call) corrupt it ("bad
    parameter or other API misuse"). Connections stay threaded (keep-alive is fine); only
    the application call is serialised.
    """

    _lock = threading.Lock()

    def set_app(self, application):
        def serialized(environ, start_response):
            with self._lock:
                return application(environ, start_response)

        super().set_app(serialized)


LiveServerThread.server_class = SerializedWSGIServer
# How long an action or an ``expect`` waits for its condition (Playwright's own default for
# ``expect`` is 5 s). Generous: on a loaded machine (CI runs two workers beside a live server
# each) a page can take seconds, and a wait ends as soon as its condition holds.
TIMEOUT_MS = 20_000
expect.set_options(timeout=TIMEOUT_MS)


def chromium_path() -> str:
    return os.environ.get("MATCHDAY_CHROMIUM") or DEFAULT_CHROMIUM


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        message = f"Chromium not found at {path} (set MATCHDAY_CHROMIUM or install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class ConsoleGuard:
    """Collects console errors and page errors; 422s are allowed only when declared."""

    UNPROCESSABLE = "the server responded with a status of 422"

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.expected_unprocessable = 0

    def on_console(self, message) -> None:
        if message.type == "error":
            self.errors.append(f"console error: {message.text} ({message.location})")

    def on_page_error(self, error) -> None:
        self.errors.append(f"page error: {error}")

    @contextmanager
    def expect_unprocessable(self, page) -> Iterator[None]:
        """Wrap the action that submits an invalid form: it must answer 422."""
        with page.expect_response(lambda response: response.status == 422):
            yield
        self.expected_unprocessable += 1

    def unexpected(self) -> list[str]:
        allowance = self.expected_unprocessable
        left = []
        for error in self.errors:
            if self.UNPROCESSABLE in error and allowance:
                allowance -= 1
                continue
            left.append(error)
        return left


@pytest.fixture
def console() -> ConsoleGuard:
    return ConsoleGuard()


@pytest.fixture
def page(browser, live_server, console):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.on("console", console.on_console)
    page.on("pageerror", console.on_page_error)
    yield page
    page.wait_for_timeout(50)  # let late console messages arrive
    context.close()
    problems = console.unexpected()
    if problems:
        pytest.fail("The browser reported errors:\n" + "\n".join(problems))
