"""Pages anyone can open: the landing page and the login page, in both languages."""

from __future__ import annotations

import pytest

from tests.browser.helpers import in_dutch, visit

pytestmark = pytest.mark.browser

BRAND_GREEN = "rgb(11, 90, 60)"  # --colour-primary in wijk.css


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_landing_page_offers_the_login(page, prefix):
    visit(page, f"{prefix}/")
    assert page.locator("html").get_attribute("lang") == (prefix.strip("/") or "nl")
    assert page.locator("main a[href$='/account/login/']").is_visible()
    assert page.locator("#user-menu").count() == 0


def test_login_page_has_labelled_fields(page):
    visit(page, "/account/login/")
    for name in ("login", "password"):
        field = page.locator(f"input[name={name}]")
        assert field.is_visible()
        assert field.evaluate("(el) => el.labels.length") > 0, name
    assert page.locator("#login-button").inner_text().strip() == in_dutch("Sign In")


def test_pages_are_styled(page):
    """axe judges contrast on the page as styled; an unserved stylesheet would hide that."""
    visit(page, "/")

    header = page.locator(".site-header")
    assert header.evaluate("(el) => getComputedStyle(el).backgroundColor") == BRAND_GREEN
