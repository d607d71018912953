"""Browser tests: Debian's Chromium (installed by scripts/system-packages --test) driven by Playwright."""

import os
import shutil

import pytest
from django.db.backends.signals import connection_created

from tests.conftest import skip_or_fail

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Flags for a closed network: no background calls home, no sandbox as root.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        skip_or_fail("Chromium is not installed (scripts/system-packages --test installs it)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running on this thread. The tests' ORM calls
    # stay synchronous, so Django's guard against the ORM in async code is lifted; but Django
    # then keeps a connection per async context, which nothing closes: they are collected
    # here and closed at the end, or they would block dropping the test database.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    opened = []

    def collect(sender, connection, **kwargs):
        opened.append(connection)

    connection_created.connect(collect, dispatch_uid="e2e-connections")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()
        for connection in opened:
            # Made on this thread under another async context: Django would refuse the close.
            connection.inc_thread_sharing()
            connection.close()
            connection.dec_thread_sharing()
    connection_created.disconnect(dispatch_uid="e2e-connections")


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    # Every browser flow also checks the content security policy: nothing the pages need is refused.
    refused = []
    page.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))
    yield page
    context.close()
    assert not refused, refused


def sign_in(page, username, password="correct horse 2021"):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button.primary")


def submit_in_place(page, selector):
    """Press a button of the task page, whose forms post through htmx: wait until the answer is
    swapped in, and check that the page was not reloaded on the way."""
    page.evaluate(
        """() => {
            window.stillHere = true;
            window.settled = false;
            document.body.addEventListener("htmx:afterSettle", () => { window.settled = true; }, {once: true});
        }"""
    )
    page.click(selector)
    page.wait_for_function("() => window.settled === true")
    assert page.evaluate("window.stillHere === true"), "the page was reloaded"
