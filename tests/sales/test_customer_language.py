"""A customer's invoices, as PDF and e-mail, come in the customer's language."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from tests.sales.helpers import customer, draft_invoice
from tests.sales.test_services import pdf_text
from wijk.sales import services
from wijk.sales.models import Customer

pytestmark = pytest.mark.django_db


def _speaking(org, language):  # type: ignore[no-untyped-def]
    buyer = customer(org)
    return services.customer_update(
        customer=buyer,
        name=buyer.name,
        address=buyer.address,
        email=buyer.email,
        language=language,
        actor=None,
    )


def _sent_invoice(org):  # type: ignore[no-untyped-def]
    return services.invoice_send(
        invoice=draft_invoice(org), actor=None, issue_date=date(2026, 3, 10)
    )


def test_a_customer_is_dutch_unless_told_otherwise(org_a):
    assert customer(org_a).language == "nl"
    english = services.customer_create(
        organisation=org_a,
        name="Community Trust Ltd",
        address="1 High Street\nLondon",
        email="accounts@trust.example",
        language="en",
        actor=None,
    )
    assert english.language == "en"


def test_an_unknown_language_is_refused_on_its_field_and_nothing_written(org_a):
    with pytest.raises(ValidationError) as caught:
        services.customer_create(
            organisation=org_a,
            name="Société",
            address="Rue 1",
            email="a@b.example",
            language="fr",
            actor=None,
        )
    assert set(caught.value.error_dict) == {"language"}
    assert not Customer.objects.filter(organisation=org_a).exists()


@pytest.mark.parametrize(
    ("language", "present", "absent"),
    [
        (
            "en",
            ["Invoice number", "Due date", "24 March 2026", "Please pay € 121,00"],
            ["Factuurnummer", "Vervaldatum"],
        ),
        (
            "nl",
            ["Factuurnummer", "Vervaldatum", "24 maart 2026", "€ 121,00"],
            ["Invoice number", "Due date"],
        ),
    ],
)
def test_pdf_is_in_the_customer_language_whatever_the_page_language(
    org_a, books, _media, tmp_path, language, present, absent
):
    _speaking(org_a, language)
    other = "nl" if language == "en" else "en"
    with translation.override(other):  # the treasurer's own screen speaks the other one
        invoice = _sent_invoice(org_a)
    text = pdf_text((_media / invoice.pdf_path).read_bytes(), tmp_path)
    for expected in present:
        assert expected in text, expected
    for unexpected in absent:
        assert unexpected not in text, unexpected


@pytest.mark.parametrize(
    ("language", "subject", "greeting", "in_pdf"),
    [
        ("en", "Invoice 2026-0001 from", "Dear Huurdersvereniging De Wilg,", "Invoice number"),
        ("nl", "Factuur 2026-0001 van", "Beste Huurdersvereniging De Wilg,", "Factuurnummer"),
    ],
)
def test_email_is_in_the_customer_language(
    org_a, books, _media, tmp_path, language, subject, greeting, in_pdf
):
    _speaking(org_a, language)
    invoice = _sent_invoice(org_a)
    other = "nl" if language == "en" else "en"
    with translation.override(other):
        assert services.invoice_email(invoice=invoice, actor=None) is True
    message = mail.outbox[-1]
    assert message.subject.startswith(subject)
    assert message.body.startswith(greeting)
    _name, content, _kind = message.attachments[0]
    assert in_pdf in pdf_text(content, tmp_path)


def test_customer_form_offers_and_saves_the_language(client, org_a, board_a):
    client.force_login(board_a)
    url = reverse("customer_list", kwargs={"organisation": org_a.slug})
    page = client.get(url).content.decode()
    assert 'name="language"' in page and 'value="en"' in page
    response = client.post(
        url,
        {"name": "Trust", "address": "1 High Street", "email": "a@t.example", "language": "xx"},
    )
    assert response.status_code == 400 and 'href="#id_language"' in response.content.decode()
    assert not Customer.objects.exists()
    client.post(
        url,
        {"name": "Trust", "address": "1 High Street", "email": "a@t.example", "language": "en"},
    )
    trust = Customer.objects.get()
    assert trust.language == "en"
    edit = reverse("customer_edit", kwargs={"organisation": org_a.slug, "pk": trust.pk})
    assert 'value="en" selected' in client.get(edit).content.decode()
    client.post(edit, {"name": "Trust", "address": "1 High Street", "email": "a@t.example"})
    trust.refresh_from_db()
    assert trust.language == "nl"
