"""The "invoice bookings" page and the button on a booking: preview, one click, errors."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import make_user
from tests.premises.test_invoicing import ISSUED, book
from tests.premises.test_invoicing import centre as centre  # noqa: F401 - fixture
from wijk.premises.models import BookingInvoice
from wijk.sales.models import Invoice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _url(name, org, **kwargs):
    return reverse(name, kwargs={"organisation": org.slug, **kwargs})


def _query(**changes):
    data = {"month": "2026-03", "per": "customer", "issue_date": ISSUED.isoformat(), "email": "on"}
    data.update(changes)
    return data


def test_preview_then_one_click_makes_the_invoices(
    client, org_a, board_a, centre, django_assert_max_num_queries
):
    _building, hall, coffee = centre
    book(
        hall,
        date(2026, 3, 2),
        (19, 0),
        (21, 0),
        email="koor@example.org",
        add_ons=[coffee],
        people=5,
    )
    book(hall, date(2026, 3, 9), (19, 0), (21, 0), email="koor@example.org")
    book(hall, date(2026, 3, 4), (10, 0), (12, 0), name="Slotermeer BV", klass="commercial")
    client.force_login(board_a)
    with django_assert_max_num_queries(25):
        response = client.get(_url("booking_invoicing", org_a), _query())
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 invoices, together" in page and "(new customer)" in page
    assert "ma 2 maart 2026 19:00–21:00, Grote zaal: Repetitie" in page
    assert "Make and post 2 invoices" in page
    assert not Invoice.objects.exists()

    response = client.post(_url("booking_invoicing", org_a), _query(), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200 and '<section id="invoicing"' in page
    assert "2 invoices are made and posted in the books." in page
    assert "2026-0001" in page and "2026-0002" in page
    assert "Nothing to invoice" in page
    assert Invoice.objects.filter(status="sent").count() == 2
    # the customer with an e-mail address got the invoice; the other has none
    assert [m.to for m in mail.outbox] == [["koor@example.org"]]

    # Without htmx the page redirects back to the same month, now with nothing left.
    response = client.post(_url("booking_invoicing", org_a), _query())
    assert response.status_code == 302 and "month=2026-03" in response["Location"]
    assert Invoice.objects.count() == 2


def test_bad_input_is_located_and_nothing_is_made(client, org_a, board_a, centre):
    _building, hall, _coffee = centre
    book(hall, date(2026, 3, 2), (19, 0), (21, 0))
    client.force_login(board_a)
    response = client.post(
        _url("booking_invoicing", org_a), _query(month="maart", per="week", issue_date="")
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_month"' in page and 'href="#id_per_0"' in page
    assert 'href="#id_issue_date"' in page
    # A date the books refuse (no fiscal year) is named on the invoice date field.
    response = client.post(_url("booking_invoicing", org_a), _query(issue_date="2031-01-05"))
    assert response.status_code == 400 and 'href="#id_issue_date"' in response.content.decode()
    assert not Invoice.objects.exists() and not BookingInvoice.objects.exists()


def test_a_booking_is_invoiced_from_its_page(client, org_a, board_a, centre):
    _building, hall, _coffee = centre
    booking = book(hall, date(2026, 3, 7), (18, 0), (23, 0), name="Familie Jansen")
    client.force_login(board_a)
    detail = _url("booking_detail", org_a, pk=booking.pk)
    assert "Invoice this booking" in client.get(detail).content.decode()
    response = client.post(_url("booking_invoice", org_a, pk=booking.pk))
    assert response.status_code == 302 and response["Location"] == detail
    invoice = Invoice.objects.get()
    page = client.get(detail).content.decode()
    assert invoice.number in page and "Invoice this booking" not in page
    response = client.post(_url("booking_invoice", org_a, pk=booking.pk), follow=True)
    assert "already on an invoice" in response.content.decode()
    assert Invoice.objects.count() == 1


def test_a_coordinator_may_not_invoice(client, org_a, centre):
    _building, hall, _coffee = centre
    booking = book(hall, date(2026, 3, 7), (18, 0), (23, 0))
    coordinator = make_user("coordinator@alfa.example", org_a, "coordinator")
    client.force_login(coordinator)
    assert client.get(_url("booking_invoicing", org_a)).status_code == 403
    assert client.post(_url("booking_invoice", org_a, pk=booking.pk)).status_code == 403
    page = client.get(_url("booking_detail", org_a, pk=booking.pk)).content.decode()
    assert "Invoice this booking" not in page
    assert not Invoice.objects.exists()
