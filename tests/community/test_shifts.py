"""Volunteer shifts (coordinator plans, volunteers sign up) and milestones."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_user
from wijk.activities import services as activities
from wijk.community import services, shifts
from wijk.community.models import ShiftSignup, VolunteerHours

pytestmark = pytest.mark.django_db


def _volunteer(org, name="Fatima Yilmaz", **fields):  # type: ignore[no-untyped-def]
    return services.person_create(
        organisation=org,
        data=services.PersonData(name=name, is_volunteer=True, **fields),
        actor=None,
    )


def _shift(org, *, days=3, needed=2, task="Koffie schenken"):  # type: ignore[no-untyped-def]
    activity = activities.activity_create(
        organisation=org, data=activities.ActivityData(name=f"Taalcafé {task}"), actor=None
    )
    return shifts.shift_create(
        organisation=org,
        data=shifts.ShiftData(
            activity=activity,
            date=timezone.localdate() + timedelta(days=days),
            start_time=time(10),
            end_time=time(12),
            task=task,
            volunteers_needed=needed,
        ),
        actor=None,
    )


def test_sign_up_until_full_and_withdraw(org_a):
    shift = _shift(org_a, needed=1)
    fatima, jan = _volunteer(org_a), _volunteer(org_a, "Jan de Vries")
    shifts.shift_signup(shift=shift, person=fatima, actor=None)
    with pytest.raises(ValidationError, match="already signed up"):
        shifts.shift_signup(shift=shift, person=fatima, actor=None)
    with pytest.raises(ValidationError, match="full"):
        shifts.shift_signup(shift=shift, person=jan, actor=None)
    shifts.shift_withdraw(shift=shift, person=fatima, actor=None)
    shifts.shift_signup(shift=shift, person=jan, actor=None)
    assert [s.person for s in ShiftSignup.objects.all()] == [jan]
    with pytest.raises(ValidationError, match="not signed up"):
        shifts.shift_withdraw(shift=shift, person=fatima, actor=None)


def test_bad_shift_input_is_located(org_a):
    activity = activities.activity_create(
        organisation=org_a, data=activities.ActivityData(name="Moestuin"), actor=None
    )
    with pytest.raises(ValidationError) as error:
        shifts.shift_create(
            organisation=org_a,
            data=shifts.ShiftData(
                activity=activity,
                date=timezone.localdate() - timedelta(days=1),
                start_time=time(12),
                end_time=time(10),
                task=" ",
                volunteers_needed=0,
            ),
            actor=None,
        )
    assert set(error.value.error_dict) == {"date", "end_time", "task", "volunteers_needed"}


def test_milestones_from_hours_and_years():
    ms = shifts.Milestones(minutes=101 * 60, first_date=date(2021, 6, 1), today=date(2026, 6, 1))
    assert ms.reached == ["50 hours", "100 hours", "1 year", "5 years"]
    assert ms.latest == "100 hours, 5 years"
    assert ms.next_hours == 250
    day_before = shifts.Milestones(minutes=0, first_date=date(2025, 6, 2), today=date(2026, 6, 1))
    assert day_before.years == 0 and day_before.reached == []


def test_milestones_of_a_volunteer_from_logged_hours(org_a):
    person = _volunteer(org_a)
    today = timezone.localdate()
    for days in range(7):
        services.hours_log(
            person=person, date=today - timedelta(days=days), minutes=8 * 60, actor=None
        )
    assert shifts.milestones_for_person(person=person).reached == ["50 hours"]
    assert shifts.milestones_by_person(organisation=org_a)[person.pk].hours == 56


def test_volunteer_signs_up_from_the_phone_page_and_sees_no_names(client, org_a, volunteer_a):
    me = _volunteer(org_a, user=volunteer_a)
    other = _volunteer(org_a, "Ander Persoon")
    shift = _shift(org_a, needed=3)
    shifts.shift_signup(shift=shift, person=other, actor=None)
    client.force_login(volunteer_a)
    url = reverse("my_shifts", kwargs={"organisation": org_a.slug})
    page = client.get(url).content.decode()
    assert "Koffie schenken" in page and "1 of 3 volunteers signed up" in page
    assert "Ander Persoon" not in page
    signup = reverse("shift_signup", kwargs={"organisation": org_a.slug, "pk": shift.pk})
    assert client.post(signup).status_code == 302
    assert ShiftSignup.objects.filter(shift=shift, person=me).exists()
    page = client.get(url).content.decode()
    assert "You come" in page
    # The coordinator's overview with names is not for volunteers.
    assert client.get(reverse("shift_list", kwargs={"organisation": org_a.slug})).status_code == 403
    withdraw = reverse("shift_withdraw", kwargs={"organisation": org_a.slug, "pk": shift.pk})
    assert client.post(withdraw).status_code == 302
    assert not ShiftSignup.objects.filter(person=me).exists()


def test_login_without_a_person_cannot_sign_up(client, org_a, volunteer_a):
    shift = _shift(org_a)
    client.force_login(volunteer_a)
    signup = reverse("shift_signup", kwargs={"organisation": org_a.slug, "pk": shift.pk})
    assert client.post(signup).status_code == 403
    page = client.get(reverse("my_shifts", kwargs={"organisation": org_a.slug})).content.decode()
    assert 'id="no-person"' in page


def test_coordinator_plans_and_sees_who_comes(client, org_a, django_assert_max_num_queries):
    coordinator = make_user("coordinator@alfa.example", org_a, "coordinator")
    activity = activities.activity_create(
        organisation=org_a, data=activities.ActivityData(name="Repair café"), actor=None
    )
    client.force_login(coordinator)
    url = reverse("shift_list", kwargs={"organisation": org_a.slug})
    bad = client.post(url, {"activity": activity.pk, "date": "2000-01-01", "task": ""})
    assert bad.status_code == 400
    html = bad.content.decode()
    for field in ("start_time", "end_time", "volunteers_needed"):
        assert f'id="id_{field}_errors"' in html
    day = (timezone.localdate() + timedelta(days=5)).isoformat()
    ok = client.post(
        url,
        {
            "activity": activity.pk,
            "date": day,
            "start_time": "13:00",
            "end_time": "16:00",
            "task": "Fietsen maken",
            "volunteers_needed": "2",
        },
    )
    assert ok.status_code == 302
    for number in range(6):
        shift = _shift(org_a, task=f"Taak {number}")
        shifts.shift_signup(
            shift=shift, person=_volunteer(org_a, f"Vrijwilliger {number}"), actor=None
        )
    # Constant: the shifts, their sign-ups, and the choices of the form.
    with django_assert_max_num_queries(14):
        page = client.get(url).content.decode()
    assert "Fietsen maken" in page and "Vrijwilliger 5" in page


def test_volunteer_sees_only_own_hours_and_milestones(client, org_a, volunteer_a):
    me = _volunteer(org_a, user=volunteer_a)
    other = _volunteer(org_a, "Ander Persoon")
    services.hours_log(person=other, date=timezone.localdate(), minutes=600, actor=None)
    services.hours_log(person=me, date=timezone.localdate(), minutes=60, actor=None)
    client.force_login(volunteer_a)
    page = client.get(reverse("my_hours", kwargs={"organisation": org_a.slug})).content.decode()
    assert 'id="milestones"' in page and "1 hours in all" in page
    assert "Ander Persoon" not in page
    assert VolunteerHours.objects.count() == 2


def test_a_shift_that_has_ended_today_is_not_coming_any_more(org_a):
    from datetime import datetime

    today = _shift(org_a, days=0, task="Ochtend")  # 10:00–12:00 today
    later = _shift(org_a, days=1, task="Morgen")
    start, end = shifts.signup_window()
    day = timezone.localdate()

    def tasks(now):  # type: ignore[no-untyped-def]
        rows = shifts.shift_rows(organisation=org_a, start=start, end=end, now=now)
        return [row.shift.task for row in rows]

    assert tasks(datetime.combine(day, time(11))) == ["Ochtend", "Morgen"]  # still on
    assert tasks(datetime.combine(day, time(12))) == ["Morgen"]  # over at 12:00
    assert tasks(None) == ["Ochtend", "Morgen"]
    assert (today.task, later.task) == ("Ochtend", "Morgen")
