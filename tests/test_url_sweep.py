"""Every URL pattern, tried as an outsider and as an anonymous visitor.

Each pattern must be classified below. An organisation URL must answer 404 to a
member of another organisation (for GET and POST alike, and change nothing) and send
an anonymous visitor to the login page. A new URL that nobody classified fails the
test, so tenancy cannot be forgotten.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import make_user
from wijk.organisations import services
from wijk.organisations.models import Invitation, Membership, NeighbourhoodLink, Organisation

# Public pages: anyone may open them.
PUBLIC = {
    "home",
    "health",
    "invitation_accept",
    "set_language",
    "guide_index",
    "guide_search",
    "guide_library",
    "guide_chapter",
    "guide_page",
    "door_sign_in",
    "public_request",  # only for a building that accepts requests; shows free times only
    "space_feed",  # only with the room's secret token; titles and times only
}
# Logged-in pages outside any organisation; they check their own rights.
LOGIN_ONLY = {"network"}
ORG_PREFIX = "o/<slug:organisation>/"


def _walk(patterns: list, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def classify(route: str, name: str | None) -> str | None:
    if route.startswith("account/"):
        return "account"  # allauth: login, logout, password reset, two-factor
    if route.startswith("beheer/"):
        return "admin"
    if ORG_PREFIX in route:
        return "organisation"
    if name in PUBLIC:
        return "public"
    if name in LOGIN_ONLY:
        return "login"
    return None


def all_patterns() -> list[tuple[str, URLPattern]]:
    # i18n_patterns put a language prefix resolver in front; its str() is empty for nl.
    return list(_walk(get_resolver().url_patterns))


def test_every_url_is_classified():
    unclassified = [
        route for route, pattern in all_patterns() if classify(route, pattern.name) is None
    ]
    assert unclassified == [], f"Classify these URLs in tests/test_url_sweep.py: {unclassified}"


def test_organisation_urls_carry_a_name():
    unnamed = [route for route, p in all_patterns() if ORG_PREFIX in route and not p.name]
    assert unnamed == []


# Objects of organisation A that organisation URLs need, by URL name.
ObjectMaker = Callable[[Organisation], dict[str, object]]


def _neighbourhood(org: Organisation) -> dict[str, object]:
    link = NeighbourhoodLink.objects.filter(
        organisation=org
    ).first() or services.neighbourhood_link_add(organisation=org, code="BU03637700", actor=None)
    return {"pk": link.pk}


def _invitation(org: Organisation) -> dict[str, object]:
    invitation, _token = services.invitation_create(
        organisation=org,
        email="nieuw@alfa.example",
        role="volunteer",
        actor=None,
        base_url="http://testserver",
    )
    return {"pk": invitation.pk}


def _membership(org: Organisation) -> dict[str, object]:
    user = make_user("tweede@alfa.example", org, "volunteer")
    return {"pk": Membership.objects.get(organisation=org, user=user).pk}


def _books(org: Organisation):  # type: ignore[no-untyped-def]
    from datetime import date

    from wijk.ledger import services as ledger
    from wijk.ledger.models import Account, FiscalYear, Journal, JournalEntry

    if not FiscalYear.objects.filter(organisation=org).exists():
        ledger.ledger_setup(organisation=org, actor=None)
        ledger.fiscal_year_create(organisation=org, year=2026, actor=None)
    entry = JournalEntry.objects.filter(organisation=org).first()
    if entry is None:
        bank = Account.objects.get(organisation=org, number="1100")
        income = Account.objects.filter(organisation=org, type="income").order_by("number").first()
        entry = ledger.journal_entry_create(
            organisation=org,
            journal=Journal.objects.get(organisation=org, code="BNK"),
            date=date(2026, 3, 1),
            description="Zaalhuur",
            lines=[
                ledger.LineInput(bank, debit_cents=100),
                ledger.LineInput(income, credit_cents=100),
            ],
            actor=None,
        )
        entry = ledger.journal_entry_post(entry=entry, actor=None)
    return entry


def _entry(org: Organisation) -> dict[str, object]:
    return {"pk": _books(org).pk}


def _account(org: Organisation) -> dict[str, object]:
    from wijk.ledger.models import Account

    _books(org)
    return {"pk": Account.objects.get(organisation=org, number="1100").pk}


def _fiscal_year(org: Organisation) -> dict[str, object]:
    return {"pk": _books(org).fiscal_year_id}


def _building(org: Organisation) -> dict[str, object]:
    from wijk.premises import services as premises
    from wijk.premises.models import Building

    building = Building.objects.filter(organisation=org).first() or premises.building_create(
        organisation=org, data=premises.BuildingData(name="Buurthuis"), actor=None
    )
    return {"pk": building.pk}


def _space(org: Organisation) -> dict[str, object]:
    from wijk.premises import services as premises
    from wijk.premises.models import Building, Space

    space = Space.objects.filter(organisation=org).first()
    if space is None:
        building = Building.objects.get(pk=_building(org)["pk"])
        space = premises.space_create(
            building=building, data=premises.SpaceData(name="Grote zaal"), actor=None
        )
    return {"pk": space.pk}


def _add_on(org: Organisation) -> dict[str, object]:
    from wijk.premises import services as premises
    from wijk.premises.models import AddOn

    add_on = AddOn.objects.filter(organisation=org).first() or premises.add_on_create(
        organisation=org,
        data=premises.AddOnData(
            name="Koffie", kind="catering", unit="person", price_cents=150, vat_rate="9"
        ),
        actor=None,
    )
    return {"pk": add_on.pk}


def _booking(org: Organisation) -> dict[str, object]:
    from datetime import date, time

    from wijk.premises import services as premises
    from wijk.premises.models import Booking, Space
    from wijk.premises.timeutil import to_utc

    booking = Booking.objects.filter(organisation=org).first()
    if booking is None:
        space = Space.objects.get(pk=_space(org)["pk"])
        booking = premises.booking_create(
            space=space,
            starts_at=to_utc(date(2026, 3, 2), time(19)),
            ends_at=to_utc(date(2026, 3, 2), time(21)),
            details=premises.BookingDetails(title="Koor", customer=premises.Customer(name="Koor")),
            status="requested",
            actor=None,
        )
    return {"pk": booking.pk}


def _component(org: Organisation) -> dict[str, object]:
    from wijk.premises import services as premises
    from wijk.premises.models import Building, MaintenanceComponent

    component = MaintenanceComponent.objects.filter(organisation=org).first()
    if component is None:
        component = premises.maintenance_component_create(
            building=Building.objects.get(pk=_building(org)["pk"]),
            data=premises.ComponentData(
                name="Dak", planned_year=2030, cost_cents=2_000_000, price_year=2026
            ),
            actor=None,
        )
    return {"pk": component.pk}


def _activity(org: Organisation) -> dict[str, object]:
    from wijk.activities import services as activities
    from wijk.activities.models import Activity

    activity = Activity.objects.filter(organisation=org).first() or activities.activity_create(
        organisation=org, data=activities.ActivityData(name="Taalcafé"), actor=None
    )
    return {"pk": activity.pk}


def _claim(org: Organisation) -> dict[str, object]:
    from tests.expenses.helpers import submit_claim
    from wijk.expenses.models import ExpenseClaim

    _books(org)
    claim = ExpenseClaim.objects.filter(organisation=org).first()
    if claim is None:
        member = make_user("declarant@alfa.example", org, "volunteer")
        claim = submit_claim(org, member)
    return {"pk": claim.pk}


def _invoice(org: Organisation) -> dict[str, object]:
    from tests.sales.helpers import draft_invoice
    from wijk.sales.models import Invoice

    _books(org)
    invoice = Invoice.objects.filter(organisation=org).first() or draft_invoice(org)
    return {"pk": invoice.pk}


def _customer(org: Organisation) -> dict[str, object]:
    from wijk.sales.models import Customer

    _invoice(org)
    return {"pk": Customer.objects.filter(organisation=org).first().pk}  # type: ignore[union-attr]


def _person(org: Organisation) -> dict[str, object]:
    from wijk.community import services as community
    from wijk.community.models import Person

    person = Person.objects.filter(organisation=org).first() or community.person_create(
        organisation=org, data=community.PersonData(name="Fatima Yilmaz"), actor=None
    )
    return {"pk": person.pk}


def _session(org: Organisation) -> dict[str, object]:
    from datetime import date, time

    from wijk.activities import services as activities
    from wijk.activities.models import Activity, Session

    session = Session.objects.filter(organisation=org).first()
    if session is None:
        session = activities.session_create(
            activity=Activity.objects.get(pk=_activity(org)["pk"]),
            data=activities.SessionData(date=date(2026, 3, 3), start_time=time(10)),
            actor=None,
        )
    return {"pk": session.pk}


def _registration(org: Organisation) -> dict[str, object]:
    from wijk.activities import services as activities
    from wijk.activities.models import Registration, Session
    from wijk.community.models import Person

    session = Session.objects.get(pk=_session(org)["pk"])
    registration = Registration.objects.filter(session=session).first()
    if registration is None:
        person = Person.objects.get(pk=_person(org)["pk"])
        registration = activities.registration_add(session=session, person=person, actor=None)
    return {"pk": session.pk, "registration": registration.pk}


def _hours(org: Organisation) -> dict[str, object]:
    from django.utils import timezone

    from wijk.community import services as community
    from wijk.community.models import Person, VolunteerHours

    entry = VolunteerHours.objects.filter(organisation=org).first()
    if entry is None:
        person = Person.objects.get(pk=_person(org)["pk"])
        entry = community.hours_log(
            person=person, date=timezone.localdate(), minutes=90, actor=None
        )
    return {"pk": entry.pk}


def _partner(org: Organisation) -> dict[str, object]:
    from wijk.community import services as community
    from wijk.community.models import Partner

    partner = Partner.objects.filter(organisation=org).first() or community.partner_create(
        organisation=org, name="Gemeente", kind="municipality", actor=None
    )
    return {"pk": partner.pk}


def _contract(org: Organisation) -> dict[str, object]:
    from datetime import date

    from wijk.community import services as community
    from wijk.community.models import Contract, Partner

    contract = Contract.objects.filter(organisation=org).first()
    if contract is None:
        contract = community.contract_create(
            partner=Partner.objects.get(pk=_partner(org)["pk"]),
            data=community.ContractData(
                title="Groenonderhoud",
                kind="right_to_challenge",
                start_date=date(2026, 1, 1),
                end_date=date(2026, 12, 31),
            ),
            actor=None,
        )
    return {"pk": contract.pk}


def _deadline(org: Organisation) -> dict[str, object]:
    from wijk.community.models import ContractDeadline

    kwargs = _contract(org)
    deadline = ContractDeadline.objects.filter(contract_id=kwargs["pk"]).first()
    assert deadline is not None
    return {**kwargs, "deadline": deadline.pk}


def _bank_line(org: Organisation) -> dict[str, object]:
    from wijk.banking import services as banking
    from wijk.banking.importing import statement_import
    from wijk.banking.models import BankAccount, BankLine
    from wijk.ledger.models import Account

    line = BankLine.objects.filter(organisation=org).first()
    if line is None:
        _books(org)
        from tests.banking import fixtures

        iban = "NL91ABNA0417164300" if org.slug.endswith("a") else "NL02ABNA0123456789"
        if not BankAccount.objects.filter(organisation=org).exists():
            banking.bank_account_create(
                organisation=org,
                iban=iban,
                name="Bank",
                ledger_account=Account.objects.get(organisation=org, number="1110"),
                actor=None,
            )
        statement_import(
            organisation=org, data=fixtures.camt053(account=iban), file_name="s.xml", actor=None
        )
        line = BankLine.objects.filter(organisation=org).first()
    assert line is not None
    return {"pk": line.pk}


def _share_line(org: Organisation) -> dict[str, object]:
    from datetime import date

    from wijk.community import shares
    from wijk.community.models import Person, ShareMovement
    from wijk.ledger import services as ledger
    from wijk.ledger.models import Account, FiscalYear

    line = ShareMovement.objects.filter(organisation=org).first()
    if line is None:
        if not Account.objects.filter(organisation=org).exists():
            ledger.ledger_setup(organisation=org, actor=None)
        if not FiscalYear.objects.filter(organisation=org, start_date__year=2026).exists():
            ledger.fiscal_year_create(organisation=org, year=2026, actor=None)
        line = shares.shares_issue(
            organisation=org,
            person=Person.objects.get(pk=_person(org)["pk"]),
            count=2,
            nominal_value_cents=5000,
            date=date(2026, 3, 1),
            bank_account=Account.objects.get(organisation=org, number="1100"),
            actor=None,
        )
    return {"pk": line.pk}


def _shift(org: Organisation) -> dict[str, object]:
    from datetime import date, time

    from wijk.activities.models import Activity
    from wijk.community import shifts
    from wijk.community.models import Shift

    shift = Shift.objects.filter(organisation=org).first()
    if shift is None:
        activity = Activity.objects.get(pk=_activity(org)["pk"])
        shift = shifts.shift_create(
            organisation=org,
            data=shifts.ShiftData(
                activity=activity,
                date=date(2099, 5, 1),
                start_time=time(10),
                end_time=time(12),
                task="Koffie schenken",
                volunteers_needed=2,
            ),
            actor=None,
        )
    return {"pk": shift.pk}


OBJECT_KWARGS: dict[str, ObjectMaker] = {
    "share_correct": _share_line,
    "shift_signup": _shift,
    "shift_withdraw": _shift,
    "bank_line_detail": _bank_line,
    "bank_line_book": _bank_line,
    "bank_line_match": _bank_line,
    "partner_detail": _partner,
    "contract_detail": _contract,
    "deadline_done": _deadline,
    "allowance_add": _person,
    "my_hours_delete": _hours,
    "session_list": _activity,
    "session_create": _activity,
    "session_detail": _session,
    "session_qr": _session,
    "registration_add": _session,
    "registration_remove": _registration,
    "person_detail": _person,
    "person_edit": _person,
    "consent_add": _person,
    "person_export": _person,
    "person_anonymise": _person,
    "building_edit": _building,
    "building_detail": _building,
    "space_create": _building,
    "space_edit": _space,
    "space_tariffs": _space,
    "space_day": _space,
    "building_week": _building,
    "building_result": _building,
    "booking_create": _space,
    "maintenance_plan": _building,
    "maintenance_component_create": _building,
    "maintenance_component_edit": _component,
    "booking_detail": _booking,
    "booking_status": _booking,
    "booking_invoice": _booking,
    "add_on_edit": _add_on,
    "activity_edit": _activity,
    "neighbourhood_remove": _neighbourhood,
    "invitation_revoke": _invitation,
    "membership_end": _membership,
    "period_close": _fiscal_year,
    "fiscal_year_close": _fiscal_year,
    "account_detail": _account,
    "entry_detail": _entry,
    "entry_post": _entry,
    "entry_reverse": _entry,
    "entry_delete": _entry,
    "claim_detail": _claim,
    "claim_receipt": _claim,
    "claim_approve": _claim,
    "claim_reject": _claim,
    "claim_pay": _claim,
    "invoice_detail": _invoice,
    "invoice_edit": _invoice,
    "invoice_delete": _invoice,
    "invoice_pdf": _invoice,
    "invoice_send": _invoice,
    "invoice_email": _invoice,
    "invoice_payment": _invoice,
    "invoice_credit": _invoice,
    "customer_edit": _customer,
}


def organisation_routes() -> list[tuple[str, URLPattern]]:
    return [(r, p) for r, p in all_patterns() if classify(r, p.name) == "organisation"]


def _kwargs_for(pattern: URLPattern, org: Organisation) -> dict[str, object]:
    kwargs: dict[str, object] = {"organisation": org.slug}
    needed = set(pattern.pattern.converters) - {"organisation"}
    if needed:
        assert pattern.name in OBJECT_KWARGS, (
            f"URL {pattern.name} needs {sorted(needed)}: add a maker to OBJECT_KWARGS"
        )
        kwargs.update(OBJECT_KWARGS[pattern.name](org))
    return kwargs


def _community_snapshot() -> tuple[object, ...]:
    from wijk.activities.models import DoorSignIn, Registration, Session
    from wijk.community.models import (
        Consent,
        Contract,
        ContractDeadline,
        Decision,
        Job,
        Partner,
        Person,
        VolunteerAllowance,
        VolunteerHours,
    )

    return (
        VolunteerHours.objects.count(),
        VolunteerAllowance.objects.count(),
        Job.objects.count(),
        Partner.objects.count(),
        Contract.objects.count(),
        list(ContractDeadline.objects.order_by("pk").values_list("due_on", "done_on")),
        Decision.objects.count(),
        list(Person.objects.order_by("pk").values_list("name", "email", "anonymised_at")),
        Consent.objects.count(),
        list(Session.objects.order_by("pk").values_list("date", "participants_counted")),
        Registration.objects.count(),
        DoorSignIn.objects.count(),
    )


def _snapshot() -> tuple[object, ...]:
    from wijk.expenses.models import ExpenseApproval, ExpenseClaim, ExpensePolicy
    from wijk.ledger.models import Account, FiscalYear, JournalEntry, PeriodLock
    from wijk.premises.models import AddOn, Booking, Building, MaintenanceComponent, Space, Tariff
    from wijk.sales.models import Customer, Invoice, Payment, SalesSettings

    return (
        ExpenseClaim.objects.count(),
        list(ExpenseClaim.objects.order_by("pk").values_list("status", "rejection_reason")),
        ExpenseApproval.objects.count(),
        ExpensePolicy.objects.count(),
        Customer.objects.count(),
        list(Customer.objects.order_by("pk").values_list("name", "email")),
        Invoice.objects.count(),
        list(Invoice.objects.order_by("pk").values_list("status", "number", "email_status")),
        Payment.objects.count(),
        SalesSettings.objects.count(),
        list(MaintenanceComponent.objects.order_by("pk").values_list("name", "cost_cents")),
        list(Booking.objects.order_by("pk").values_list("status", "starts_at", "title")),
        list(AddOn.objects.order_by("pk").values_list("name", "price_cents")),
        list(Tariff.objects.order_by("pk").values_list("hour_cents", "vat_rate")),
        list(Building.objects.order_by("pk").values_list("name", "ownership")),
        list(Space.objects.order_by("pk").values_list("name", "capacity", "open_days")),
        JournalEntry.objects.count(),
        JournalEntry.objects.filter(status="posted").count(),
        Account.objects.count(),
        FiscalYear.objects.count(),
        PeriodLock.objects.count(),
        Organisation.objects.count(),
        Membership.objects.count(),
        Invitation.objects.filter(revoked_at__isnull=True).count(),
        NeighbourhoodLink.objects.count(),
        _community_snapshot(),
        list(Organisation.objects.order_by("pk").values_list("name", "kvk_number", "city")),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", sorted({p.name for _r, p in organisation_routes()}), ids=lambda n: n
)
def test_outsider_gets_404_and_changes_nothing(client, org_a, board_a, board_b, name):
    pattern = next(p for _r, p in organisation_routes() if p.name == name)
    url = reverse(name, kwargs=_kwargs_for(pattern, org_a))
    client.force_login(board_b)
    before = _snapshot()
    assert client.get(url).status_code == 404
    response = client.post(
        url,
        {
            "name": "Overgenomen",
            "email": "x@y.example",
            "role": "board",
            "code": "GM0001",
            "year": "2030",
            "month": "2026-03",
            "override_reason": "test",
            "reason": "Overgenomen",
            "threshold": "1",
            "issue_date": "2026-03-01",
            "credit-issue_date": "2026-03-02",
            "amount": "1",
            "date": "2026-03-02",
            "address": "Straat 1",
            "iban": "NL91ABNA0417164300",
            "payment_term_days": "14",
        },
    )
    assert response.status_code == 404
    assert _snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", sorted({p.name for _r, p in organisation_routes()}), ids=lambda n: n
)
def test_anonymous_is_sent_to_login(client, org_a, name):
    pattern = next(p for _r, p in organisation_routes() if p.name == name)
    url = reverse(name, kwargs=_kwargs_for(pattern, org_a))
    for response in (client.get(url), client.post(url, {})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", sorted({p.name for _r, p in organisation_routes()}), ids=lambda n: n
)
def test_insider_is_not_refused(client, org_a, board_a, name):
    """The same URLs work for organisation A's own board, so the 404s above mean something."""
    pattern = next(p for _r, p in organisation_routes() if p.name == name)
    url = reverse(name, kwargs=_kwargs_for(pattern, org_a))
    client.force_login(board_a)
    status = client.get(url).status_code
    assert status in {200, 405}, f"{name}: {status}"


@pytest.mark.django_db
def test_missing_organisation_looks_like_someone_elses(client, board_b, org_a):
    client.force_login(board_b)
    missing = client.get(reverse("dashboard", kwargs={"organisation": "bestaat-niet"}))
    foreign = client.get(reverse("dashboard", kwargs={"organisation": org_a.slug}))
    assert missing.status_code == foreign.status_code == 404


@pytest.mark.django_db
def test_network_page_is_for_analysts_only(client, board_a):
    url = reverse("network")
    assert client.get(url).status_code == 302
    client.force_login(board_a)
    assert client.get(url).status_code == 404
    analyst = make_user("analist@netwerk.example", None, is_network_analyst=True)
    client.force_login(analyst)
    assert client.get(url).status_code == 200
    # an analyst who is in no organisation lands on the network figures
    assert client.get(reverse("home"))["Location"] == url


@pytest.mark.django_db
def test_network_analyst_sees_no_organisation_pages(client, org_a):
    analyst = make_user("analist@netwerk.example", None, is_network_analyst=True)
    client.force_login(analyst)
    for _route, pattern in organisation_routes():
        if pattern.name in OBJECT_KWARGS:
            continue
        url = reverse(pattern.name, kwargs={"organisation": org_a.slug})
        assert client.get(url).status_code == 404, pattern.name


@pytest.mark.django_db
def test_admin_is_closed_to_organisation_members(client, board_a):
    client.force_login(board_a)
    assert client.get("/beheer/", follow=True).status_code == 403


@pytest.mark.django_db
def test_admin_login_goes_through_allauth(client):
    response = client.get("/beheer/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_public_pages_open_without_login(client):
    for name in ("home", "health"):
        assert client.get(reverse(name)).status_code == 200
    assert client.get(reverse("invitation_accept", kwargs={"token": "onbekend"})).status_code == 404
    assert client.get(reverse("door_sign_in", kwargs={"token": "onbekend"})).status_code == 404
