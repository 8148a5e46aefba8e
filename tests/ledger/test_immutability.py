"""A posted entry cannot be changed by any write path, on SQLite and PostgreSQL alike.

The triggers in wijk/ledger/triggers.py refuse the change in the database itself, so
these tests go around the services on purpose. Where a test must simulate someone
who switched the triggers off (to show that `wijk verify-ledger` notices), it says so.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from wijk.ledger.models import JournalEntry, JournalLine
from wijk.ledger.triggers import statements

pytestmark = pytest.mark.django_db


@pytest.fixture
def posted(books):
    return books.post(books.hire(12500))


def refused(action) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DatabaseError) as exc, transaction.atomic():
        action()
    assert "immutable" in str(exc.value) or "debits equal its credits" in str(exc.value)


def table(model) -> str:  # type: ignore[no-untyped-def]
    return connection.ops.quote_name(model._meta.db_table)


def test_entry_write_paths_are_refused(posted):
    def save():
        posted.description = "Anders"
        posted.save()

    def bulk_update():
        posted.description = "Anders"
        JournalEntry.objects.bulk_update([posted], ["description"])

    def raw_update():
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table(JournalEntry)} SET description = %s WHERE id = %s", ["x", posted.pk]
            )  # noqa: S608

    def raw_delete():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table(JournalEntry)} WHERE id = %s", [posted.pk])  # noqa: S608

    for action in (
        save,
        lambda: JournalEntry.objects.filter(pk=posted.pk).update(description="Anders"),
        bulk_update,
        posted.delete,
        lambda: JournalEntry.objects.filter(pk=posted.pk).delete(),
        raw_update,
        raw_delete,
        lambda: JournalEntry.objects.filter(pk=posted.pk).update(status="draft"),
    ):
        refused(action)
    posted.refresh_from_db()
    assert posted.description == "Zaalhuur" and posted.is_posted


def test_line_write_paths_are_refused(posted, books):
    line = posted.lines.first()

    def save():
        line.debit_cents += 1
        line.save()

    def raw_update():
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table(JournalLine)} SET debit_cents = 1 WHERE id = %s", [line.pk]
            )  # noqa: S608

    def raw_delete():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table(JournalLine)} WHERE id = %s", [line.pk])  # noqa: S608

    def insert():
        JournalLine.objects.create(
            organisation=books.organisation, entry=posted, account=books.bank, debit_cents=5
        )

    def move_in():
        draft = books.hire(300)
        JournalLine.objects.filter(entry=draft).update(entry=posted)

    for action in (
        save,
        lambda: JournalLine.objects.filter(pk=line.pk).update(credit_cents=0, debit_cents=7),
        lambda: JournalLine.objects.bulk_update([line], ["description"]),
        line.delete,
        lambda: JournalLine.objects.filter(entry=posted).delete(),
        raw_update,
        raw_delete,
        insert,
        move_in,
    ):
        refused(action)
    assert posted.lines.count() == 2


def test_database_refuses_to_post_an_unbalanced_entry(books):
    draft = books.hire(500)
    JournalLine.objects.filter(entry=draft, debit_cents__gt=0).update(debit_cents=400)
    refused(lambda: JournalEntry.objects.filter(pk=draft.pk).update(status="posted"))


def test_drafts_stay_editable(books):
    draft = books.hire(500)
    JournalEntry.objects.filter(pk=draft.pk).update(description="Zaalhuur april")
    JournalLine.objects.filter(entry=draft).update(description="aangepast")
    draft.delete()
    assert not JournalEntry.objects.exists()


def _without_triggers(action) -> None:  # type: ignore[no-untyped-def]
    """Simulate someone with direct database access who switched the guard off."""
    vendor = connection.vendor
    with connection.cursor() as cursor:
        for sql in statements(vendor, create=False):
            cursor.execute(sql)
        try:
            action(cursor)
        finally:
            for sql in statements(vendor, create=True):
                cursor.execute(sql)


def test_verify_ledger_finds_a_change_behind_the_apps_back(books):
    first = books.post(books.hire(12500))
    books.post(books.hire(700))
    _without_triggers(
        lambda cursor: cursor.execute(
            f"UPDATE {table(JournalLine)} SET debit_cents = 13500 WHERE entry_id = %s AND debit_cents > 0",  # noqa: S608
            [first.pk],
        )
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="finding"):
        call_command("verify-ledger", "--organisation", books.organisation.slug, stderr=err)
    report = err.getvalue()
    assert "does not balance" in report
    assert "chain position 1" in report and "changed after posting" in report


def test_verify_ledger_finds_a_removed_entry(books):
    books.post(books.hire(100))
    middle = books.post(books.hire(200))
    books.post(books.hire(300))

    def remove(cursor):  # type: ignore[no-untyped-def]
        cursor.execute(f"DELETE FROM {table(JournalLine)} WHERE entry_id = %s", [middle.pk])  # noqa: S608
        cursor.execute(f"DELETE FROM {table(JournalEntry)} WHERE id = %s", [middle.pk])  # noqa: S608

    _without_triggers(remove)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify-ledger", stderr=err)
    report = err.getvalue()
    assert "numbers are not 1..2 without gaps" in report
    assert "chain position should be 2" in report
