"""Posting: checks, gap-free numbers, the hash chain, closed periods and reversals."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from wijk.core.models import AuditEvent
from wijk.ledger import selectors, services
from wijk.ledger.hashing import GENESIS
from wijk.ledger.models import JournalEntry, LedgerChain
from wijk.ledger.services import LineInput

from .conftest import make_books

pytestmark = pytest.mark.django_db


def test_post_numbers_chains_and_audits(books):
    first = books.post(books.hire())
    second = books.post(books.hire(5000))
    other_journal = books.post(books.hire(100, journal=books.general))
    assert (first.number, second.number, other_journal.number) == (1, 2, 1)
    assert (first.chain_index, second.chain_index, other_journal.chain_index) == (1, 2, 3)
    assert first.previous_hash == GENESIS
    assert second.previous_hash == first.entry_hash
    assert (
        LedgerChain.objects.get(organisation=books.organisation).head_hash
        == other_journal.entry_hash
    )
    assert first.fiscal_year == books.year
    assert AuditEvent.objects.filter(action="entry.post").count() == 3


def test_unbalanced_entry_is_refused_with_the_difference(books):
    with pytest.raises(ValidationError) as exc:
        books.entry(
            LineInput(books.bank, debit_cents=10000), LineInput(books.room_hire, credit_cents=9950)
        )
    assert "difference € 0,50" in " ".join(exc.value.messages)
    assert JournalEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([("bank", 100, 0)], "at least two lines"),
        ([("bank", 100, 100), ("room_hire", 0, 0)], "Line 1: fill in either"),
        ([("bank", -5, 0), ("room_hire", 0, -5)], "Line 1: amounts cannot be negative"),
    ],
)
def test_bad_lines_name_the_line(books, lines, message):
    with pytest.raises(ValidationError) as exc:
        books.entry(
            *[LineInput(getattr(books, a), debit_cents=d, credit_cents=c) for a, d, c in lines]
        )
    assert message in " ".join(exc.value.messages)


def test_account_of_another_organisation_is_refused(books, org_b, board_b):
    from tests.ledger.conftest import make_books

    foreign = make_books(org_b, board_b)
    with pytest.raises(ValidationError, match="unknown account"):
        books.entry(
            LineInput(foreign.bank, debit_cents=100), LineInput(books.room_hire, credit_cents=100)
        )


def test_date_outside_every_fiscal_year(books):
    entry = books.hire(day=date(2027, 1, 5))
    with pytest.raises(ValidationError) as exc:
        books.post(entry)
    assert "05-01-2027 is outside every fiscal year" in exc.value.message_dict["date"][0]
    entry.refresh_from_db()
    assert not entry.is_posted and entry.number is None


def test_closed_month_needs_a_logged_reason(books, board_a):
    services.period_close(fiscal_year=books.year, month_start=date(2026, 3, 1), actor=board_a)
    entry = books.hire()
    with pytest.raises(ValidationError, match="closed"):
        books.post(entry)
    posted = books.post(entry, override_reason="Factuur kwam te laat binnen")
    assert posted.override_reason == "Factuur kwam te laat binnen"
    event = AuditEvent.objects.get(action="entry.post")
    assert event.data["override_reason"] == "Factuur kwam te laat binnen"


def test_posting_twice_is_refused(books):
    entry = books.post(books.hire())
    with pytest.raises(ValidationError, match="already posted"):
        books.post(entry)


def test_reversal_mirrors_and_is_only_once(books):
    entry = books.post(books.hire(12500))
    reversal = services.journal_entry_reverse(entry=entry, actor=None)
    assert reversal.is_posted and reversal.reversal_of == entry
    lines = {
        (line.account.number, line.debit_cents, line.credit_cents) for line in reversal.lines.all()
    }
    assert lines == {("1100", 0, 12500), ("8000", 12500, 0)}
    with pytest.raises(ValidationError, match="already been reversed"):
        services.journal_entry_reverse(entry=entry, actor=None)
    with pytest.raises(ValidationError, match="itself a reversal"):
        services.journal_entry_reverse(entry=reversal, actor=None)
    tb = selectors.trial_balance(organisation=books.organisation, end=date(2026, 12, 31))
    assert {row.account.number: row.balance_cents for row in tb.rows} == {"1100": 0, "8000": 0}


def test_trial_balance_adds_up(books):
    books.post(books.hire(12500))
    books.post(
        books.entry(
            LineInput(books.energy, debit_cents=4321), LineInput(books.bank, credit_cents=4321)
        )
    )
    books.hire(999)  # a draft does not count
    tb = selectors.trial_balance(organisation=books.organisation, end=date(2026, 12, 31))
    assert tb.balanced
    assert {row.account.number: row.balance_cents for row in tb.rows} == {
        "1100": 12500 - 4321,
        "4300": 4321,
        "8000": -12500,
    }
    march = selectors.trial_balance(
        organisation=books.organisation, start=date(2026, 4, 1), end=date(2026, 4, 30)
    )
    assert march.rows == []


def test_draft_can_be_deleted_posted_cannot(books, board_a):
    draft = books.hire()
    services.journal_entry_delete_draft(entry=draft, actor=board_a)
    posted = books.post(books.hire())
    with pytest.raises(ValidationError, match="Reverse it"):
        services.journal_entry_delete_draft(entry=posted, actor=board_a)


def test_fiscal_years_do_not_overlap(books):
    with pytest.raises(ValidationError, match="already exists"):
        services.fiscal_year_create(organisation=books.organisation, year=2026, actor=None)


def test_verify_ledger_passes_on_healthy_books(books):
    books.post(books.hire())
    services.journal_entry_reverse(entry=books.post(books.hire(700)), actor=None)
    out = io.StringIO()
    call_command("verify-ledger", stdout=out)
    assert "no findings" in out.getvalue()


def test_verify_ledger_unknown_organisation():
    with pytest.raises(CommandError, match="--organisation"):
        call_command("verify-ledger", "--organisation", "bestaat-niet")


def test_account_must_fit_the_structure(books, board_a):
    with pytest.raises(ValidationError) as exc:
        services.account_create(
            organisation=books.organisation,
            number="12",
            name_nl="",
            name_en="",
            type="income",
            category="staff",
            actor=board_a,
        )
    assert set(exc.value.message_dict) == {"number", "category", "name_nl"}


class TestYearClose:
    def test_closing_moves_the_result_to_the_reserve_and_locks_the_year(
        self, books, board_a, year_over
    ):
        from wijk.ledger.models import FiscalYear

        books.post(books.hire(50000))
        books.post(
            books.entry(
                LineInput(books.energy, debit_cents=20000),
                LineInput(books.bank, credit_cents=20000),
            )
        )
        closing = services.fiscal_year_close(fiscal_year=books.year, actor=board_a)
        assert closing is not None and closing.is_posted and closing.date == date(2026, 12, 31)
        tb = {
            r.account.number: r.balance_cents
            for r in selectors.trial_balance(
                organisation=books.organisation, end=date(2026, 12, 31)
            ).rows
        }
        assert tb["8000"] == 0 and tb["4300"] == 0
        assert tb["0500"] == -30000  # profit of € 300 credited to the general reserve
        assert tb["1100"] == 30000
        books.year.refresh_from_db()
        assert books.year.is_closed
        with pytest.raises(ValidationError, match="closed"):
            books.post(books.hire(100))
        with pytest.raises(ValidationError, match="already closed"):
            services.fiscal_year_close(fiscal_year=books.year, actor=board_a)
        from django.db import DatabaseError, transaction

        with pytest.raises(DatabaseError), transaction.atomic():
            FiscalYear.objects.filter(pk=books.year.pk).update(closed_at=None)
        out = io.StringIO()
        call_command("verify-ledger", stdout=out)
        assert "no findings" in out.getvalue()

    def test_a_year_that_has_not_ended_cannot_be_closed(self, books, board_a, monkeypatch):
        from datetime import date

        from django.utils import timezone

        books.hire(100)
        for today in (date(2026, 11, 28), date(2026, 12, 31)):
            monkeypatch.setattr(timezone, "localdate", lambda *a, today=today, **k: today)
            with pytest.raises(ValidationError, match="runs until 31 December 2026"):
                services.fiscal_year_close(fiscal_year=books.year, actor=board_a)
            assert not type(books.year).objects.get(pk=books.year.pk).is_closed

    def test_drafts_block_closing(self, books, board_a, year_over):
        books.hire(100)
        with pytest.raises(ValidationError, match="draft"):
            services.fiscal_year_close(fiscal_year=books.year, actor=board_a)

    def test_years_close_in_order(self, books, board_a, year_over):
        later = services.fiscal_year_create(
            organisation=books.organisation, year=2027, actor=board_a
        )
        with pytest.raises(ValidationError, match="in order"):
            services.fiscal_year_close(fiscal_year=later, actor=board_a)

    def test_database_refuses_posting_into_a_closed_year(self, books, board_a, year_over):
        from django.db import DatabaseError, transaction

        from wijk.ledger.models import JournalEntry

        services.fiscal_year_close(fiscal_year=books.year, actor=board_a)
        draft = books.hire(100)
        with pytest.raises(DatabaseError), transaction.atomic():
            JournalEntry.objects.filter(pk=draft.pk).update(
                status="posted",
                fiscal_year=books.year,
                number=99,
                chain_index=99,
                posted_at=books.year.closed_at,
                entry_hash="x" * 64,
            )


def test_too_long_description_or_reference_is_refused_by_the_service(books):
    with pytest.raises(ValidationError) as exc:
        services.journal_entry_create(
            organisation=books.organisation,
            journal=books.bank_journal,
            date=date(2026, 3, 1),
            description="x" * 256,
            lines=[
                LineInput(books.bank, debit_cents=1),
                LineInput(books.room_hire, credit_cents=1),
            ],
            actor=None,
        )
    assert set(exc.value.message_dict) == {"description"}
    with pytest.raises(ValidationError) as exc:
        services.journal_entry_create(
            organisation=books.organisation,
            journal=books.bank_journal,
            date=date(2026, 3, 1),
            description="Zaalhuur",
            reference="r" * 81,
            lines=[
                LineInput(books.bank, debit_cents=1),
                LineInput(books.room_hire, credit_cents=1),
            ],
            actor=None,
        )
    assert set(exc.value.message_dict) == {"reference"}


def test_batch_posting_numbers_and_chains_like_one_by_one(books):
    from wijk.ledger.verification import verify_organisation

    books.post(books.hire(100))
    drafts = [books.hire(200 + i) for i in range(5)] + [books.hire(50, journal=books.general)]
    posted = services.journal_entries_post(entries=drafts, actor=None)
    assert [e.number for e in posted] == [2, 3, 4, 5, 6, 1]
    assert [e.chain_index for e in posted] == [2, 3, 4, 5, 6, 7]
    assert verify_organisation(organisation=books.organisation) == []
    assert AuditEvent.objects.filter(action="entry.post").count() == 7


def test_batch_is_all_or_nothing_and_names_the_bad_entry(books):
    good = books.hire(100)
    late = books.hire(200, day=date(2030, 1, 2), description="Zaalhuur 2030")
    with pytest.raises(ValidationError) as exc:
        services.journal_entries_post(entries=[good, late], actor=None)
    assert "Zaalhuur 2030 (02-01-2030)" in exc.value.messages[0]
    good.refresh_from_db()
    assert not good.is_posted
    assert not JournalEntry.objects.filter(status="posted").exists()


def _inputs(books, amounts, day=date(2026, 3, 10)):  # type: ignore[no-untyped-def]
    return [
        services.EntryInput(
            journal=books.general if index % 3 == 2 else books.bank_journal,
            date=day,
            description=f"Zaalhuur {index}",
            reference=f"R{index}",
            counterparty="Buurtvereniging",
            lines=[
                LineInput(books.bank, debit_cents=cents),
                LineInput(books.room_hire, credit_cents=cents, description="huur"),
            ],
        )
        for index, cents in enumerate(amounts)
    ]


def test_create_posted_is_create_then_post(books, org_b, board_b):
    """Entering and posting in one pass gives the very books that the two steps give."""
    from wijk.ledger.verification import verify_organisation

    other = make_books(org_b, board_b)
    books.post(books.hire(100))
    other.post(other.hire(100))
    amounts = [200, 300, 400, 500, 600]
    ids = services.journal_entries_create_posted(
        organisation=books.organisation, entries=_inputs(books, amounts), actor=None
    )
    drafts = services.journal_entries_create(
        organisation=other.organisation, entries=_inputs(other, amounts), actor=None
    )
    services.journal_entries_post(entries=drafts, actor=None)

    def shape(organisation):  # type: ignore[no-untyped-def]
        return [
            (e.journal.code, e.number, e.chain_index, e.description, e.reference, e.status)
            for e in JournalEntry.objects.filter(organisation=organisation).order_by("chain_index")
        ]

    assert shape(books.organisation) == shape(other.organisation)
    posted = list(JournalEntry.objects.filter(pk__in=ids).order_by("chain_index"))
    assert [e.pk for e in posted] == ids
    assert (
        posted[0].previous_hash
        == JournalEntry.objects.get(chain_index=1, organisation=books.organisation).entry_hash
    )
    assert (
        LedgerChain.objects.get(organisation=books.organisation).head_hash == posted[-1].entry_hash
    )
    assert verify_organisation(organisation=books.organisation) == []
    # entered and posted in one act: one "entry.post" event per entry, marked `entered`
    events = AuditEvent.objects.filter(
        organisation=books.organisation,
        object_type="ledger.journalentry",
        object_id__in=[str(i) for i in ids],
    )
    assert sorted(events.values_list("action", flat=True)) == ["entry.post"] * len(ids)
    assert all(event.data["entered"] is True for event in events)


def test_create_posted_is_all_or_nothing(books, board_a):
    services.period_close(fiscal_year=books.year, month_start=date(2026, 4, 1), actor=board_a)
    entries = _inputs(books, [100, 200]) + _inputs(books, [300], day=date(2026, 4, 2))
    with pytest.raises(ValidationError) as exc:
        services.journal_entries_create_posted(
            organisation=books.organisation, entries=entries, actor=None
        )
    assert "Zaalhuur 0 (02-04-2026): The month 04-2026 is closed" in exc.value.messages[0]
    assert not JournalEntry.objects.exists()
    unbalanced = _inputs(books, [100])
    unbalanced[0].lines[1] = LineInput(books.room_hire, credit_cents=99)
    with pytest.raises(ValidationError) as exc:
        services.journal_entries_create_posted(
            organisation=books.organisation, entries=unbalanced, actor=None
        )
    assert "Entry 1 (10-03-2026, Zaalhuur 0)" in exc.value.messages[0]
    assert not JournalEntry.objects.exists()
