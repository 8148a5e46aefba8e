"""The dashboard on a phone-sized screen."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE
from tests.browser.helpers import log_in_with_cookie, visit
from tests.factories import make_user

pytestmark = pytest.mark.browser


def test_dashboard_on_a_phone(page, context, live_server, org_a, board_a):
    # A long address lands in "Recent changes"; it must not widen the page.
    make_user("penningmeester@bewonersbedrijf-alfa.example", org_a, "treasurer")
    log_in_with_cookie(context, live_server.url, board_a)
    page.set_viewport_size(PHONE)

    visit(page, "/o/alfa/")

    assert page.locator("main h1").inner_text() == "Bewonersbedrijf Alfa"
    assert page.locator("#people-summary").is_visible()
    assert page.locator("#recent-activity").get_by_text("bewonersbedrijf-alfa.example").count()
    # No sideways scrolling on a 390-pixel screen (WCAG 1.4.10, reflow).
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
