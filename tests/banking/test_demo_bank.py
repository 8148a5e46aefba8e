"""The demo's December arrives through the bank import, most of it booked by rules."""

from __future__ import annotations

import pytest
from django.db.models import Sum

from wijk.banking.models import BankLine, Statement
from wijk.demo.bank import DECEMBER, build_bank
from wijk.demo.books import build_books
from wijk.ledger.models import JournalLine

pytestmark = pytest.mark.django_db


def test_demo_december_is_imported_and_mostly_booked_by_rules(org_a, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    build_books(org_a)
    build_bank(org_a)
    assert (tmp_path / "demo" / "rabobank-2026-12.xml").is_file()
    lines = BankLine.objects.filter(organisation=org_a)
    assert lines.count() == len(DECEMBER)
    assert lines.filter(status="booked", matched_by="rule").count() == 7
    statement = Statement.objects.get(organisation=org_a)
    bank = JournalLine.objects.filter(organisation=org_a, account__number="1100").aggregate(
        d=Sum("debit_cents"), c=Sum("credit_cents")
    )
    unbooked = sum(lines.filter(status="unmatched").values_list("amount_cents", flat=True))
    assert bank["d"] - bank["c"] + unbooked == statement.closing_balance_cents
    build_bank(org_a)
    assert BankLine.objects.filter(organisation=org_a).count() == len(DECEMBER)
