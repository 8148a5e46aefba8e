"""The organisation menu: what each role sees, that it may open it, and the current page."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse
from lxml import html as lxml_html

from tests.factories import make_user
from wijk.organisations import navigation, services
from wijk.organisations.access import access_organisation
from wijk.organisations.navigation import MENU, MenuItem, MenuSection, menu_for
from wijk.organisations.roles import VIEW_BOOKS, Role

pytestmark = pytest.mark.django_db

CURRENT_SECTION = './/details[contains(concat(" ", @class, " "), " org-nav__section--current ")]'


def url(name, org, **kwargs):
    return reverse(name, kwargs={"organisation": org.slug, **kwargs})


def menu_of(client, user, path):
    """(section label -> item labels, [current item labels]) as the page shows them."""
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200, path
    tree = lxml_html.fromstring(response.content.decode())
    [nav] = tree.xpath('//nav[@id="org-nav"]')
    sections = {
        details.xpath("./summary")[0].text.strip(): [
            a.text_content().strip() for a in details.xpath(".//a")
        ]
        for details in nav.xpath(".//details")
    }
    current = [a.text_content().strip() for a in nav.xpath('.//a[@aria-current="page"]')]
    return sections, current, nav


@pytest.fixture
def role_user(org_a):
    def make(role):
        return make_user(f"{role}@alfa.example", org_a, role, two_factor=True)

    return make


def test_every_item_names_a_page_under_the_organisation(org_a):
    items = [navigation.OVERVIEW] + [item for section in MENU for item in section.items]
    for item in items:
        assert url(item.url_name, org_a).startswith(f"/o/{org_a.slug}/"), item.url_name
    keys = [section.key for section in MENU]
    assert len(keys) == len(set(keys))


class TestWhatEachRoleSees:
    def test_treasurer_sees_the_money_section_whole(self, client, org_a, role_user):
        sections, _current, _nav = menu_of(
            client, role_user(Role.TREASURER), url("dashboard", org_a)
        )
        assert sections["Money"] == [
            "Books",
            "Bank",
            "Expense claims",
            "Invoices",
            "Membership fees",
            "Reports",
        ]
        assert sections["Building"][-1] == "Invoice bookings"
        assert "Activity log" in sections["Admin"]
        assert "My hours" not in sections["People"]

    def test_coordinator_sees_buildings_and_people_but_not_the_books(
        self, client, org_a, role_user
    ):
        sections, _current, _nav = menu_of(
            client, role_user(Role.COORDINATOR), url("dashboard", org_a)
        )
        assert sections["Money"] == ["Expense claims"]
        assert sections["Building"] == ["Buildings", "Bookings", "Occupancy"]
        assert sections["People"][:6] == [
            "Persons",
            "Members",
            "Volunteers",
            "Activities",
            "Partners",
            "Jobs",
        ]
        assert "Activity log" not in sections["Admin"]

    def test_volunteer_sees_own_hours_and_no_registers(self, client, org_a, role_user):
        sections, _current, _nav = menu_of(
            client, role_user(Role.VOLUNTEER), url("dashboard", org_a)
        )
        assert sections["Money"] == ["Expense claims"]
        assert sections["People"] == ["Activities", "My hours", "My shifts", "My details"]
        assert sections["Admin"] == ["Organisation", "Decisions"]

    def test_audit_committee_reads_the_books_and_the_log(self, client, org_a, role_user):
        sections, _current, _nav = menu_of(
            client, role_user(Role.AUDIT_COMMITTEE), url("dashboard", org_a)
        )
        assert sections["Money"] == [
            "Books",
            "Bank",
            "Expense claims",
            "Invoices",
            "Membership fees",
            "Reports",
        ]
        assert "Activity log" in sections["Admin"]

    @pytest.mark.parametrize("role", list(Role))
    def test_every_link_shown_opens_for_that_role(self, client, org_a, role_user, role):
        _sections, _current, nav = menu_of(client, role_user(role), url("dashboard", org_a))
        links = [a.get("href") for a in nav.xpath(".//a")]
        assert links
        for link in links:
            assert client.get(link).status_code == 200, (role, link)

    def test_a_section_without_a_page_for_the_role_is_left_out(
        self, client, org_a, role_user, monkeypatch
    ):
        books_only = MenuSection(
            "books", "Books only", (MenuItem("Books", "ledger_home", VIEW_BOOKS),)
        )
        monkeypatch.setattr(navigation, "MENU", (*MENU, books_only))
        volunteer = role_user(Role.VOLUNTEER)
        treasurer = role_user(Role.TREASURER)
        assert "Books only" not in menu_of(client, volunteer, url("dashboard", org_a))[0]
        assert "Books only" in menu_of(client, treasurer, url("dashboard", org_a))[0]


class TestCurrentPage:
    @pytest.mark.parametrize(
        ("name", "query", "expected", "section"),
        [
            ("dashboard", "", "Overview", None),
            ("ledger_home", "", "Books", "Money"),
            ("balance_sheet", "", "Reports", "Money"),
            ("report_index", "", "Reports", "Money"),
            ("statement_import", "", "Bank", "Money"),
            ("customer_list", "", "Invoices", "Money"),
            ("booking_list", "", "Bookings", "Building"),
            ("building_list", "", "Buildings", "Building"),
            ("person_list", "", "Persons", "People"),
            ("person_list", "?soort=member", "Members", "People"),
            ("person_list", "?soort=volunteer", "Persons", "People"),
            ("audit_log", "", "Activity log", "Admin"),
        ],
    )
    def test_exactly_one_item_is_current(
        self, client, org_a, board_a, name, query, expected, section
    ):
        services.membership_add(organisation=org_a, user=board_a, role=Role.TREASURER, actor=None)
        _sections, current, nav = menu_of(client, board_a, url(name, org_a) + query)
        assert current == [expected]
        marked = [
            details.xpath("./summary")[0].text.strip() for details in nav.xpath(CURRENT_SECTION)
        ]
        assert marked == ([section] if section else [])

    def test_a_page_below_an_item_marks_that_item(self, org_a, board_a):
        access = access_organisation(user=board_a, slug=org_a.slug)
        request = RequestFactory().get("/")
        menu = menu_for(
            access=access,
            path=url("dashboard", org_a) + "gebouwen/boekingen/12/",
            url_name="booking_detail",
            params=request.GET,
        )
        current = [
            item.label for section in menu.sections for item in section.items if item.current
        ]
        assert current == ["Bookings"]
        assert not menu.overview.current

    def test_the_menu_costs_no_query(self, org_a, board_a, django_assert_num_queries):
        access = access_organisation(user=board_a, slug=org_a.slug)
        with django_assert_num_queries(0):
            menu_for(access=access, path=url("dashboard", org_a), params={})


@pytest.fixture
def contract_deadline(org_a):
    """A contract with a deadline next week, so the dashboard lists it."""
    from datetime import timedelta

    from django.utils import timezone

    from wijk.community import services as community

    partner = community.partner_create(
        organisation=org_a, name="Gemeente Buurtstad", kind="municipality", actor=None
    )
    contract = community.contract_create(
        partner=partner,
        data=community.ContractData(
            title="Groenonderhoud",
            kind="right_to_challenge",
            start_date=timezone.localdate() - timedelta(days=30),
        ),
        actor=None,
    )
    return community.deadline_add(
        contract=contract,
        due_on=timezone.localdate() + timedelta(days=7),
        description="Halfjaarverslag",
        actor=None,
    )


@pytest.mark.parametrize("role", list(Role))
def test_every_link_on_the_dashboard_opens_for_that_role(
    client, org_a, role_user, contract_deadline, role
):
    client.force_login(role_user(role))
    response = client.get(url("dashboard", org_a))
    [main] = lxml_html.fromstring(response.content.decode()).xpath("//main")
    links = {a.get("href") for a in main.xpath(".//a") if a.get("href", "").startswith("/o/")}
    for link in sorted(links):
        assert client.get(link).status_code == 200, (role, link)
    shown = "Halfjaarverslag" in main.text_content()
    assert shown == (role in {Role.BOARD, Role.TREASURER, Role.COORDINATOR, Role.AUDIT_COMMITTEE})
    assert ("my-hours-summary" in response.content.decode()) == (role == Role.VOLUNTEER)
