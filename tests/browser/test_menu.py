"""The organisation menu in a real browser, per role, on a phone and on a desktop.

Each section is a disclosure: it opens with Enter, the keyboard reaches its links,
Escape closes it and puts the focus back on its button, and opening another section
closes the first. Every state is checked with axe, and the page never scrolls
sideways. Screenshots of each state go to the test's temporary folder.
"""

from __future__ import annotations

import pytest

from tests.browser import axe
from tests.browser.conftest import DESKTOP
from tests.browser.helpers import log_in_with_cookie, visit
from tests.factories import make_user
from wijk.organisations.roles import Role

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 740}

# What each role finds in the menu (Dutch labels, as the browser sees the app).
EXPECTED = {
    Role.TREASURER: {
        "money": ["Boekhouding", "Bank", "Declaraties", "Facturen", "Contributie", "Rapporten"],
        "building": ["Gebouwen", "Boekingen", "Bezetting", "Boekingen factureren"],
        "admin": ["Organisatie", "Mensen en rollen", "Besluiten", "Logboek"],
    },
    Role.COORDINATOR: {
        "money": ["Declaraties"],
        "building": ["Gebouwen", "Boekingen", "Bezetting"],
    },
    Role.VOLUNTEER: {
        "money": ["Declaraties"],
        "people": ["Activiteiten", "Mijn uren", "Mijn diensten", "Mijn gegevens"],
    },
    Role.AUDIT_COMMITTEE: {
        "money": ["Boekhouding", "Bank", "Declaraties", "Facturen", "Contributie", "Rapporten"],
    },
}


def open_with_keyboard(page, key):
    summary = page.locator(f"#nav-{key} > summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator(f"#nav-{key}").get_attribute("open") is not None


@pytest.mark.parametrize("viewport", [SMALL_PHONE, DESKTOP], ids=["360px", "1280px"])
@pytest.mark.parametrize("role", list(EXPECTED), ids=[role.value for role in EXPECTED])
def test_menu_per_role(page, context, live_server, org_a, role, viewport, tmp_path):
    user = make_user(f"{role}@alfa.example", org_a, role, two_factor=True)
    log_in_with_cookie(context, live_server.url, user)
    page.set_viewport_size(viewport)
    visit(page, "/o/alfa/")

    overview = page.locator("#org-nav a.org-nav__link")
    assert overview.get_attribute("aria-current") == "page"
    # Closed sections hide their links until they are opened.
    assert page.locator("#org-nav .org-nav__items a").first.is_hidden()

    for key, labels in EXPECTED[role].items():
        open_with_keyboard(page, key)
        links = page.locator(f"#nav-{key} .org-nav__items a")
        assert links.all_inner_texts() == labels
        assert all(link.is_visible() for link in links.all())
        axe.check(page, when=f"section {key} open")
        page.screenshot(path=str(tmp_path / f"{role}-{viewport['width']}-{key}.png"))
        assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]
        # Tab goes into the open list; Escape closes it and returns to its button.
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.textContent.trim()") == labels[0]
        page.keyboard.press("Escape")
        assert page.locator(f"#nav-{key}").get_attribute("open") is None
        assert page.evaluate("() => document.activeElement.closest('details').id") == f"nav-{key}"


def test_one_section_open_at_a_time_and_the_current_page_marked(page, context, live_server, org_a):
    treasurer = make_user("treasurer@alfa.example", org_a, Role.TREASURER, two_factor=True)
    log_in_with_cookie(context, live_server.url, treasurer)
    page.set_viewport_size(SMALL_PHONE)
    visit(page, "/o/alfa/boekhouding/balans/")

    # The section of the page is marked, for eyes and for screen readers.
    money = page.locator("#nav-money")
    assert "org-nav__section--current" in money.get_attribute("class")
    assert "hier bent u" in money.locator("summary").text_content()
    page.locator("#nav-money > summary").click()
    assert money.locator("a[aria-current=page]").inner_text() == "Rapporten"
    axe.check(page, when="money open")

    page.locator("#nav-building > summary").click()
    assert page.locator("#nav-building").get_attribute("open") is not None
    assert money.get_attribute("open") is None

    # A click elsewhere on the page closes the open section.
    page.locator(".site-footer").click()
    assert page.locator("#nav-building").get_attribute("open") is None

    # Following a link from the menu lands on that page, marked as current.
    page.locator("#nav-building > summary").click()
    with page.expect_navigation():
        page.locator("#nav-building").get_by_role("link", name="Boekingen", exact=True).click()
    axe.check(page)
    page.locator("#nav-building > summary").click()
    assert page.locator("#nav-building a[aria-current=page]").inner_text() == "Boekingen"
