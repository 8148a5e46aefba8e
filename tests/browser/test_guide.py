"""The knowledge guide in a real browser: every kind of page passes axe, in both languages."""

from __future__ import annotations

import pytest

from tests.browser import axe
from tests.browser.helpers import visit

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "path",
    [
        "/gids/",
        "/gids/starten/",
        "/gids/starten/rechtsvormen/",
        "/gids/verdienmodellen/zaalverhuur-en-horeca/",
        "/gids/bibliotheek/",
        "/gids/bibliotheek/?theme=onderzoek",
        "/gids/zoeken/",
        "/gids/zoeken/?q=verenigingen",
        "/gids/zoeken/?q=xyzzyqq",
        "/en/guide/",
        "/en/guide/belasting/btw/",
        "/en/guide/library/",
        "/en/guide/search/?q=leasehold",
    ],
)
def test_guide_pages_pass_axe(page, path):
    visit(page, path)
    assert page.locator("h1").count() == 1


def test_search_from_the_guide_finds_an_inflected_word(page, live_server):
    visit(page, "/gids/")
    page.fill("#guide-q", "verenigingen")
    with page.expect_navigation():
        page.press("#guide-q", "Enter")
    axe.check(page, when="after searching")
    assert page.url.startswith(f"{live_server.url}/gids/zoeken/?q=verenigingen")
    first = page.locator("#search-results li h2 a").first
    assert first.get_attribute("href") == "/gids/starten/rechtsvormen/"


def test_reading_on_with_next_and_the_language_switch(page, live_server):
    visit(page, "/gids/starten/rechtsvormen/")
    with page.expect_navigation():
        page.click("a[rel=next]")
    axe.check(page, when="after following next")
    assert page.url == f"{live_server.url}/gids/starten/bestuur-en-toezicht/"
    with page.expect_navigation():
        page.locator("#language-switch button", has_text="English").click()
    axe.check(page, when="after switching to English")
    assert page.url == f"{live_server.url}/en/guide/starten/bestuur-en-toezicht/"
    assert page.locator("h1").inner_text() == "Board and oversight"


def test_printing_leaves_out_the_navigation(page):
    visit(page, "/gids/belasting/anbi-en-sbbi/")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator("#guide-contents").is_visible()
    assert not page.locator(".guide-pager").is_visible()
    assert page.locator("#guide-sources").is_visible()
    assert page.locator(".guide-sources__url").first.is_visible()


def test_the_guide_reads_well_on_a_phone(page):
    page.set_viewport_size({"width": 390, "height": 844})
    visit(page, "/gids/geld/boekhouden-voor-stichtingen/")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390
