"""The reconciliation page: book from a row (full page and htmx), split, suggestions."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wijk.banking.importing import statement_import
from wijk.banking.models import BankLine, BookingRule
from wijk.ledger.models import Account

from . import fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines(bank_a):  # type: ignore[no-untyped-def]
    statement_import(
        organisation=bank_a.organisation, data=fixtures.camt053(), file_name="m.xml", actor=None
    )
    return list(BankLine.objects.order_by("pk"))


def _url(org, name, **kwargs):  # type: ignore[no-untyped-def]
    return reverse(name, kwargs={"organisation": org.slug, **kwargs})


def _expense(org):  # type: ignore[no-untyped-def]
    return Account.objects.filter(organisation=org, type="expense").order_by("number").first()


def test_reconcile_lists_open_lines_with_few_queries(client, lines, board_a):
    org = lines[0].organisation
    client.force_login(board_a)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(_url(org, "reconcile"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Sportclub De Ster" in html
    assert html.count('class="book-line"') == 5
    assert len(queries) < 40


def test_book_from_a_row_with_htmx_returns_the_row(client, lines, board_a):
    org = lines[0].organisation
    client.force_login(board_a)
    line = lines[1]
    url = _url(org, "bank_line_book", pk=line.pk)
    bad = client.post(url, {}, headers={"HX-Request": "true"})
    assert bad.status_code == 200  # htmx swaps only 2xx answers; the row carries the error
    assert f'id="line-{line.pk}"' in bad.content.decode()
    assert "This field is required" in bad.content.decode()
    ok = client.post(
        url, {f"line{line.pk}-account": _expense(org).pk}, headers={"HX-Request": "true"}
    )
    assert ok.status_code == 200
    assert "Booked" in ok.content.decode()
    assert "<html" not in ok.content.decode()
    assert BankLine.objects.get(pk=line.pk).status == "booked"


def test_book_without_htmx_redirects_and_remember_makes_a_rule(client, lines, board_a):
    org = lines[0].organisation
    client.force_login(board_a)
    coffee = lines[2]
    response = client.post(
        _url(org, "bank_line_book", pk=coffee.pk),
        {f"line{coffee.pk}-account": _expense(org).pk, f"line{coffee.pk}-remember": "on"},
    )
    assert response.status_code == 302
    assert BookingRule.objects.get().counterparty_name == "Koffiebar"
    assert BankLine.objects.filter(counterparty_name="Koffiebar", status="booked").count() == 2
    # The next coffee seller's page suggests the same account from this booking.
    page = client.get(_url(org, "reconcile")).content.decode()
    assert "Koffiebar" not in page


def test_suggestion_from_an_earlier_booking_of_the_counterparty(client, lines, board_a):
    org = lines[0].organisation
    client.force_login(board_a)
    energy = lines[1]
    client.post(
        _url(org, "bank_line_book", pk=energy.pk), {f"line{energy.pk}-account": _expense(org).pk}
    )
    later = (
        fixtures.Line(
            fixtures.date(2026, 4, 3), -4_599, "NL44INGB0001234567", "Energie BV", "April"
        ),
    )
    statement_import(
        organisation=org,
        data=fixtures.mt940(later, opening=fixtures.closing()),
        file_name="a.sta",
        actor=None,
    )
    html = client.get(_url(org, "reconcile")).content.decode()
    assert "as last time" in html
    new = BankLine.objects.get(description="April")
    assert f'<option value="{_expense(org).pk}" selected>' in html.split(f'id="line-{new.pk}"')[1]


def test_split_a_line(client, lines, board_a):
    org = lines[0].organisation
    client.force_login(board_a)
    grant = lines[4]  # 1.000,00 in
    url = _url(org, "bank_line_detail", pk=grant.pk)
    assert client.get(url).status_code == 200
    income = Account.objects.filter(organisation=org, type="income").order_by("number")
    data = {
        "split-TOTAL_FORMS": "4",
        "split-INITIAL_FORMS": "0",
        "split-MIN_NUM_FORMS": "4",
        "split-MAX_NUM_FORMS": "8",
        "split-0-account": income[0].pk,
        "split-0-amount": "600,00",
        "split-1-account": income[1].pk,
        "split-1-amount": "300,00",
    }
    bad = client.post(url, data)
    assert bad.status_code == 400
    assert "add up to € 900,00" in bad.content.decode()
    assert BankLine.objects.get(pk=grant.pk).status == "unmatched"
    data["split-1-amount"] = "400,00"
    assert client.post(url, data).status_code == 302
    entry = BankLine.objects.get(pk=grant.pk).journal_entry
    assert sorted(ln.credit_cents for ln in entry.lines.all()) == [0, 40_000, 60_000]


def test_a_volunteer_cannot_book(client, lines, volunteer_a):
    org = lines[0].organisation
    client.force_login(volunteer_a)
    assert client.get(_url(org, "reconcile")).status_code == 403


def test_book_ticked_lines_at_once(client, lines, board_a):
    org = lines[0].organisation
    client.force_login(board_a)
    url = _url(org, "reconcile_bulk")
    coffees = [line.pk for line in lines if line.counterparty_name == "Koffiebar"]
    bad = client.post(url, {"lines": coffees})
    assert bad.status_code == 400
    assert "This field is required" in bad.content.decode()  # the account
    nothing = client.post(url, {"account": _expense(org).pk})
    assert nothing.status_code == 400
    assert "Tick the bank lines to book first." in nothing.content.decode()
    other = client.post(url, {"lines": [999_999], "account": _expense(org).pk})
    assert other.status_code == 400
    assert not BankLine.objects.filter(status="booked").exists()
    ok = client.post(url, {"lines": coffees, "account": _expense(org).pk})
    assert ok.status_code == 302
    booked = BankLine.objects.filter(status="booked")
    assert sorted(booked.values_list("pk", flat=True)) == sorted(coffees)
    assert all(line.journal_entry.is_posted for line in booked)
    assert "2 bank lines are booked" in client.get(_url(org, "reconcile")).content.decode()
