"""Small, named books for ledger tests (independent of the chart template)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from wijk.ledger import services
from wijk.ledger.models import Account, FiscalYear, Journal, JournalEntry
from wijk.ledger.services import LineInput


@dataclass
class Books:
    organisation: object
    year: FiscalYear
    bank: Account
    room_hire: Account
    energy: Account
    reserve: Account
    bank_journal: Journal
    general: Journal

    def entry(
        self,
        *lines: LineInput,
        day: date = date(2026, 3, 10),
        journal: Journal | None = None,
        description: str = "Zaalhuur",
    ) -> JournalEntry:
        return services.journal_entry_create(
            organisation=self.organisation,  # type: ignore[arg-type]
            journal=journal or self.bank_journal,
            date=day,
            description=description,
            lines=list(lines),
            actor=None,
        )

    def hire(self, cents: int = 12500, **kwargs: object) -> JournalEntry:
        """Room hire received in the bank: debit bank, credit room hire."""
        return self.entry(
            LineInput(self.bank, debit_cents=cents),
            LineInput(self.room_hire, credit_cents=cents),
            **kwargs,  # type: ignore[arg-type]
        )

    def post(self, entry: JournalEntry, **kwargs: object) -> JournalEntry:
        return services.journal_entry_post(entry=entry, actor=None, **kwargs)  # type: ignore[arg-type]


def make_books(organisation, actor) -> Books:  # type: ignore[no-untyped-def]
    services.ledger_setup_journals(organisation=organisation)
    accounts = {
        number: services.account_create(
            organisation=organisation,
            number=number,
            name_nl=name,
            name_en=name,
            type=kind,
            category=category,
            actor=actor,
        )
        for number, name, kind, category in [
            ("1100", "Bank", "asset", "cash"),
            ("8000", "Zaalverhuur", "income", "trading"),
            ("4300", "Energie", "expense", "premises"),
            ("0500", "Algemene reserve", "equity", "general_reserve"),
        ]
    }
    year = services.fiscal_year_create(organisation=organisation, year=2026, actor=actor)
    journals = {j.code: j for j in Journal.objects.filter(organisation=organisation)}
    return Books(
        organisation=organisation,
        year=year,
        bank=accounts["1100"],
        room_hire=accounts["8000"],
        energy=accounts["4300"],
        reserve=accounts["0500"],
        bank_journal=journals["BNK"],
        general=journals["MEM"],
    )


@pytest.fixture
def books(org_a, board_a) -> Books:  # type: ignore[no-untyped-def]
    return make_books(org_a, board_a)
