"""Balances per account and month: kept by posting, guarded by triggers, checked by verify.

The reports read whole months from `AccountMonthBalance` and the days of a cut-off
month from the lines; these tests hold the rollups to the lines on every posting
path and show that the reports give the lines' figures for any period.
"""

from __future__ import annotations

import importlib
import io
from datetime import date

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import Q, Sum

from wijk.core.models import AuditEvent
from wijk.ledger import reports, selectors, services
from wijk.ledger.models import AccountMonthBalance, JournalEntry, JournalLine
from wijk.ledger.rollups import month_sums_from_lines, month_sums_stored, posted_sums
from wijk.ledger.services import EntryInput, LineInput
from wijk.ledger.triggers import rollup_statements
from wijk.ledger.verification import verify_organisation

pytestmark = pytest.mark.django_db

TABLE = "ledger_accountmonthbalance"


def rollups(books) -> dict[tuple[str, str], tuple[int, int, int, int]]:  # type: ignore[no-untyped-def]
    """Stored rows as {(account number, yyyy-mm): (debit, credit, closing debit, closing credit)}."""
    return {
        (row.account.number, f"{row.month_start:%Y-%m}"): (
            row.debit_cents,
            row.credit_cents,
            row.closing_debit_cents,
            row.closing_credit_cents,
        )
        for row in AccountMonthBalance.objects.filter(
            organisation=books.organisation
        ).select_related("account")
    }


def test_posting_adds_each_line_to_its_account_and_month(books):
    books.post(books.hire(12500, day=date(2026, 3, 10)))
    books.post(books.hire(700, day=date(2026, 3, 31)))
    books.post(books.hire(50, day=date(2026, 4, 1)))
    books.hire(99999, day=date(2026, 4, 2))  # a draft counts for nothing
    assert rollups(books) == {
        ("1100", "2026-03"): (13200, 0, 0, 0),
        ("8000", "2026-03"): (0, 13200, 0, 0),
        ("1100", "2026-04"): (50, 0, 0, 0),
        ("8000", "2026-04"): (0, 50, 0, 0),
    }


def test_batch_posting_and_reversal_add_up(books):
    drafts = [books.hire(100 * n, day=date(2026, n, 15)) for n in (1, 1, 2)]
    posted = services.journal_entries_post(entries=drafts, actor=None)
    services.journal_entry_reverse(entry=posted[0], actor=None, date=date(2026, 2, 1))
    assert rollups(books) == {
        ("1100", "2026-01"): (200, 0, 0, 0),
        ("8000", "2026-01"): (0, 200, 0, 0),
        # the reversal adds to the other side: the amounts only ever grow
        ("1100", "2026-02"): (200, 100, 0, 0),
        ("8000", "2026-02"): (100, 200, 0, 0),
    }
    assert month_sums_stored(organisation=books.organisation) == month_sums_from_lines(
        organisation=books.organisation
    )


def test_the_closing_entry_is_kept_apart_and_left_out_of_the_statement(books, board_a, year_over):
    books.post(books.hire(12500, day=date(2026, 12, 31)))
    books.post(
        books.entry(
            LineInput(books.energy, debit_cents=2500),
            LineInput(books.bank, credit_cents=2500),
            day=date(2026, 12, 5),
        )
    )
    services.fiscal_year_close(fiscal_year=books.year, actor=board_a)
    stored = rollups(books)
    assert stored[("8000", "2026-12")] == (12500, 12500, 12500, 0)
    assert stored[("4300", "2026-12")] == (2500, 2500, 0, 2500)
    assert stored[("0500", "2026-12")] == (0, 10000, 0, 10000)
    statement = reports.income_statement(organisation=books.organisation, fiscal_year=books.year)
    result = next(row for row in statement.rows if row.kind == "total")
    assert result.values[0] == 10000  # the closing entry does not wipe out the year's result
    assert verify_organisation(organisation=books.organisation) == []


def _from_lines(books, start, end, include_closing=True):  # type: ignore[no-untyped-def]
    """Per account straight from the lines: what the selectors must return."""
    lines = JournalLine.objects.filter(
        organisation=books.organisation, entry__status="posted", entry__date__lte=end
    )
    if start is not None:
        lines = lines.filter(entry__date__gte=start)
    if not include_closing:
        lines = lines.filter(entry__is_closing=False)
    return {
        (row["account"],): (row["d"], row["c"])
        for row in lines.values("account").annotate(d=Sum("debit_cents"), c=Sum("credit_cents"))
    }


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (None, date(2026, 12, 31)),  # whole months only
        (None, date(2026, 6, 15)),  # a balance sheet within a month
        (date(2026, 1, 1), date(2026, 6, 30)),
        (date(2026, 2, 14), date(2026, 6, 30)),  # cut-off first month
        (date(2026, 2, 14), date(2026, 5, 3)),  # both ends cut off
        (date(2026, 3, 2), date(2026, 3, 20)),  # within one month
        (date(2026, 3, 31), date(2026, 4, 1)),  # across two months, no whole one
        (date(2026, 6, 1), date(2026, 6, 30)),  # exactly one month
        (None, date(2025, 12, 31)),  # before everything
        (date(2026, 2, 28), date(2026, 2, 28)),  # one day, the last of its month
    ],
)
def test_any_period_gives_the_lines_figures(books, start, end):
    for month in range(1, 13):
        for day in (1, 14, 15, 28):
            books.post(books.hire(month * 100 + day, day=date(2026, month, day)))
    got = posted_sums(organisation=books.organisation, start=start, end=end)
    assert got == _from_lines(books, start, end)
    trial = selectors.trial_balance(organisation=books.organisation, start=start, end=end)
    assert {(row.account.pk,): (row.debit_cents, row.credit_cents) for row in trial.rows} == got


def test_a_balance_sheet_at_a_date_within_a_month(books):
    for month in range(1, 13):
        books.post(books.hire(1000 * month, day=date(2026, month, 20)))
    sheet = reports.balance_sheet(
        organisation=books.organisation, fiscal_year=books.year, at=date(2026, 6, 15)
    )
    cash = next(row for row in sheet.rows if row.label == "Cash and bank")
    assert cash.values == (1000 * (1 + 2 + 3 + 4 + 5),)  # June's entry is after the 15th
    assert sheet.subtitle == "at 15-06-2026"


def test_posted_sums_filters_and_groups_like_the_lines(books):
    books.post(books.hire(1000, day=date(2026, 1, 5)))
    books.post(books.hire(2000, day=date(2026, 2, 25)))
    sums = posted_sums(
        organisation=books.organisation,
        start=date(2026, 1, 1),
        end=date(2026, 2, 20),
        fields=(),
        where=Q(account__category="cash"),
    )
    assert sums == {(): (1000, 0)}


# --- the rows are guarded in the database ---------------------------------------------


def refused(sql: str, params: list[object], message: str = "only added to by posting") -> None:
    with pytest.raises(DatabaseError) as exc, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
    assert message in str(exc.value)


@pytest.fixture
def row(books):  # type: ignore[no-untyped-def]
    books.post(books.hire(12500, day=date(2026, 3, 10)))
    return AccountMonthBalance.objects.get(organisation=books.organisation, account=books.bank)


def test_rollup_rows_cannot_be_deleted_lowered_or_moved(books, row):
    where = "WHERE id = %s"
    refused(f"DELETE FROM {TABLE} {where}", [row.pk])  # noqa: S608
    refused(f"UPDATE {TABLE} SET debit_cents = debit_cents - 1 {where}", [row.pk])  # noqa: S608
    refused(f"UPDATE {TABLE} SET account_id = %s {where}", [books.energy.pk, row.pk])  # noqa: S608
    refused(f"UPDATE {TABLE} SET month_start = %s {where}", ["2026-04-01", row.pk])  # noqa: S608
    with pytest.raises(DatabaseError), transaction.atomic():
        AccountMonthBalance.objects.filter(pk=row.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        AccountMonthBalance.objects.filter(pk=row.pk).update(credit_cents=0, debit_cents=0)
    row.refresh_from_db()
    assert (row.debit_cents, row.credit_cents) == (12500, 0)


def test_rollup_rows_belong_to_their_accounts_organisation_and_a_months_first_day(
    books, org_b, row
):
    insert = (
        f"INSERT INTO {TABLE} (organisation_id, account_id, month_start, debit_cents, "  # noqa: S608
        "credit_cents, closing_debit_cents, closing_credit_cents) VALUES (%s, %s, %s, 1, 0, 0, 0)"
    )
    refused(insert, [org_b.pk, books.energy.pk, "2026-05-01"])
    refused(insert, [books.organisation.pk, books.energy.pk, "2026-05-02"])


def test_a_closed_years_rollups_never_change(books, board_a, year_over):
    books.post(books.hire(12500, day=date(2026, 3, 10)))
    services.fiscal_year_close(fiscal_year=books.year, actor=board_a)
    bank = AccountMonthBalance.objects.get(organisation=books.organisation, account=books.bank)
    refused(
        f"UPDATE {TABLE} SET debit_cents = debit_cents + 1 WHERE id = %s",  # noqa: S608
        [bank.pk],
        "closed fiscal year",
    )
    refused(
        f"INSERT INTO {TABLE} (organisation_id, account_id, month_start, debit_cents, "  # noqa: S608
        "credit_cents, closing_debit_cents, closing_credit_cents) VALUES (%s, %s, %s, 1, 0, 0, 0)",
        [books.organisation.pk, books.energy.pk, "2026-05-01"],
        "closed fiscal year",
    )


def test_verify_ledger_finds_a_rollup_that_differs_from_its_lines(books, row):
    """Raising a figure is what the triggers let through: verify-ledger catches it."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET debit_cents = debit_cents + 100 WHERE id = %s",  # noqa: S608
            [row.pk],
        )
        cursor.execute(
            f"INSERT INTO {TABLE} (organisation_id, account_id, month_start, debit_cents, "  # noqa: S608
            "credit_cents, closing_debit_cents, closing_credit_cents) VALUES (%s, %s, %s, 0, 5, 0, 0)",
            [books.organisation.pk, books.energy.pk, "2026-07-01"],
        )
    err = io.StringIO()
    with pytest.raises(CommandError, match="finding"):
        call_command("verify-ledger", "--organisation", books.organisation.slug, stderr=err)
    report = err.getvalue()
    assert (
        "account 1100, 2026-03: rolled-up balance (debit € 126,00, credit € 0,00) "
        "differs from its lines (debit € 125,00, credit € 0,00)"
    ) in report
    assert "account 4300, 2026-07: rolled-up balance" in report
    assert "changed after posting" not in report  # the entries themselves are sound


class _Editor:
    connection = connection

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


def test_the_migration_fills_the_rollups_of_earlier_postings(books, board_a, year_over):
    """Books posted before the rollups existed get them from the migration's fill."""
    books.post(books.hire(12500, day=date(2026, 3, 10)))
    books.post(books.hire(700, day=date(2026, 5, 31)))
    services.fiscal_year_close(fiscal_year=books.year, actor=board_a)
    expected = month_sums_from_lines(organisation=books.organisation)
    migration = importlib.import_module("wijk.ledger.migrations.0008_account_month_balances")
    vendor = connection.vendor
    with connection.cursor() as cursor:  # back to the state before the migration
        for sql in rollup_statements(vendor, create=False):
            cursor.execute(sql)
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608
    editor = _Editor()  # what the migration uses of a schema editor, inside the test's transaction
    migration.fill(django_apps, editor)
    migration.create_triggers(django_apps, editor)
    assert month_sums_stored(organisation=books.organisation) == expected
    assert verify_organisation(organisation=books.organisation) == []


# --- many drafts at once -----------------------------------------------------------------


def test_many_drafts_are_made_at_once_and_audited(books, board_a):
    items = [
        EntryInput(
            journal=books.bank_journal,
            date=date(2026, 4, n),
            description=f"Zaalhuur {n}",
            lines=[
                LineInput(books.bank, debit_cents=100 * n),
                LineInput(books.room_hire, credit_cents=100 * n, description="zaal"),
            ],
            reference=f"F{n}",
        )
        for n in (1, 2, 3)
    ]
    drafts = services.journal_entries_create(
        organisation=books.organisation, entries=items, actor=board_a
    )
    assert [d.description for d in drafts] == ["Zaalhuur 1", "Zaalhuur 2", "Zaalhuur 3"]
    assert all(d.pk and not d.is_posted and d.created_by == board_a for d in drafts)
    assert list(
        JournalLine.objects.filter(entry=drafts[1])
        .order_by("id")
        .values_list("account__number", "debit_cents", "credit_cents", "description")
    ) == [("1100", 200, 0, ""), ("8000", 0, 200, "zaal")]
    assert AuditEvent.objects.filter(action="entry.create", actor=board_a).count() == 3
    services.journal_entries_post(entries=drafts, actor=board_a)
    assert rollups(books)[("1100", "2026-04")] == (600, 0, 0, 0)


def test_a_bad_draft_in_a_batch_is_named_and_nothing_is_written(books, board_a):
    good = EntryInput(
        books.bank_journal,
        date(2026, 4, 1),
        "Zaalhuur",
        [LineInput(books.bank, debit_cents=100), LineInput(books.room_hire, credit_cents=100)],
    )
    bad = EntryInput(
        books.bank_journal,
        date(2026, 4, 2),
        "Energie",
        [LineInput(books.bank, debit_cents=100), LineInput(books.energy, credit_cents=90)],
    )
    with pytest.raises(ValidationError) as exc:
        services.journal_entries_create(
            organisation=books.organisation, entries=[good, good, bad], actor=board_a
        )
    message = " ".join(exc.value.messages)
    assert message.startswith("Entry 3 (02-04-2026, Energie): The entry does not balance")
    assert not JournalEntry.objects.exists()
    assert not AuditEvent.objects.filter(action="entry.create").exists()
