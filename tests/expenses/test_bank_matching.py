"""An imported bank statement pays out approved expense claims; the rest is matched by hand."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.banking import fixtures
from tests.expenses.helpers import PDF, expense_account
from tests.factories import make_user
from wijk.banking import services as banking
from wijk.banking.importing import statement_import
from wijk.banking.matching import match_options
from wijk.banking.models import BankLine
from wijk.expenses import services
from wijk.expenses.models import ExpenseClaim
from wijk.ledger import services as ledger
from wijk.ledger.models import Account
from wijk.ledger.verification import verify_organisation

pytestmark = pytest.mark.django_db

BANK = "NL02ABNA0123456789"  # the enterprise's own account
PAYEE = "NL20INGB0001234567"  # the volunteer's
OTHER = "NL69INGB0123456789"  # someone else's


@pytest.fixture
def bank(org_a, books):  # type: ignore[no-untyped-def]
    return banking.bank_account_create(
        organisation=org_a,
        iban=BANK,
        name="Betaalrekening",
        ledger_account=Account.objects.get(organisation=org_a, number="1100"),
        actor=None,
    )


def _approved(org, member, treasurer, *, cents=1250, iban=PAYEE):  # type: ignore[no-untyped-def]
    claim = services.expense_claim_submit(
        organisation=org,
        actor=member,
        date=date(2026, 3, 5),
        description="Koffie en koekjes taalcafé",
        amount_cents=cents,
        account=expense_account(org),
        iban=iban,
        account_holder=member.full_name or "Vrijwilliger",
        receipt=io.BytesIO(PDF),
        receipt_name="bon.pdf",
    )
    return services.expense_claim_approve(claim=claim, actor=treasurer)


def _import(org, *lines):  # type: ignore[no-untyped-def]
    return statement_import(
        organisation=org,
        data=fixtures.camt053(tuple(lines), account=BANK),
        file_name="afschrift.xml",
        actor=None,
    )


def _out(cents, iban=PAYEE, text="Declaratie", day=date(2026, 3, 9)):  # type: ignore[no-untyped-def]
    return fixtures.Line(day, -cents, iban, "Vrijwilliger", text)


def test_payout_to_the_claims_iban_of_its_amount_pays_the_claim(
    org_a, bank, volunteer_a, treasurer_a
):
    claim = _approved(org_a, volunteer_a, treasurer_a)
    summary = _import(org_a, _out(1250), _out(999, text="iets anders"))
    assert summary.matched == 1 and summary.unmatched == 1
    line = BankLine.objects.get(amount_cents=-1250)
    claim.refresh_from_db()
    assert line.status == "booked" and line.matched_by == "claim"
    assert claim.status == "paid" and claim.paid_on == date(2026, 3, 9)
    assert line.journal_entry == claim.payment_entry
    assert line.journal_entry.reference == claim.reference
    assert verify_organisation(organisation=org_a) == []


def test_the_reference_in_the_description_picks_one_of_two_alike_claims(
    org_a, bank, volunteer_a, treasurer_a
):
    first = _approved(org_a, volunteer_a, treasurer_a)
    second = _approved(org_a, volunteer_a, treasurer_a)
    # "D<first>" inside a longer number must not count as naming it
    _import(org_a, _out(1250, text=f"Declaratie {second.reference} en kenmerk {first.pk}0"))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("posted", "paid")
    assert verify_organisation(organisation=org_a) == []


def test_reference_without_iban_is_enough_but_another_iban_is_not(
    org_a, bank, volunteer_a, treasurer_a
):
    claim = _approved(org_a, volunteer_a, treasurer_a)
    _import(org_a, _out(1250, iban=OTHER, text=f"Declaratie {claim.reference}"))
    claim.refresh_from_db()
    assert claim.status == "posted"
    _import(org_a, _out(1250, iban="", text=f"declaratie d {claim.pk}", day=date(2026, 3, 10)))
    claim.refresh_from_db()
    assert claim.status == "paid"


def test_two_claims_that_fit_are_left_for_the_treasurer(org_a, bank, volunteer_a, treasurer_a):
    first = _approved(org_a, volunteer_a, treasurer_a)
    second = _approved(org_a, volunteer_a, treasurer_a)
    summary = _import(org_a, _out(1250))
    assert summary.matched == 0
    line = BankLine.objects.get()
    assert line.status == "unmatched"
    assert ExpenseClaim.objects.filter(status="posted").count() == 2
    # the reconciliation page offers both; the treasurer picks the second
    offered = [o.value for o in match_options(organisation=org_a, lines=[line])[line.pk]]
    assert offered == [f"claim:{first.pk}", f"claim:{second.pk}"]
    banking.bank_line_match(line=line, match=f"claim:{second.pk}", actor=treasurer_a)
    second.refresh_from_db()
    line.refresh_from_db()
    assert second.status == "paid" and line.journal_entry == second.payment_entry
    assert line.matched_by == "claim"
    assert verify_organisation(organisation=org_a) == []


def test_wrong_amount_money_in_and_paid_claims_are_not_matched(
    org_a, bank, volunteer_a, treasurer_a
):
    claim = _approved(org_a, volunteer_a, treasurer_a)
    summary = _import(
        org_a,
        _out(1249, text=f"Declaratie {claim.reference}"),
        fixtures.Line(date(2026, 3, 9), 1250, PAYEE, "Vrijwilliger", claim.reference),
    )
    assert summary.matched == 0
    claim.refresh_from_db()
    assert claim.status == "posted"
    lines = list(BankLine.objects.order_by("amount_cents"))
    with pytest.raises(ValidationError):
        banking.bank_line_match(line=lines[0], match=f"claim:{claim.pk}", actor=treasurer_a)
    with pytest.raises(ValidationError):
        banking.bank_line_match(line=lines[1], match=f"claim:{claim.pk}", actor=treasurer_a)
    assert not BankLine.objects.filter(status="booked").exists()
    # paid by hand first: a later payout of the same amount is not booked on it again
    services.expense_claim_pay(
        claim=claim,
        actor=treasurer_a,
        paid_on=date(2026, 3, 8),
        bank_account=Account.objects.get(organisation=org_a, number="1100"),
    )
    assert _import(org_a, _out(1250, day=date(2026, 3, 11))).matched == 0
    assert match_options(organisation=org_a, lines=list(BankLine.objects.all())) == {}
    assert verify_organisation(organisation=org_a) == []


def test_a_payout_before_the_expense_date_is_left_alone(org_a, bank, volunteer_a, treasurer_a):
    claim = _approved(org_a, volunteer_a, treasurer_a)
    assert _import(org_a, _out(1250, day=date(2026, 3, 1))).matched == 0
    claim.refresh_from_db()
    assert claim.status == "posted"
    assert BankLine.objects.get().status == "unmatched"


def test_another_organisations_claim_is_never_matched(org_a, org_b, bank, volunteer_a, board_b):
    ledger.ledger_setup(organisation=org_b, actor=None)
    ledger.fiscal_year_create(organisation=org_b, year=2026, actor=None)
    treasurer_b = make_user("penning@beta.example", org_b, "treasurer", two_factor=True)
    member_b = make_user("lid@beta.example", org_b, "volunteer")
    theirs = _approved(org_b, member_b, treasurer_b)
    assert _import(org_a, _out(1250, text=f"Declaratie {theirs.reference}")).matched == 0
    line = BankLine.objects.get()
    assert match_options(organisation=org_a, lines=[line]) == {}
    with pytest.raises(ValidationError):
        banking.bank_line_match(line=line, match=f"claim:{theirs.pk}", actor=None)
    theirs.refresh_from_db()
    assert theirs.status == "posted" and line.status == "unmatched"


def test_reconcile_page_matches_a_line_to_a_claim_with_htmx(
    client, org_a, bank, volunteer_a, treasurer_a
):
    first = _approved(org_a, volunteer_a, treasurer_a)
    _approved(org_a, volunteer_a, treasurer_a)
    _import(org_a, _out(1250))
    line = BankLine.objects.get()
    client.force_login(treasurer_a)
    page = client.get(reverse("reconcile", kwargs={"organisation": org_a.slug})).content.decode()
    assert 'class="match-line"' in page and first.reference in page
    url = reverse("bank_line_match", kwargs={"organisation": org_a.slug, "pk": line.pk})
    bad = client.post(url, {f"match{line.pk}-match": ""}, headers={"HX-Request": "true"})
    assert (
        bad.status_code == 200 and "This field is required" in bad.content.decode()
    )  # htmx shows the row only from a 2xx
    ok = client.post(
        url, {f"match{line.pk}-match": f"claim:{first.pk}"}, headers={"HX-Request": "true"}
    )
    assert ok.status_code == 200 and "Booked" in ok.content.decode()
    first.refresh_from_db()
    assert first.status == "paid"
    # the row is booked now: matching it again is refused, nothing changes
    again = client.post(url, {f"match{line.pk}-match": f"claim:{first.pk}"})
    assert again.status_code == 302
    assert verify_organisation(organisation=org_a) == []
