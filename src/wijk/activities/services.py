"""Every write to activities: validated, in a transaction, logged."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date as date_type
from datetime import time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wijk.accounts.models import User
from wijk.community.models import Person
from wijk.core.models import audit_record
from wijk.organisations.models import Organisation
from wijk.premises.models import Building

from .models import Activity, AgeBand, Category, DoorSignIn, Registration, Session


@dataclass(frozen=True)
class ActivityData:
    name: str
    category: str = Category.OTHER
    description: str = ""
    building: Building | None = None
    is_active: bool = True
    responsible: Person | None = None


def _validate(organisation: Organisation, data: ActivityData, current: Activity | None) -> None:
    name = data.name.strip()
    if not name:
        raise ValidationError({"name": [ValidationError(_("Give the activity a name."))]})
    clash = Activity.objects.for_organisation(organisation).filter(name__iexact=name)
    if current is not None:
        clash = clash.exclude(pk=current.pk)
    if clash.exists():
        raise ValidationError(
            {"name": [ValidationError(_("%(name)s already exists.") % {"name": name})]}
        )
    if data.category not in Category.values:
        raise ValidationError({"category": [ValidationError(_("Choose a category."))]})
    if data.building is not None and data.building.organisation_id != organisation.pk:
        raise ValidationError({"building": [ValidationError(_("Unknown building."))]})
    if data.responsible is not None and (
        data.responsible.organisation_id != organisation.pk
        or data.responsible.anonymised_at is not None
    ):
        raise ValidationError({"responsible": [ValidationError(_("Unknown person."))]})


@transaction.atomic
def activity_create(
    *, organisation: Organisation, data: ActivityData, actor: User | None
) -> Activity:
    _validate(organisation, data, None)
    activity = Activity.objects.create(
        organisation=organisation,
        name=data.name.strip(),
        category=data.category,
        description=data.description.strip(),
        building=data.building,
        is_active=data.is_active,
        responsible=data.responsible,
    )
    audit_record(
        action="activity.create",
        actor=actor,
        organisation=organisation,
        obj=activity,
        data={"name": activity.name},
    )
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, data: ActivityData, actor: User | None) -> Activity:
    _validate(activity.organisation, data, activity)
    activity.name = data.name.strip()
    activity.category = data.category
    activity.description = data.description.strip()
    activity.building = data.building
    activity.is_active = data.is_active
    activity.responsible = data.responsible
    activity.save()
    audit_record(
        action="activity.update",
        actor=actor,
        organisation=activity.organisation,
        obj=activity,
        data={"name": activity.name},
    )
    return activity


# --- Sessions, sign-in at the door, registrations -------------------------------------

POSTCODE_RE = re.compile(r"^[1-9][0-9]{3}$")


@dataclass(frozen=True)
class SessionData:
    date: date_type
    start_time: time
    end_time: time | None = None
    building: Building | None = None
    participants_counted: int = 0
    volunteer_minutes: int = 0
    note: str = ""


def _validate_session(organisation: Organisation, data: SessionData) -> None:
    errors: dict[str, list[ValidationError]] = {}
    if data.end_time is not None and data.end_time <= data.start_time:
        errors["end_time"] = [ValidationError(_("The end must be after the start."))]
    if data.building is not None and data.building.organisation_id != organisation.pk:
        errors["building"] = [ValidationError(_("Unknown building."))]
    if data.participants_counted < 0:
        errors["participants_counted"] = [ValidationError(_("Give a number of 0 or more."))]
    if data.volunteer_minutes < 0:
        errors["volunteer_minutes"] = [ValidationError(_("Give a number of 0 or more."))]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def session_create(*, activity: Activity, data: SessionData, actor: User | None) -> Session:
    _validate_session(activity.organisation, data)
    session = Session.objects.create(
        organisation=activity.organisation,
        activity=activity,
        date=data.date,
        start_time=data.start_time,
        end_time=data.end_time,
        building=data.building if data.building is not None else activity.building,
        participants_counted=data.participants_counted,
        volunteer_minutes=data.volunteer_minutes,
        note=data.note.strip(),
    )
    audit_record(
        action="session.create",
        actor=actor,
        organisation=activity.organisation,
        obj=session,
        data={"name": activity.name, "date": data.date.isoformat()},
    )
    return session


@transaction.atomic
def session_update(*, session: Session, data: SessionData, actor: User | None) -> Session:
    _validate_session(session.organisation, data)
    session.date = data.date
    session.start_time = data.start_time
    session.end_time = data.end_time
    session.building = data.building
    session.participants_counted = data.participants_counted
    session.volunteer_minutes = data.volunteer_minutes
    session.note = data.note.strip()
    session.save()
    audit_record(
        action="session.update",
        actor=actor,
        organisation=session.organisation,
        obj=session,
        data={"name": session.activity.name, "date": data.date.isoformat()},
    )
    return session


def door_is_open(session: Session, *, today: date_type | None = None) -> bool:
    """Visitors can sign in on the day of the session (and the day after, for late finishes)."""
    today = today or timezone.localdate()
    return session.date <= today <= session.date + timedelta(days=1)


@transaction.atomic
def door_sign_in(*, session: Session, postcode: str = "", age_band: str = "") -> DoorSignIn:
    """Count one visitor. No actor and no audit event: the visitor is anonymous."""
    errors: dict[str, list[ValidationError]] = {}
    postcode = postcode.strip().upper().replace(" ", "")
    if postcode and len(postcode) == 6 and postcode[4:].isalpha():
        postcode = postcode[:4]  # a full postcode: keep only the digits
    if postcode and not POSTCODE_RE.match(postcode):
        errors["postcode"] = [
            ValidationError(
                _("Give the four digits of your postcode, for example 3521, or leave it empty.")
            )
        ]
    if age_band and age_band not in AgeBand.values:
        errors["age_band"] = [ValidationError(_("Choose an age group, or leave it empty."))]
    if not door_is_open(session):
        errors["__all__"] = [ValidationError(_("Signing in for this session is closed."))]
    if errors:
        raise ValidationError(errors)
    return DoorSignIn.objects.create(
        organisation=session.organisation, session=session, postcode=postcode, age_band=age_band
    )


@transaction.atomic
def registration_add(*, session: Session, person: Person, actor: User | None) -> Registration:
    if person.organisation_id != session.organisation_id or person.anonymised_at is not None:
        raise ValidationError({"person": [ValidationError(_("Unknown person."))]})
    if Registration.objects.filter(session=session, person=person).exists():
        raise ValidationError(
            {"person": [ValidationError(_("This person is already registered."))]}
        )
    registration = Registration.objects.create(
        organisation=session.organisation, session=session, person=person
    )
    audit_record(
        action="registration.add",
        actor=actor,
        organisation=session.organisation,
        obj=registration,
        data={"id": person.pk, "name": session.activity.name, "date": session.date.isoformat()},
    )
    return registration


@transaction.atomic
def registration_remove(*, registration: Registration, actor: User | None) -> None:
    session = registration.session
    audit_record(
        action="registration.remove",
        actor=actor,
        organisation=session.organisation,
        obj=registration,
        data={
            "id": registration.person_id,
            "name": session.activity.name,
            "date": session.date.isoformat(),
        },
    )
    registration.delete()


def open_registrations_blocker(person: Person) -> str | None:
    """Anonymisation waits while the person is registered for a coming session."""
    count = Registration.objects.filter(
        person=person, session__date__gte=timezone.localdate()
    ).count()
    if not count:
        return None
    return ngettext(
        "Registered for %(count)s coming session; remove the registration first.",
        "Registered for %(count)s coming sessions; remove the registrations first.",
        count,
    ) % {"count": count}
