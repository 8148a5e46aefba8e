"""Moving into the books in a real browser: opening balances (preview, then confirm) and
an audit file (check, then import), each page checked with axe."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser import axe
from tests.browser.helpers import log_in_with_cookie, visit
from tests.ledger.test_opening_balances import GOOD_CSV
from tests.ledger.test_xaf_import import GOOD
from wijk.ledger import services
from wijk.ledger.models import JournalEntry, LedgerImport

pytestmark = pytest.mark.browser


def test_treasurer_imports_opening_balances_and_an_audit_file(
    page, context, live_server, org_a, board_a, posted_entries_cleanup, tmp_path
):
    services.ledger_setup(organisation=org_a, actor=None)
    year = services.fiscal_year_create(organisation=org_a, year=2026, actor=None)
    log_in_with_cookie(context, live_server.url, board_a)
    slug = org_a.slug
    visit(page, live_server.url + reverse("ledger_home", kwargs={"organisation": slug}))
    with page.expect_navigation():
        page.click("#import-link")
    axe.check(page, when="imports page")

    # A bad file first: the line and the column, nothing booked.
    bad = tmp_path / "fout.csv"
    bad.write_bytes(b"rekening;debet;credit\n1100;12,3,4;\n")
    visit(page, live_server.url + reverse("opening_balances_import", kwargs={"organisation": slug}))
    page.screenshot(path=str(tmp_path / "opening-form.png"), full_page=True)
    page.set_input_files("#id_file", str(bad))
    with page.expect_navigation():
        page.click("#opening-form button[type=submit]")
    axe.check(page, when="bad opening balance file")
    assert "fout.csv, regel 2, kolom B (debet)" in page.inner_text("#form-error-summary")
    assert not JournalEntry.objects.exists()

    good = tmp_path / "beginbalans.csv"
    good.write_bytes(GOOD_CSV)
    page.select_option("#id_year", value=str(year.pk))
    page.set_input_files("#id_file", str(good))
    with page.expect_navigation():
        page.click("#opening-form button[type=submit]")
    axe.check(page, when="opening balance preview")
    page.screenshot(path=str(tmp_path / "opening-preview.png"), full_page=True)
    assert "12.495,67" in page.inner_text("#preview-table")
    assert not JournalEntry.objects.exists()
    with page.expect_navigation():
        page.click("#confirm-form button[name=confirm]")
    axe.check(page, when="opening entry posted")
    entry = JournalEntry.objects.get()
    assert entry.is_posted and entry.date == year.start_date

    # The audit file: checked first (nothing written), then imported.
    xaf = tmp_path / "linde-2025.xaf"
    xaf.write_bytes(GOOD)
    visit(page, live_server.url + reverse("xaf_import", kwargs={"organisation": slug}))
    assert page.is_checked("#id_dry_run")
    page.set_input_files("#id_file", str(xaf))
    with page.expect_navigation():
        page.click("#xaf-form button[type=submit]")
    axe.check(page, when="audit file checked")
    page.screenshot(path=str(tmp_path / "xaf-check.png"), full_page=True)
    assert page.locator("#mapped-table tbody tr").count() == 2
    assert "4999" in page.inner_text("#created-table")
    assert not LedgerImport.objects.filter(kind="xaf").exists()
    page.uncheck("#id_dry_run")
    page.set_input_files("#id_file", str(xaf))
    with page.expect_navigation():
        page.click("#xaf-form button[type=submit]")
    axe.check(page, when="audit file imported")
    page.screenshot(path=str(tmp_path / "imports.png"), full_page=True)
    assert "linde-2025.xaf" in page.inner_text("#imports-table")
    assert JournalEntry.objects.filter(status="posted").count() == 3
