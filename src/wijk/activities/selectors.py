"""Reads of activities."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from wijk.organisations.models import Organisation

from .models import Activity, AgeBand, DoorSignIn, Registration, Session


def activity_list(*, organisation: Organisation, active_only: bool = False) -> QuerySet[Activity]:
    activities = Activity.objects.for_organisation(organisation).select_related("building")
    if active_only:
        activities = activities.filter(is_active=True)
    return activities.order_by("name")


# --- Sessions and participation --------------------------------------------------------


def session_list(*, activity: Activity) -> QuerySet[Session]:
    return (
        Session.objects.filter(activity=activity)
        .select_related("building")
        .annotate(
            sign_in_count=Count("sign_ins", distinct=True),
            registration_count=Count("registrations", distinct=True),
        )
        .order_by("-date", "-start_time")
    )


def sessions_between(*, organisation: Organisation, start: date, end: date) -> QuerySet[Session]:
    return (
        Session.objects.for_organisation(organisation)
        .filter(date__gte=start, date__lte=end)
        .select_related("activity", "building")
        .order_by("date", "start_time")
    )


def session_sign_in_count(*, session: Session) -> int:
    return DoorSignIn.objects.filter(session=session).count()


def session_age_bands(*, session: Session) -> list[tuple[str, int]]:
    counts = dict(
        DoorSignIn.objects.filter(session=session)
        .exclude(age_band="")
        .values_list("age_band")
        .annotate(n=Count("id"))
        .values_list("age_band", "n")
    )
    return [(str(label), counts.get(value, 0)) for value, label in AgeBand.choices]


def session_registrations(*, session: Session) -> QuerySet[Registration]:
    return Registration.objects.filter(session=session).select_related("person").order_by("pk")


@dataclass(frozen=True)
class ActivityYearRow:
    activity: Activity
    sessions: int
    participants: int
    volunteer_minutes: int

    @property
    def volunteer_hours(self) -> Decimal:
        return (Decimal(self.volunteer_minutes) / 60).quantize(Decimal("0.1"))


# Extra volunteer minutes per activity and year from other apps (the hours volunteers
# log themselves, in `community`). Each provider returns {activity id: minutes}.
VolunteerMinutesProvider = Callable[[Organisation, int], dict[int, int]]
VOLUNTEER_MINUTES_PROVIDERS: list[VolunteerMinutesProvider] = []


def activity_year_rows(*, organisation: Organisation, year: int) -> list[ActivityYearRow]:
    """Per activity in `year`: sessions, participants (tally + sign-ins), volunteer hours."""
    sessions = Session.objects.for_organisation(organisation).filter(date__year=year)
    tallies: dict[int, dict[str, int]] = {
        row["activity"]: {"n": row["n"], "counted": row["counted"], "minutes": row["minutes"]}
        for row in sessions.values("activity").annotate(
            n=Count("id"), counted=Sum("participants_counted"), minutes=Sum("volunteer_minutes")
        )
    }
    sign_ins = dict(
        DoorSignIn.objects.filter(session__in=sessions)
        .values_list("session__activity")
        .annotate(n=Count("id"))
        .values_list("session__activity", "n")
    )
    extra: dict[int, int] = {}
    for provider in VOLUNTEER_MINUTES_PROVIDERS:
        for activity_id, minutes in provider(organisation, year).items():
            extra[activity_id] = extra.get(activity_id, 0) + minutes
    rows = []
    for activity in Activity.objects.for_organisation(organisation).order_by("name"):
        tally: dict[str, int] = tallies.get(activity.pk, {})
        rows.append(
            ActivityYearRow(
                activity=activity,
                sessions=tally.get("n", 0),
                participants=(tally.get("counted") or 0) + sign_ins.get(activity.pk, 0),
                volunteer_minutes=(tally.get("minutes") or 0) + extra.get(activity.pk, 0),
            )
        )
    return rows


def activity_year_csv(*, organisation: Organisation, year: int) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["activity", "category", "sessions", "participants", "volunteer_hours"])
    for row in activity_year_rows(organisation=organisation, year=year):
        writer.writerow(
            [
                row.activity.name,
                row.activity.category,
                row.sessions,
                row.participants,
                f"{row.volunteer_hours:.1f}",
            ]
        )
    return buffer.getvalue()


def activity_year_command_report(
    *, organisation: Organisation, year: int | None, file_format: str
) -> str:
    """`wijk report activities`: the year overview as CSV (this year by default)."""
    if file_format != "csv":
        raise ValueError(file_format)
    return activity_year_csv(organisation=organisation, year=year or timezone.localdate().year)
