"""Reads of the registry of persons."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from wijk.organisations.models import Organisation

from .models import Consent, Person, Purpose

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
