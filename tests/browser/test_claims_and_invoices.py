"""Expense claims and sales invoices in a real browser, each page checked with axe.

Set WIJK_SCREENSHOTS to a folder to keep screenshots of the main pages.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.urls import reverse

from tests.browser import axe
from tests.browser.helpers import log_in_with_cookie, visit
from tests.expenses.helpers import png_bytes
from tests.factories import make_user
from wijk.expenses.models import ExpenseClaim
from wijk.ledger import services as ledger
from wijk.sales.models import Invoice

pytestmark = pytest.mark.browser


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    folder = os.environ.get("WIJK_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.fixture
def set_up_books(org_a, settings, tmp_path, posted_entries_cleanup):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    ledger.ledger_setup(organisation=org_a, actor=None)
    ledger.fiscal_year_create(organisation=org_a, year=2026, actor=None)
    return org_a


def test_volunteer_claims_and_treasurer_approves_and_pays(
    page, context, live_server, set_up_books, tmp_path
):
    org = set_up_books
    volunteer = make_user("vrijwilliger@alfa.example", org, "volunteer")
    treasurer = make_user("penningmeester@alfa.example", org, "treasurer", two_factor=True)
    log_in_with_cookie(context, live_server.url, volunteer)
    visit(page, reverse("claim_list", kwargs={"organisation": org.slug}))
    with page.expect_navigation():
        page.click("#new-claim")
    axe.check(page, when="claim form")
    page.fill("#id_date", "2026-03-05")
    page.fill("#id_description", "Potgrond voor de moestuin")
    page.fill("#id_amount", "23,95")
    page.select_option("#id_account", label="4210 Materialen voor activiteiten")
    page.fill("#id_iban", "NL91 ABNA 0417 1643 00")
    page.fill("#id_account_holder", "Vera Vrijwilliger")
    bad = tmp_path / "bon.pdf"
    bad.write_bytes(b"<html><body>geen bon</body></html>")
    page.set_input_files("#id_receipt", str(bad))
    with page.expect_navigation():
        page.click("#claim-form button[type=submit]")
    axe.check(page, when="claim form with an error")
    assert page.locator("#form-error-summary a[href='#id_receipt']").count() == 1
    _shot(page, "claim-form-error")
    assert ExpenseClaim.objects.count() == 0
    good = tmp_path / "bon.png"
    good.write_bytes(png_bytes((400, 300)))
    page.fill("#id_amount", "23,95")
    page.set_input_files("#id_receipt", str(good))
    with page.expect_navigation():
        page.click("#claim-form button[type=submit]")
    axe.check(page, when="claim submitted")
    claim = ExpenseClaim.objects.get()
    assert claim.amount_cents == 2395

    context.clear_cookies()
    log_in_with_cookie(context, live_server.url, treasurer)
    visit(page, reverse("claim_detail", kwargs={"organisation": org.slug, "pk": claim.pk}))
    _shot(page, "claim-detail")
    with page.expect_navigation():
        page.click("#approve-form button[type=submit]")
    axe.check(page, when="claim approved")
    assert "Goedgekeurd en geboekt" in page.inner_text("#claim-status")
    page.fill("#id_paid_on", "2026-03-10")  # inside the test's fiscal year, whatever today is
    with page.expect_navigation():
        page.click("#pay-form button[type=submit]")
    axe.check(page, when="claim paid")
    claim.refresh_from_db()
    assert claim.status == "paid"
    visit(page, reverse("claim_list", kwargs={"organisation": org.slug}))
    _shot(page, "claim-list")


def test_treasurer_invoices_a_customer(page, context, live_server, set_up_books, board_a):
    org = set_up_books
    log_in_with_cookie(context, live_server.url, board_a)
    slug = org.slug
    visit(page, reverse("sales_settings", kwargs={"organisation": slug}))
    page.fill("#id_iban", "NL91ABNA0417164300")
    with page.expect_navigation():
        page.click("#settings-form button[type=submit]")
    axe.check(page, when="invoice settings saved")
    visit(page, reverse("customer_list", kwargs={"organisation": slug}))
    page.fill("#id_name", "Huurdersvereniging De Wilg")
    page.fill("#id_address", "Wilgenlaan 1\n1234 AB Buurtstad")
    page.fill("#id_email", "penningmeester@huurders.example")
    with page.expect_navigation():
        page.click("#customer-form button[type=submit]")
    axe.check(page, when="customer added")
    visit(page, reverse("invoice_create", kwargs={"organisation": slug}))
    page.select_option("#id_customer", label="Huurdersvereniging De Wilg")
    page.fill("#id_lines-0-description", "Zaalhuur grote zaal, 12 maart")
    page.fill("#id_lines-0-quantity", "3")
    page.fill("#id_lines-0-unit_price", "45,00")
    page.select_option("#id_lines-0-account", label="8010 Zaalverhuur met btw")
    page.select_option("#id_lines-0-vat_rate", value="21")
    page.fill("#id_lines-1-description", "Koffie en thee")
    page.fill("#id_lines-1-quantity", "20")
    page.fill("#id_lines-1-unit_price", "1,50")
    page.select_option("#id_lines-1-account", label="8110 Bar 9% (koffie, thee, fris, snacks)")
    _shot(page, "invoice-form")
    with page.expect_navigation():
        page.click("#invoice-form button[type=submit]")
    axe.check(page, when="invoice form with a line error")
    assert "Regel 2" in page.inner_text("#lines-table")
    page.select_option("#id_lines-1-vat_rate", value="9")
    with page.expect_navigation():
        page.click("#invoice-form button[type=submit]")
    axe.check(page, when="draft invoice")
    page.fill("#id_issue_date", "2026-03-12")
    with page.expect_navigation():
        page.click("#send-form button[type=submit]")
    axe.check(page, when="invoice sent")
    invoice = Invoice.objects.get()
    assert invoice.number == "2026-0001" and invoice.total_cents == 19605
    assert "€ 196,05" in page.inner_text("#invoice-total")
    _shot(page, "invoice-detail")
    page.fill("#id_date", "2026-03-20")
    page.fill("#id_amount", "100,00")
    with page.expect_navigation():
        page.click("#payment-form button[type=submit]")
    axe.check(page, when="payment registered")
    assert "Te laat" in page.inner_text("#invoice-status")  # due 26 March, paid in part
    assert "€ 96,05" in page.inner_text("#invoice-outstanding")
    visit(page, reverse("invoice_list", kwargs={"organisation": slug}))
    _shot(page, "invoice-list")
    visit(page, reverse("invoice_list", kwargs={"organisation": slug}) + "?status=overdue")
    visit(page, reverse("customer_edit", kwargs={"organisation": slug, "pk": invoice.customer_id}))
    visit(page, reverse("expense_policy", kwargs={"organisation": slug}))
    visit(page, reverse("dashboard", kwargs={"organisation": slug}))
    assert "€ 96,05" in page.inner_text("#claims-invoices-summary")
    response = page.request.get(
        reverse("invoice_pdf", kwargs={"organisation": slug, "pk": invoice.pk})
    )
    assert response.ok and response.body().startswith(b"%PDF")
    folder = os.environ.get("WIJK_SCREENSHOTS")
    if folder:
        (Path(folder) / "invoice.pdf").write_bytes(response.body())
