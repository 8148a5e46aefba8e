"""The organisation details form: located errors for bad numbers, then a good save."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.browser import axe
from tests.browser.helpers import log_in_with_cookie, visit
from wijk.organisations.forms import OrganisationForm

pytestmark = pytest.mark.browser

SAVE = "#organisation-form button[type=submit]"


def save(page, **values: str):
    for name, value in values.items():
        page.fill(f"#id_{name}", value)
    with page.expect_navigation() as navigation:
        page.click(SAVE)
    axe.check(page, when="after saving")
    return navigation.value


def test_bad_numbers_are_refused_then_good_ones_saved(page, context, live_server, org_a, board_a):
    log_in_with_cookie(context, live_server.url, board_a)
    visit(page, "/o/alfa/organisatie/")

    response = save(page, kvk_number="1234", rsin="123456789")  # RSIN fails the 11-test

    assert response.status == 400
    summary = page.locator("#form-error-summary")
    assert summary.is_visible()
    language = page.locator("html").get_attribute("lang")
    for name in ("kvk_number", "rsin"):
        with translation.override(language):
            label = str(OrganisationForm.base_fields[name].label)
        assert label in summary.locator(f"a[href='#id_{name}']").inner_text()
        field = page.locator(f"#id_{name}")
        assert field.get_attribute("aria-invalid") == "true"
        assert f"id_{name}_error" in (field.get_attribute("aria-describedby") or "")
        assert page.locator(f"#id_{name}_error").inner_text().strip()
    assert page.locator(".field--invalid").count() == 2
    org_a.refresh_from_db()
    assert (org_a.kvk_number, org_a.rsin) == ("", "")

    response = save(page, kvk_number="4123 4567", rsin="111 222 333")

    assert response.status == 200
    assert page.url.endswith("/o/alfa/organisatie/")  # redirected after the POST
    assert page.locator(".messages .alert--success").count() == 1
    assert page.locator("#form-error-summary").count() == 0
    assert page.locator("#id_kvk_number").input_value() == "41234567"
    assert page.locator("#id_rsin").input_value() == "111222333"
    org_a.refresh_from_db()
    assert (org_a.kvk_number, org_a.rsin) == ("41234567", "111222333")
