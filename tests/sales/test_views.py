"""Sales pages: customers, the invoice form with located errors, send, PDF, pay, credit."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import make_user
from tests.sales.helpers import customer, draft_invoice, settings_with_iban
from wijk.ledger.models import Account
from wijk.sales.models import Customer, Invoice

pytestmark = pytest.mark.django_db


def _url(name, org, **kwargs):  # type: ignore[no-untyped-def]
    return reverse(name, kwargs={"organisation": org.slug, **kwargs})


def _lines(org, rows):  # type: ignore[no-untyped-def]
    data = {"lines-TOTAL_FORMS": str(len(rows)), "lines-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"lines-{index}-{key}"] = value
    return data


def test_customer_is_added_with_located_errors_first(client, org_a, board_a):
    client.force_login(board_a)
    response = client.post(_url("customer_list", org_a), {"name": "", "address": "", "email": "x"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#id_name"' in page and 'href="#id_email"' in page
    assert not Customer.objects.exists()
    response = client.post(
        _url("customer_list", org_a),
        {
            "name": "Gemeente Buurtstad",
            "address": "Postbus 1\n1000 AA Buurtstad",
            "email": "f@b.example",
            "kvk_number": "1234",
        },
    )
    assert response.status_code == 400 and "exactly 8 digits" in response.content.decode()
    response = client.post(
        _url("customer_list", org_a),
        {"name": "Gemeente Buurtstad", "address": "Postbus 1", "email": "f@b.example"},
    )
    assert response.status_code == 302 and Customer.objects.get().name == "Gemeente Buurtstad"


def test_invoice_form_creates_a_draft_and_locates_line_errors(client, org_a, books, board_a):
    client.force_login(board_a)
    buyer = customer(org_a)
    room = Account.objects.get(organisation=org_a, number="8010")
    assert client.get(_url("invoice_create", org_a)).status_code == 200
    response = client.post(
        _url("invoice_create", org_a),
        {
            "customer": buyer.pk,
            "payment_term_days": "14",
            **_lines(
                org_a,
                [
                    {
                        "description": "Zaalhuur",
                        "quantity": "2,5",
                        "unit_price": "abc",
                        "account": room.pk,
                        "vat_rate": "21",
                    }
                ],
            ),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Line 1:" in page and "Enter an amount such as 1.234,56." in page
    assert 'href="#id_lines-0-unit_price"' in page and "Line 1, Price per unit, without VAT" in page
    assert not Invoice.objects.exists()
    response = client.post(
        _url("invoice_create", org_a),
        {
            "customer": buyer.pk,
            "payment_term_days": "14",
            **_lines(
                org_a,
                [
                    {
                        "description": "Zaalhuur",
                        "quantity": "2,5",
                        "unit_price": "40,00",
                        "account": room.pk,
                        "vat_rate": "21",
                    },
                    {
                        "description": "",
                        "quantity": "",
                        "unit_price": "",
                        "account": "",
                        "vat_rate": "",
                    },
                ],
            ),
        },
    )
    assert response.status_code == 302
    invoice = Invoice.objects.get()
    assert invoice.total_cents == 12100 and invoice.lines.count() == 1
    # Editing keeps it a draft.
    response = client.get(_url("invoice_edit", org_a, pk=invoice.pk))
    assert response.status_code == 200 and "2,5" in response.content.decode()


def test_send_from_the_page_posts_and_mails(client, org_a, books, board_a):
    invoice = draft_invoice(org_a)
    client.force_login(board_a)
    response = client.post(_url("invoice_send", org_a, pk=invoice.pk), {"issue_date": "2026-03-10"})
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.number == "2026-0001" and invoice.email_status == "sent"
    assert mail.outbox[-1].attachments[0][0] == "2026-0001.pdf"
    page = client.get(_url("invoice_detail", org_a, pk=invoice.pk)).content.decode()
    assert "2026-0001" in page and 'id="payment-form"' in page and 'id="send-form"' not in page
    pdf = client.get(_url("invoice_pdf", org_a, pk=invoice.pk))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    # A sent invoice cannot be edited: the edit page sends you back.
    assert client.get(_url("invoice_edit", org_a, pk=invoice.pk)).status_code == 302


def test_send_outside_the_fiscal_year_names_the_date(client, org_a, books, board_a):
    invoice = draft_invoice(org_a)
    client.force_login(board_a)
    response = client.post(_url("invoice_send", org_a, pk=invoice.pk), {"issue_date": "2031-01-01"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#id_issue_date"' in page and "outside every fiscal year" in page
    invoice.refresh_from_db()
    assert invoice.status == "draft" and invoice.number == ""


def test_failed_email_is_shown_and_can_be_resent(client, org_a, books, board_a, settings):
    invoice = draft_invoice(org_a)
    client.force_login(board_a)
    settings.EMAIL_BACKEND = "tests.sales.failing_mail.Backend"
    response = client.post(
        _url("invoice_send", org_a, pk=invoice.pk), {"issue_date": "2026-03-10"}, follow=True
    )
    page = response.content.decode()
    assert "the e-mail to penningmeester@huurders.example failed" in page
    assert 'id="email-form"' in page
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.post(_url("invoice_email", org_a, pk=invoice.pk))
    invoice.refresh_from_db()
    assert invoice.status == "sent" and invoice.email_status == "sent"


def test_payment_and_credit_note_pages(client, org_a, books, board_a):
    from datetime import date

    from wijk.sales import services

    invoice = services.invoice_send(
        invoice=draft_invoice(org_a), actor=None, issue_date=date(2026, 3, 10)
    )
    bank = Account.objects.get(organisation=org_a, number="1100")
    client.force_login(board_a)
    response = client.post(
        _url("invoice_payment", org_a, pk=invoice.pk),
        {"date": "2026-03-12", "amount": "200,00", "bank_account": bank.pk},
    )
    assert response.status_code == 400 and 'href="#id_amount"' in response.content.decode()
    response = client.post(
        _url("invoice_payment", org_a, pk=invoice.pk),
        {"date": "2026-03-12", "amount": "121,00", "bank_account": bank.pk},
    )
    assert response.status_code == 302
    page = client.get(_url("invoice_list", org_a) + "?status=paid").content.decode()
    assert "2026-0001" in page
    other = services.invoice_send(
        invoice=draft_invoice(org_a), actor=None, issue_date=date(2026, 3, 11)
    )
    response = client.post(
        _url("invoice_credit", org_a, pk=other.pk), {"credit-issue_date": "2026-03-12"}
    )
    assert response.status_code == 302
    credit = Invoice.objects.get(kind="credit_note")
    assert response["Location"] == _url("invoice_detail", org_a, pk=credit.pk)
    assert credit.number == "2026-0003"
    page = client.get(_url("invoice_list", org_a) + "?status=credited").content.decode()
    assert "2026-0002" in page and "2026-0001" not in page


def test_audit_committee_reads_but_cannot_act(client, org_a, books):
    reader = make_user("kascommissie@alfa.example", org_a, "audit_committee")
    invoice = draft_invoice(org_a)
    client.force_login(reader)
    assert client.get(_url("invoice_list", org_a)).status_code == 200
    page = client.get(_url("invoice_detail", org_a, pk=invoice.pk)).content.decode()
    assert 'id="send-form"' not in page
    assert (
        client.post(
            _url("invoice_send", org_a, pk=invoice.pk), {"issue_date": "2026-03-10"}
        ).status_code
        == 403
    )
    assert client.post(_url("customer_list", org_a), {"name": "X"}).status_code == 403
    invoice.refresh_from_db()
    assert invoice.status == "draft"


def test_volunteer_has_no_access_to_invoices(client, org_a, books, volunteer_a):
    client.force_login(volunteer_a)
    assert client.get(_url("invoice_list", org_a)).status_code == 403


def test_settings_page_validates_the_iban(client, org_a, board_a):
    client.force_login(board_a)
    response = client.post(
        _url("sales_settings", org_a), {"iban": "NL00BANK0000000000", "payment_term_days": "30"}
    )
    assert response.status_code == 400 and 'href="#id_iban"' in response.content.decode()
    response = client.post(
        _url("sales_settings", org_a), {"iban": "nl91 abna 0417 1643 00", "payment_term_days": "21"}
    )
    assert response.status_code == 302
    assert org_a.sales_settings.iban == "NL91ABNA0417164300"


def test_list_query_count_does_not_grow(
    client, org_a, books, board_a, django_assert_max_num_queries
):
    settings_with_iban(org_a)
    for _index in range(5):
        draft_invoice(org_a)
    client.force_login(board_a)
    with django_assert_max_num_queries(12):
        assert client.get(_url("invoice_list", org_a)).status_code == 200


def test_dashboard_card_counts_open_invoices_and_claims(client, org_a, books, board_a, volunteer_a):
    from datetime import date

    from tests.expenses.helpers import submit_claim
    from wijk.sales import services

    services.invoice_send(invoice=draft_invoice(org_a), actor=None, issue_date=date(2026, 3, 10))
    submit_claim(org_a, volunteer_a)
    client.force_login(board_a)
    page = client.get(_url("dashboard", org_a)).content.decode()
    assert 'id="claims-invoices-summary"' in page
    assert "Invoices still to be paid" in page and "€ 121,00" in page
    assert "Claims waiting for approval" in page
    client.force_login(volunteer_a)
    page = client.get(_url("dashboard", org_a)).content.decode()
    assert "Your claims not yet paid" in page and "Invoices still to be paid" not in page
