"""Property-based tests of the books: random histories keep every ledger invariant.

The core is a stateful test (`LedgerMachine`): Hypothesis runs random sequences of
the things a treasurer does (make drafts, post them, reverse entries, delete drafts,
close months, try unbalanced entries and dates outside the fiscal year) and after
every step checks what must always hold: posted entries balance, the trial balance
adds up and matches an independent model of the account balances, the balances rolled
up per account and month hold exactly the posted lines, numbers run 1..n per journal
and fiscal year, the hash chain verifies, drafts carry no number, and the number of
posted entries never shrinks.

Database handling: the test runs inside pytest-django's `db` transaction, and each
Hypothesis example opens its own savepoint (in the machine's ``__init__``) that is
rolled back in ``teardown``, so every example starts from empty books. Nothing is
committed, so the ledger triggers (which refuse deleting posted entries, and would
break a flush on SQLite) never get in the way. Runs are derandomized: the same
examples every time, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import inspect
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Sum
from django.utils import numberformat, translation
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from tests.factories import make_organisation, make_user
from tests.ledger.conftest import Books, make_books
from wijk.ledger import selectors, services
from wijk.ledger.hashing import GENESIS, chain_hash, entry_payload
from wijk.ledger.models import (
    AccountMonthBalance,
    Journal,
    JournalEntry,
    JournalLine,
    LedgerChain,
    PeriodLock,
)
from wijk.ledger.services import LineInput, format_cents
from wijk.ledger.verification import verify_organisation

MAX_CENTS = 10_000_000
DESCRIPTION_MAX = JournalEntry._meta.get_field("description").max_length
assert DESCRIPTION_MAX is not None

# Text as a treasurer types it: Dutch letters, digits, punctuation, the euro sign and
# characters that JSON and SQL quote specially. No NUL (PostgreSQL cannot store it;
# the forms refuse it) and no surrogates.
TEXT = st.characters(
    codec="utf-8",
    categories=("L", "N", "P", "S", "Zs"),
    exclude_characters="\x00",
)
descriptions = (
    st.one_of(
        st.text(TEXT, min_size=1, max_size=40),
        # as long as the form allows: what a reversal then has to fit in
        st.text(TEXT, min_size=DESCRIPTION_MAX - 20, max_size=DESCRIPTION_MAX),
    )
    .map(str.strip)
    .filter(bool)
)
line_texts = st.text(TEXT, max_size=30)
references = st.text(TEXT, max_size=20)
reasons = st.one_of(st.just("   "), st.text(TEXT, min_size=1, max_size=60))


def _split(draw: st.DrawFn, total: int, parts: int) -> list[int]:
    """`total` as `parts` positive amounts."""
    if parts == 1:
        return [total]
    cuts = sorted(
        draw(
            st.lists(st.integers(1, total - 1), min_size=parts - 1, max_size=parts - 1, unique=True)
        )
    )
    bounds = [0, *cuts, total]
    return [high - low for low, high in pairwise(bounds)]


@st.composite
def balanced_lines(draw: st.DrawFn) -> list[tuple[int, int, int, str]]:
    """2–4 lines (account index, debit, credit, text) whose debits equal their credits.

    Every amount lies in 1..MAX_CENTS: the entry total is drawn in that range and then
    split over the debit side and over the credit side.
    """
    n = draw(st.integers(2, 4))
    debit_lines = draw(st.integers(1, n - 1))
    credit_lines = n - debit_lines
    total = draw(st.integers(max(debit_lines, credit_lines), MAX_CENTS))
    sides = [(d, 0) for d in _split(draw, total, debit_lines)]
    sides += [(0, c) for c in _split(draw, total, credit_lines)]
    sides = draw(st.permutations(sides))
    return [(draw(st.integers(0, 3)), debit, credit, draw(line_texts)) for debit, credit in sides]


@st.composite
def unbalanced_lines(draw: st.DrawFn) -> list[tuple[int, int, int, str]]:
    lines = draw(balanced_lines())
    index = draw(st.integers(0, len(lines) - 1))
    account, debit, credit, text = lines[index]
    delta = draw(st.integers(1, MAX_CENTS))
    lines[index] = (account, debit + delta if debit else 0, credit + delta if credit else 0, text)
    return lines


@dataclass
class Posted:
    journal_id: int
    number: int
    day: date
    lines: list[tuple[int, int, int]]  # account id, debit, credit
    reversal_of: int | None = None
    reversed_by: int | None = None


@dataclass
class Draft:
    journal_id: int
    day: date
    lines: list[tuple[int, int, int]]


@dataclass
class Model:
    """What the books should hold, kept independently of the database."""

    drafts: dict[int, Draft] = field(default_factory=dict)
    posted: dict[int, Posted] = field(default_factory=dict)
    numbers: Counter[int] = field(default_factory=Counter)  # last number per journal
    balances: Counter[int] = field(default_factory=Counter)  # account id -> debit - credit
    locked: set[date] = field(default_factory=set)
    chain_length: int = 0
    head_hash: str = GENESIS


def refused(match: str, action: Any) -> ValidationError:
    with pytest.raises(ValidationError) as exc:
        action()
    assert match in " ".join(exc.value.messages), exc.value.messages
    return exc.value


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self, actor: Any) -> None:
        super().__init__()
        self.actor = actor
        self.books: Books | None = None
        self.model = Model()
        self.posted_seen = 0
        # One savepoint per example, rolled back in teardown: clean books every time.
        self._atomic = transaction.atomic()
        self._atomic.__enter__()

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # --- helpers ---------------------------------------------------------------------

    @property
    def b(self) -> Books:
        assert self.books is not None
        return self.books

    def in_year(self, offset: int) -> date:
        year = self.b.year
        return year.start_date + timedelta(
            days=offset % ((year.end_date - year.start_date).days + 1)
        )

    def outside_year(self, days: int) -> date:
        """`days` (non-zero) days before the year's first day or after its last."""
        if days < 0:
            return self.b.year.start_date + timedelta(days=days)
        return self.b.year.end_date + timedelta(days=days)

    def month(self, index: int) -> date:
        start = self.b.year.start_date
        months = start.month - 1 + index
        return date(start.year + months // 12, months % 12 + 1, 1)

    def line_inputs(self, lines: list[tuple[int, int, int, str]]) -> list[LineInput]:
        return [
            LineInput(self.accounts[a], debit_cents=d, credit_cents=c, description=text)
            for a, d, c, text in lines
        ]

    def expect_post_refusal(self, day: date, reason: str) -> str | None:
        """The message posting on `day` must be refused with, or None when it must work."""
        if not self.b.year.contains(day):
            return "outside every fiscal year"
        if day.replace(day=1) in self.model.locked and not reason.strip():
            return "is closed"
        return None

    def book(self, entry: JournalEntry, lines: list[tuple[int, int, int]], reason: str) -> None:
        """Check a freshly posted entry against the model, then record it there."""
        m = self.model
        m.numbers[entry.journal_id] += 1
        m.chain_length += 1
        assert entry.is_posted
        assert entry.number == m.numbers[entry.journal_id]
        assert entry.fiscal_year_id == self.b.year.pk
        assert entry.chain_index == m.chain_length
        assert entry.previous_hash == m.head_hash
        assert entry.override_reason == reason.strip()
        m.head_hash = entry.entry_hash
        m.posted[entry.pk] = Posted(
            entry.journal_id, entry.number, entry.date, lines, entry.reversal_of_id
        )
        for account, debit, credit in lines:
            m.balances[account] += debit - credit

    def create(
        self,
        lines: list[tuple[int, int, int, str]],
        day: date,
        journal: int = 0,
        description: str = "Zaalhuur",
        reference: str = "",
    ) -> int:
        entry = services.journal_entry_create(
            organisation=self.b.organisation,  # type: ignore[arg-type]
            journal=self.journals[journal],
            date=day,
            description=description,
            reference=reference,
            lines=self.line_inputs(lines),
            actor=self.actor,
        )
        assert entry.number is None and not entry.is_posted
        self.model.drafts[entry.pk] = Draft(
            entry.journal_id, entry.date, [(self.accounts[a].pk, d, c) for a, d, c, _ in lines]
        )
        return entry.pk

    def post(self, pk: int, reason: str) -> None:
        """Post draft `pk`, expecting exactly the refusals the model predicts."""
        draft = self.model.drafts[pk]
        entry = JournalEntry.objects.get(pk=pk)
        problem = self.expect_post_refusal(draft.day, reason)
        overridden = problem is None and draft.day.replace(day=1) in self.model.locked
        event(f"post: {problem or ('posted with a reason' if overridden else 'posted')}")
        if problem is not None:
            refused(problem, lambda: self.b.post(entry, override_reason=reason))
            return
        posted = self.b.post(entry, override_reason=reason)
        del self.model.drafts[pk]
        self.book(posted, draft.lines, reason)

    # --- rules -----------------------------------------------------------------------

    @initialize(
        start_month=st.sampled_from([1, 1, 4, 7, 10, 12]),
        history=st.lists(
            st.tuples(balanced_lines(), st.integers(0, 4), st.integers(0, 365)),
            min_size=1,
            max_size=4,
        ),
    )
    def open_books(self, start_month: int, history: list[tuple[Any, int, int]]) -> None:
        """Books of a year that starts in `start_month`, with a few entries already posted."""
        organisation = make_organisation(
            "Buurtbedrijf Hypothese", "hypothese", fiscal_year_start_month=start_month
        )
        self.books = make_books(organisation, self.actor)
        self.accounts = [self.b.bank, self.b.room_hire, self.b.energy, self.b.reserve]
        self.journals = list(Journal.objects.filter(organisation=organisation).order_by("code"))
        assert len(self.journals) == 5
        for lines, journal, offset in history:
            self.post(self.create(lines, self.in_year(offset), journal), reason="")

    @rule(
        lines=balanced_lines(),
        journal=st.integers(0, 4),
        offset=st.integers(0, 365),
        description=descriptions,
        reference=references,
    )
    def create_draft(
        self,
        lines: list[tuple[int, int, int, str]],
        journal: int,
        offset: int,
        description: str,
        reference: str,
    ) -> None:
        self.create(lines, self.in_year(offset), journal, description, reference)

    @precondition(lambda self: self.model.drafts)
    @rule(data=st.data(), reason=st.one_of(st.just(""), reasons))
    def post_draft(self, data: st.DataObject, reason: str) -> None:
        self.post(data.draw(st.sampled_from(sorted(self.model.drafts)), label="draft"), reason)

    @rule(
        batch=st.lists(
            st.tuples(
                balanced_lines(),
                st.integers(0, 4),
                st.integers(0, 365),
                descriptions,
                st.one_of(st.just(""), reasons),
            ),
            min_size=1,
            max_size=3,
        )
    )
    def create_and_post(self, batch: list[tuple[Any, int, int, str, str]]) -> None:
        """A day's work: one to three entries made and posted straight away."""
        for lines, journal, offset, description, reason in batch:
            self.post(self.create(lines, self.in_year(offset), journal, description), reason)

    def reversible(self) -> list[int]:
        return sorted(
            pk
            for pk, p in self.model.posted.items()
            if p.reversal_of is None and p.reversed_by is None
        )

    @precondition(lambda self: self.reversible())
    @rule(
        data=st.data(),
        when=st.sampled_from(["own date", "own date", "in the year", "outside the year"]),
        days=st.integers(1, 400),
        reason=st.one_of(st.just(""), reasons),
    )
    def reverse(self, data: st.DataObject, when: str, days: int, reason: str) -> None:
        """Reverse on the entry's own date (the default), another day, or outside the year."""
        pk = data.draw(st.sampled_from(self.reversible()), label="entry")
        original = self.model.posted[pk]
        day = {
            "own date": None,
            "in the year": self.in_year(days),
            "outside the year": self.outside_year(days if days % 2 else -days),
        }[when]
        entries_before = JournalEntry.objects.count()
        entry = JournalEntry.objects.get(pk=pk)

        def reverse() -> JournalEntry:
            return services.journal_entry_reverse(
                entry=entry, actor=self.actor, date=day, override_reason=reason
            )

        problem = self.expect_post_refusal(day or original.day, reason)
        event(f"reverse: {problem or 'reversed'}")
        if problem is not None:
            refused(problem, reverse)
            assert JournalEntry.objects.count() == entries_before  # no draft left behind
            return
        reversal = reverse()
        assert reversal.reversal_of_id == pk
        assert reversal.journal_id == original.journal_id
        assert reversal.date == (day or original.day)
        mirrored = [(a, c, d) for a, d, c in original.lines]
        assert [
            (ln.account_id, ln.debit_cents, ln.credit_cents) for ln in reversal.lines.order_by("id")
        ] == mirrored
        self.book(reversal, mirrored, reason)
        original.reversed_by = reversal.pk

    @precondition(lambda self: self.model.drafts)
    @rule(data=st.data())
    def delete_draft(self, data: st.DataObject) -> None:
        pk = data.draw(st.sampled_from(sorted(self.model.drafts)), label="draft")
        services.journal_entry_delete_draft(entry=JournalEntry.objects.get(pk=pk), actor=self.actor)
        del self.model.drafts[pk]
        assert not JournalLine.objects.filter(entry_id=pk).exists()

    @precondition(lambda self: len(self.model.locked) < 6)  # leave months open to post in
    @rule(index=st.integers(0, 11), of_a_draft=st.booleans(), data=st.data())
    def close_month(self, index: int, of_a_draft: bool, data: st.DataObject) -> None:
        """Close a month: any month of the year, or one a waiting draft is dated in."""
        month = self.month(index)
        waiting = sorted(
            {
                d.day.replace(day=1)
                for d in self.model.drafts.values()
                if self.b.year.contains(d.day)
            }
        )
        if of_a_draft and waiting:
            month = data.draw(st.sampled_from(waiting), label="month of a draft")
        lock = services.period_close(fiscal_year=self.b.year, month_start=month, actor=self.actor)
        assert lock.month_start == month
        self.model.locked.add(month)

    @precondition(lambda self: self.model.locked)
    @rule(
        data=st.data(),
        lines=balanced_lines(),
        day=st.integers(0, 27),
        reason=st.one_of(st.just(""), reasons),
    )
    def post_into_a_closed_month(
        self, data: st.DataObject, lines: list[tuple[int, int, int, str]], day: int, reason: str
    ) -> None:
        """Needs a reason: posted with one, refused without (the model knows which)."""
        month = data.draw(st.sampled_from(sorted(self.model.locked)), label="closed month")
        self.post(self.create(lines, month + timedelta(days=day)), reason)

    @rule(lines=unbalanced_lines(), offset=st.integers(0, 365), description=descriptions)
    def unbalanced_draft_is_refused(
        self, lines: list[tuple[int, int, int, str]], offset: int, description: str
    ) -> None:
        counts = (JournalEntry.objects.count(), JournalLine.objects.count())
        error = refused(
            "does not balance",
            lambda: self.b.entry(
                *self.line_inputs(lines), day=self.in_year(offset), description=description
            ),
        )
        debit = sum(d for _, d, _, _ in lines)
        credit = sum(c for _, _, c, _ in lines)
        assert f"difference {format_cents(debit - credit)}" in " ".join(error.messages)
        assert (JournalEntry.objects.count(), JournalLine.objects.count()) == counts

    @rule(
        lines=balanced_lines(),
        days=st.integers(1, 800).map(lambda d: d if d % 2 else -d),
        reason=st.one_of(st.just(""), reasons),
        keep=st.sampled_from([False, False, True]),
    )
    def post_outside_the_year_is_refused(
        self, lines: list[tuple[int, int, int, str]], days: int, reason: str, keep: bool
    ) -> None:
        pk = self.create(lines, self.outside_year(days))
        self.post(pk, reason)  # the model expects the refusal
        entry = JournalEntry.objects.get(pk=pk)
        assert not entry.is_posted and entry.number is None and entry.fiscal_year_id is None
        if not keep:  # otherwise the draft stays, and later attempts must be refused too
            services.journal_entry_delete_draft(entry=entry, actor=self.actor)
            del self.model.drafts[pk]

    @rule(data=st.data(), index=st.sampled_from([-3, -2, -1, 12, 13, 14]))
    def misuse_is_refused(self, data: st.DataObject, index: int) -> None:
        """Posting twice, deleting a posted entry, reversing twice, closing another year's month."""
        m = self.model
        done = sorted(
            pk for pk, p in m.posted.items() if p.reversal_of is not None or p.reversed_by
        )
        kinds = ["close outside"] + (["post again", "delete posted"] if m.posted else [])
        kinds += ["reverse again"] if done else []
        kind = data.draw(st.sampled_from(kinds), label="misuse")
        event(f"misuse: {kind}")
        if kind == "close outside":
            month = self.month(index)
            refused(
                "not in the fiscal year",
                lambda: services.period_close(
                    fiscal_year=self.b.year, month_start=month, actor=self.actor
                ),
            )
            return
        pool = done if kind == "reverse again" else sorted(m.posted)
        entry = JournalEntry.objects.get(pk=data.draw(st.sampled_from(pool), label="entry"))
        if kind == "post again":
            refused("already posted", lambda: self.b.post(entry, override_reason="x"))
        elif kind == "delete posted":
            refused(
                "Reverse it",
                lambda: services.journal_entry_delete_draft(entry=entry, actor=self.actor),
            )
        else:
            message = "itself a reversal" if m.posted[entry.pk].reversal_of else "already been"
            refused(
                message,
                lambda: services.journal_entry_reverse(
                    entry=entry, actor=self.actor, override_reason="x"
                ),
            )

    # --- invariants ------------------------------------------------------------------
    # Checked after every step. Grouped so that each reads the books once.

    @invariant()
    def entries_match_the_model(self) -> None:
        """Drafts and posted entries are the model's; drafts have no number; 1..n numbers."""
        rows = list(
            JournalEntry.objects.filter(organisation=self.b.organisation).values_list(
                "pk",
                "status",
                "journal_id",
                "fiscal_year_id",
                "number",
                "chain_index",
                "entry_hash",
                "description",
            )
        )
        drafts = [row for row in rows if row[1] == "draft"]
        posted = [row for row in rows if row[1] == "posted"]
        assert {row[0] for row in drafts} == set(self.model.drafts)
        assert {row[0] for row in posted} == set(self.model.posted)
        numbered_drafts = [row for row in drafts if row[3:7] != (None, None, None, "")]
        assert numbered_drafts == [], "a draft carries a number, year, chain position or hash"
        numbers: dict[tuple[int, int], list[int]] = {}
        for _pk, _status, journal, year, number, *_rest in posted:
            numbers.setdefault((journal, year), []).append(number)
        for (journal, year), found in numbers.items():
            assert year == self.b.year.pk
            assert sorted(found) == list(range(1, len(found) + 1)), f"gaps: {sorted(found)}"
            assert len(found) == self.model.numbers[journal]
        assert len(posted) >= self.posted_seen, "a posted entry disappeared"
        self.posted_seen = len(posted)
        too_long = [len(row[7]) for row in rows if len(row[7]) > DESCRIPTION_MAX]
        assert too_long == [], f"descriptions longer than the column: {too_long}"

    @invariant()
    def books_balance(self) -> None:
        """Every posted entry balances; the year's trial balance adds up and matches the model."""
        unbalanced = (
            JournalLine.objects.filter(
                organisation=self.b.organisation, entry__status=JournalEntry.Status.POSTED
            )
            .values("entry")
            .annotate(debit=Sum("debit_cents"), credit=Sum("credit_cents"), n=Count("id"))
            .exclude(debit=F("credit"), n__gte=2)
        )
        assert list(unbalanced) == []
        year = self.b.year
        tb = selectors.trial_balance(
            organisation=self.b.organisation, start=year.start_date, end=year.end_date
        )
        assert tb.balanced, (tb.debit_cents, tb.credit_cents)
        expected = {account: cents for account, cents in self.model.balances.items() if cents}
        found = {row.account.pk: row.balance_cents for row in tb.rows if row.balance_cents}
        assert found == expected

    @invariant()
    def rollups_match_the_lines(self) -> None:
        """The balances rolled up per account and month hold exactly the posted lines."""
        expected: Counter[tuple[int, date, str]] = Counter()
        for posted in self.model.posted.values():
            month = posted.day.replace(day=1)
            for account, debit, credit in posted.lines:
                expected[(account, month, "debit")] += debit
                expected[(account, month, "credit")] += credit
        stored: Counter[tuple[int, date, str]] = Counter()
        for (
            account,
            month,
            debit,
            credit,
            closing_debit,
            closing_credit,
        ) in AccountMonthBalance.objects.filter(organisation=self.b.organisation).values_list(
            "account_id",
            "month_start",
            "debit_cents",
            "credit_cents",
            "closing_debit_cents",
            "closing_credit_cents",
        ):
            assert (closing_debit, closing_credit) == (0, 0)  # no year is closed here
            stored[(account, month, "debit")] += debit
            stored[(account, month, "credit")] += credit
        assert +stored == +expected  # unary plus drops the zeros

    @invariant()
    def chain_verifies(self) -> None:
        findings = verify_organisation(organisation=self.b.organisation)
        assert findings == [], [str(f) for f in findings]
        chain = LedgerChain.objects.get(organisation=self.b.organisation)
        assert (chain.length, chain.head_hash) == (self.model.chain_length, self.model.head_hash)
        locked = PeriodLock.objects.filter(fiscal_year=self.b.year)
        assert set(locked.values_list("month_start", flat=True)) == self.model.locked


STATEFUL = settings(
    max_examples=12,
    stateful_step_count=25,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pytest.mark.django_db
def test_random_histories_keep_the_books_sound() -> None:
    """12 random histories of up to 25 steps each, every invariant checked after each step."""
    actor = make_user("penningmeester@hypothese.example")
    run_state_machine_as_test(lambda: LedgerMachine(actor), settings=STATEFUL)


# --- plain properties ----------------------------------------------------------------

PLAIN = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
DUTCH_AMOUNT = re.compile(r"^(-?)€ (\d{1,3}(?:\.\d{3})*),(\d{2})$")


@PLAIN
@given(st.integers(min_value=-(10**30), max_value=10**30) | st.integers())
def test_format_cents_is_dutch_and_round_trips(cents: int) -> None:
    text = format_cents(cents)
    match = DUTCH_AMOUNT.match(text)
    assert match, text
    sign, euros, rest = match.groups()
    assert int(euros.replace(".", "")) * 100 + int(rest) == abs(cents)  # round trip
    assert sign == ("-" if cents < 0 else "")
    # the same as Django's own number formatting with Dutch separators
    if abs(cents) < 10**26:  # within the 28 digits of the default decimal context
        dutch = numberformat.format(
            Decimal(f"{cents}E-2"),
            ",",
            decimal_pos=2,
            grouping=3,
            thousand_sep=".",
            force_grouping=True,
        )
        assert text.replace("€ ", "") == dutch


moments = st.datetimes(
    min_value=datetime(2000, 1, 1),  # noqa: DTZ001 - the strategy's bounds are naive
    max_value=datetime(2100, 1, 1),  # noqa: DTZ001
    timezones=st.just(UTC),
)
hash_lines = st.lists(
    st.tuples(
        st.text("0123456789", min_size=3, max_size=6),
        st.integers(0, MAX_CENTS),
        st.integers(0, MAX_CENTS),
        st.none() | st.integers(1, 10**6),
        st.text(TEXT, max_size=20),
        st.none() | st.integers(1, 10**6),  # building
        st.none() | st.integers(1, 10**6),  # activity
    ),
    min_size=1,
    max_size=4,
)
PAYLOAD_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "organisation_id": st.integers(1, 10**9),
    "chain_index": st.integers(1, 10**9),
    "journal_code": st.sampled_from(["BNK", "KAS", "VRK", "INK", "MEM"]),
    "fiscal_year_start": st.dates(date(2000, 1, 1), date(2099, 12, 1)),
    "number": st.integers(1, 10**6),
    "entry_date": st.dates(date(2000, 1, 1), date(2099, 12, 1)),
    "description": st.text(TEXT, max_size=40),
    "reference": st.text(TEXT, max_size=20),
    "posted_at": moments,
    "reversal_of_id": st.none() | st.integers(1, 10**9),
    "is_closing": st.booleans(),
    "counterparty": st.text(TEXT, max_size=20),
    "lines": hash_lines,
}
payload_fields = st.fixed_dictionaries(PAYLOAD_FIELDS)
hex_hashes = st.text("0123456789abcdef", min_size=64, max_size=64)


def test_the_payload_strategy_covers_every_field() -> None:
    """A field added to the payload must be added above, or its change goes untested."""
    assert set(PAYLOAD_FIELDS) == set(inspect.signature(entry_payload).parameters)


def _changed(value: Any, pick: int) -> Any:
    """A value of the same kind that differs from `value`."""
    if value is None:
        return pick + 1
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1 + pick % 3
    if isinstance(value, str):
        return value + "x" if pick % 2 else "é" + value
    if isinstance(value, datetime):
        return value + timedelta(microseconds=1 + pick % 1000)
    if isinstance(value, date):
        return value + timedelta(days=1 + pick % 30)
    raise AssertionError(type(value))


@PLAIN
@given(fields=payload_fields, previous=hex_hashes, data=st.data())
def test_chain_hash_changes_when_any_payload_field_changes(
    fields: dict[str, Any], previous: str, data: st.DataObject
) -> None:
    original = chain_hash(previous_hash=previous, payload=entry_payload(**fields))
    assert re.fullmatch(r"[0-9a-f]{64}", original)
    # deterministic, and independent of the order the payload's keys come in
    payload = entry_payload(**fields)
    assert chain_hash(previous_hash=previous, payload=dict(reversed(payload.items()))) == original

    lines: list[tuple[Any, ...]] = list(fields["lines"])
    mutation = data.draw(
        st.sampled_from(
            [("field", name) for name in fields if name != "lines"]
            + [("line", i, column) for i in range(len(lines)) for column in range(7)]
            + [("add line",), ("drop line",), ("previous hash",)]
        ),
        label="mutation",
    )
    pick = data.draw(st.integers(0, 1000), label="pick")
    changed = dict(fields)
    if mutation[0] == "field":
        changed[mutation[1]] = _changed(fields[mutation[1]], pick)
    elif mutation[0] == "line":
        _, index, column = mutation
        line = list(lines[index])
        line[column] = _changed(line[column], pick)
        changed["lines"] = [*lines[:index], tuple(line), *lines[index + 1 :]]
    elif mutation[0] == "add line":
        changed["lines"] = [*lines, lines[pick % len(lines)]]
    elif mutation[0] == "drop line":
        changed["lines"] = lines[:-1]
    else:
        previous = ("1" if previous[0] != "1" else "2") + previous[1:]
    assert chain_hash(previous_hash=previous, payload=entry_payload(**changed)) != original


@PLAIN
@given(fields=payload_fields)
def test_fields_added_later_leave_older_hashes_valid(fields: dict[str, Any]) -> None:
    """Without a counterparty, building or activity, the payload is the first release's."""
    old_lines = [line[:5] for line in fields["lines"]]
    old = {**fields, "lines": old_lines}
    del old["counterparty"]
    new = {**fields, "counterparty": "", "lines": [(*line, None, None) for line in old_lines]}
    assert entry_payload(**new) == entry_payload(**old)
    assert set(entry_payload(**old)) == {
        "organisation", "chain_index", "journal", "fiscal_year", "number", "date",
        "description", "reference", "posted_at", "reversal_of", "closing", "lines",
    }  # fmt: skip


@PLAIN
@given(fields=payload_fields, data=st.data())
def test_chain_hash_depends_on_line_order(fields: dict[str, Any], data: st.DataObject) -> None:
    lines = fields["lines"]
    order = data.draw(st.permutations(range(len(lines))))
    reordered = [lines[i] for i in order]
    same = reordered == lines
    before = chain_hash(previous_hash=GENESIS, payload=entry_payload(**fields))
    after = chain_hash(
        previous_hash=GENESIS, payload=entry_payload(**{**fields, "lines": reordered})
    )
    assert (before == after) == same


# --- found by the state machine ------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "prefix"), [("en", "Reversal of"), ("nl", "Terugboeking van")]
)
def test_reversing_an_entry_with_a_full_length_description(books, language, prefix):
    """The form allows 255 characters; the reversal's "Reversal of BNK #1: …" must still fit.

    It used to be 275 characters long: stored as such on SQLite (which does not
    enforce lengths) and refused by PostgreSQL with a DataError (a server error).
    """
    entry = books.post(books.hire(description="x" * DESCRIPTION_MAX))
    with translation.override(language):
        reversal = services.journal_entry_reverse(entry=entry, actor=None)
    reversal.refresh_from_db()
    assert len(reversal.description) <= DESCRIPTION_MAX
    assert reversal.description.startswith(f"{prefix} BNK #1: xxx")
    assert verify_organisation(organisation=books.organisation) == []
