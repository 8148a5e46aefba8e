"""Membership fees invoiced through the books: one invoice per member and year."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse

from wijk.community import fees, services
from wijk.community.models import MembershipFeeInvoice
from wijk.ledger.models import JournalLine
from wijk.sales.models import Customer, Invoice

pytestmark = pytest.mark.django_db


def _member(org, name, fee=2500, since=date(2024, 1, 1), until=None, **fields):  # type: ignore[no-untyped-def]
    return services.person_create(
        organisation=org,
        data=services.PersonData(
            name=name,
            member_since=since,
            member_until=until,
            membership_fee_cents=fee,
            **fields,
        ),
        actor=None,
    )


def _members(org):  # type: ignore[no-untyped-def]
    return [
        _member(org, "Fatima Yilmaz", email="fatima@example.nl"),
        _member(org, "Jan de Vries", fee=1500),
        _member(org, "Els Bakker", since=date(2026, 6, 1)),
        _member(org, "Gone Before", until=date(2025, 12, 31)),  # left before 2026
        _member(org, "No Fee", fee=None, since=None),
    ]


def test_plan_lists_members_of_the_year_with_a_fee(org_a, books):
    _members(org_a)
    plan = fees.membership_fee_plan(organisation=org_a, year=2026)
    assert [line.person.name for line in plan.due] == [
        "Els Bakker",
        "Fatima Yilmaz",
        "Jan de Vries",
    ]
    assert plan.due_total_cents == 6500
    assert plan.invoiced == []


def test_invoices_post_to_the_fees_account_once_per_member_and_year(org_a, books, board_a):
    fatima, *_ = _members(org_a)
    run = fees.membership_fees_invoice(
        organisation=org_a, year=2026, actor=board_a, issue_date=date(2026, 2, 1)
    )
    assert len(run.invoices) == 3
    assert {invoice.status for invoice in run.invoices} == {Invoice.Status.SENT}
    income = JournalLine.objects.filter(
        organisation=org_a, account__number="8700", entry__status="posted"
    ).aggregate(credit=Sum("credit_cents"), debit=Sum("debit_cents"))
    assert income == {"credit": 6500, "debit": 0}
    assert set(
        JournalLine.objects.filter(account__number="8700").values_list(
            "account__rgs_code", flat=True
        )
    ) == {"WOvbSgbBvl"}
    customer = Customer.objects.get(person=fatima)
    assert (customer.name, customer.email) == ("Fatima Yilmaz", "fatima@example.nl")
    assert run.invoices[0].lines.get().vat_rate == "exempt"
    # A second run invoices nobody again.
    again = fees.membership_fees_invoice(organisation=org_a, year=2026, actor=board_a)
    assert again.invoices == [] and len(again.plan.invoiced) == 3
    assert MembershipFeeInvoice.objects.count() == 3
    assert Invoice.objects.count() == 3


def test_the_database_refuses_a_second_fee_invoice_for_the_same_year(org_a, books):
    _member(org_a, "Fatima Yilmaz")
    run = fees.membership_fees_invoice(organisation=org_a, year=2026, actor=None)
    row = MembershipFeeInvoice.objects.get()
    other = Invoice.objects.create(organisation=org_a, customer=run.invoices[0].customer)
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFeeInvoice.objects.create(
            organisation=org_a, person=row.person, year=2026, invoice=other, amount_cents=1
        )


def test_existing_customer_with_the_same_name_is_not_mixed_up(org_a, books):
    from tests.sales.helpers import customer

    customer(org_a, "Fatima Yilmaz")
    person = _member(org_a, "Fatima Yilmaz")
    fees.membership_fees_invoice(organisation=org_a, year=2026, actor=None)
    linked = Customer.objects.get(person=person)
    assert linked.name == f"Fatima Yilmaz (person {person.pk})"


def test_dry_run_and_errors_write_nothing(org_a, books):
    _members(org_a)
    run = fees.membership_fees_invoice(organisation=org_a, year=2026, actor=None, dry_run=True)
    assert len(run.plan.due) == 3 and run.invoices == []
    with pytest.raises(ValidationError) as error:
        fees.membership_fees_invoice(organisation=org_a, year=1999, actor=None)
    assert "year" in error.value.error_dict
    # No fiscal year for the invoice date: nothing is written, the date is named.
    with pytest.raises(ValidationError) as error:
        fees.membership_fees_invoice(
            organisation=org_a, year=2026, actor=None, issue_date=date(2030, 1, 1)
        )
    assert not Invoice.objects.exists() and not Customer.objects.exists()
    assert not MembershipFeeInvoice.objects.exists()


def test_command_dry_run_then_invoice_then_nothing(org_a, books, capsys):
    _members(org_a)
    call_command("invoice-member-fees", "--organisation", "alfa", "--year", "2026", "--dry-run")
    assert "3 to invoice (€ 65,00)" in capsys.readouterr().out
    assert not Invoice.objects.exists()
    call_command("invoice-member-fees", "--organisation", "alfa", "--year", "2026")
    assert "3 invoices sent" in capsys.readouterr().out
    call_command("invoice-member-fees", "--organisation", "alfa", "--year", "2026")
    assert "0 invoices sent" in capsys.readouterr().out
    assert Invoice.objects.count() == 3
    with pytest.raises(CommandError, match="--organisation"):
        call_command("invoice-member-fees", "--organisation", "nergens", "--year", "2026")
    with pytest.raises(CommandError, match="--year"):
        call_command("invoice-member-fees", "--organisation", "alfa", "--year", "1990")


def test_page_shows_plan_and_sends_for_the_treasurer_only(client, org_a, books, board_a, audit_a):
    _members(org_a)
    url = reverse("membership_fees", kwargs={"organisation": org_a.slug}) + "?jaar=2026"
    client.force_login(audit_a)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Fatima Yilmaz" in html and 'id="fees-form"' not in html
    assert client.post(url, {"year": "2026"}).status_code == 403
    client.force_login(board_a)
    bad = client.post(url, {"year": "2026", "issue_date": "2031-01-01"})
    assert bad.status_code == 400
    assert 'id="id_issue_date_errors"' in bad.content.decode()
    assert not Invoice.objects.exists()
    done = client.post(url, {"year": "2026", "issue_date": "2026-02-01"})
    assert done.status_code == 302
    html = client.get(done["Location"]).content.decode()
    assert "2026-0001" in html and "Nobody: every member" in html
