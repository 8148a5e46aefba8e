"""Sessions, the sign-in at the door, registrations and the yearly figures per activity."""

from __future__ import annotations

import csv
import io
from datetime import date, time, timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_user
from wijk.activities import door, selectors, services
from wijk.activities.models import Activity, DoorSignIn, Registration, Session
from wijk.community import privacy
from wijk.community import services as community
from wijk.premises import services as premises

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():  # type: ignore[no-untyped-def]
    cache.clear()
    yield
    cache.clear()


def _activity(org, name="Taalcafé", **fields):  # type: ignore[no-untyped-def]
    return services.activity_create(
        organisation=org, data=services.ActivityData(name=name, **fields), actor=None
    )


def _session(activity, day=None, **fields):  # type: ignore[no-untyped-def]
    return services.session_create(
        activity=activity,
        data=services.SessionData(date=day or timezone.localdate(), start_time=time(10), **fields),
        actor=None,
    )


def test_session_takes_the_building_of_its_activity_and_validates(org_a, org_b):
    centre = premises.building_create(
        organisation=org_a, data=premises.BuildingData(name="Buurthuis"), actor=None
    )
    elsewhere = premises.building_create(
        organisation=org_b, data=premises.BuildingData(name="Elders"), actor=None
    )
    activity = _activity(org_a, building=centre)
    assert _session(activity).building == centre
    with pytest.raises(ValidationError) as exc:
        services.session_create(
            activity=activity,
            data=services.SessionData(
                date=date(2026, 3, 3),
                start_time=time(10),
                end_time=time(9),
                building=elsewhere,
                participants_counted=-1,
            ),
            actor=None,
        )
    assert set(exc.value.message_dict) == {"end_time", "building", "participants_counted"}
    assert Session.objects.count() == 1


def test_session_pages_create_edit_and_locate_errors(client, org_a, board_a):
    activity = _activity(org_a)
    client.force_login(board_a)
    create = reverse("session_create", kwargs={"organisation": org_a.slug, "pk": activity.pk})
    bad = client.post(create, {"date": "2026-13-01", "start_time": "10:00", "end_time": "09:00"})
    assert bad.status_code == 400
    assert 'id="id_date_errors"' in bad.content.decode()
    bad = client.post(create, {"date": "2026-03-03", "start_time": "10:00", "end_time": "09:00"})
    assert 'id="id_end_time_errors"' in bad.content.decode()
    assert not Session.objects.exists()
    response = client.post(
        create,
        {
            "date": "2026-03-03",
            "start_time": "10:00",
            "end_time": "12:00",
            "participants_counted": "14",
            "volunteer_hours": "4.5",
        },
    )
    assert response.status_code == 302
    session = Session.objects.get()
    assert (session.participants_counted, session.volunteer_minutes) == (14, 270)
    detail = client.get(response["Location"]).content.decode()
    assert session.door_token in detail
    assert (
        client.post(
            response["Location"],
            {"date": "2026-03-03", "start_time": "10:00", "participants_counted": "20"},
        ).status_code
        == 302
    )
    session.refresh_from_db()
    assert session.participants_counted == 20


def test_volunteers_see_sessions_but_cannot_change_them(client, org_a, volunteer_a):
    session = _session(_activity(org_a))
    person = community.person_create(
        organisation=org_a, data=community.PersonData(name="Fatima Yilmaz"), actor=None
    )
    services.registration_add(session=session, person=person, actor=None)
    client.force_login(volunteer_a)
    url = reverse("session_detail", kwargs={"organisation": org_a.slug, "pk": session.pk})
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="session-form"' not in html
    assert "Fatima" not in html  # no one's personal data
    assert 'id="registrations"' not in html
    assert (
        client.post(
            url, {"date": "2026-03-03", "start_time": "10:00", "participants_counted": "99"}
        ).status_code
        == 403
    )
    session.refresh_from_db()
    assert session.participants_counted == 0


def test_qr_code_is_an_svg_of_the_door_link(client, org_a, board_a):
    session = _session(_activity(org_a))
    client.force_login(board_a)
    response = client.get(
        reverse("session_qr", kwargs={"organisation": org_a.slug, "pk": session.pk})
    )
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<?xml") and b"<svg" in response.content


def test_door_sign_in_counts_without_names(client, org_a):
    session = _session(_activity(org_a))
    url = reverse("door_sign_in", kwargs={"token": session.door_token})
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="name"' not in page.content.decode()
    assert client.post(url, {}).status_code == 200
    thanks = client.post(url, {"postcode": "3521 AB", "age_band": "67+"})
    assert 'id="door-thanks"' in thanks.content.decode()
    assert list(DoorSignIn.objects.values_list("postcode", "age_band").order_by("pk")) == [
        ("", ""),
        ("3521", "67+"),
    ]
    assert selectors.session_sign_in_count(session=session) == 2


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"postcode": "12"}, "postcode"),
        ({"postcode": "<script>alert(1)</script>"}, "postcode"),
        ({"postcode": "1234'; DROP TABLE x;--"}, "postcode"),
        ({"postcode": "0123"}, "postcode"),
        ({"age_band": "99+"}, "age_band"),
        ({"age_band": "<b>"}, "age_band"),
    ],
)
def test_door_sign_in_refuses_bad_and_hostile_input(client, org_a, data, field):
    session = _session(_activity(org_a))
    response = client.post(reverse("door_sign_in", kwargs={"token": session.door_token}), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'href="#id_{field}' in html
    assert "<script>alert(1)</script>" not in html
    assert not DoorSignIn.objects.exists()


def test_door_sign_in_with_a_bad_token_or_method(client, org_a):
    session = _session(_activity(org_a))
    for token in ("x", "A" * 40, session.door_token[:-1] + "%3F", "%3Cscript%3E"):
        assert client.post(f"/welkom/{token}/", {}).status_code == 404
    url = reverse("door_sign_in", kwargs={"token": session.door_token})
    assert client.put(url).status_code == 405
    assert client.delete(url).status_code == 405
    assert not DoorSignIn.objects.exists()


def test_door_sign_in_is_closed_outside_the_session_day(client, org_a):
    old = _session(_activity(org_a), day=timezone.localdate() - timedelta(days=2))
    url = reverse("door_sign_in", kwargs={"token": old.door_token})
    assert 'id="door-closed"' in client.get(url).content.decode()
    assert client.post(url, {}).status_code == 400
    assert not DoorSignIn.objects.exists()
    with pytest.raises(ValidationError):
        services.door_sign_in(session=old)


def test_door_sign_in_is_rate_limited(client, org_a, monkeypatch):
    monkeypatch.setattr(door, "PER_CLIENT_LIMIT", 3)
    session = _session(_activity(org_a))
    url = reverse("door_sign_in", kwargs={"token": session.door_token})
    statuses = [client.post(url, {}).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert DoorSignIn.objects.count() == 3
    # Another client address is not held back.
    assert client.post(url, {}, REMOTE_ADDR="192.0.2.7").status_code == 200
    assert DoorSignIn.objects.count() == 4


def test_door_sign_in_session_wide_limit(client, org_a, monkeypatch):
    monkeypatch.setattr(door, "PER_SESSION_LIMIT", 2)
    session = _session(_activity(org_a))
    url = reverse("door_sign_in", kwargs={"token": session.door_token})
    for number in range(4):
        client.post(url, {}, REMOTE_ADDR=f"192.0.2.{number + 1}")
    assert DoorSignIn.objects.count() == 2


def test_client_address_reads_trusted_proxies_only(rf, settings):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.1", REMOTE_ADDR="10.0.0.1")
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    assert door.client_address(request) == "10.0.0.1"
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    assert door.client_address(request) == "198.51.100.1"


def test_registrations_block_anonymisation_until_removed(client, org_a, board_a):
    person = community.person_create(
        organisation=org_a, data=community.PersonData(name="Fatima Yilmaz"), actor=None
    )
    session = _session(_activity(org_a), day=timezone.localdate() + timedelta(days=7))
    registration = services.registration_add(session=session, person=person, actor=None)
    with pytest.raises(ValidationError):
        services.registration_add(session=session, person=person, actor=None)
    assert "activities.Registration" in privacy.person_records(person)
    assert privacy.person_records(person)["activities.Registration"][0]["id"] == registration.pk
    with pytest.raises(ValidationError) as exc:
        community.person_anonymise(person=person, actor=None)
    assert "Registered for 1 coming session" in exc.value.messages[0]
    client.force_login(board_a)
    remove = reverse(
        "registration_remove",
        kwargs={"organisation": org_a.slug, "pk": session.pk, "registration": registration.pk},
    )
    assert client.post(remove).status_code == 302
    assert not Registration.objects.exists()
    community.person_anonymise(person=person, actor=None)


def test_registration_page_refuses_another_organisations_person(client, org_a, org_b, board_a):
    stranger = community.person_create(
        organisation=org_b, data=community.PersonData(name="Vreemde"), actor=None
    )
    session = _session(_activity(org_a))
    client.force_login(board_a)
    url = reverse("registration_add", kwargs={"organisation": org_a.slug, "pk": session.pk})
    client.post(url, {"person": stranger.pk})
    assert not Registration.objects.exists()


def _year_of_sessions(org):  # type: ignore[no-untyped-def]
    cafe = _activity(org, "Taalcafé")
    _activity(org, "Moestuin")
    _session(cafe, day=date(2026, 3, 3), participants_counted=10, volunteer_minutes=120)
    _session(cafe, day=date(2026, 3, 10), participants_counted=5, volunteer_minutes=90)
    _session(cafe, day=date(2025, 3, 10), participants_counted=50)
    late = _session(cafe, day=date(2026, 3, 17))
    DoorSignIn.objects.create(organisation=org, session=late)
    return cafe


def test_year_rows_count_sessions_participants_and_hours(org_a, org_b):
    _year_of_sessions(org_a)
    _session(_activity(org_b, "Taalcafé"), day=date(2026, 3, 3), participants_counted=99)
    rows = {r.activity.name: r for r in selectors.activity_year_rows(organisation=org_a, year=2026)}
    assert (rows["Taalcafé"].sessions, rows["Taalcafé"].participants) == (3, 16)
    assert str(rows["Taalcafé"].volunteer_hours) == "3.5"
    assert (rows["Moestuin"].sessions, rows["Moestuin"].participants) == (0, 0)


def test_wijk_report_activities_prints_a_row_per_activity(org_a, capsys):
    _year_of_sessions(org_a)
    call_command("report", "activities", "--organisation", "alfa", "--year", "2026")
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows == [
        ["activity", "category", "sessions", "participants", "volunteer_hours"],
        ["Moestuin", "other", "0", "0", "0.0"],
        ["Taalcafé", "other", "3", "16", "3.5"],
    ]
    with pytest.raises(CommandError, match="--format"):
        call_command("report", "activities", "--organisation", "alfa", "--format", "pdf")
    with pytest.raises(CommandError, match="--organisation"):
        call_command("report", "activities", "--organisation", "nergens")


def test_year_page_and_csv(client, org_a, board_a, django_assert_max_num_queries):
    _year_of_sessions(org_a)
    client.force_login(board_a)
    url = reverse("activity_year", kwargs={"organisation": org_a.slug})
    with django_assert_max_num_queries(15):
        html = client.get(url + "?jaar=2026").content.decode()
    assert "Taalcafé" in html and ">16<" in html
    download = client.get(url + "?jaar=2026&formaat=csv")
    assert download["Content-Type"].startswith("text/csv")
    assert "Taalcafé,other,3,16,3.5" in download.content.decode()
    assert client.get(url + "?jaar=abc").status_code == 200


def test_session_list_keeps_queries_low(client, org_a, board_a, django_assert_max_num_queries):
    activity = _activity(org_a)
    for day in range(1, 15):
        _session(activity, day=date(2026, 4, day))
    client.force_login(board_a)
    url = reverse("session_list", kwargs={"organisation": org_a.slug, "pk": activity.pk})
    with django_assert_max_num_queries(13):
        assert client.get(url).status_code == 200


def test_activity_can_name_a_responsible_person(org_a, org_b):
    person = community.person_create(
        organisation=org_a, data=community.PersonData(name="Fatima Yilmaz"), actor=None
    )
    stranger = community.person_create(
        organisation=org_b, data=community.PersonData(name="Vreemde"), actor=None
    )
    activity = _activity(org_a, responsible=person)
    assert privacy.person_records(person)["activities.Activity"][0]["record"] == activity.name
    with pytest.raises(ValidationError) as exc:
        _activity(org_a, "Ander", responsible=stranger)
    assert "responsible" in exc.value.message_dict
    assert Activity.objects.count() == 1
    make_user("x@alfa.example", org_a, "volunteer")
