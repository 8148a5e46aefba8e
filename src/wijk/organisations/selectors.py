"""Reads for organisations: lists, the dashboard summary, and network aggregates.

Aggregation happens in SQL. The network overview only ever returns counts over
several enterprises and suppresses small counts, so no single enterprise can be
recognised in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.utils import timezone

from wijk.accounts.models import User
from wijk.core.models import AuditEvent

from .models import Invitation, Membership, NeighbourhoodLink, Organisation
from .roles import Role

# Counts below this are shown as "fewer than N" in network figures.
SMALL_COUNT_THRESHOLD = 3


def organisation_list_for_user(*, user: User) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.for_user(user).order_by("name")


def membership_list(*, organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__full_name", "user__email", "role")
    )


@dataclass(frozen=True)
class PersonRoles:
    user: User
    memberships: list[Membership]


def people_with_roles(*, organisation: Organisation) -> list[PersonRoles]:
    """One row per person with all their roles, for the people page."""
    people: dict[int, PersonRoles] = {}
    for membership in membership_list(organisation=organisation):
        row = people.setdefault(
            membership.user_id, PersonRoles(user=membership.user, memberships=[])
        )
        row.memberships.append(membership)
    return list(people.values())


def invitation_list_open(*, organisation: Organisation) -> QuerySet[Invitation]:
    return Invitation.objects.filter(organisation=organisation).open().select_related("invited_by")


def audit_event_list(*, organisation: Organisation, limit: int = 200) -> list[AuditEvent]:
    """The organisation's latest audit events, newest first."""
    return list(
        AuditEvent.objects.filter(organisation=organisation)
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )


def neighbourhood_list(*, organisation: Organisation) -> QuerySet[NeighbourhoodLink]:
    """Municipalities first, then districts, then neighbourhoods, each by code."""
    level = Case(
        When(code__startswith="GM", then=Value(0)),
        When(code__startswith="WK", then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        NeighbourhoodLink.objects.filter(organisation=organisation)
        .annotate(level_order=level)
        .order_by("level_order", "code")
    )


@dataclass(frozen=True)
class SetupStep:
    label: str
    done: bool
    url_name: str


@dataclass
class DashboardSummary:
    organisation: Organisation
    role_counts: list[tuple[str, int]]
    people_count: int
    open_invitations: int
    neighbourhoods: list[NeighbourhoodLink]
    recent_events: list[AuditEvent]
    setup_steps: list[SetupStep] = field(default_factory=list)

    @property
    def setup_complete(self) -> bool:
        return all(step.done for step in self.setup_steps)


def dashboard_summary(*, organisation: Organisation, include_events: bool) -> DashboardSummary:
    from django.utils.translation import gettext as _

    counts = dict(
        Membership.objects.filter(organisation=organisation)
        .values_list("role")
        .annotate(n=Count("id"))
        .values_list("role", "n")
    )
    role_counts = [(str(label), counts.get(value, 0)) for value, label in Role.choices]
    people_count = (
        Membership.objects.filter(organisation=organisation).values("user").distinct().count()
    )
    open_invitations = Invitation.objects.filter(organisation=organisation).open().count()
    neighbourhoods = list(neighbourhood_list(organisation=organisation))
    events: list[AuditEvent] = []
    if include_events:
        events = list(
            AuditEvent.objects.filter(organisation=organisation)
            .select_related("actor")
            .order_by("-created_at", "-id")[:8]
        )
    steps = [
        SetupStep(
            _("Fill in the KvK number and RSIN"),
            bool(organisation.kvk_number and organisation.rsin),
            "organisation_settings",
        ),
        SetupStep(
            _("Link the neighbourhoods you work in"), bool(neighbourhoods), "organisation_settings"
        ),
        SetupStep(
            _("Invite a treasurer"),
            counts.get(Role.TREASURER, 0) > 0,
            "people",
        ),
        SetupStep(
            _("Invite an audit committee"),
            counts.get(Role.AUDIT_COMMITTEE, 0) > 0,
            "people",
        ),
    ]
    return DashboardSummary(
        organisation=organisation,
        role_counts=role_counts,
        people_count=people_count,
        open_invitations=open_invitations,
        neighbourhoods=neighbourhoods,
        recent_events=events,
        setup_steps=steps,
    )


@dataclass(frozen=True)
class CountRow:
    label: str
    count: int | None  # None: suppressed because it is too small to show safely

    @property
    def suppressed(self) -> bool:
        return self.count is None


def _suppress(count: int) -> int | None:
    return count if count >= SMALL_COUNT_THRESHOLD or count == 0 else None


def _suppress_partition(counts: list[int]) -> list[int | None]:
    """Hide small counts in groups that add up to the (shown) total.

    When exactly one group is hidden, the total would give it away, so the next
    smallest group is hidden as well (complementary suppression).
    """
    shown = [_suppress(count) for count in counts]
    hidden = [i for i, value in enumerate(shown) if value is None]
    if len(hidden) == 1:
        candidates = [i for i, value in enumerate(shown) if value]
        if candidates:
            shown[min(candidates, key=lambda i: counts[i])] = None
    return shown


@dataclass(frozen=True)
class NetworkOverview:
    organisation_count: int
    by_legal_form: list[CountRow]
    by_tax_status: list[CountRow]
    in_priority_area: CountRow
    generated_at: datetime


def _count_rows(choices: list[tuple[str, Any]], counts: dict[str, int]) -> list[CountRow]:
    values = _suppress_partition([counts.get(value, 0) for value, _label in choices])
    return [
        CountRow(str(label), shown) for (_value, label), shown in zip(choices, values, strict=True)
    ]


def network_overview() -> NetworkOverview:
    """Aggregated figures over all enterprises, for network analysts."""
    total = Organisation.objects.count()
    legal = dict(
        Organisation.objects.values_list("legal_form")
        .annotate(n=Count("id"))
        .values_list("legal_form", "n")
    )
    tax = dict(
        Organisation.objects.values_list("tax_status")
        .annotate(n=Count("id"))
        .values_list("tax_status", "n")
    )
    priority = Organisation.objects.filter(neighbourhoods__is_priority_area=True).distinct().count()
    return NetworkOverview(
        organisation_count=total,
        by_legal_form=_count_rows(Organisation.LegalForm.choices, legal),
        by_tax_status=_count_rows(Organisation.TaxStatus.choices, tax),
        in_priority_area=CountRow("", _suppress(priority)),
        generated_at=timezone.now(),
    )
