"""`journal_entries_create`: many drafts at once (imports), with the checks of one."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from wijk.core.models import AuditEvent
from wijk.ledger import services
from wijk.ledger.models import JournalEntry, JournalLine
from wijk.ledger.services import EntryInput, LineInput

pytestmark = pytest.mark.django_db


def test_many_drafts_are_created_like_one(books, board_a):
    drafts = [
        EntryInput(
            journal=books.bank_journal,
            date=date(2026, 3, day),
            description=f"Zaalhuur {day}",
            reference=f"R{day}",
            lines=[
                LineInput(books.bank, debit_cents=100 * day),
                LineInput(books.room_hire, credit_cents=100 * day, description="zaal"),
            ],
        )
        for day in range(1, 6)
    ]
    entries = services.journal_entries_create(
        organisation=books.organisation, entries=drafts, actor=board_a
    )
    assert [e.pk is not None for e in entries] == [True] * 5
    assert [e.description for e in JournalEntry.objects.order_by("id")] == [
        f"Zaalhuur {day}" for day in range(1, 6)
    ]
    assert JournalLine.objects.count() == 10
    third = JournalEntry.objects.get(description="Zaalhuur 3")
    assert third.created_by == board_a and third.reference == "R3" and not third.is_posted
    assert sorted(third.lines.values_list("debit_cents", "credit_cents", "description")) == [
        (0, 300, "zaal"),
        (300, 0, ""),
    ]
    assert AuditEvent.objects.filter(action="entry.create").count() == 5
    posted = services.journal_entries_post(entries=entries, actor=board_a)
    assert [e.number for e in posted] == [1, 2, 3, 4, 5]


def test_a_bad_draft_is_named_and_nothing_is_written(books, org_b):
    good = EntryInput(
        journal=books.bank_journal,
        date=date(2026, 3, 1),
        description="Goed",
        lines=[
            LineInput(books.bank, debit_cents=100),
            LineInput(books.room_hire, credit_cents=100),
        ],
    )
    unbalanced = EntryInput(
        journal=books.bank_journal,
        date=date(2026, 3, 2),
        description="Scheef",
        lines=[LineInput(books.bank, debit_cents=100), LineInput(books.room_hire, credit_cents=90)],
    )
    foreign = services.ledger_setup_journals(organisation=org_b)
    assert foreign is None
    other_journal = org_b.journals.get(code="BNK")
    elsewhere = EntryInput(
        journal=other_journal, date=date(2026, 3, 3), description="Elders", lines=good.lines
    )
    with pytest.raises(ValidationError) as caught:
        services.journal_entries_create(
            organisation=books.organisation, entries=[good, unbalanced, elsewhere], actor=None
        )
    messages = caught.value.messages
    assert messages[0].startswith("Entry 2 (02-03-2026, Scheef): The entry does not balance")
    assert messages[1] == "Entry 3 (03-03-2026, Elders): Unknown journal."
    assert not JournalEntry.objects.exists() and not JournalLine.objects.exists()
