"""Wide tables on a phone: the table scrolls inside its own box, never the whole page.

WCAG 1.4.10 (reflow) allows a data table to scroll sideways, but the rest of the page
must fit 320 CSS pixels. static/wijk/js/wijk.js puts every `table.table` in a box that
scrolls, and gives a box that needs scrolling the keyboard focus and the table's
caption as its name.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import DESKTOP
from tests.browser.helpers import log_in_with_cookie, visit
from wijk.ledger import services as ledger

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 740}


def test_a_wide_table_scrolls_in_its_box_on_a_phone(page, context, live_server, org_a, board_a):
    ledger.ledger_setup(organisation=org_a, actor=None)
    log_in_with_cookie(context, live_server.url, board_a)
    page.set_viewport_size(SMALL_PHONE)
    visit(page, "/o/alfa/boekhouding/rekeningen/")

    assert page.evaluate("() => document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
    box = page.locator("div.table-wrap:has(#accounts-table)")
    assert box.evaluate("(el) => el.scrollWidth > el.clientWidth")
    assert box.get_attribute("tabindex") == "0"
    assert box.get_attribute("role") == "region"
    assert box.get_attribute("aria-label") == "Rekeningschema"
    # The keyboard scrolls it: focus the box, then the arrow key.
    box.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('div.table-wrap:has(#accounts-table)').scrollLeft > 0"
    )

    # On a desktop the same table fits: no scrolling, nothing extra to tab to.
    page.set_viewport_size(DESKTOP)
    page.wait_for_function(
        "() => !document.querySelector('div.table-wrap:has(#accounts-table)').hasAttribute('tabindex')"
    )
    assert box.get_attribute("role") is None
