"""Builds the demo enterprise, section by section. See `wijk.demo`."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from wijk.accounts.models import User
from wijk.demo.bank import build_bank
from wijk.demo.books import build_books
from wijk.demo.community import build_community
from wijk.demo.premises import build_booking_invoices, build_premises
from wijk.demo.trade import build_claims_and_invoices
from wijk.organisations import services as organisation_services
from wijk.organisations.models import NeighbourhoodLink, Organisation
from wijk.organisations.roles import Role

DEMO_SLUG = "demo"
DEMO_PASSWORD = "wijkdemo-2026"  # noqa: S105 - printed on purpose; demo only


@dataclass(frozen=True)
class DemoLogin:
    email: str
    full_name: str
    roles: tuple[str, ...]
    network_analyst: bool = False


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("bestuur@demo.example", "Fatima El Amrani", (Role.BOARD,)),
    DemoLogin("penningmeester@demo.example", "Henk de Vries", (Role.TREASURER, Role.BOARD)),
    DemoLogin("coordinator@demo.example", "Sanne Bakker", (Role.COORDINATOR,)),
    DemoLogin("vrijwilliger@demo.example", "Joost Visser", (Role.VOLUNTEER,)),
    DemoLogin("lid@demo.example", "Ayse Yilmaz", (Role.MEMBER,)),
    DemoLogin("kascommissie@demo.example", "Wim Jansen", (Role.AUDIT_COMMITTEE,)),
    DemoLogin("analist@netwerk.example", "Noor Hendriks", (), network_analyst=True),
)

NEIGHBOURHOODS = (
    ("GM0363", "Amsterdam", False),
    ("WK036376", "Slotermeer-Noordoost", True),
    ("BU03637700", "Slotermeer Zuid", True),
)


# Two other enterprises, so network figures have something to aggregate and tenancy
# can be seen at work. They have no logins of their own in the demo.
@dataclass(frozen=True)
class OtherEnterprise:
    slug: str
    name: str
    legal_form: str
    city: str
    neighbourhoods: tuple[tuple[str, str, bool], ...]


OTHER_ENTERPRISES = (
    OtherEnterprise(
        "dorpsbedrijf-ter-heide",
        "Coöperatie Dorpsbedrijf Ter Heide",
        Organisation.LegalForm.COOPERATIVE,
        "Ermelo",
        (("GM0233", "Ermelo", False),),
    ),
    OtherEnterprise(
        "buurtbedrijf-oost",
        "Vereniging Buurtbedrijf Oost",
        Organisation.LegalForm.ASSOCIATION,
        "Arnhem",
        (("GM0202", "Arnhem", False),),
    ),
)


def _user(login: DemoLogin) -> User:
    user = User.objects.filter(email=login.email).first()
    if user is None:
        user = User.objects.create_user(
            login.email,
            DEMO_PASSWORD,
            full_name=login.full_name,
            is_network_analyst=login.network_analyst,
        )
    return user


def _organisation() -> Organisation:
    organisation = Organisation.objects.filter(slug=DEMO_SLUG).first()
    if organisation is None:
        organisation = organisation_services.organisation_create(
            slug=DEMO_SLUG,
            name="Stichting Bewonersbedrijf De Wilg",
            legal_form=Organisation.LegalForm.FOUNDATION,
            kvk_number="41234567",
            rsin="815372905",
            tax_status=Organisation.TaxStatus.ANBI,
            street_address="Slotermeerlaan 120",
            postcode="1064 HC",
            city="Amsterdam",
            email="info@dewilg.example",
            website="https://dewilg.example",
            fiscal_year_start_month=1,
            actor=None,
        )
    _link_neighbourhoods(organisation, NEIGHBOURHOODS)
    return organisation


def _link_neighbourhoods(
    organisation: Organisation, neighbourhoods: tuple[tuple[str, str, bool], ...]
) -> None:
    for code, name, priority in neighbourhoods:
        if not NeighbourhoodLink.objects.filter(organisation=organisation, code=code).exists():
            organisation_services.neighbourhood_link_add(
                organisation=organisation,
                code=code,
                name=name,
                is_priority_area=priority,
                actor=None,
            )


def _other_enterprises() -> None:
    for spec in OTHER_ENTERPRISES:
        organisation = Organisation.objects.filter(slug=spec.slug).first()
        if organisation is None:
            organisation = organisation_services.organisation_create(
                slug=spec.slug,
                name=spec.name,
                legal_form=spec.legal_form,
                city=spec.city,
                actor=None,
            )
        _link_neighbourhoods(organisation, spec.neighbourhoods)


@transaction.atomic
def build_demo() -> Organisation:
    """Create (or complete) the demo enterprise. Safe to run again."""
    organisation = _organisation()
    for login in DEMO_LOGINS:
        user = _user(login)
        for role in login.roles:
            organisation_services.membership_add(
                organisation=organisation, user=user, role=role, actor=None
            )
    _other_enterprises()
    build_books(organisation)
    build_claims_and_invoices(organisation)
    build_community(organisation)
    build_premises(organisation)
    build_booking_invoices(organisation)
    build_bank(organisation)
    return organisation
