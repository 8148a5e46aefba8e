"""Jobs, partners, contracts and their deadlines on the dashboard."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_user
from wijk.community import privacy, selectors, services
from wijk.community.models import Contract, ContractDeadline, Job, Partner

pytestmark = pytest.mark.django_db


def _partner(org, name="Gemeente Amsterdam", kind="municipality"):  # type: ignore[no-untyped-def]
    return services.partner_create(organisation=org, name=name, kind=kind, actor=None)


def test_job_rules_and_the_person_who_fills_it(org_a, org_b):
    person = services.person_create(
        organisation=org_a, data=services.PersonData(name="Rachid"), actor=None
    )
    stranger = services.person_create(
        organisation=org_b, data=services.PersonData(name="Vreemde"), actor=None
    )
    job = services.job_create(
        organisation=org_a,
        data=services.JobData(
            title="Beheerder buurthuis",
            kind="participation",
            hours_per_week=Decimal("24"),
            start_date=date(2026, 1, 1),
            from_neighbourhood=True,
            person=person,
        ),
        actor=None,
    )
    assert privacy.person_records(person)["community.Job"][0]["record"] == job.title
    with pytest.raises(ValidationError) as exc:
        services.job_create(
            organisation=org_a,
            data=services.JobData(
                title=" ",
                kind="boss",
                hours_per_week=Decimal("80"),
                start_date=date(2026, 2, 1),
                end_date=date(2026, 1, 1),
                person=stranger,
            ),
            actor=None,
        )
    assert set(exc.value.message_dict) == {"title", "kind", "hours_per_week", "end_date", "person"}
    assert Job.objects.count() == 1


def test_contract_end_becomes_a_deadline_on_the_dashboard(client, org_a, board_a):
    today = timezone.localdate()
    partner = _partner(org_a)
    contract = services.contract_create(
        partner=partner,
        data=services.ContractData(
            title="Groenonderhoud Slotermeer",
            kind="right_to_challenge",
            start_date=today - timedelta(days=300),
            end_date=today + timedelta(days=20),
            value_cents=24_000_00,
        ),
        actor=None,
    )
    services.deadline_add(
        contract=contract, due_on=today + timedelta(days=90), description="Jaarverslag", actor=None
    )
    due = selectors.coming_deadlines(organisation=org_a, today=today)
    assert [d.description for d in due] == ["Contract ends: renew or close"]
    client.force_login(board_a)
    html = client.get(reverse("dashboard", kwargs={"organisation": org_a.slug})).content.decode()
    assert 'id="deadlines-summary"' in html and "Contract ends" in html
    deadline = ContractDeadline.objects.get(due_on=today + timedelta(days=20))
    done = reverse(
        "deadline_done",
        kwargs={"organisation": org_a.slug, "pk": contract.pk, "deadline": deadline.pk},
    )
    assert client.post(done).status_code == 302
    assert not selectors.coming_deadlines(organisation=org_a, today=today).exists()
    with pytest.raises(ValidationError):
        services.deadline_done(deadline=ContractDeadline.objects.get(pk=deadline.pk), actor=None)


def test_partner_and_contract_pages_locate_errors(client, org_a, board_a):
    client.force_login(board_a)
    partners = reverse("partner_list", kwargs={"organisation": org_a.slug})
    bad = client.post(partners, {"name": "", "kind": "bank"})
    assert bad.status_code == 400
    assert 'id="id_kind_errors"' in bad.content.decode()
    response = client.post(partners, {"name": "Woonstichting De Key", "kind": "housing"})
    assert response.status_code == 302
    duplicate = client.post(partners, {"name": "woonstichting de key", "kind": "housing"})
    assert 'id="id_name_errors"' in duplicate.content.decode()
    partner = Partner.objects.get()
    detail = reverse("partner_detail", kwargs={"organisation": org_a.slug, "pk": partner.pk})
    bad = client.post(
        detail,
        {
            "title": "Huur",
            "kind": "lease",
            "start_date": "2026-02-01",
            "end_date": "2026-01-01",
            "value": "veel",
        },
    )
    assert bad.status_code == 400
    html = bad.content.decode()
    assert 'id="id_value_errors"' in html
    bad = client.post(
        detail,
        {
            "title": "Huur",
            "kind": "lease",
            "start_date": "2026-02-01",
            "end_date": "2026-01-01",
            "value": "1.200,00",
        },
    )
    assert 'id="id_end_date_errors"' in bad.content.decode()
    assert not Contract.objects.exists()
    ok = client.post(
        detail,
        {
            "title": "Huur buurthuis",
            "kind": "lease",
            "start_date": "2026-01-01",
            "value": "1.200,00",
        },
    )
    assert ok.status_code == 302
    contract = Contract.objects.get()
    assert contract.value_cents == 120000
    page = reverse("contract_detail", kwargs={"organisation": org_a.slug, "pk": contract.pk})
    bad = client.post(page, {"due_on": "2026-06-30", "description": ""})
    assert 'id="id_description_errors"' in bad.content.decode()
    assert (
        client.post(page, {"due_on": "2026-06-30", "description": "Huur indexeren"}).status_code
        == 302
    )
    assert "Huur indexeren" in client.get(page).content.decode()


def test_jobs_page(client, org_a, board_a):
    client.force_login(board_a)
    url = reverse("job_list", kwargs={"organisation": org_a.slug})
    bad = client.post(
        url, {"title": "Koks", "kind": "regular", "hours_per_week": "0", "start_date": "2026-01-01"}
    )
    assert bad.status_code == 400
    assert 'id="id_hours_per_week_errors"' in bad.content.decode()
    ok = client.post(
        url,
        {
            "title": "Kok",
            "kind": "supported",
            "hours_per_week": "16",
            "start_date": "2026-01-01",
            "from_neighbourhood": "on",
        },
    )
    assert ok.status_code == 302
    assert "Kok" in client.get(url).content.decode()


def test_who_may_see_and_change_partners(client, org_a):
    partner = _partner(org_a)
    detail = reverse("partner_detail", kwargs={"organisation": org_a.slug, "pk": partner.pk})
    listing = reverse("partner_list", kwargs={"organisation": org_a.slug})
    client.force_login(make_user("vrijwilliger@alfa.example", org_a, "volunteer"))
    assert client.get(listing).status_code == 403
    client.force_login(make_user("kascommissie@alfa.example", org_a, "audit_committee"))
    assert client.get(detail).status_code == 200
    assert client.post(listing, {"name": "Nieuw", "kind": "school"}).status_code == 403
    assert (
        client.post(detail, {"title": "X", "kind": "lease", "start_date": "2026-01-01"}).status_code
        == 403
    )
    assert Partner.objects.count() == 1 and not Contract.objects.exists()


def test_deadline_reminders_are_sent_once_to_board_and_coordinators(
    org_a, org_b, board_a, mailoutbox, capsys
):
    from django.core.management import call_command

    make_user("coordinator@alfa.example", org_a, "coordinator")
    make_user("vrijwilliger@alfa.example", org_a, "volunteer")
    today = timezone.localdate()
    contract = services.contract_create(
        partner=_partner(org_a),
        data=services.ContractData(
            title="Groenonderhoud",
            kind="service",
            start_date=today - timedelta(days=100),
            end_date=today + timedelta(days=10),
        ),
        actor=None,
    )
    services.deadline_add(
        contract=contract, due_on=today + timedelta(days=60), description="Later", actor=None
    )
    services.deadline_add(
        contract=contract, due_on=today - timedelta(days=1), description="Verslag", actor=None
    )
    call_command("send-deadline-reminders", "--dry-run")
    assert "alfa: 2 deadline(s)" in capsys.readouterr().out
    assert mailoutbox == []
    call_command("send-deadline-reminders")
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert sorted(message.to) == ["bestuur@alfa.example", "coordinator@alfa.example"]
    assert "Verslag" in message.body and "Groenonderhoud" in message.body
    assert "Later" not in message.body
    call_command("send-deadline-reminders")
    assert len(mailoutbox) == 1  # each deadline once
