"""The header's language switch: Dutch without prefix, English under /en/.

The Dutch assertions use strings that Django itself translates ("Log out", "Save"),
so they hold while our own Dutch catalogue is incomplete.
"""

from __future__ import annotations

import pytest

from tests.browser import axe
from tests.browser.helpers import in_dutch, log_in_with_cookie, visit

pytestmark = pytest.mark.browser


def switch_language(page, label: str) -> None:
    with page.expect_navigation():
        page.locator("#language-switch button", has_text=label).click()
    axe.check(page, when=f"after switching with {label!r}")


@pytest.fixture
def logged_in(context, live_server, board_a) -> None:
    log_in_with_cookie(context, live_server.url, board_a)


def test_switch_to_english(page, live_server, logged_in):
    visit(page, "/o/alfa/")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("#logout-button").text_content() == in_dutch("Log out")
    assert page.locator("#language-switch button").inner_text() == "English"

    switch_language(page, "English")

    assert page.url == f"{live_server.url}/en/o/alfa/"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#logout-button").text_content() == "Log out"
    assert page.locator("#people-heading").inner_text() == "People"
    assert page.locator("#language-switch button").inner_text() == "Nederlands"
    # The links on the page stay in English.
    page.click("#nav-admin summary")
    with page.expect_navigation():
        page.click(".org-nav a[href='/en/o/alfa/organisatie/']")
    axe.check(page)
    assert page.locator("#organisation-form button[type=submit]").inner_text() == "Save"


def test_switch_back_to_dutch(page, live_server, logged_in):
    visit(page, "/en/o/alfa/organisatie/")
    assert page.locator("#organisation-form button[type=submit]").inner_text() == "Save"

    switch_language(page, "Nederlands")

    assert page.url == f"{live_server.url}/o/alfa/organisatie/"
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("#organisation-form button[type=submit]").inner_text() == in_dutch("Save")
    assert page.locator("#language-switch button").inner_text() == "English"
