"""Bank accounts: IBAN checked with schwifty, linked to a cash ledger account, the pages."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import make_user
from wijk.banking import services
from wijk.banking.models import BankAccount
from wijk.core.models import AuditEvent
from wijk.ledger.models import Account

from .conftest import IBAN_A

pytestmark = pytest.mark.django_db


def _cash(org, number="1100"):  # type: ignore[no-untyped-def]
    return Account.objects.get(organisation=org, number=number)


def test_register_a_bank_account(books_a):
    account = services.bank_account_create(
        organisation=books_a,
        iban=" nl91 abna 0417 1643 00 ",
        name="",
        ledger_account=_cash(books_a),
        actor=None,
    )
    assert account.iban == IBAN_A
    assert account.name == IBAN_A
    assert account.iban_display == "NL91 ABNA 0417 1643 00"
    event = AuditEvent.objects.get(action="bank_account.create")
    assert event.data == {"iban": IBAN_A, "account": "1100"}


@pytest.mark.parametrize(
    ("iban", "number", "field"),
    [
        ("NL91ABNA0417164301", "1100", "iban"),  # wrong check digits
        ("NL91ABNA04171643", "1100", "iban"),  # too short
        ("", "1100", "iban"),
        (IBAN_A, "4000", "ledger_account"),  # not a cash account
    ],
)
def test_bad_bank_account_is_refused_by_field(books_a, iban, number, field):
    with pytest.raises(ValidationError) as exc:
        services.bank_account_create(
            organisation=books_a,
            iban=iban,
            name="X",
            ledger_account=Account.objects.filter(organisation=books_a, number=number).first()
            or _cash(books_a),
            actor=None,
        )
    assert field in exc.value.message_dict
    assert not BankAccount.objects.exists()


def test_iban_and_ledger_account_once_per_organisation(bank_a):
    org = bank_a.organisation
    with pytest.raises(ValidationError) as exc:
        services.bank_account_create(
            organisation=org, iban=IBAN_A, name="X", ledger_account=_cash(org, "1110"), actor=None
        )
    assert "already registered" in exc.value.message_dict["iban"][0]
    with pytest.raises(ValidationError) as exc:
        services.bank_account_create(
            organisation=org,
            iban="NL02ABNA0123456789",
            name="X",
            ledger_account=_cash(org),
            actor=None,
        )
    assert "already linked" in exc.value.message_dict["ledger_account"][0]


def test_pages_list_and_register(client, books_a, board_a):
    client.force_login(board_a)
    url = reverse("bank_account_create", kwargs={"organisation": books_a.slug})
    page = client.get(url)
    assert page.status_code == 200
    assert "1100 Bank current account" in page.content.decode()
    bad = client.post(url, {"iban": "NL00BANK123", "name": "", "ledger_account": _cash(books_a).pk})
    assert bad.status_code == 400
    assert "is not a valid IBAN" in bad.content.decode()
    assert not BankAccount.objects.exists()
    ok = client.post(
        url,
        {"iban": "NL91 ABNA 0417 1643 00", "name": "Betaal", "ledger_account": _cash(books_a).pk},
    )
    assert ok.status_code == 302
    listing = client.get(reverse("bank_account_list", kwargs={"organisation": books_a.slug}))
    assert "NL91 ABNA 0417 1643 00" in listing.content.decode()


def test_a_volunteer_may_not_register(client, books_a, volunteer_a):
    client.force_login(volunteer_a)
    url = reverse("bank_account_create", kwargs={"organisation": books_a.slug})
    assert client.get(url).status_code == 403
    treasurer = make_user("penning@alfa.example", books_a, "treasurer", two_factor=True)
    client.force_login(treasurer)
    assert client.get(url).status_code == 200


def test_the_audit_committee_sees_the_accounts_without_links_it_may_not_follow(
    client, bank_a, board_a
):

    url = reverse("bank_account_list", kwargs={"organisation": bank_a.organisation.slug})
    import_url = reverse("statement_import", kwargs={"organisation": bank_a.organisation.slug})
    committee = make_user("kascommissie@alfa.example", bank_a.organisation, "audit_committee")
    client.force_login(committee)
    page = client.get(url)
    assert page.status_code == 200 and "NL91" in page.content.decode().replace(" ", "")
    assert import_url not in page.content.decode()
    assert client.get(import_url).status_code == 403
    client.force_login(board_a)
    assert import_url in client.get(url).content.decode()
    assert import_url in client.get(import_url).content.decode()  # the tabs on its own page
