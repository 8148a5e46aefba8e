"""Buildings, activities, funds and every report in a real browser, checked with axe."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser.helpers import log_in_with_cookie, visit
from wijk.demo.books import build_books
from wijk.premises.models import Building

pytestmark = pytest.mark.browser


def test_reports_buildings_activities_and_funds(
    page, context, live_server, org_a, board_a, posted_entries_cleanup, tmp_path
):
    build_books(org_a)  # the demo's books: buildings, activities, funds, a year of entries
    log_in_with_cookie(context, live_server.url, board_a)
    slug = org_a.slug

    def url(name: str, **kwargs: object) -> str:
        return live_server.url + reverse(name, kwargs={"organisation": slug, **kwargs})

    visit(page, url("building_list"))
    assert "Buurthuis De Wilg" in page.inner_text("#buildings-table")
    visit(page, url("building_create"))
    page.fill("#id_name", "Sporthal")
    page.fill("#id_postcode", "12")
    with page.expect_navigation():
        page.click("#building-form button[type=submit]")
    from tests.browser import axe

    axe.check(page, when="building form with an error")
    assert page.locator("#id_postcode_errors").count() == 1
    assert not Building.objects.filter(name="Sporthal").exists()
    page.fill("#id_postcode", "1064 HC")
    with page.expect_navigation():
        page.click("#building-form button[type=submit]")
    axe.check(page, when="building saved")
    assert "Sporthal" in page.inner_text("#buildings-table")
    visit(page, url("activity_list"))
    assert "Taalcafé" in page.inner_text("#activities-table")
    visit(page, url("activity_create"))
    visit(page, url("fund_list"))
    assert "Reserve groot onderhoud" in page.inner_text("#funds-table")

    for name in (
        "budget_vs_actual",
        "result_by_building",
        "result_by_activity",
        "cash_position",
        "fund_movements",
    ):
        visit(page, url("report_index"))
        with page.expect_navigation():
            page.click(f"#report-list a[href='{reverse(name, kwargs={'organisation': slug})}']")
        axe.check(page, when=name)
        assert page.locator("#report-table").count() == 1
    visit(page, url("result_by_building"))
    assert "Buurthuis De Wilg" in page.inner_text("#report-table")
    visit(page, url("independence"))
    assert page.locator("#report-chart svg").count() == 1
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(tmp_path / "independence.png"), full_page=True)
    visit(page, url("result_by_activity"))
    page.screenshot(path=str(tmp_path / "result-by-activity.png"), full_page=True)
    assert (tmp_path / "independence.png").stat().st_size > 10_000
    with page.expect_download() as download:
        page.click("text=PDF")
    assert download.value.suggested_filename.endswith(".pdf")
