"""The books in a real browser: set up, enter an entry with Dutch amounts, post it, read the trial balance."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser.helpers import log_in_with_cookie, visit
from wijk.ledger.models import JournalEntry

pytestmark = pytest.mark.browser


def test_treasurer_books_an_entry(
    page, context, live_server, org_a, board_a, posted_entries_cleanup
):
    log_in_with_cookie(context, live_server.url, board_a)
    slug = org_a.slug
    visit(page, live_server.url + reverse("ledger_home", kwargs={"organisation": slug}))
    with page.expect_navigation():
        page.click("form[action$='/inrichten/'] button")
    from tests.browser import axe

    axe.check(page, when="books set up")
    visit(page, live_server.url + reverse("account_list", kwargs={"organisation": slug}))
    assert page.locator("#accounts-table tbody tr").count() > 60

    visit(page, live_server.url + reverse("entry_create", kwargs={"organisation": slug}))
    page.fill("#id_date", "2026-03-10")
    page.fill("#id_description", "Zaalhuur taalcafé")
    page.select_option("#id_lines-0-account", label="1100 Bank betaalrekening")
    page.fill("#id_lines-0-debit", "1.234,56")
    page.select_option("#id_lines-1-account", label="8000 Zaalverhuur zonder btw")
    page.fill("#id_lines-1-credit", "1234,56")
    with page.expect_navigation():
        page.click("#entry-form button[type=submit]")
    assert "/boekingen/" in page.url
    from tests.browser import axe

    axe.check(page, when="draft entry")
    with page.expect_navigation():
        page.click("#post-form button[type=submit]")
    axe.check(page, when="posted entry")
    entry = JournalEntry.objects.get()
    assert entry.is_posted and entry.number == 1
    assert "€ 1.234,56" in page.inner_text("#lines-table")

    visit(page, live_server.url + reverse("trial_balance", kwargs={"organisation": slug}))
    assert "1.234,56" in page.inner_text("#trial-balance")
    with page.expect_navigation():
        page.click("#trial-balance a >> nth=0")
    axe.check(page, when="ledger detail of an account")
    assert "1.234,56" in page.inner_text("#ledger-detail")
    visit(page, live_server.url + reverse("entry_list", kwargs={"organisation": slug}))
    for name in ("income_statement", "balance_sheet", "independence", "budget"):
        visit(page, live_server.url + reverse(name, kwargs={"organisation": slug}))
    assert (
        "1.234,56" in page.inner_text("#budget-table") or page.locator("#budget-table").count() == 1
    )
    page.fill(f"#budget-{entry.lines.get(credit_cents__gt=0).account_id}", "10.000")
    with page.expect_navigation():
        page.click("#budget-form button[type=submit]")
    axe.check(page, when="budget saved")
    visit(page, live_server.url + reverse("income_statement", kwargs={"organisation": slug}))
    assert "€ 10.000,00" in page.inner_text("#report-table")
    visit(page, live_server.url + reverse("dashboard", kwargs={"organisation": slug}))
    assert page.locator("#books-summary").count() == 1


def test_unbalanced_entry_shows_the_difference(
    page, context, live_server, org_a, board_a, posted_entries_cleanup
):
    from wijk.ledger import services

    services.ledger_setup(organisation=org_a, actor=None)
    services.fiscal_year_create(organisation=org_a, year=2026, actor=None)
    log_in_with_cookie(context, live_server.url, board_a)
    visit(page, live_server.url + reverse("entry_create", kwargs={"organisation": org_a.slug}))
    page.fill("#id_date", "2026-03-10")
    page.fill("#id_description", "Energie")
    page.select_option("#id_lines-0-account", label="1100 Bank betaalrekening")
    page.fill("#id_lines-0-credit", "100")
    page.select_option("#id_lines-1-account", index=5)
    page.fill("#id_lines-1-debit", "99,50")
    with page.expect_navigation():
        page.click("#entry-form button[type=submit]")
    from tests.browser import axe

    axe.check(page, when="unbalanced entry error")
    assert "0,50" in page.inner_text(".alert--error")
    assert not JournalEntry.objects.exists()
