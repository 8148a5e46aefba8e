"""Volunteer shifts and milestones.

A *shift* is a stretch of work at an activity (optionally at one of its sessions) for
which the coordinator needs a number of volunteers: "Koffie schenken, zaterdag 10 tot
12 uur, 2 nodig". Volunteers see the coming shifts on their phone and sign up or
withdraw; the coordinator sees who comes and where people are still missing.

*Milestones* thank a volunteer for what they gave: 50, 100, 250, 500 and 1000 hours
logged, and 1, 5, 10 and 25 years since their first logged hours. They are worked out
from the hours themselves, never stored, so they are always right.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Min, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wijk.accounts.models import User
from wijk.activities.models import Activity, Session
from wijk.core.models import audit_record
from wijk.organisations.models import Organisation

from .models import Person, Shift, ShiftSignup, VolunteerHours

HOUR_MILESTONES = (50, 100, 250, 500, 1000)
YEAR_MILESTONES = (1, 5, 10, 25)
# How far ahead a volunteer sees shifts to sign up for.
SIGNUP_WINDOW_DAYS = 60


@dataclass(frozen=True)
class ShiftData:
    activity: Activity
    date: date
    start_time: time
    end_time: time
    task: str
    volunteers_needed: int
    session: Session | None = None


@transaction.atomic
def shift_create(*, organisation: Organisation, data: ShiftData, actor: User | None) -> Shift:
    errors: dict[str, list[ValidationError]] = {}
    task = data.task.strip()
    if not task:
        errors["task"] = [ValidationError(_("Say what the volunteers will do."))]
    if data.activity.organisation_id != organisation.pk:
        errors["activity"] = [ValidationError(_("Unknown activity."))]
    if data.session is not None:
        if data.session.organisation_id != organisation.pk:
            errors["session"] = [ValidationError(_("Unknown session."))]
        elif data.session.activity_id != data.activity.pk:
            errors["session"] = [ValidationError(_("This session belongs to another activity."))]
        elif data.session.date != data.date:
            errors["date"] = [ValidationError(_("Give the date of the session."))]
    if data.date < timezone.localdate():
        errors["date"] = [ValidationError(_("Choose today or a later date."))]
    if data.end_time <= data.start_time:
        errors["end_time"] = [ValidationError(_("The end must be after the start."))]
    if not 1 <= data.volunteers_needed <= 50:
        errors["volunteers_needed"] = [ValidationError(_("Give a number from 1 to 50."))]
    if errors:
        raise ValidationError(errors)
    shift = Shift.objects.create(
        organisation=organisation,
        activity=data.activity,
        session=data.session,
        date=data.date,
        start_time=data.start_time,
        end_time=data.end_time,
        task=task[:120],
        volunteers_needed=data.volunteers_needed,
    )
    audit_record(
        action="shift.create",
        actor=actor,
        organisation=organisation,
        obj=shift,
        data={"task": shift.task, "date": shift.date.isoformat()},
    )
    return shift


@transaction.atomic
def shift_signup(*, shift: Shift, person: Person, actor: User | None) -> ShiftSignup:
    """The volunteer says they will come. Refused when the shift is past or full."""
    shift = Shift.objects.select_for_update().get(pk=shift.pk)
    if person.organisation_id != shift.organisation_id or person.anonymised_at is not None:
        raise ValidationError(_("Unknown person."))
    if shift.date < timezone.localdate():
        raise ValidationError(_("This shift is over."))
    if ShiftSignup.objects.filter(shift=shift, person=person).exists():
        raise ValidationError(_("You are already signed up for this shift."))
    if shift.signups.count() >= shift.volunteers_needed:
        raise ValidationError(_("This shift is full. Thank you all the same!"))
    try:
        with transaction.atomic():
            signup = ShiftSignup.objects.create(
                organisation=shift.organisation, shift=shift, person=person
            )
    except IntegrityError as exc:  # signed up twice at the same moment
        raise ValidationError(_("You are already signed up for this shift.")) from exc
    audit_record(
        action="shift.signup",
        actor=actor,
        organisation=shift.organisation,
        obj=shift,
        data={"id": person.pk, "date": shift.date.isoformat()},
    )
    return signup


@transaction.atomic
def shift_withdraw(*, shift: Shift, person: Person, actor: User | None) -> None:
    if shift.date < timezone.localdate():
        raise ValidationError(_("This shift is over."))
    deleted, _rows = ShiftSignup.objects.filter(shift=shift, person=person).delete()
    if not deleted:
        raise ValidationError(_("You were not signed up for this shift."))
    audit_record(
        action="shift.withdraw",
        actor=actor,
        organisation=shift.organisation,
        obj=shift,
        data={"id": person.pk, "date": shift.date.isoformat()},
    )


# --- reads -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShiftRow:
    shift: Shift
    volunteers: list[Person]
    mine: bool = False

    @property
    def missing(self) -> int:
        return max(self.shift.volunteers_needed - len(self.volunteers), 0)


def shift_rows(
    *,
    organisation: Organisation,
    start: date,
    end: date,
    person: Person | None = None,
    now: datetime | None = None,
) -> list[ShiftRow]:
    """Shifts from `start` to `end` with who comes; two queries whatever the number.

    With `now` (local time), a shift of that day that has ended is not coming any more.
    """
    shifts: QuerySet[Shift] = Shift.objects.for_organisation(organisation).filter(
        date__gte=start, date__lte=end
    )
    if now is not None:
        shifts = shifts.exclude(date=now.date(), end_time__lte=now.time())
    shifts = shifts.select_related("activity", "session").order_by("date", "start_time", "pk")
    signups: dict[int, list[Person]] = {}
    for signup in (
        ShiftSignup.objects.filter(shift__in=shifts)
        .select_related("person")
        .order_by("created_at", "pk")
    ):
        signups.setdefault(signup.shift_id, []).append(signup.person)
    return [
        ShiftRow(
            shift=shift,
            volunteers=signups.get(shift.pk, []),
            mine=person is not None and any(p.pk == person.pk for p in signups.get(shift.pk, [])),
        )
        for shift in shifts
    ]


@dataclass(frozen=True)
class Milestones:
    minutes: int
    first_date: date | None
    today: date

    @property
    def hours(self) -> int:
        return self.minutes // 60

    @property
    def years(self) -> int:
        if self.first_date is None:
            return 0
        years = self.today.year - self.first_date.year
        if (self.today.month, self.today.day) < (self.first_date.month, self.first_date.day):
            years -= 1
        return max(years, 0)

    @property
    def reached(self) -> list[str]:
        labels = [
            ngettext("%(count)s hour", "%(count)s hours", count) % {"count": count}
            for count in HOUR_MILESTONES
            if self.hours >= count
        ]
        labels += [
            ngettext("%(count)s year", "%(count)s years", count) % {"count": count}
            for count in YEAR_MILESTONES
            if self.years >= count
        ]
        return labels

    @property
    def latest(self) -> str:
        """The highest milestone of each kind, for a short list: "100 hours, 1 year"."""
        hours = [c for c in HOUR_MILESTONES if self.hours >= c]
        years = [c for c in YEAR_MILESTONES if self.years >= c]
        parts = []
        if hours:
            parts.append(
                ngettext("%(count)s hour", "%(count)s hours", hours[-1]) % {"count": hours[-1]}
            )
        if years:
            parts.append(
                ngettext("%(count)s year", "%(count)s years", years[-1]) % {"count": years[-1]}
            )
        return ", ".join(parts)

    @property
    def next_hours(self) -> int | None:
        return next((c for c in HOUR_MILESTONES if self.hours < c), None)


def milestones_for_person(*, person: Person, today: date | None = None) -> Milestones:
    row = VolunteerHours.objects.filter(person=person).aggregate(
        minutes=Sum("minutes"), first=Min("date")
    )
    return Milestones(int(row["minutes"] or 0), row["first"], today or timezone.localdate())


def milestones_by_person(
    *, organisation: Organisation, today: date | None = None
) -> dict[int, Milestones]:
    """Milestones of every volunteer of the organisation, in one grouped query."""
    today = today or timezone.localdate()
    rows = (
        VolunteerHours.objects.for_organisation(organisation)
        .values("person")
        .annotate(minutes=Sum("minutes"), first=Min("date"), n=Count("pk"))
    )
    return {
        row["person"]: Milestones(int(row["minutes"] or 0), row["first"], today) for row in rows
    }


def signup_window(today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    return today, today + timedelta(days=SIGNUP_WINDOW_DAYS)
