"""The register of member shares: issue, transfer, redemption, corrections, the books."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Sum
from django.urls import reverse

from wijk.community import privacy, services, shares
from wijk.community.models import ShareMovement
from wijk.ledger.models import Account, JournalLine
from wijk.ledger.verification import verify_organisation

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 1)


def _person(org, name):  # type: ignore[no-untyped-def]
    return services.person_create(
        organisation=org,
        data=services.PersonData(name=name, member_since=date(2025, 1, 1)),
        actor=None,
    )


def _bank(org):  # type: ignore[no-untyped-def]
    return Account.objects.get(organisation=org, number="1100")


def _capital(org) -> int:  # type: ignore[no-untyped-def]
    sums = JournalLine.objects.filter(
        organisation=org, account__number="0750", entry__status="posted"
    ).aggregate(credit=Sum("credit_cents"), debit=Sum("debit_cents"))
    return (sums["credit"] or 0) - (sums["debit"] or 0)


def _issue(org, person, count=10, value=5000, **kwargs):  # type: ignore[no-untyped-def]
    return shares.shares_issue(
        organisation=org,
        person=person,
        count=count,
        nominal_value_cents=value,
        date=kwargs.pop("date", DAY),
        bank_account=_bank(org),
        actor=None,
        **kwargs,
    )


def test_issue_transfer_redeem_and_the_books(org_a, books):
    fatima, jan = _person(org_a, "Fatima Yilmaz"), _person(org_a, "Jan de Vries")
    _issue(org_a, fatima, 10)
    assert _capital(org_a) == 50000
    shares.shares_transfer(
        organisation=org_a, from_person=fatima, to_person=jan, count=4, date=DAY, actor=None
    )
    assert _capital(org_a) == 50000  # a transfer moves no money of the cooperative
    shares.shares_redeem(
        organisation=org_a, person=jan, count=1, date=DAY, bank_account=_bank(org_a), actor=None
    )
    assert _capital(org_a) == 45000
    holdings = shares.share_holdings(organisation=org_a)
    assert [(h.person.name, h.count, h.value_cents) for h in holdings] == [
        ("Fatima Yilmaz", 6, 30000),
        ("Jan de Vries", 3, 15000),
    ]
    assert sum(h.value_cents for h in holdings) == _capital(org_a)
    assert verify_organisation(organisation=org_a) == []


def test_bad_input_is_located_and_writes_nothing(org_a, books):
    fatima, jan = _person(org_a, "Fatima Yilmaz"), _person(org_a, "Jan de Vries")
    with pytest.raises(ValidationError) as error:
        _issue(org_a, fatima, count=0, value=0, date=date(2099, 1, 1))
    assert set(error.value.error_dict) == {"count", "nominal_value", "date"}
    _issue(org_a, fatima, 2)
    with pytest.raises(ValidationError) as error:
        _issue(org_a, jan, 1, value=2500)
    assert "nominal_value" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        shares.shares_transfer(
            organisation=org_a, from_person=fatima, to_person=jan, count=3, date=DAY, actor=None
        )
    assert error.value.error_dict["count"][0].messages == [
        "Fatima Yilmaz holds 2 shares; give at most that number."
    ]
    with pytest.raises(ValidationError) as error:
        shares.shares_transfer(
            organisation=org_a, from_person=fatima, to_person=fatima, count=1, date=DAY, actor=None
        )
    assert "to_person" in error.value.error_dict
    assert ShareMovement.objects.count() == 1


@pytest.mark.parametrize("change", ["issue", "redeem"])
def test_a_failure_after_the_booking_leaves_neither_booking_nor_line(
    org_a, books, monkeypatch, change
):
    """Each change is one transaction: the booking and the register line, or nothing."""
    fatima = _person(org_a, "Fatima Yilmaz")
    _issue(org_a, fatima, 4)
    before = (_capital(org_a), ShareMovement.objects.count(), JournalLine.objects.count())

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise DatabaseError("disk full")

    monkeypatch.setattr(shares, "audit_record", broken)
    with pytest.raises(DatabaseError, match="disk full"):
        if change == "issue":
            _issue(org_a, fatima, 2)
        else:
            shares.shares_redeem(
                organisation=org_a,
                person=fatima,
                count=1,
                date=DAY,
                bank_account=_bank(org_a),
                actor=None,
            )
    assert (_capital(org_a), ShareMovement.objects.count(), JournalLine.objects.count()) == before


def test_lines_never_change_and_a_correction_reverses_the_booking(org_a, books):
    fatima = _person(org_a, "Fatima Yilmaz")
    issue = _issue(org_a, fatima, 10)
    with pytest.raises(DatabaseError), transaction.atomic():
        ShareMovement.objects.filter(pk=issue.pk).update(count=11)
    with pytest.raises(DatabaseError), transaction.atomic():
        ShareMovement.objects.filter(pk=issue.pk).delete()
    correction = shares.share_movement_correct(movement=issue, date=DAY, actor=None)
    assert (correction.kind, correction.from_person, correction.to_person) == (
        "correction",
        fatima,
        None,
    )
    assert shares.shares_held(person=fatima) == 0
    assert _capital(org_a) == 0
    assert correction.entry.reversal_of_id == issue.entry_id
    with pytest.raises(ValidationError):
        shares.share_movement_correct(movement=issue, date=DAY, actor=None)
    with pytest.raises(ValidationError):
        shares.share_movement_correct(movement=correction, date=DAY, actor=None)


def test_correction_refused_when_the_shares_moved_on(org_a, books):
    fatima, jan = _person(org_a, "Fatima Yilmaz"), _person(org_a, "Jan de Vries")
    issue = _issue(org_a, fatima, 2)
    shares.shares_transfer(
        organisation=org_a, from_person=fatima, to_person=jan, count=2, date=DAY, actor=None
    )
    with pytest.raises(ValidationError):
        shares.share_movement_correct(movement=issue, date=DAY, actor=None)


def test_export_holds_the_shares_but_not_the_other_members_name(org_a, books):
    fatima, jan = _person(org_a, "Fatima Yilmaz"), _person(org_a, "Jan de Vries")
    _issue(org_a, fatima, 5)
    shares.shares_transfer(
        organisation=org_a, from_person=fatima, to_person=jan, count=2, date=DAY, actor=None
    )
    exported = json.loads(privacy.person_export_json(jan))
    rows = exported["records"]["community.ShareMovement"]
    assert [(r["kind"], r["count"], r["from_person"], r["to_person"]) for r in rows] == [
        ("transfer", 2, "other", "self")
    ]
    assert "Fatima" not in privacy.person_export_json(jan)
    assert "Fatima" not in privacy.person_export_csv(jan)


def test_register_page_for_board_and_read_only_for_the_audit_committee(
    client, org_a, books, board_a, audit_a
):
    fatima = _person(org_a, "Fatima Yilmaz")
    url = reverse("share_register", kwargs={"organisation": org_a.slug})
    client.force_login(board_a)
    bad = client.post(url, {"action": "issue", "issue-person": fatima.pk, "issue-count": "0"})
    assert bad.status_code == 400
    html = bad.content.decode()
    for field in ("count", "nominal_value", "bank_account"):
        assert f'id="id_issue-{field}_errors"' in html
    done = client.post(
        url,
        {
            "action": "issue",
            "issue-person": fatima.pk,
            "issue-count": "3",
            "issue-nominal_value": "50,00",
            "issue-date": "2026-03-01",
            "issue-bank_account": _bank(org_a).pk,
        },
    )
    assert done.status_code == 302
    page = client.get(url).content.decode()
    assert "Fatima Yilmaz" in page and "€ 150,00" in page
    person_page = client.get(
        reverse("person_detail", kwargs={"organisation": org_a.slug, "pk": fatima.pk})
    ).content.decode()
    assert 'id="person-shares"' in person_page
    line = ShareMovement.objects.get()
    client.force_login(audit_a)
    page = client.get(url).content.decode()
    assert "Fatima Yilmaz" in page and 'id="issue-form"' not in page
    assert client.post(url, {"action": "issue"}).status_code == 403
    correct = reverse("share_correct", kwargs={"organisation": org_a.slug, "pk": line.pk})
    assert client.post(correct, {"date": "2026-03-02"}).status_code == 403
    assert ShareMovement.objects.count() == 1


def test_anonymisation_waits_until_the_shares_are_redeemed(org_a, books):
    fatima = _person(org_a, "Fatima Yilmaz")
    _issue(org_a, fatima, 2)
    assert services.anonymisation_blockers(person=fatima) == [
        "This person holds 2 member shares; redeem or transfer them first."
    ]
    shares.shares_redeem(
        organisation=org_a, person=fatima, count=2, date=DAY, bank_account=_bank(org_a), actor=None
    )
    services.person_anonymise(person=fatima, actor=None)
    assert [line.kind for line in shares.share_history(organisation=org_a)] == [
        "redemption",
        "issue",
    ]
