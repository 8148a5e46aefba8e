"""Volunteers log their own hours; allowances warn before the legal maximum; decisions."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_user
from wijk.activities import selectors as activity_selectors
from wijk.activities import services as activities
from wijk.community import privacy, selectors, services
from wijk.community.forms import parse_duration_minutes
from wijk.community.models import Decision, VolunteerAllowance, VolunteerHours

pytestmark = pytest.mark.django_db


def _volunteer(org, name="Fatima Yilmaz", **fields):  # type: ignore[no-untyped-def]
    return services.person_create(
        organisation=org,
        data=services.PersonData(name=name, is_volunteer=True, **fields),
        actor=None,
    )


@pytest.mark.parametrize(
    ("text", "minutes"), [("2,5", 150), ("2.5", 150), ("2:30", 150), ("3", 180), (" 0:45 ", 45)]
)
def test_durations_as_people_type_them(text, minutes):
    assert parse_duration_minutes(text) == minutes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "duration"),
        ("twee", "duration"),
        ("2:75", "duration"),
        ("nan", "duration"),
        ("2:3:4", "duration"),
        # a number, but not a day's work: say so rather than ask for a number again
        ("-1", "duration_range"),
        ("1e9999", "duration_range"),
        ("30", "duration_range"),
        ("24:30", "duration_range"),
    ],
)
def test_bad_durations_are_refused(text, code):
    from django import forms

    with pytest.raises(forms.ValidationError) as exc:
        parse_duration_minutes(text)
    assert exc.value.code == code


def test_hours_log_validates_and_links_the_session_activity(org_a, org_b):
    person = _volunteer(org_a)
    cafe = activities.activity_create(
        organisation=org_a, data=activities.ActivityData(name="Taalcafé"), actor=None
    )
    other = activities.activity_create(
        organisation=org_a, data=activities.ActivityData(name="Moestuin"), actor=None
    )
    foreign = activities.activity_create(
        organisation=org_b, data=activities.ActivityData(name="Elders"), actor=None
    )
    session = activities.session_create(
        activity=cafe,
        data=activities.SessionData(date=timezone.localdate(), start_time=time(10)),
        actor=None,
    )
    entry = services.hours_log(
        person=person, date=timezone.localdate(), minutes=120, session=session, actor=None
    )
    assert entry.activity == cafe
    for kwargs, field in (
        ({"date": timezone.localdate() + timedelta(days=1), "minutes": 60}, "date"),
        ({"date": timezone.localdate() - timedelta(days=400), "minutes": 60}, "date"),
        ({"date": timezone.localdate(), "minutes": 0}, "minutes"),
        ({"date": timezone.localdate(), "minutes": 25 * 60}, "minutes"),
        ({"date": timezone.localdate(), "minutes": 60, "activity": foreign}, "activity"),
        (
            {"date": timezone.localdate(), "minutes": 60, "activity": other, "session": session},
            "session",
        ),
    ):
        with pytest.raises(ValidationError) as exc:
            services.hours_log(person=person, actor=None, **kwargs)
        assert field in exc.value.message_dict
    assert VolunteerHours.objects.count() == 1


def test_logged_hours_count_in_the_activity_year_overview(org_a):
    person = _volunteer(org_a)
    cafe = activities.activity_create(
        organisation=org_a, data=activities.ActivityData(name="Taalcafé"), actor=None
    )
    activities.session_create(
        activity=cafe,
        data=activities.SessionData(
            date=date(2026, 1, 6), start_time=time(10), volunteer_minutes=60
        ),
        actor=None,
    )
    today = timezone.localdate()
    services.hours_log(person=person, date=today, minutes=90, activity=cafe, actor=None)
    rows = activity_selectors.activity_year_rows(organisation=org_a, year=today.year)
    expected = 90 + (60 if today.year == 2026 else 0)
    assert rows[0].volunteer_minutes == expected


def test_a_volunteer_logs_and_sees_only_their_own_hours(client, org_a, volunteer_a):
    me = _volunteer(org_a, "Ik", user=volunteer_a)
    other = _volunteer(org_a, "Ander Persoon")
    theirs = services.hours_log(
        person=other, date=timezone.localdate(), minutes=60, description="Geheim werk", actor=None
    )
    client.force_login(volunteer_a)
    url = reverse("my_hours", kwargs={"organisation": org_a.slug})
    bad = client.post(url, {"date": timezone.localdate().isoformat(), "duration": "lang"})
    assert bad.status_code == 400
    assert 'id="id_duration_errors"' in bad.content.decode()
    assert not VolunteerHours.objects.filter(person=me).exists()
    response = client.post(
        url,
        {
            "date": timezone.localdate().isoformat(),
            "duration": "2,5",
            "description": "Koffie geschonken",
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Koffie geschonken" in page and "2:30" in page
    assert "Geheim werk" not in page and "Ander Persoon" not in page
    # Not someone else's entry, and no one's personal data.
    delete_theirs = reverse("my_hours_delete", kwargs={"organisation": org_a.slug, "pk": theirs.pk})
    assert client.post(delete_theirs).status_code == 404
    assert VolunteerHours.objects.filter(pk=theirs.pk).exists()
    for name in ("person_list", "volunteer_list"):
        assert client.get(reverse(name, kwargs={"organisation": org_a.slug})).status_code == 403
    detail = reverse("person_detail", kwargs={"organisation": org_a.slug, "pk": other.pk})
    assert client.get(detail).status_code == 403
    mine = VolunteerHours.objects.get(person=me)
    delete_mine = reverse("my_hours_delete", kwargs={"organisation": org_a.slug, "pk": mine.pk})
    assert client.post(delete_mine).status_code == 302
    assert not VolunteerHours.objects.filter(person=me).exists()


def test_my_hours_without_a_linked_person(client, org_a, volunteer_a):
    client.force_login(volunteer_a)
    url = reverse("my_hours", kwargs={"organisation": org_a.slug})
    assert 'id="no-person"' in client.get(url).content.decode()
    assert client.post(url, {"date": "2026-01-01", "duration": "1"}).status_code == 400
    assert not VolunteerHours.objects.exists()


def test_allowance_warns_before_the_maximum(org_a, settings):
    settings.WIJK_VOLUNTEER_ALLOWANCE_MAX_CENTS = 10000
    person = _volunteer(org_a)
    today = timezone.localdate()
    services.allowance_record(person=person, date=today, amount_cents=8000, actor=None)
    with pytest.raises(ValidationError) as exc:
        services.allowance_record(person=person, date=today, amount_cents=2001, actor=None)
    message = exc.value.message_dict["amount"][0]
    assert "€ 100,01" in message and "€ 100,00" in message
    assert services.allowance_year_total(person=person, year=today.year) == 8000
    services.allowance_record(
        person=person, date=today, amount_cents=2001, over_maximum_confirmed=True, actor=None
    )
    row = selectors.volunteer_rows(organisation=org_a, year=today.year, maximum_cents=10000)[0]
    assert row.over_maximum and row.near_maximum
    with pytest.raises(ValidationError) as exc:
        services.allowance_record(person=person, date=today, amount_cents=0, actor=None)
    assert "amount" in exc.value.message_dict


def test_allowance_warns_before_the_monthly_maximum(org_a, settings):
    settings.WIJK_VOLUNTEER_ALLOWANCE_MONTH_MAX_CENTS = 21000
    person = _volunteer(org_a)
    services.allowance_record(person=person, date=date(2026, 3, 2), amount_cents=15000, actor=None)
    # another month is its own month
    services.allowance_record(person=person, date=date(2026, 4, 1), amount_cents=15000, actor=None)
    with pytest.raises(ValidationError) as exc:
        services.allowance_record(
            person=person, date=date(2026, 3, 31), amount_cents=6001, actor=None
        )
    messages = exc.value.message_dict["amount"]
    assert "March 2026 come to € 210,01" in messages[0] and "€ 210,00 a month" in messages[0]
    assert "Tick the box below" in messages[-1]
    assert services.allowance_month_total(person=person, year=2026, month=3) == 15000
    services.allowance_record(
        person=person,
        date=date(2026, 3, 31),
        amount_cents=6001,
        over_maximum_confirmed=True,
        actor=None,
    )
    assert services.allowance_month_total(person=person, year=2026, month=3) == 21001
    services.allowance_record(person=person, date=date(2026, 4, 2), amount_cents=6000, actor=None)


def test_allowance_maximum_default_is_the_dutch_figure():
    from django.conf import settings

    assert settings.WIJK_VOLUNTEER_ALLOWANCE_MAX_CENTS == 210000
    assert settings.WIJK_VOLUNTEER_ALLOWANCE_MONTH_MAX_CENTS == 21000


def test_allowance_page_shows_the_warning_and_who_may_record(client, org_a, board_a, settings):
    settings.WIJK_VOLUNTEER_ALLOWANCE_MAX_CENTS = 10000
    person = _volunteer(org_a)
    url = reverse("allowance_add", kwargs={"organisation": org_a.slug, "pk": person.pk})
    today = timezone.localdate().isoformat()
    client.force_login(board_a)
    assert client.post(url, {"date": today, "amount": "veel"}).status_code == 400
    assert client.post(url, {"date": today, "amount": "85,00"}).status_code == 302
    over = client.post(url, {"date": today, "amount": "20,00"})
    assert over.status_code == 400
    assert "above the tax-free maximum" in over.content.decode()
    detail = reverse("person_detail", kwargs={"organisation": org_a.slug, "pk": person.pk})
    assert 'id="allowance-warning"' in client.get(detail).content.decode()
    assert VolunteerAllowance.objects.count() == 1
    client.force_login(make_user("coordinator@alfa.example", org_a, "coordinator"))
    assert client.post(url, {"date": today, "amount": "1,00"}).status_code == 403
    client.force_login(make_user("kascommissie@alfa.example", org_a, "audit_committee"))
    assert client.post(url, {"date": today, "amount": "1,00"}).status_code == 403
    assert VolunteerAllowance.objects.count() == 1


def test_hours_and_allowances_are_in_the_export_and_survive_anonymisation(org_a):
    person = _volunteer(org_a)
    services.hours_log(
        person=person,
        date=timezone.localdate(),
        minutes=60,
        description="Bij mevrouw De Boer thuis",
        actor=None,
    )
    services.allowance_record(
        person=person, date=timezone.localdate(), amount_cents=5000, note="Januari", actor=None
    )
    records = privacy.person_records(person)
    assert records["community.VolunteerHours"][0]["minutes"] == 60
    assert records["community.VolunteerAllowance"][0]["amount_cents"] == 5000
    services.person_anonymise(person=person, actor=None)
    entry = VolunteerHours.objects.get()
    allowance = VolunteerAllowance.objects.get()
    assert (entry.minutes, entry.description) == (60, "")
    assert (allowance.amount_cents, allowance.note) == (5000, "")


def test_volunteer_overview(client, org_a, board_a, django_assert_max_num_queries):
    for number in range(8):
        person = _volunteer(org_a, f"Vrijwilliger {number}", skills="koken")
        services.hours_log(person=person, date=timezone.localdate(), minutes=30, actor=None)
    client.force_login(board_a)
    url = reverse("volunteer_list", kwargs={"organisation": org_a.slug})
    # Constant: the volunteers, their allowances and their milestones are grouped queries.
    with django_assert_max_num_queries(13):
        html = client.get(url).content.decode()
    assert "Vrijwilliger 7" in html and "0:30" in html


def test_decision_register(client, org_a, board_a, volunteer_a):
    url = reverse("decision_list", kwargs={"organisation": org_a.slug})
    client.force_login(board_a)
    bad = client.post(url, {"date": "2026-01-01", "body": "king", "text": "", "outcome": "adopted"})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert 'id="id_body_errors"' in html
    assert not Decision.objects.exists()
    bad = client.post(
        url, {"date": "2026-01-01", "body": "board", "text": " ", "outcome": "adopted"}
    )
    assert 'id="id_text_errors"' in bad.content.decode()
    ok = client.post(
        url,
        {
            "date": "2026-01-01",
            "body": "general_meeting",
            "outcome": "adopted",
            "text": "De jaarrekening 2025 is vastgesteld.",
            "votes": "12 voor",
        },
    )
    assert ok.status_code == 302
    client.force_login(volunteer_a)
    assert "De jaarrekening 2025" in client.get(url).content.decode()
    assert (
        client.post(
            url, {"date": "2026-01-02", "body": "board", "text": "X", "outcome": "adopted"}
        ).status_code
        == 403
    )
    assert Decision.objects.count() == 1
    with pytest.raises(ValidationError) as exc:
        services.decision_record(
            organisation=org_a,
            date=date(2099, 1, 1),
            body="board",
            text="X",
            outcome="maybe",
            actor=None,
        )
    assert set(exc.value.message_dict) == {"date", "outcome"}


def test_dashboard_shows_this_weeks_sessions_hours_and_people_reached(client, org_a, board_a):
    person = _volunteer(org_a, member_since=date(2020, 1, 1))
    cafe = activities.activity_create(
        organisation=org_a, data=activities.ActivityData(name="Taalcafé"), actor=None
    )
    today = timezone.localdate()
    activities.session_create(
        activity=cafe,
        data=activities.SessionData(date=today, start_time=time(19), participants_counted=12),
        actor=None,
    )
    services.hours_log(person=person, date=today, minutes=120, actor=None)
    summary = selectors.community_summary(organisation=org_a, today=today)
    assert (summary.participants, summary.volunteer_hours) == (12, 2)
    assert (summary.members, summary.volunteers) == (1, 1)
    client.force_login(board_a)
    html = client.get(reverse("dashboard", kwargs={"organisation": org_a.slug})).content.decode()
    assert 'id="week-sessions"' in html and "Taalcafé" in html


def test_a_person_sees_everything_held_about_themselves_only(client, org_a, volunteer_a):
    me = _volunteer(org_a, "Ik Zelf", user=volunteer_a, email="ik@example.nl")
    _volunteer(org_a, "Ander Persoon", email="ander@example.nl")
    services.hours_log(person=me, date=timezone.localdate(), minutes=60, actor=None)
    client.force_login(volunteer_a)
    url = reverse("my_data", kwargs={"organisation": org_a.slug})
    html = client.get(url).content.decode()
    assert "ik@example.nl" in html and "ander@example.nl" not in html
    download = client.get(url + "?formaat=json")
    assert download["Content-Type"].startswith("application/json")
    assert "ik@example.nl" in download.content.decode()
    assert "ander@example.nl" not in client.get(url + "?formaat=csv").content.decode()


def test_my_data_without_a_linked_person(client, org_a, volunteer_a):
    client.force_login(volunteer_a)
    url = reverse("my_data", kwargs={"organisation": org_a.slug})
    assert 'id="no-person"' in client.get(url + "?formaat=json").content.decode()


def test_my_data_page_names_records_and_fields_as_people_read_them(client, org_a, volunteer_a):
    me = _volunteer(org_a, "Ik Zelf", user=volunteer_a, email="ik@example.nl")
    services.hours_log(person=me, date=timezone.localdate(), minutes=90, actor=None)
    client.force_login(volunteer_a)
    html = client.get(reverse("my_data", kwargs={"organisation": org_a.slug})).content.decode()
    # The page shows each kind of record and each field by its name, never the model's
    # label or a field's code name (the download files keep those).
    assert ">community.VolunteerHours<" not in html and ">community.Person<" not in html
    assert "<dt>record</dt>" not in html and "<dt>id</dt>" not in html
    assert "<dt>minutes</dt>" not in html
    hours = html.split('data-records="community.VolunteerHours"')[1].split("</section>")[0]
    assert "<h2" in hours
    assert "<dt>Minutes</dt>" in hours or "<dt>Minuten</dt>" in hours
