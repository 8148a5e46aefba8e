"""Reads of the registry of persons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from wijk.organisations.models import Organisation

from .models import (
    Consent,
    Contract,
    ContractDeadline,
    Decision,
    Job,
    Partner,
    Person,
    Purpose,
    VolunteerAllowance,
    VolunteerHours,
)

KINDS = ("member", "volunteer", "staff", "contact", "customer", "former")


def person_list(*, organisation: Organisation, kind: str = "") -> QuerySet[Person]:
    persons = Person.objects.for_organisation(organisation).not_anonymised()
    today = timezone.localdate()
    current_member = Q(member_since__isnull=False) & (
        Q(member_until__isnull=True) | Q(member_until__gte=today)
    )
    filters = {
        "member": current_member,
        "volunteer": Q(is_volunteer=True),
        "staff": Q(is_staff_member=True),
        "contact": Q(is_contact=True),
        "customer": Q(is_customer=True),
        "former": Q(member_until__lt=today),
    }
    if kind in filters:
        persons = persons.filter(filters[kind])
    return persons.order_by("name", "pk")


def membership_fees_total(*, persons: QuerySet[Person]) -> int:
    """The yearly fees of these persons together: what membership should bring in a year."""
    return int(persons.aggregate(total=Sum("membership_fee_cents"))["total"] or 0)


@dataclass(frozen=True)
class ConsentState:
    purpose: str
    label: str
    given: bool | None  # None: never asked
    latest: Consent | None


def consent_states(*, person: Person) -> list[ConsentState]:
    """The current state per purpose: the latest record decides."""
    latest: dict[str, Consent] = {}
    for consent in Consent.objects.filter(person=person).order_by("recorded_on", "pk"):
        latest[consent.purpose] = consent
    return [
        ConsentState(
            purpose=value,
            label=str(label),
            given=latest[value].given if value in latest else None,
            latest=latest.get(value),
        )
        for value, label in Purpose.choices
    ]


def consent_history(*, person: Person) -> QuerySet[Consent]:
    return Consent.objects.filter(person=person).order_by("-recorded_on", "-pk")


def person_for_user(*, organisation: Organisation, user_id: int) -> Person | None:
    return (
        Person.objects.for_organisation(organisation)
        .not_anonymised()
        .filter(user_id=user_id)
        .first()
    )


# --- Volunteers -------------------------------------------------------------------------


def hours_for_person(*, person: Person, year: int | None = None) -> QuerySet[VolunteerHours]:
    hours = VolunteerHours.objects.filter(person=person).select_related("activity", "session")
    if year is not None:
        hours = hours.filter(date__year=year)
    return hours.order_by("-date", "-pk")


def minutes_total(hours: QuerySet[VolunteerHours]) -> int:
    return int(hours.aggregate(total=Sum("minutes"))["total"] or 0)


def allowances_for_person(*, person: Person) -> QuerySet[VolunteerAllowance]:
    return VolunteerAllowance.objects.filter(person=person).order_by("-date", "-pk")


@dataclass(frozen=True)
class VolunteerRow:
    person: Person
    minutes: int
    allowance_cents: int
    maximum_cents: int

    @property
    def hours(self) -> str:
        return f"{self.minutes // 60}:{self.minutes % 60:02d}"

    @property
    def near_maximum(self) -> bool:
        """Four fifths of the yearly maximum or more: time to look before paying again."""
        return self.allowance_cents * 5 >= self.maximum_cents * 4

    @property
    def over_maximum(self) -> bool:
        return self.allowance_cents > self.maximum_cents


def volunteer_rows(
    *, organisation: Organisation, year: int, maximum_cents: int
) -> list[VolunteerRow]:
    persons = (
        Person.objects.for_organisation(organisation)
        .not_anonymised()
        .filter(is_volunteer=True)
        .annotate(
            year_minutes=Sum("hours__minutes", filter=Q(hours__date__year=year)),
        )
        .order_by("name", "pk")
    )
    allowances = dict(
        VolunteerAllowance.objects.for_organisation(organisation)
        .filter(date__year=year)
        .values_list("person")
        .annotate(total=Sum("amount_cents"))
        .values_list("person", "total")
    )
    return [
        VolunteerRow(
            person=person,
            minutes=int(getattr(person, "year_minutes", 0) or 0),
            allowance_cents=int(allowances.get(person.pk, 0)),
            maximum_cents=maximum_cents,
        )
        for person in persons
    ]


def volunteer_minutes_by_activity(organisation: Organisation, year: int) -> dict[int, int]:
    """Logged hours per activity in `year`, for the activities' year overview."""
    return {
        activity: int(total or 0)
        for activity, total in VolunteerHours.objects.for_organisation(organisation)
        .filter(date__year=year, activity__isnull=False)
        .values_list("activity")
        .annotate(total=Sum("minutes"))
        .values_list("activity", "total")
    }


def volunteer_minutes_in_year(*, organisation: Organisation, year: int) -> int:
    return minutes_total(
        VolunteerHours.objects.for_organisation(organisation).filter(date__year=year)
    )


def decision_list(*, organisation: Organisation) -> QuerySet[Decision]:
    return Decision.objects.for_organisation(organisation).order_by("-date", "-pk")


@dataclass(frozen=True)
class CommunitySummary:
    year: int
    week_sessions: list[Any]
    volunteer_minutes: int
    participants: int
    members: int
    volunteers: int
    deadlines: list[Any]
    jobs: int

    @property
    def volunteer_hours(self) -> int:
        return round(self.volunteer_minutes / 60)


def community_summary(*, organisation: Organisation, today: date) -> CommunitySummary:
    """For the dashboard: this week's sessions, hours and people reached this year."""
    from wijk.activities import selectors as activities

    monday = today - timedelta(days=today.weekday())
    rows = activities.activity_year_rows(organisation=organisation, year=today.year)
    session_minutes = sum(row.volunteer_minutes for row in rows)
    logged_without_activity = minutes_total(
        VolunteerHours.objects.for_organisation(organisation).filter(
            date__year=today.year, activity__isnull=True
        )
    )
    counts = (
        Person.objects.for_organisation(organisation)
        .not_anonymised()
        .aggregate(
            members=Count(
                "id",
                filter=Q(member_since__isnull=False)
                & (Q(member_until__isnull=True) | Q(member_until__gte=today)),
            ),
            volunteers=Count("id", filter=Q(is_volunteer=True)),
        )
    )
    return CommunitySummary(
        year=today.year,
        week_sessions=list(
            activities.sessions_between(
                organisation=organisation, start=monday, end=monday + timedelta(days=6)
            )
        ),
        volunteer_minutes=session_minutes + logged_without_activity,
        participants=sum(row.participants for row in rows),
        members=counts["members"],
        volunteers=counts["volunteers"],
        deadlines=list(coming_deadlines(organisation=organisation, today=today)),
        jobs=Job.objects.for_organisation(organisation)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today), start_date__lte=today)
        .count(),
    )


def job_list(*, organisation: Organisation) -> QuerySet[Job]:
    return (
        Job.objects.for_organisation(organisation).select_related("person").order_by("title", "pk")
    )


def partner_list(*, organisation: Organisation) -> QuerySet[Partner]:
    return (
        Partner.objects.for_organisation(organisation)
        .select_related("contact")
        .annotate(contract_count=Count("contracts"))
        .order_by("name")
    )


def contract_list(*, partner: Partner) -> QuerySet[Contract]:
    return Contract.objects.filter(partner=partner).order_by("-start_date", "title")


def deadline_list(*, contract: Contract) -> QuerySet[ContractDeadline]:
    return ContractDeadline.objects.filter(contract=contract).order_by("due_on", "pk")


def coming_deadlines(
    *, organisation: Organisation, today: date, days: int = 30
) -> QuerySet[ContractDeadline]:
    """Open deadlines that are overdue or fall within `days`: the dashboard's reminders."""
    return (
        ContractDeadline.objects.filter(
            organisation=organisation,
            done_on__isnull=True,
            due_on__lte=today + timedelta(days=days),
        )
        .select_related("contract__partner")
        .order_by("due_on", "pk")
    )
