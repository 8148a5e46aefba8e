"""Booking bank lines: by hand, split, by rules made in one click, and during import."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from wijk.banking import services
from wijk.banking.importing import statement_import
from wijk.banking.matching import MATCHERS, register_matcher
from wijk.banking.models import BankLine, BookingRule
from wijk.core.models import AuditEvent
from wijk.ledger.models import Account, JournalEntry, JournalLine

from . import fixtures

pytestmark = pytest.mark.django_db


def _account(org, number):  # type: ignore[no-untyped-def]
    return Account.objects.get(organisation=org, number=number)


def _lines(bank_a):  # type: ignore[no-untyped-def]
    statement_import(
        organisation=bank_a.organisation,
        data=fixtures.camt053(fixtures.LINES_2026),
        file_name="m.xml",
        actor=None,
    )
    return list(BankLine.objects.order_by("pk"))


def _income(org):  # type: ignore[no-untyped-def]
    return Account.objects.filter(organisation=org, type="income").order_by("number").first()


def _expense(org):  # type: ignore[no-untyped-def]
    return Account.objects.filter(organisation=org, type="expense").order_by("number").first()


def test_book_a_line_posts_an_entry_in_the_bank_journal(bank_a, board_a):
    org = bank_a.organisation
    hire = _lines(bank_a)[0]
    services.bank_line_book(line=hire, splits=[services.Split(_income(org), 12_500)], actor=board_a)
    hire.refresh_from_db()
    assert hire.status == BankLine.Status.BOOKED
    entry = hire.journal_entry
    assert entry.is_posted
    assert entry.journal.code == "BNK"
    assert entry.counterparty == "Sportclub De Ster"
    assert entry.reference == "F2026-014"
    by_account = {ln.account.number: (ln.debit_cents, ln.credit_cents) for ln in entry.lines.all()}
    assert by_account == {"1100": (12_500, 0), _income(org).number: (0, 12_500)}
    assert AuditEvent.objects.filter(action="bank_line.book").count() == 1
    with pytest.raises(ValidationError):
        services.bank_line_book(
            line=hire, splits=[services.Split(_income(org), 12_500)], actor=board_a
        )


def test_split_must_add_up_and_nothing_is_written_otherwise(bank_a, board_a):
    org = bank_a.organisation
    energy = _lines(bank_a)[1]  # -45,99
    with pytest.raises(ValidationError) as exc:
        services.bank_line_book(
            line=energy,
            splits=[services.Split(_expense(org), 4_000), services.Split(_expense(org), 500)],
            actor=board_a,
        )
    assert "add up to € 45,00" in exc.value.message_dict["amount"][0]
    assert not JournalEntry.objects.exists()
    services.bank_line_book(
        line=energy,
        splits=[services.Split(_expense(org), 4_000), services.Split(_expense(org), 599)],
        actor=board_a,
    )
    entry = BankLine.objects.get(pk=energy.pk).journal_entry
    assert sorted(ln.debit_cents for ln in entry.lines.all()) == [0, 599, 4_000]
    assert [ln.credit_cents for ln in entry.lines.filter(account__number="1100")] == [4_599]


def test_remember_makes_a_rule_that_books_the_other_open_lines(bank_a, board_a):
    org = bank_a.organisation
    lines = _lines(bank_a)
    coffee = lines[2]
    services.bank_line_book(
        line=coffee,
        splits=[services.Split(_expense(org), 250)],
        actor=board_a,
        remember=True,
    )
    rule = BookingRule.objects.get()
    assert (rule.counterparty_name, rule.counterparty_iban) == ("Koffiebar", "")
    other = BankLine.objects.get(pk=lines[3].pk)
    assert other.status == BankLine.Status.BOOKED
    assert other.matched_by == "rule"
    # The next statement's coffee is booked during the import.
    later = (fixtures.Line(fixtures.date(2026, 4, 2), -250, "", "Koffiebar", "Koffie"),)
    summary = statement_import(
        organisation=org,
        data=fixtures.mt940(later, opening=fixtures.closing(fixtures.LINES_2026)),
        file_name="april.sta",
        actor=None,
    )
    assert (summary.imported, summary.matched, summary.unmatched) == (1, 1, 0)
    booked = BankLine.objects.filter(status=BankLine.Status.BOOKED)
    assert booked.count() == 3
    bank = JournalLine.objects.filter(account__number="1100", entry__organisation=org)
    net = sum(ln.debit_cents - ln.credit_cents for ln in bank)
    assert net == sum(line.amount_cents for line in booked) == -750


def test_rules_leave_lines_outside_an_open_year(bank_a):
    org = bank_a.organisation
    services.booking_rule_create(
        organisation=org, counterparty_name="koffie", account=_expense(org), actor=None
    )
    old = (fixtures.Line(fixtures.date(2025, 12, 30), -250, "", "Koffiebar", "Koffie"),)
    summary = statement_import(
        organisation=org, data=fixtures.mt940(old), file_name="dec.sta", actor=None
    )
    assert (summary.matched, summary.unmatched) == (0, 1)


def test_a_rule_needs_a_criterion(bank_a):
    with pytest.raises(ValidationError):
        services.booking_rule_create(
            organisation=bank_a.organisation, account=_expense(bank_a.organisation), actor=None
        )


def test_other_apps_plug_in_a_matcher(bank_a):
    seen: list[int] = []

    def sales_matcher(organisation, lines, actor):  # type: ignore[no-untyped-def]
        seen.append(len(lines))
        return 0

    register_matcher(sales_matcher)
    try:
        _lines(bank_a)
    finally:
        MATCHERS.remove(sales_matcher)
    assert seen == [5]


_IBANS = ["", "NL02RABO0123456789", "NL91ABNA0417164300"]
_NAMES = ["", "Koffiebar", "koffie", "Bar", "Sportclub"]
_WORDS = ["", "huur", "Factuur", "zaal huur"]


@settings(max_examples=300, deadline=None)
@given(
    rules=st.lists(
        st.tuples(st.sampled_from(_IBANS), st.sampled_from(_NAMES), st.sampled_from(_WORDS)),
        min_size=1,
        max_size=8,
    ).map(lambda found: [r for r in found if any(r)] or [("", "Bar", "")]),
    lines=st.lists(
        st.tuples(
            st.sampled_from(_IBANS + ["nl02rabo0123456789"]),
            st.sampled_from(_NAMES + ["De Koffiebar", "KOFFIEBAR Oost"]),
            st.sampled_from(_WORDS + ["Zaalhuur maart", "factuur 12", "HUUR"]),
        ),
        min_size=1,
        max_size=12,
    ),
    order=st.randoms(use_true_random=False),
)
def test_the_rule_finder_picks_what_trying_every_rule_picks(rules, lines, order):
    """Rules looked up per counterparty give the first rule (by id) whose `fits` holds."""
    made = [
        BookingRule(pk=pk, counterparty_iban=iban, counterparty_name=name, description_contains=w)
        for pk, (iban, name, w) in enumerate(rules, start=1)
    ]
    order.shuffle(made)  # the finder must not rely on the order it is given
    find = services.rule_finder(made)
    for iban, name, text in lines:
        line = BankLine(counterparty_iban=iban, counterparty_name=name, description=text)
        expected = min((r for r in made if r.fits(line)), key=lambda r: r.pk, default=None)
        assert find(line) is expected
