"""Pages of the books: set-up, entry form with Dutch amounts, posting, reversal, reports."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import make_user
from wijk.ledger.models import Account, JournalEntry

pytestmark = pytest.mark.django_db


def url(name, org, **kwargs):
    return reverse(name, kwargs={"organisation": org.slug, **kwargs})


def entry_data(books, lines, **header):
    data = {
        "journal": books.bank_journal.pk,
        "date": "2026-03-10",
        "description": "Zaalhuur buurtvereniging",
        "reference": "F2026-001",
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "2",
        "lines-MAX_NUM_FORMS": "40",
    }
    data.update(header)
    for i, (account, debit, credit) in enumerate(lines):
        data[f"lines-{i}-account"] = account.pk if account else ""
        data[f"lines-{i}-debit"] = debit
        data[f"lines-{i}-credit"] = credit
        data[f"lines-{i}-description"] = ""
        data[f"lines-{i}-fund"] = ""
    return data


def test_setup_installs_the_template(client, org_a, board_a):
    client.force_login(board_a)
    page = client.get(url("ledger_home", org_a))
    assert url("ledger_setup", org_a) in page.content.decode()
    client.post(url("ledger_setup", org_a))
    assert 60 <= Account.objects.filter(organisation=org_a).count() <= 120
    html = client.get(url("account_list", org_a)).content.decode()
    assert "Room hire" in html or "Zaalverhuur" in html


def test_entry_with_dutch_amounts_then_post_and_reverse(client, books, board_a):
    client.force_login(board_a)
    data = entry_data(
        books, [(books.bank, "1.234,56", ""), (books.room_hire, "", "1234.56"), (None, "", "")]
    )
    response = client.post(url("entry_create", books.organisation), data)
    assert response.status_code == 302
    entry = JournalEntry.objects.get()
    assert sorted(entry.lines.values_list("debit_cents", "credit_cents")) == [
        (0, 123456),
        (123456, 0),
    ]
    detail = client.get(response["Location"]).content.decode()
    assert "€ 1.234,56" in detail and 'id="post-form"' in detail
    client.post(url("entry_post", books.organisation, pk=entry.pk))
    entry.refresh_from_db()
    assert entry.is_posted and entry.number == 1
    response = client.post(url("entry_reverse", books.organisation, pk=entry.pk))
    reversal = JournalEntry.objects.get(reversal_of=entry)
    assert response["Location"] == url("entry_detail", books.organisation, pk=reversal.pk)
    tb = client.get(url("trial_balance", books.organisation)).content.decode()
    assert "in balance" in tb


def test_unbalanced_entry_form_says_by_how_much_and_saves_nothing(client, books, board_a):
    client.force_login(board_a)
    data = entry_data(books, [(books.bank, "100,00", ""), (books.room_hire, "", "99,50")])
    response = client.post(url("entry_create", books.organisation), data)
    assert response.status_code == 400
    assert "difference € 0,50" in response.content.decode()
    assert not JournalEntry.objects.exists()


@pytest.mark.parametrize("amount", ["12,3,4", "abc", "1.23.4", "-5"])
def test_bad_amount_is_located(client, books, board_a, amount):
    client.force_login(board_a)
    data = entry_data(books, [(books.bank, amount, ""), (books.room_hire, "", "5")])
    response = client.post(url("entry_create", books.organisation), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "amount" in html.lower()
    assert not JournalEntry.objects.exists()


def test_line_without_account_is_located(client, books, board_a):
    client.force_login(board_a)
    data = entry_data(books, [(books.bank, "5", ""), (None, "", "5")])
    response = client.post(url("entry_create", books.organisation), data)
    assert response.status_code == 400
    assert "Choose an account for this line." in response.content.decode()


def test_posting_outside_the_year_shows_the_reason(client, books, board_a):
    client.force_login(board_a)
    entry = books.hire(day=__import__("datetime").date(2030, 1, 1))
    response = client.post(url("entry_post", books.organisation, pk=entry.pk), follow=True)
    assert "outside every fiscal year" in response.content.decode()


def test_audit_committee_reads_but_does_not_write(client, books):
    member = make_user("kas@alfa.example", books.organisation, "audit_committee")
    client.force_login(member)
    books.post(books.hire())
    assert client.get(url("entry_list", books.organisation)).status_code == 200
    assert client.get(url("trial_balance", books.organisation)).status_code == 200
    assert client.get(url("entry_create", books.organisation)).status_code == 403
    assert (
        'href="' + url("entry_create", books.organisation)
        not in client.get(url("entry_list", books.organisation)).content.decode()
    )


def test_volunteer_has_no_books(client, books, volunteer_a):
    client.force_login(volunteer_a)
    assert client.get(url("ledger_home", books.organisation)).status_code == 403
    assert (
        url("ledger_home", books.organisation)
        not in client.get(url("dashboard", books.organisation)).content.decode()
    )


def test_entry_list_query_count_is_bounded(client, books, board_a, django_assert_max_num_queries):
    for i in range(30):
        books.post(books.hire(100 + i))
    client.force_login(board_a)
    with django_assert_max_num_queries(15):
        assert client.get(url("entry_list", books.organisation)).status_code == 200


def test_dashboard_shows_the_year_from_the_books(client, books, board_a):
    from wijk.ledger import services
    from wijk.ledger.services import LineInput

    grant = services.account_create(
        organisation=books.organisation,
        number="8400",
        name_nl="Subsidie",
        name_en="Grant",
        type="income",
        category="public_grants",
        actor=board_a,
    )
    books.post(books.hire(30000))
    books.post(
        books.entry(
            LineInput(books.energy, debit_cents=10000), LineInput(books.bank, credit_cents=10000)
        )
    )
    books.post(
        books.entry(LineInput(books.bank, debit_cents=10000), LineInput(grant, credit_cents=10000))
    )
    client.force_login(board_a)
    html = client.get(url("dashboard", books.organisation)).content.decode()
    assert 'id="books-summary"' in html
    assert "€ 400,00" in html  # income: 300 room hire + 100 grant
    assert "€ 300,00" in html  # result
    assert "75%" in html  # earned income share


def test_entry_form_date_is_filled_in_iso_for_the_date_input(client, books, board_a):
    from django.utils import timezone

    client.force_login(board_a)
    html = client.get(url("entry_create", books.organisation)).content.decode()
    assert f'type="date" name="date" value="{timezone.localdate().isoformat()}"' in html
