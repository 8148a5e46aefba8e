"""The bulk helpers: many rows in, their ids back in order, many rows changed at once."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from wijk.banking.models import BankLine
from wijk.core.bulk import insert_rows, instances, update_rows
from wijk.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_insert_rows_returns_the_ids_in_order_and_adapts_times_and_json(org_a, monkeypatch):
    from wijk.core import bulk

    monkeypatch.setattr(bulk, "_UNNEST_ROWS", 7)  # several statements on PostgreSQL
    monkeypatch.setattr(bulk, "_MAX_ROWS", 7)  # and on SQLite
    now = timezone.now()
    rows = [(org_a.pk, "x.test", "", str(i), {"n": i}, now) for i in range(30)]
    ids = insert_rows(
        AuditEvent,
        ["organisation_id", "action", "object_type", "object_id", "data", "created_at"],
        rows,
    )
    assert len(ids) == 30 and ids == sorted(ids)
    stored = {e.pk: e for e in AuditEvent.objects.filter(pk__in=ids)}
    assert [stored[pk].object_id for pk in ids] == [str(i) for i in range(30)]
    assert stored[ids[3]].data == {"n": 3}
    assert stored[ids[3]].created_at == now


def _line_rows(bank_a, statement, count):  # type: ignore[no-untyped-def]
    names = [f.attname for f in BankLine._meta.concrete_fields if not f.primary_key]
    defaults = {
        "organisation_id": bank_a.organisation_id,
        "bank_account_id": bank_a.pk,
        "statement_id": statement.pk,
        "booking_date": date(2026, 3, 1),
        "value_date": None,
        "counterparty_iban": "",
        "counterparty_name": "Klant",
        "description": "",
        "end_to_end_reference": "",
        "bank_reference": "",
        "ordinal": 0,
        "status": "unmatched",
        "journal_entry_id": None,
        "matched_by": "",
        "rule_id": None,
    }
    rows = [
        tuple({**defaults, "amount_cents": i + 1, "key": f"k{i}"}[name] for name in names)
        for i in range(count)
    ]
    return names, rows


@pytest.fixture
def bank_a(org_a):  # type: ignore[no-untyped-def]
    from wijk.banking.services import bank_account_create
    from wijk.ledger import services as ledger
    from wijk.ledger.models import Account

    ledger.ledger_setup(organisation=org_a, actor=None)
    return bank_account_create(
        organisation=org_a,
        iban="NL91ABNA0417164300",
        name="Bank",
        ledger_account=Account.objects.get(organisation=org_a, number="1100"),
        actor=None,
    )


@pytest.fixture
def statement(bank_a):  # type: ignore[no-untyped-def]
    from wijk.banking.models import Statement

    return Statement.objects.create(
        organisation=bank_a.organisation, bank_account=bank_a, format="mt940", file_name="s"
    )


def test_instances_are_the_saved_rows(bank_a, statement):
    names, rows = _line_rows(bank_a, statement, 3)
    ids = insert_rows(BankLine, names, rows)
    made = instances(
        BankLine, ["id", *names], [(pk, *row) for pk, row in zip(ids, rows, strict=True)]
    )
    fetched = list(BankLine.objects.filter(pk__in=ids).order_by("pk"))
    assert made == fetched
    for one, other in zip(made, fetched, strict=True):
        assert {n: getattr(one, n) for n in names} == {n: getattr(other, n) for n in names}
        assert not one._state.adding
    made[0].description = "changed"
    made[0].save(update_fields=["description"])
    assert BankLine.objects.get(pk=ids[0]).description == "changed"
    with pytest.raises(ValueError, match="every column"):
        instances(BankLine, ["id", "amount_cents"], [(1, 2)])
    _names, more = _line_rows(bank_a, statement, 4)
    (fresh,) = instances(BankLine, ["id", *names], [(None, *more[3])], saved=False)
    assert fresh.pk is None and fresh._state.adding
    fresh.save()  # a new object: inserted
    assert BankLine.objects.get(pk=fresh.pk).key == "k3"


def test_update_rows_changes_only_rows_that_still_meet_the_condition(
    bank_a, statement, monkeypatch
):
    from wijk.core import bulk

    monkeypatch.setattr(bulk, "_UPDATE_ROWS", 2)
    names, rows = _line_rows(bank_a, statement, 5)
    ids = insert_rows(BankLine, names, rows)
    BankLine.objects.filter(pk=ids[4]).update(matched_by="elders")
    changed = update_rows(
        BankLine,
        ["id", "matched_by", "value_date"],
        [(pk, f"m{i}", date(2026, 3, 2 + i)) for i, pk in enumerate(ids)],
        only={"matched_by": ""},
    )
    assert changed == 4
    got = {line.pk: line for line in BankLine.objects.filter(pk__in=ids)}
    assert [got[pk].matched_by for pk in ids] == ["m0", "m1", "m2", "m3", "elders"]
    assert got[ids[2]].value_date == date(2026, 3, 4)
    assert got[ids[4]].value_date is None
