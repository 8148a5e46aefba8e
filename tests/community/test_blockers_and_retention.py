"""Anonymisation is refused while money is owed or bookings are open; retention purges."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from tests.expenses.helpers import submit_claim
from tests.factories import make_user
from wijk.community import fees, services
from wijk.community.models import MembershipFeeInvoice, VolunteerAllowance
from wijk.ledger.models import Account
from wijk.premises import services as premises
from wijk.premises.timeutil import to_utc
from wijk.sales import services as sales
from wijk.sales.models import Customer

pytestmark = pytest.mark.django_db


def _person(org, name="Fatima Yilmaz", **fields):  # type: ignore[no-untyped-def]
    return services.person_create(
        organisation=org, data=services.PersonData(name=name, **fields), actor=None
    )


def _space(org):  # type: ignore[no-untyped-def]
    building = premises.building_create(
        organisation=org, data=premises.BuildingData(name="Buurthuis"), actor=None
    )
    return premises.space_create(
        building=building,
        data=premises.SpaceData(name="Zaal", capacity=40, opens_at=time(8), closes_at=time(23)),
        actor=None,
    )


def _book(space, day, *, name="Koor", email="", kind="person"):  # type: ignore[no-untyped-def]
    return premises.booking_create(
        space=space,
        starts_at=to_utc(day, time(19)),
        ends_at=to_utc(day, time(21)),
        details=premises.BookingDetails(
            title="Repetitie", customer=premises.Customer(name=name, email=email, kind=kind)
        ),
        actor=None,
    )


def test_unpaid_fee_invoice_blocks_until_paid(org_a, books):
    person = _person(org_a, member_since=date(2025, 1, 1), membership_fee_cents=2500)
    run = fees.membership_fees_invoice(
        organisation=org_a, year=2026, actor=None, issue_date=date(2026, 2, 1)
    )
    reasons = services.anonymisation_blockers(person=person)
    assert reasons == ["1 invoice of € 25,00 in total is not paid yet."]
    with pytest.raises(ValidationError):
        services.person_anonymise(person=person, actor=None)
    bank = Account.objects.get(organisation=org_a, number="1100")
    sales.invoice_payment_register(
        invoice=run.invoices[0],
        actor=None,
        date=date(2026, 2, 10),
        amount_cents=2500,
        bank_account=bank,
    )
    assert services.anonymisation_blockers(person=person) == []
    services.person_anonymise(person=person, actor=None)


def test_future_booking_matched_by_email_or_name_blocks(org_a):
    space = _space(org_a)
    today = timezone.localdate()
    person = _person(org_a, email="fatima@example.nl")
    other = _person(org_a, name="Jan de Vries")
    _book(
        space,
        today + timedelta(days=3),
        name="Koor De Lijster",
        email="FATIMA@example.nl",
        kind="organisation",
    )
    _book(space, today + timedelta(days=4), name=" jan de vries ".strip())
    _book(space, today + timedelta(days=5), name="Jan de Vries", kind="organisation")
    assert services.anonymisation_blockers(person=person) == [
        "1 room booking in this person's name is still to come."
    ]
    assert services.anonymisation_blockers(person=other) == [
        "1 room booking in this person's name is still to come."
    ]
    # Past bookings and other names do not block.
    stranger = _person(org_a, name="Els Bakker", email="els@example.nl")
    assert services.anonymisation_blockers(person=stranger) == []


def test_cancelled_or_past_booking_does_not_block(org_a):
    space = _space(org_a)
    person = _person(org_a, email="fatima@example.nl")
    booking = _book(space, timezone.localdate() + timedelta(days=2), email="fatima@example.nl")
    premises.booking_set_status(booking=booking, status="cancelled", actor=None)
    assert services.anonymisation_blockers(person=person) == []


def test_open_expense_claim_of_the_linked_login_blocks(org_a, books, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    login = make_user("vrijwilliger@alfa.example", org_a, "volunteer")
    person = _person(org_a, user=login)
    assert services.anonymisation_blockers(person=person) == []
    submit_claim(org_a, login)
    assert services.anonymisation_blockers(person=person) == [
        "1 expense claim of this person is not decided or not paid yet."
    ]


def test_retention_purges_financial_records_after_seven_years(org_a, books):
    person = _person(
        org_a, is_volunteer=True, member_since=date(2020, 1, 1), membership_fee_cents=2500
    )
    old = VolunteerAllowance.objects.create(
        organisation=org_a, person=person, date=date(2018, 12, 31), amount_cents=5000
    )
    kept = VolunteerAllowance.objects.create(
        organisation=org_a, person=person, date=date(2019, 1, 1), amount_cents=5000
    )
    run = fees.membership_fees_invoice(
        organisation=org_a, year=2026, actor=None, issue_date=date(2026, 2, 1)
    )
    today = date(2026, 6, 1)
    dry = services.financial_records_purge(today=today, dry_run=True)
    assert (dry.allowances, dry.fee_links, dry.customers) == (1, 0, 0)
    services.financial_records_purge(today=today, dry_run=False)
    assert list(VolunteerAllowance.objects.all()) == [kept]
    assert not VolunteerAllowance.objects.filter(pk=old.pk).exists()
    # In 2034 the 2026 fee link goes; the customer of an anonymised person is emptied.
    bank = Account.objects.get(organisation=org_a, number="1100")
    sales.invoice_payment_register(
        invoice=run.invoices[0],
        actor=None,
        date=date(2026, 3, 1),
        amount_cents=2500,
        bank_account=bank,
    )
    services.person_anonymise(person=person, actor=None)
    later = services.financial_records_purge(today=date(2034, 1, 1), dry_run=False)
    assert (later.allowances, later.fee_links, later.customers) == (1, 1, 1)
    assert not MembershipFeeInvoice.objects.exists()
    customer = Customer.objects.get()
    assert (customer.email, customer.address, customer.person) == ("", "", None)
    assert customer.name == f"Purged customer {customer.pk}"
    # The sent invoice still points to it, unchanged.
    assert customer.invoices.get().number == run.invoices[0].number


def test_apply_retention_reports_the_purge(org_a, capsys):
    call_command("apply-retention", "--dry-run")
    assert "0 allowances, 0 fee invoice links and 0 customers" in capsys.readouterr().out
