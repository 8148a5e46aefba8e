"""Bank accounts and the statement import in a real browser, checked with axe."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from django.urls import reverse

from tests.banking import fixtures
from tests.browser import axe
from tests.browser.helpers import log_in_with_cookie, visit
from wijk.banking.models import BankAccount, BankLine
from wijk.ledger import services as ledger

pytestmark = pytest.mark.browser

# Screenshots go to WIJK_SCREENSHOTS when set (for docs/screenshots/), else to a temporary
# folder: a test run never changes the repository.
SCREENSHOTS = Path(os.environ.get("WIJK_SCREENSHOTS") or tempfile.mkdtemp(prefix="wijk-shots-"))


def test_register_an_account_and_import_a_statement(
    page, context, live_server, org_a, board_a, tmp_path
):
    ledger.ledger_setup(organisation=org_a, actor=None)
    log_in_with_cookie(context, live_server.url, board_a)

    def url(name: str) -> str:
        return live_server.url + reverse(name, kwargs={"organisation": org_a.slug})

    visit(page, url("bank_account_list"))
    visit(page, url("bank_account_create"))
    page.fill("#id_iban", "NL91 ABNA 0417 1643 01")
    page.select_option("#id_ledger_account", label="1100 Bank betaalrekening")
    with page.expect_navigation():
        page.click("#bank-account-form button[type=submit]")
    axe.check(page, when="bank account form with an error")
    assert page.locator("#id_iban_errors").count() == 1
    assert not BankAccount.objects.exists()
    page.fill("#id_iban", "NL91 ABNA 0417 1643 00")
    page.fill("#id_name", "Betaalrekening")
    with page.expect_navigation():
        page.click("#bank-account-form button[type=submit]")
    axe.check(page, when="bank account saved")
    assert "NL91 ABNA 0417 1643 00" in page.inner_text("#bank-accounts-table")

    visit(page, url("statement_import"))
    wrong = tmp_path / "maart.xml"
    wrong.write_bytes(fixtures.camt053(closing_cents=1))
    page.set_input_files("#id_file", str(wrong))
    with page.expect_navigation():
        page.click("#statement-import-form button[type=submit]")
    axe.check(page, when="statement refused")
    assert "maart.xml, Stmt[1]" in page.inner_text("#statement-import-form")
    assert not BankLine.objects.exists()
    good = tmp_path / "maart-goed.sta"
    good.write_bytes(fixtures.mt940())
    page.set_input_files("#id_file", str(good))
    with page.expect_navigation():
        page.click("#statement-import-form button[type=submit]")
    axe.check(page, when="statement imported")
    assert page.locator("#import-summary").count() == 1
    assert BankLine.objects.count() == len(fixtures.LINES)
    page.screenshot(path=str(SCREENSHOTS / "bank-import.png"), full_page=True)


@pytest.fixture
def bank_lines_cleanup(posted_entries_cleanup):  # type: ignore[no-untyped-def]
    """Bank lines point at posted entries: remove them before the entries go."""
    yield
    BankLine.objects.all().delete()


def test_reconcile_from_the_keyboard(
    page, context, live_server, org_a, board_a, bank_lines_cleanup
):
    from wijk.banking import services as banking
    from wijk.banking.importing import statement_import
    from wijk.ledger.models import Account

    ledger.ledger_setup(organisation=org_a, actor=None)
    ledger.fiscal_year_create(organisation=org_a, year=2026, actor=None)
    banking.bank_account_create(
        organisation=org_a,
        iban="NL91ABNA0417164300",
        name="Betaalrekening",
        ledger_account=Account.objects.get(organisation=org_a, number="1100"),
        actor=None,
    )
    statement_import(organisation=org_a, data=fixtures.camt053(), file_name="m.xml", actor=None)
    log_in_with_cookie(context, live_server.url, board_a)
    visit(page, live_server.url + reverse("reconcile", kwargs={"organisation": org_a.slug}))
    line = BankLine.objects.order_by("pk")[1]
    expense = Account.objects.filter(organisation=org_a, type="expense").order_by("number")[0]
    row = f"#line-{line.pk}"
    # Booking without an account: the row itself says what is missing (htmx swaps only
    # a 2xx answer), and the rest of the page stays as it was.
    page.click(f"{row} button[type=submit]")
    page.wait_for_selector(f"#line-{line.pk}-errors")
    assert "verplicht" in page.inner_text(f"#line-{line.pk}-errors")
    assert page.locator("header.site-header").count() == 1
    assert BankLine.objects.get(pk=line.pk).status == "unmatched"
    # Keyboard only: focus the account list, choose, tab to the button, press Enter.
    page.focus(f"{row} select[name$='-account']")
    page.select_option(f"{row} select[name$='-account']", value=str(expense.pk))
    page.focus(f"{row} button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"{row} [role=status]")
    axe.check(page, when="a line booked with htmx")
    assert BankLine.objects.get(pk=line.pk).status == "booked"
    assert page.locator("form.book-line").count() == 4
    # Tick the two coffees with the space bar, choose an account, book them together.
    for coffee in BankLine.objects.filter(counterparty_name="Koffiebar"):
        page.focus(f"#tick-{coffee.pk}")
        page.keyboard.press("Space")
    page.select_option("#id_account", value=str(expense.pk))
    with page.expect_navigation():
        page.click("#bulk-form button[type=submit]")
    axe.check(page, when="ticked lines booked")
    assert BankLine.objects.filter(status="booked").count() == 3
    assert page.locator("form.book-line").count() == 2
    page.screenshot(path=str(SCREENSHOTS / "bank-reconcile.png"), full_page=True)


def test_match_a_line_to_one_of_two_claims_from_the_keyboard(
    page, context, live_server, org_a, bank_lines_cleanup, settings, tmp_path
):
    """Two approved claims fit one payout: the import leaves it, the treasurer picks one."""
    import io
    from datetime import date

    from tests.expenses.helpers import PDF, expense_account
    from tests.factories import make_user
    from wijk.banking import services as banking
    from wijk.banking.importing import statement_import
    from wijk.expenses import services as expenses
    from wijk.expenses.models import ExpenseClaim
    from wijk.ledger.models import Account

    settings.MEDIA_ROOT = tmp_path
    ledger.ledger_setup(organisation=org_a, actor=None)
    ledger.fiscal_year_create(organisation=org_a, year=2026, actor=None)
    banking.bank_account_create(
        organisation=org_a,
        iban="NL02ABNA0123456789",
        name="Betaalrekening",
        ledger_account=Account.objects.get(organisation=org_a, number="1100"),
        actor=None,
    )
    treasurer = make_user("penning@alfa.example", org_a, "treasurer", "board", two_factor=True)
    volunteer = make_user("vrijwilliger@alfa.example", org_a, "volunteer")
    claims = []
    for _ in range(2):
        claim = expenses.expense_claim_submit(
            organisation=org_a,
            actor=volunteer,
            date=date(2026, 3, 5),
            description="Koffie taalcafé",
            amount_cents=1250,
            account=expense_account(org_a),
            iban="NL20INGB0001234567",
            account_holder="Vrijwilliger",
            receipt=io.BytesIO(PDF),
            receipt_name="bon.pdf",
        )
        claims.append(expenses.expense_claim_approve(claim=claim, actor=treasurer))
    line = fixtures.Line(date(2026, 3, 9), -1250, "NL20INGB0001234567", "Vrijwilliger", "Kosten")
    summary = statement_import(
        organisation=org_a,
        data=fixtures.camt053((line,), account="NL02ABNA0123456789"),
        file_name="m.xml",
        actor=None,
    )
    assert summary.matched == 0
    bank_line = BankLine.objects.get()
    log_in_with_cookie(context, live_server.url, treasurer)
    visit(page, live_server.url + reverse("reconcile", kwargs={"organisation": org_a.slug}))
    row = f"#line-{bank_line.pk}"
    choice = f"{row} select[name$='-match']"
    assert page.locator(f"{choice} option").count() == 3  # "Choose…" and the two claims
    page.focus(choice)
    page.select_option(choice, value=f"claim:{claims[1].pk}")
    page.focus(f"{row} form.match-line button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"{row} [role=status]")
    axe.check(page, when="a line matched to a claim")
    page.set_viewport_size({"width": 360, "height": 800})
    page.screenshot(path=str(SCREENSHOTS / "bank-match-claim.png"), full_page=True)
    paid = ExpenseClaim.objects.get(pk=claims[1].pk)
    assert paid.status == "paid"
    assert BankLine.objects.get().journal_entry_id == paid.payment_entry_id
    assert ExpenseClaim.objects.get(pk=claims[0].pk).status == "posted"


def test_add_the_account_of_a_refused_statement_in_one_click(
    page, context, live_server, org_a, board_a, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    ledger.ledger_setup(organisation=org_a, actor=None)
    log_in_with_cookie(context, live_server.url, board_a)
    visit(page, live_server.url + reverse("statement_import", kwargs={"organisation": org_a.slug}))
    statement = tmp_path / "maart.sta"
    statement.write_bytes(fixtures.mt940())
    page.set_input_files("#id_file", str(statement))
    with page.expect_navigation():
        page.click("#statement-import-form button[type=submit]")
    axe.check(page, when="statement of an unknown account refused")
    assert not BankLine.objects.exists()
    page.screenshot(path=str(SCREENSHOTS / "bank-import-add-account.png"), full_page=True)
    with page.expect_navigation():
        page.click("#add-account-form button[type=submit]")
    axe.check(page, when="account added and statement imported")
    assert page.locator("#import-summary").count() == 1
    assert BankAccount.objects.filter(organisation=org_a).count() == 1
    assert BankLine.objects.count() == len(fixtures.LINES)
