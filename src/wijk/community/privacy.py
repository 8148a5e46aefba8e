"""Personal data: how each field is handled, and the rights of the person.

`FIELD_HANDLING` classifies every field of every model in `community` and
`activities` (a test fails on a field that is missing):

- `EXPORT`: about the person; in the export; kept after anonymisation, because once
  the identifying fields are gone it no longer points to anyone (hours, dates).
- `ANONYMISE`: identifies the person; in the export; emptied on anonymisation.
- `RETAIN`: financial or legal record; in the export; kept on anonymisation for the
  legal retention period (seven years for the books).
- `NOT_PERSONAL`: keys, timestamps and data about the organisation; not exported.

`PERSON_LINKS` names, per model, the field that points to a person; the export and
the anonymisation walk these links, so a new model with personal data needs a line
here and a classification, nothing else.

Anonymisation is refused while a *blocker* says so. Other apps add blockers with
`register_blocker` in their `AppConfig.ready()` (money still owed, open bookings):
a blocker gets the person and returns a sentence why it cannot be done, or None.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _


class Handling(StrEnum):
    EXPORT = "export"
    ANONYMISE = "anonymise"
    RETAIN = "retain"
    NOT_PERSONAL = "not personal"


E, A, R, N = Handling.EXPORT, Handling.ANONYMISE, Handling.RETAIN, Handling.NOT_PERSONAL

FIELD_HANDLING: dict[str, dict[str, Handling]] = {
    "community.Person": {
        "id": N,
        "organisation": N,
        "name": A,
        "email": A,
        "phone": A,
        "postcode": A,
        "is_volunteer": E,
        "is_staff_member": E,
        "is_contact": E,
        "is_customer": E,
        "member_since": E,
        "member_until": E,
        "membership_fee_cents": E,
        "skills": A,
        "availability": A,
        "notes": A,
        "user": A,
        "created_at": N,
        "anonymised_at": N,
    },
    "community.Consent": {
        "id": N,
        "organisation": N,
        "person": E,
        "purpose": E,
        "given": E,
        "recorded_on": E,
        "wording_version": E,
        "created_at": N,
    },
    "community.VolunteerHours": {
        "id": N,
        "organisation": N,
        "person": E,
        "date": E,
        "minutes": E,
        "activity": E,
        "session": E,
        "description": A,
        "entered_by": N,
        "created_at": N,
    },
    "community.VolunteerAllowance": {
        "id": N,
        "organisation": N,
        "person": R,
        "date": R,
        "amount_cents": R,
        "note": A,
        "created_at": N,
    },
    # Decisions of the organisation; names of persons do not belong in them.
    "community.Decision": {
        "id": N,
        "organisation": N,
        "date": N,
        "body": N,
        "text": N,
        "outcome": N,
        "votes": N,
        "created_at": N,
    },
    "community.Job": {
        "id": N,
        "organisation": N,
        "title": E,
        "kind": E,
        "hours_per_week": E,
        "funding_source": N,
        "from_neighbourhood": E,
        "person": E,
        "start_date": E,
        "end_date": E,
    },
    "community.Partner": {
        "id": N,
        "organisation": N,
        "name": N,
        "kind": N,
        "contact": E,
    },
    "community.Contract": {
        "id": N,
        "organisation": N,
        "partner": N,
        "title": N,
        "kind": N,
        "value_cents": N,
        "start_date": N,
        "end_date": N,
        "deliverables": N,
        "income_account": N,
        "fund": N,
    },
    "community.ContractDeadline": {
        "id": N,
        "organisation": N,
        "contract": N,
        "due_on": N,
        "description": N,
        "done_on": N,
        "reminded_on": N,
    },
    "community.MembershipFeeInvoice": {
        "id": N,
        "organisation": N,
        "person": R,
        "year": R,
        "invoice": R,
        "amount_cents": R,
        "created_at": N,
    },
    # The share register of a cooperative is a legal register: kept, never emptied.
    "community.ShareMovement": {
        "id": N,
        "organisation": N,
        "kind": R,
        "date": R,
        "from_person": R,
        "to_person": R,
        "count": R,
        "nominal_value_cents": R,
        "corrects": N,
        "entry": N,
        "note": R,
        "created_at": N,
        "created_by": N,
    },
    "community.Shift": {
        "id": N,
        "organisation": N,
        "activity": N,
        "session": N,
        "date": N,
        "start_time": N,
        "end_time": N,
        "task": N,
        "volunteers_needed": N,
        "created_at": N,
    },
    "community.ShiftSignup": {
        "id": N,
        "organisation": N,
        "shift": E,
        "person": E,
        "created_at": E,
    },
    # The customer a member's fee invoices go to: part of the books for seven years.
    "sales.Customer": {
        "id": N,
        "organisation": N,
        "name": R,
        "address": R,
        "email": R,
        "kvk_number": N,
        "vat_number": N,
        "language": N,
        "person": R,
    },
    "activities.Activity": {
        "id": N,
        "organisation": N,
        "name": N,
        "category": N,
        "description": N,
        "building": N,
        "is_active": N,
        "responsible": E,
    },
    "activities.Session": {
        "id": N,
        "organisation": N,
        "activity": N,
        "date": N,
        "start_time": N,
        "end_time": N,
        "building": N,
        "participants_counted": N,
        "volunteer_minutes": N,
        "note": N,
        "door_token": N,
        "created_at": N,
    },
    # Counted without a name: nothing here points to a person.
    "activities.DoorSignIn": {
        "id": N,
        "organisation": N,
        "session": N,
        "postcode": N,
        "age_band": N,
        "created_at": N,
    },
    "activities.Registration": {
        "id": N,
        "organisation": N,
        "session": E,
        "person": E,
        "created_at": E,
    },
}

# Per model: the field (or fields) that point to the person; the export and
# anonymisation follow them.
PERSON_LINKS: dict[str, str | tuple[str, ...]] = {
    "community.Person": "pk",
    "community.Consent": "person",
    "community.VolunteerHours": "person",
    "community.VolunteerAllowance": "person",
    "community.Job": "person",
    "community.Partner": "contact",
    "activities.Activity": "responsible",
    "activities.Registration": "person",
    "community.MembershipFeeInvoice": "person",
    "community.ShareMovement": ("from_person", "to_person"),
    "community.ShiftSignup": "person",
    "sales.Customer": "person",
}


def link_fields(label: str) -> tuple[str, ...]:
    link = PERSON_LINKS[label]
    return (link,) if isinstance(link, str) else link


def _linked(model: type[models.Model], label: str, person: Any) -> models.QuerySet[Any]:
    """The rows of `model` that point to `person` through any of its links."""
    condition = models.Q()
    for link in link_fields(label):
        condition |= models.Q(**{link: person.pk})
    return model._default_manager.filter(condition, organisation_id=person.organisation_id)


Blocker = Callable[[Any], "str | None"]
_BLOCKERS: list[Blocker] = []


def register_blocker(blocker: Blocker) -> Blocker:
    """Add a reason to refuse anonymisation; usable as a decorator. Idempotent."""
    if blocker not in _BLOCKERS:
        _BLOCKERS.append(blocker)
    return blocker


def blockers() -> tuple[Blocker, ...]:
    return tuple(_BLOCKERS)


def classified_apps() -> tuple[str, ...]:
    return ("community", "activities")


def concrete_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.get_fields() if getattr(f, "concrete", False)]  # type: ignore[misc]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    return value


def person_records(person: Any) -> dict[str, list[dict[str, Any]]]:
    """Everything held about `person`, by model: the personal fields of each linked row."""
    result: dict[str, list[dict[str, Any]]] = {}
    for label in PERSON_LINKS:
        model = apps.get_model(label)
        handling = FIELD_HANDLING[label]
        links = link_fields(label)
        rows = _linked(model, label, person).order_by("pk")
        records = []
        for row in rows:
            record: dict[str, Any] = {"id": row.pk, "record": str(row)}
            for field in concrete_fields(model):
                if handling.get(field.name, N) is N or (len(links) == 1 and field.name in links):
                    continue
                if field.name in links:
                    # Another person on the same row (the other side of a share
                    # transfer) is named only as "another person", never by name.
                    other = getattr(row, field.attname)
                    record[field.name] = (
                        "" if other is None else ("self" if other == person.pk else "other")
                    )
                    continue
                record[field.name] = _plain(getattr(row, field.name))
            records.append(record)
        result[label] = records
    return result


def _readable(
    row: models.Model, field: models.Field[Any, Any], person: Any, links: tuple[str, ...]
) -> Any:
    """A value as a person reads it: choices by their label, money in euros, yes/no."""
    if field.name in links:
        other = getattr(row, field.attname)
        if other is None:
            return None
        return _("you") if other == person.pk else _("another person")
    value = getattr(row, field.name)
    if field.choices:
        return getattr(row, f"get_{field.name}_display")()
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field.name.endswith("_cents") and isinstance(value, int):
        from wijk.ledger.money import format_cents

        return format_cents(value)
    if value == "":
        return None
    return value


def person_records_readable(person: Any) -> list[dict[str, Any]]:
    """The same records as `person_records`, for the person's own page: each kind of
    record under its name, each field under its label, values as a person reads them
    (the export files keep the plain field names and values, for machines)."""
    sections = []
    for label in PERSON_LINKS:
        model = apps.get_model(label)
        handling = FIELD_HANDLING[label]
        links = link_fields(label)
        fields = [
            field
            for field in concrete_fields(model)
            if handling.get(field.name, N) is not N
            and not (len(links) == 1 and field.name in links)
        ]
        rows = [
            [
                (capfirst(field.verbose_name), _readable(row, field, person, links))
                for field in fields
            ]
            for row in _linked(model, label, person).order_by("pk")
        ]
        if rows:
            sections.append(
                {"key": label, "label": capfirst(model._meta.verbose_name_plural), "rows": rows}
            )
    return sections


def person_export_json(person: Any) -> str:
    return json.dumps(
        {
            "person": person.pk,
            "organisation": person.organisation.slug,
            "records": person_records(person),
        },
        ensure_ascii=False,
        indent=2,
        cls=DjangoJSONEncoder,  # decimals (a job's hours per week), dates and times
    )


def person_export_csv(person: Any) -> str:
    """One line per value: model, record id, field, value."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["model", "id", "field", "value"])
    for label, records in person_records(person).items():
        for record in records:
            for key, value in record.items():
                if key == "id":
                    continue
                writer.writerow([label, record["id"], key, "" if value is None else value])
    return buffer.getvalue()


def anonymised_value(field: models.Field[Any, Any]) -> Any:
    if field.null:
        return None
    if isinstance(field, models.CharField | models.TextField):
        return ""
    if field.has_default():
        return field.get_default()
    raise TypeError(f"No anonymous value for {field.model.__name__}.{field.name}")


def anonymise_rows(person: Any) -> int:
    """Empty every ANONYMISE field in every row linked to `person`; returns rows changed."""
    changed = 0
    for label in PERSON_LINKS:
        model = apps.get_model(label)
        handling = FIELD_HANDLING[label]
        fields = [f for f in concrete_fields(model) if handling.get(f.name) is Handling.ANONYMISE]
        if not fields:
            continue
        updates = {f.attname: anonymised_value(f) for f in fields}
        changed += _linked(model, label, person).update(**updates)
    return changed
