"""Contract income and grants linked to their ledger accounts and funds."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from wijk.community import contract_money, services
from wijk.ledger import services as ledger
from wijk.ledger.models import Account, Journal

pytestmark = pytest.mark.django_db


def _account(org, number):  # type: ignore[no-untyped-def]
    return Account.objects.get(organisation=org, number=number)


def _contract(org, **fields):  # type: ignore[no-untyped-def]
    partner = services.partner_create(
        organisation=org, name="Gemeente Buurtstad", kind="municipality", actor=None
    )
    return services.contract_create(
        partner=partner,
        data=services.ContractData(
            title="Groenonderhoud",
            kind="right_to_challenge",
            start_date=date(2026, 1, 1),
            end_date=date(2026, 12, 31),
            value_cents=2400000,
            **fields,
        ),
        actor=None,
    )


def _receive(org, day, cents, *, counterparty, income, fund=None):  # type: ignore[no-untyped-def]
    entry = ledger.journal_entry_create(
        organisation=org,
        journal=Journal.objects.get(organisation=org, kind=Journal.Kind.BANK),
        date=day,
        description="Termijn groenonderhoud",
        counterparty=counterparty,
        lines=[
            ledger.LineInput(_account(org, "1100"), debit_cents=cents),
            ledger.LineInput(income, credit_cents=cents, fund=fund),
        ],
        actor=None,
    )
    return ledger.journal_entry_post(entry=entry, actor=None)


def test_booked_and_received_come_from_the_books(org_a, books):
    contract = _contract(org_a)
    income = _account(org_a, "8310")
    _receive(org_a, date(2026, 3, 1), 600000, counterparty="Gemeente Buurtstad", income=income)
    _receive(org_a, date(2026, 6, 1), 600000, counterparty="gemeente buurtstad", income=income)
    _receive(org_a, date(2026, 6, 2), 5000, counterparty="Iemand anders", income=income)
    before = contract_money.contract_money(contract=contract)
    assert (before.linked, before.booked_cents, before.received_cents) == (False, 0, 1200000)
    contract_money.contract_link_books(
        contract=contract, income_account=income, fund=None, actor=None
    )
    money = contract_money.contract_money(contract=contract)
    assert (money.booked_cents, money.received_cents) == (1200000, 1200000)
    assert money.remaining_cents(contract.value_cents) == 1200000
    assert len(money.lines) == 2


def test_a_grant_with_a_fund_counts_the_lines_of_that_fund(org_a, books):
    contract = _contract(org_a)
    income = _account(org_a, "8310")
    fund = ledger.fund_create(
        organisation=org_a,
        name="Subsidie groen",
        kind="restricted_fund",
        account=_account(org_a, "0940"),
        actor=None,
    )
    _receive(org_a, date(2026, 2, 1), 300000, counterparty="Gemeente", income=income, fund=fund)
    _receive(org_a, date(2026, 2, 1), 7000, counterparty="Gemeente Buurtstad", income=income)
    contract_money.contract_link_books(
        contract=contract, income_account=income, fund=fund, actor=None
    )
    assert contract_money.contract_money(contract=contract).booked_cents == 300000


def test_linking_refuses_wrong_accounts(org_a, books):
    contract = _contract(org_a)
    with pytest.raises(ValidationError) as error:
        contract_money.contract_link_books(
            contract=contract, income_account=_account(org_a, "1100"), fund=None, actor=None
        )
    assert "income_account" in error.value.error_dict


def test_contract_page_shows_value_beside_the_books(client, org_a, books, board_a, audit_a):
    contract = _contract(org_a)
    income = _account(org_a, "8310")
    _receive(org_a, date(2026, 3, 1), 600000, counterparty="Gemeente Buurtstad", income=income)
    url = reverse("contract_detail", kwargs={"organisation": org_a.slug, "pk": contract.pk})
    client.force_login(board_a)
    bad = client.post(url, {"action": "books", "income_account": "999999"})
    assert bad.status_code == 400
    assert 'id="id_income_account_errors"' in bad.content.decode()
    ok = client.post(url, {"action": "books", "income_account": income.pk})
    assert ok.status_code == 302
    html = client.get(url).content.decode()
    assert "€ 24.000,00" in html and "€ 6.000,00" in html and "€ 18.000,00" in html
    client.force_login(audit_a)
    page = client.get(url).content.decode()
    assert "€ 6.000,00" in page and 'id="contract-books-form"' not in page
    assert client.post(url, {"action": "books", "income_account": ""}).status_code == 403
