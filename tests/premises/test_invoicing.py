"""Bookings become sales invoices: per booking or monthly per customer, never twice."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from tests.banking import fixtures
from tests.sales.helpers import IBAN, settings_with_iban
from wijk.banking import services as banking
from wijk.banking.importing import statement_import
from wijk.ledger import reports
from wijk.ledger import services as ledger
from wijk.ledger.models import Account, FiscalYear, JournalLine
from wijk.ledger.verification import verify_organisation
from wijk.premises import invoicing, services
from wijk.premises.models import Booking, BookingInvoice
from wijk.premises.timeutil import to_utc
from wijk.sales import services as sales
from wijk.sales.models import Customer, Invoice
from wijk.sales.selectors import invoice_row

pytestmark = pytest.mark.django_db

MARCH = date(2026, 3, 1)
ISSUED = date(2026, 4, 1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def centre(org_a):
    ledger.ledger_setup(organisation=org_a, actor=None)
    ledger.fiscal_year_create(organisation=org_a, year=2026, actor=None)
    settings_with_iban(org_a)
    building = services.building_create(
        organisation=org_a, data=services.BuildingData(name="Buurthuis"), actor=None
    )
    hall = services.space_create(
        building=building,
        data=services.SpaceData(name="Grote zaal", opens_at=time(8), closes_at=time(23)),
        actor=None,
    )
    services.space_tariffs_set(
        space=hall,
        rows=[
            services.TariffRow("resident_initiative", 2_000, None, None, "exempt"),
            services.TariffRow("commercial", 5_000, 15_000, None, "21"),
        ],
        actor=None,
    )
    coffee = services.add_on_create(
        organisation=org_a,
        data=services.AddOnData(
            name="Koffie en thee", kind="catering", unit="person", price_cents=150, vat_rate="9"
        ),
        actor=None,
    )
    return building, hall, coffee


def book(
    hall,
    day,
    start,
    end,
    *,
    name="Koor De Lijster",
    email="",
    klass="resident_initiative",
    add_ons=(),
    people=None,
    status="confirmed",
):  # noqa: E501
    return services.booking_create(
        space=hall,
        starts_at=to_utc(day, time(*start)),
        ends_at=to_utc(day, time(*end)),
        details=services.BookingDetails(
            title="Repetitie",
            customer=services.Customer(name=name, email=email, customer_class=klass),
            people=people,
            add_ons=tuple(add_ons),
        ),
        status=status,
        actor=None,
    )


def run(org, per="customer", month=MARCH, **kwargs):
    return invoicing.bookings_invoice(
        organisation=org, month=month, per=per, actor=None, issue_date=ISSUED, **kwargs
    )


def test_a_month_per_customer_is_one_invoice_with_a_line_per_booking_and_extra(org_a, centre):
    building, hall, coffee = centre
    first = book(hall, date(2026, 3, 2), (19, 30), (22, 0), add_ons=[coffee], people=20)
    second = book(hall, date(2026, 3, 9), (19, 30), (22, 0), add_ons=[coffee], people=20)
    book(hall, date(2026, 3, 16), (19, 30), (22, 0), status="requested")
    cancelled = book(hall, date(2026, 3, 23), (19, 30), (22, 0))
    services.booking_set_status(booking=cancelled, status="cancelled", actor=None)
    book(hall, date(2026, 4, 6), (19, 30), (22, 0))  # next month
    other = book(hall, date(2026, 3, 4), (10, 0), (14, 0), name="Slotermeer BV", klass="commercial")

    invoices = run(org_a)

    assert len(invoices) == 2
    choir = next(i for i in invoices if i.customer.name == "Koor De Lijster")
    lines = list(choir.lines.order_by("position"))
    assert [line.description for line in lines] == [
        "ma 2 maart 2026 19:30–22:00, Grote zaal: Repetitie",
        "Koffie en thee (ma 2 maart 2026 19:30–22:00, Grote zaal)",
        "ma 9 maart 2026 19:30–22:00, Grote zaal: Repetitie",
        "Koffie en thee (ma 9 maart 2026 19:30–22:00, Grote zaal)",
    ]
    # 2.5 hours at € 20,00 exempt; 20 × € 1,50 coffee at 9%.
    assert [(line.net_cents, line.vat_cents, line.vat_rate) for line in lines] == [
        (5_000, 0, "exempt"),
        (3_000, 270, "9"),
        (5_000, 0, "exempt"),
        (3_000, 270, "9"),
    ]
    assert [line.account.number for line in lines] == ["8000", "8120", "8000", "8120"]
    assert all(line.building == building for line in lines)
    assert choir.total_cents == first.price_net_cents + first.price_vat_cents + (
        second.price_net_cents + second.price_vat_cents
    )
    assert choir.note == "Zaalhuur Buurthuis, maart 2026"
    company = next(i for i in invoices if i.customer.name == "Slotermeer BV")
    (hire,) = company.lines.all()
    # four hours: one day-part (€ 150) is cheaper than 4 × € 50; 21% VAT, taxed account
    assert (hire.quantity, hire.unit_price_cents, hire.net_cents, hire.vat_cents) == (
        1,
        15_000,
        15_000,
        3_150,
    )
    assert hire.account.number == "8010" and "(1 × dagdeel)" in hire.description
    assert company.total_cents == other.price_net_cents + other.price_vat_cents
    assert set(BookingInvoice.objects.values_list("booking_id", flat=True)) == {
        first.pk,
        second.pk,
        other.pk,
    }
    # Nothing left: a second run makes nothing.
    assert run(org_a) == []
    assert not invoicing.bookings_to_invoice(organisation=org_a, month=MARCH).exists()


def test_invoices_balance_in_the_books_with_the_building_on_the_income(org_a, centre):
    building, hall, coffee = centre
    book(hall, date(2026, 3, 2), (19, 30), (22, 0), add_ons=[coffee], people=10)
    book(hall, date(2026, 3, 4), (10, 0), (14, 0), name="Slotermeer BV", klass="commercial")
    invoices = run(org_a, per="booking")
    assert len(invoices) == 2
    for invoice in invoices:
        entry = invoice.entry
        totals = entry.lines.aggregate(debit=Sum("debit_cents"), credit=Sum("credit_cents"))
        assert totals["debit"] == totals["credit"] == invoice.total_cents
        income = entry.lines.filter(account__type="income")
        assert income.exists() and all(line.building == building for line in income)
        assert not entry.lines.exclude(account__type="income").filter(building__isnull=False)
    assert verify_organisation(organisation=org_a) == []
    year = FiscalYear.objects.get(organisation=org_a)
    result = {
        row.label: row.values
        for row in reports.result_by_dimension(
            organisation=org_a, fiscal_year=year, dimension="building"
        ).rows
    }
    # 2.5 h × € 20 + 10 × € 1,50 coffee + one day-part € 150, all net of VAT
    assert result["Buurthuis"][:3] == (5_000 + 1_500 + 15_000, 0, 21_500)


def test_one_booking_from_its_page_and_never_twice(org_a, centre):
    _building, hall, _coffee = centre
    booking = book(
        hall, date(2026, 3, 7), (18, 0), (23, 0), name="Familie Jansen", email="jansen@example.org"
    )
    invoice = invoicing.booking_invoice(booking=booking, actor=None, issue_date=ISSUED)
    assert invoice.is_sent and invoice.customer.email == "jansen@example.org"
    assert invoicing.booking_invoice_of(booking=booking) == invoice
    with pytest.raises(ValidationError, match="already on an invoice"):
        invoicing.booking_invoice(booking=booking, actor=None, issue_date=ISSUED)
    assert run(org_a) == []
    # The database itself refuses a second link.
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        BookingInvoice.objects.create(organisation=org_a, booking=booking, invoice=invoice)


def test_a_credit_note_frees_the_bookings_except_cancelled_ones(org_a, centre):
    _building, hall, _coffee = centre
    kept = book(hall, date(2026, 3, 2), (19, 0), (21, 0))
    dropped = book(hall, date(2026, 3, 9), (19, 0), (21, 0))
    (invoice,) = run(org_a)
    services.booking_set_status(booking=dropped, status="cancelled", actor=None)
    assert not invoicing.bookings_to_invoice(organisation=org_a, month=MARCH).exists()
    sales.invoice_credit(invoice=invoice, actor=None, issue_date=ISSUED)
    assert list(invoicing.bookings_to_invoice(organisation=org_a, month=MARCH)) == [kept]
    (again,) = run(org_a)
    assert again.total_cents == kept.price_net_cents
    assert BookingInvoice.objects.get(booking=kept, released=False).invoice == again
    assert BookingInvoice.objects.get(booking=kept, released=True).invoice == invoice


def test_customers_are_found_by_email_then_name_or_made(org_a, centre):
    _building, hall, _coffee = centre
    known = sales.customer_create(
        organisation=org_a,
        name="Stichting Koor",
        address="Laan 1",
        email="koor@example.org",
        actor=None,
    )
    book(hall, date(2026, 3, 2), (19, 0), (21, 0), name="Koor De Lijster", email="KOOR@example.org")
    book(hall, date(2026, 3, 3), (19, 0), (21, 0), name="stichting koor")
    book(hall, date(2026, 3, 4), (19, 0), (21, 0), name="Nieuwe klant", email="nieuw@example.org")
    book(hall, date(2026, 3, 5), (19, 0), (21, 0), name="nieuwe KLANT")
    plan = invoicing.invoice_plan(
        organisation=org_a,
        bookings=invoicing.bookings_to_invoice(organisation=org_a, month=MARCH),
        per="customer",
    )
    assert [(p.customer, len(p.bookings)) for p in plan] == [(known, 2), (None, 2)] or [
        (p.customer, len(p.bookings)) for p in plan
    ] == [(None, 2), (known, 2)]
    invoices = run(org_a)
    assert sorted(len(i.lines.all()) for i in invoices) == [2, 2]
    made = Customer.objects.get(organisation=org_a, name="Nieuwe klant")
    assert made.email == "nieuw@example.org" and made.address == ""
    assert Customer.objects.filter(organisation=org_a).count() == 2


def test_free_internal_and_other_organisations_bookings_are_left_out(org_a, org_b, centre):
    _building, hall, _coffee = centre
    book(hall, date(2026, 3, 2), (19, 0), (21, 0), name="Wijkteam", klass="internal")
    book(hall, date(2026, 3, 3), (19, 0), (21, 0), name="Zonder tarief", klass="non_profit")
    assert run(org_a) == []
    assert invoicing.bookings_to_invoice(organisation=org_b, month=MARCH).count() == 0


def test_bad_input_is_refused_and_nothing_is_written(org_a, centre):
    _building, hall, _coffee = centre
    book(hall, date(2026, 3, 2), (19, 0), (21, 0))
    with pytest.raises(ValidationError) as exc:
        run(org_a, per="week")
    assert "per" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        invoicing.parse_month("maart")
    assert "month" in exc.value.message_dict
    # An invoice date in a year without books: the posting refuses, nothing stays.
    with pytest.raises(ValidationError):
        invoicing.bookings_invoice(
            organisation=org_a, month=MARCH, per="customer", actor=None, issue_date=date(2030, 1, 1)
        )
    assert not Invoice.objects.exists() and not BookingInvoice.objects.exists()
    assert not Customer.objects.exists()


def test_bookings_made_before_price_lines_were_kept_are_quoted_again(org_a, centre):
    _building, hall, coffee = centre
    booking = book(hall, date(2026, 3, 2), (19, 0), (21, 0), add_ons=[coffee], people=4)
    Booking.objects.filter(pk=booking.pk).update(price_lines=None)
    (invoice,) = run(org_a)
    assert [line.net_cents for line in invoice.lines.order_by("position")] == [4_000, 600]
    # When the tariff changed since, the invoice is refused for that booking, located.
    other = book(hall, date(2026, 3, 9), (19, 0), (21, 0))
    Booking.objects.filter(pk=other.pk).update(price_lines=None, price_net_cents=1)
    with pytest.raises(ValidationError, match="Repetitie on 9 March 2026"):
        run(org_a)


def test_the_bank_import_marks_the_booking_invoice_paid(org_a, centre):
    _building, hall, _coffee = centre
    book(hall, date(2026, 3, 2), (19, 0), (21, 0))
    (invoice,) = run(org_a)
    banking.bank_account_create(
        organisation=org_a,
        iban=IBAN,
        name="Betaalrekening",
        ledger_account=Account.objects.get(organisation=org_a, number="1100"),
        actor=None,
    )
    statement_import(
        organisation=org_a,
        data=fixtures.camt053(
            (
                fixtures.Line(
                    date(2026, 4, 10),
                    invoice.total_cents,
                    "NL02RABO0123456789",
                    "Koor De Lijster",
                    invoice.payment_reference,
                ),
            ),
            account=IBAN,
        ),
        file_name="afschrift.xml",
        actor=None,
    )
    assert invoice_row(invoice=invoice, today=date(2026, 4, 10)).status == "paid"
    assert JournalLine.objects.filter(entry__organisation=org_a).exists()
    assert verify_organisation(organisation=org_a) == []


def test_the_command_invoices_a_month_with_a_dry_run_first(org_a, centre):
    from io import StringIO

    from django.core.management import CommandError, call_command

    _building, hall, _coffee = centre
    book(hall, date(2026, 3, 2), (19, 0), (21, 0))
    book(hall, date(2026, 3, 9), (19, 0), (21, 0))
    out = StringIO()
    call_command(
        "invoice-bookings", "--organisation", "alfa", "--month", "2026-03", "--dry-run", stdout=out
    )
    assert "Koor De Lijster (new)\t2 bookings\t€ 80,00" in out.getvalue()
    assert "Dry run: 1 invoices would be made" in out.getvalue()
    assert not Invoice.objects.exists() and not Customer.objects.exists()
    out = StringIO()
    call_command(
        "invoice-bookings",
        "--organisation=alfa",
        "--month=2026-03",
        "--per=booking",
        "--date=2026-04-01",
        stdout=out,
    )
    assert "2026-0001\tKoor De Lijster\t1 bookings\t€ 40,00" in out.getvalue()
    assert "2 invoices made and posted for 2026-03." in out.getvalue()
    for arguments, message in (
        (["--organisation=nope", "--month=2026-03"], "--organisation"),
        (["--organisation=alfa", "--month=03-2026"], "--month"),
        (["--organisation=alfa", "--month=2026-04", "--date=1-4-2026"], "--date"),
    ):
        with pytest.raises(CommandError, match=message):
            call_command("invoice-bookings", *arguments)
    book(hall, date(2026, 5, 4), (19, 0), (21, 0))
    with pytest.raises(CommandError, match="Nothing was invoiced"):
        call_command(
            "invoice-bookings", "--organisation=alfa", "--month=2026-05", "--date=2031-01-01"
        )
    assert Invoice.objects.count() == 2
