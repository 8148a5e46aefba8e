"""Role rules of issue 6: a volunteer sees only their own hours and data; the audit
committee reads but cannot change."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from wijk.activities import services as activities
from wijk.community import services, shifts
from wijk.community.models import (
    Contract,
    ContractDeadline,
    Decision,
    Partner,
    Person,
    ShareMovement,
    Shift,
)
from wijk.sales.models import Invoice

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(org_a, books):  # type: ignore[no-untyped-def]
    person = services.person_create(
        organisation=org_a,
        data=services.PersonData(
            name="Fatima Yilmaz",
            email="fatima@example.nl",
            is_volunteer=True,
            member_since=date(2025, 1, 1),
            membership_fee_cents=2500,
        ),
        actor=None,
    )
    services.hours_log(person=person, date=timezone.localdate(), minutes=90, actor=None)
    partner = services.partner_create(
        organisation=org_a, name="Gemeente", kind="municipality", actor=None
    )
    contract = services.contract_create(
        partner=partner,
        data=services.ContractData(
            title="Groen", kind="service", start_date=date(2026, 1, 1), end_date=date(2026, 12, 31)
        ),
        actor=None,
    )
    activity = activities.activity_create(
        organisation=org_a, data=activities.ActivityData(name="Buurtbar"), actor=None
    )
    shift = shifts.shift_create(
        organisation=org_a,
        data=shifts.ShiftData(
            activity=activity,
            date=timezone.localdate() + timedelta(days=1),
            start_time=time(10),
            end_time=time(12),
            task="Koffie",
            volunteers_needed=2,
        ),
        actor=None,
    )
    return {"person": person, "contract": contract, "partner": partner, "shift": shift}


def _url(org, name, **kwargs):  # type: ignore[no-untyped-def]
    return reverse(name, kwargs={"organisation": org.slug, **kwargs})


def test_audit_committee_reads_but_cannot_change(client, org_a, audit_a, registry):
    client.force_login(audit_a)
    person, contract = registry["person"], registry["contract"]
    readable = [
        _url(org_a, "person_list"),
        _url(org_a, "person_detail", pk=person.pk),
        _url(org_a, "volunteer_list"),
        _url(org_a, "shift_list"),
        _url(org_a, "decision_list"),
        _url(org_a, "partner_list"),
        _url(org_a, "contract_detail", pk=contract.pk),
        _url(org_a, "membership_fees"),
        _url(org_a, "share_register"),
    ]
    for url in readable:
        assert client.get(url).status_code == 200, url
    counts = (
        Person.objects.count(),
        Decision.objects.count(),
        Shift.objects.count(),
        Invoice.objects.count(),
        ShareMovement.objects.count(),
        Partner.objects.count(),
        Contract.objects.count(),
        ContractDeadline.objects.count(),
    )
    changes = [
        (_url(org_a, "person_create"), {"name": "Nieuw"}),
        (_url(org_a, "person_edit", pk=person.pk), {"name": "Anders"}),
        (_url(org_a, "person_anonymise", pk=person.pk), {"confirm": "on"}),
        (
            _url(org_a, "decision_list"),
            {"date": "2026-01-01", "body": "board", "text": "x", "outcome": "adopted"},
        ),
        (_url(org_a, "shift_list"), {"task": "x"}),
        (_url(org_a, "membership_fees"), {"year": "2026"}),
        (_url(org_a, "share_register"), {"action": "issue"}),
        (_url(org_a, "partner_list"), {"name": "Nieuwe partner", "kind": "school"}),
        (
            _url(org_a, "contract_detail", pk=contract.pk),
            {"due_on": "2026-05-01", "description": "x"},
        ),
        (_url(org_a, "contract_detail", pk=contract.pk), {"action": "books"}),
    ]
    for url, data in changes:
        assert client.post(url, data).status_code in {403, 405}, url
    assert counts == (
        Person.objects.count(),
        Decision.objects.count(),
        Shift.objects.count(),
        Invoice.objects.count(),
        ShareMovement.objects.count(),
        Partner.objects.count(),
        Contract.objects.count(),
        ContractDeadline.objects.count(),
    )
    assert Person.objects.get(pk=person.pk).name == "Fatima Yilmaz"


def test_volunteer_sees_only_their_own_hours_and_data(client, org_a, volunteer_a, registry):
    me = services.person_create(
        organisation=org_a,
        data=services.PersonData(name="Joost Visser", is_volunteer=True, user=volunteer_a),
        actor=None,
    )
    shifts.shift_signup(shift=registry["shift"], person=registry["person"], actor=None)
    client.force_login(volunteer_a)
    own_pages = [_url(org_a, "my_hours"), _url(org_a, "my_shifts"), _url(org_a, "my_data")]
    for url in own_pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "Fatima" not in html and "fatima@example.nl" not in html, url
    assert "Joost Visser" in client.get(_url(org_a, "my_data")).content.decode()
    closed = [
        _url(org_a, "person_list"),
        _url(org_a, "person_detail", pk=registry["person"].pk),
        _url(org_a, "person_export", pk=registry["person"].pk),
        _url(org_a, "volunteer_list"),
        _url(org_a, "shift_list"),
        _url(org_a, "membership_fees"),
        _url(org_a, "share_register"),
        _url(org_a, "partner_list"),
        _url(org_a, "contract_detail", pk=registry["contract"].pk),
    ]
    for url in closed:
        assert client.get(url).status_code == 403, url
    assert me.pk != registry["person"].pk
