"""Organisation pages: full pages, htmx partials, roles and bad input."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, make_organisation, make_user
from wijk.organisations import services
from wijk.organisations.models import Invitation, Membership, NeighbourhoodLink

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, org, **kwargs):
    return reverse(name, kwargs={"organisation": org.slug, **kwargs})


class TestHome:
    def test_anonymous_sees_the_landing_page(self, client):
        response = client.get("/")
        assert response.status_code == 200
        assert reverse("account_login") in response.content.decode()

    def test_one_organisation_goes_straight_to_its_dashboard(self, client, org_a, board_a):
        client.force_login(board_a)
        assert client.get("/")["Location"] == url("dashboard", org_a)

    def test_several_organisations_are_listed(self, client, org_a, org_b, board_a):
        services.membership_add(organisation=org_b, user=board_a, role="member", actor=None)
        client.force_login(board_a)
        html = client.get("/").content.decode()
        assert org_a.name in html and org_b.name in html
        # The switcher in the header lists both too.
        assert 'id="organisation-switcher"' in html


class TestDashboard:
    def test_shows_real_records(self, client, org_a, board_a, volunteer_a):
        services.neighbourhood_link_add(
            organisation=org_a,
            code="WK036376",
            name="Slotermeer-Noordoost",
            is_priority_area=True,
            actor=None,
        )
        client.force_login(board_a)
        response = client.get(url("dashboard", org_a))
        html = response.content.decode()
        assert response.status_code == 200
        assert org_a.name in html
        assert re.search(r'figure__value">2<', html)  # two people with a role
        assert "Slotermeer-Noordoost" in html
        assert "priority neighbourhood" in html
        assert 'id="recent-activity"' in html

    def test_volunteer_sees_no_activity_log(self, client, org_a, volunteer_a):
        client.force_login(volunteer_a)
        html = client.get(url("dashboard", org_a)).content.decode()
        assert 'id="recent-activity"' not in html
        assert url("audit_log", org_a) not in html

    def test_query_count_is_bounded(self, client, org_a, board_a, django_assert_max_num_queries):
        for i in range(15):
            make_user(f"vrijwilliger{i}@alfa.example", org_a, "volunteer")
        client.force_login(board_a)
        # 20 for the organisation and the books, 6 for activities and volunteers, 2 for
        # claims and invoices, 1 for the waiting room requests; none of it grows with
        # the number of people.
        with django_assert_max_num_queries(29):
            client.get(url("dashboard", org_a))


class TestOrganisationSettings:
    def valid(self, **changes):
        data = {
            "name": "Bewonersbedrijf Alfa",
            "legal_form": "foundation",
            "kvk_number": "41234567",
            "rsin": "815372905",
            "tax_status": "anbi",
            "street_address": "Slotermeerlaan 1",
            "postcode": "1064 HC",
            "city": "Amsterdam",
            "email": "info@alfa.example",
            "website": "alfa.example",
            "fiscal_year_start_month": "7",
        }
        data.update(changes)
        return data

    def test_board_saves_valid_details(self, client, org_a, board_a):
        client.force_login(board_a)
        response = client.post(url("organisation_settings", org_a), self.valid())
        assert response.status_code == 302
        org_a.refresh_from_db()
        assert (org_a.kvk_number, org_a.fiscal_year_start_month, org_a.website) == (
            "41234567",
            7,
            "https://alfa.example",
        )

    def test_bad_input_names_each_field_and_saves_nothing(self, client, org_a, board_a):
        client.force_login(board_a)
        response = client.post(
            url("organisation_settings", org_a),
            self.valid(kvk_number="1234", rsin="123456789", postcode="99", name=""),
        )
        assert response.status_code == 400
        html = response.content.decode()
        for field in ("id_kvk_number", "id_rsin", "id_postcode", "id_name"):
            assert f'href="#{field}"' in html, field  # the error summary links to the field
        assert 'aria-describedby="id_kvk_number_helptext"' in html or "id_kvk_number_errors" in html
        org_a.refresh_from_db()
        assert (org_a.kvk_number, org_a.name) == ("", "Bewonersbedrijf Alfa")

    def test_volunteer_reads_but_cannot_change(self, client, org_a, volunteer_a):
        client.force_login(volunteer_a)
        response = client.get(url("organisation_settings", org_a))
        assert response.status_code == 200
        assert 'id="organisation-form"' not in response.content.decode()
        assert (
            client.post(url("organisation_settings", org_a), self.valid(city="X")).status_code
            == 403
        )
        org_a.refresh_from_db()
        assert org_a.city == ""


class TestNeighbourhoodViews:
    def test_add_full_page(self, client, org_a, board_a):
        client.force_login(board_a)
        response = client.post(
            url("neighbourhood_add", org_a), {"code": "GM0363", "name": "Amsterdam"}
        )
        assert response.status_code == 302
        assert NeighbourhoodLink.objects.filter(organisation=org_a, code="GM0363").exists()

    def test_add_with_htmx_returns_the_partial(self, client, org_a, board_a):
        client.force_login(board_a)
        response = client.post(url("neighbourhood_add", org_a), {"code": "BU03637700"}, **HTMX)
        html = response.content.decode()
        assert response.status_code == 200
        assert html.lstrip().startswith('<section class="panel" id="neighbourhoods"')
        assert "<html" not in html
        assert "BU03637700" in html

    def test_bad_code_is_explained_and_not_saved(self, client, org_a, board_a):
        client.force_login(board_a)
        response = client.post(url("neighbourhood_add", org_a), {"code": "BU12"})
        assert response.status_code == 400
        assert "CBS area code" in response.content.decode()
        response = client.post(url("neighbourhood_add", org_a), {"code": "BU12"}, **HTMX)
        assert "CBS area code" in response.content.decode()
        assert not NeighbourhoodLink.objects.exists()

    def test_remove(self, client, org_a, board_a):
        link = services.neighbourhood_link_add(organisation=org_a, code="GM0363", actor=None)
        client.force_login(board_a)
        assert client.post(url("neighbourhood_remove", org_a, pk=link.pk)).status_code == 302
        assert not NeighbourhoodLink.objects.exists()


class TestPeople:
    def test_board_sees_people_and_invite_form(self, client, org_a, board_a, volunteer_a):
        client.force_login(board_a)
        html = client.get(url("people", org_a)).content.decode()
        assert volunteer_a.email in html
        assert 'id="invitations"' in html

    def test_volunteer_cannot_see_people(self, client, org_a, volunteer_a):
        client.force_login(volunteer_a)
        assert client.get(url("people", org_a)).status_code == 403

    def test_coordinator_sees_people_without_invite_form(self, client, org_a, board_a):
        coordinator = make_user("coordinator@alfa.example", org_a, "coordinator")
        client.force_login(coordinator)
        html = client.get(url("people", org_a)).content.decode()
        assert board_a.email in html
        assert 'id="invitations"' not in html
        assert (
            client.post(
                url("invitation_create", org_a), {"email": "x@y.example", "role": "member"}
            ).status_code
            == 403
        )

    def test_invite_full_page(self, client, org_a, board_a):
        client.force_login(board_a)
        response = client.post(
            url("invitation_create", org_a), {"email": "nieuw@alfa.example", "role": "treasurer"}
        )
        assert response.status_code == 302
        assert Invitation.objects.get().role == "treasurer"
        assert len(mail.outbox) == 1

    def test_invite_with_htmx_returns_the_partial(self, client, org_a, board_a):
        client.force_login(board_a)
        response = client.post(
            url("invitation_create", org_a),
            {"email": "nieuw@alfa.example", "role": "member"},
            **HTMX,
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert "<html" not in html
        assert "nieuw@alfa.example" in html

    def test_bad_invite_is_explained(self, client, org_a, board_a):
        client.force_login(board_a)
        response = client.post(
            url("invitation_create", org_a), {"email": "geen-adres", "role": "nobody"}
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert 'href="#id_email"' in html and 'href="#id_role_0"' in html
        assert not Invitation.objects.exists()

    def test_revoke_and_end_role(self, client, org_a, board_a, volunteer_a):
        invitation, _token = services.invitation_create(
            organisation=org_a,
            email="n@alfa.example",
            role="member",
            actor=board_a,
            base_url="http://t",
        )
        client.force_login(board_a)
        client.post(url("invitation_revoke", org_a, pk=invitation.pk))
        invitation.refresh_from_db()
        assert invitation.revoked_at is not None
        membership = Membership.objects.get(user=volunteer_a)
        client.post(url("membership_end", org_a, pk=membership.pk))
        assert not Membership.objects.filter(pk=membership.pk).exists()

    def test_ending_a_role_asks_first(self, client, org_a, board_a, volunteer_a):
        membership = Membership.objects.get(user=volunteer_a)
        client.force_login(board_a)
        people = client.get(url("people", org_a)).content.decode()
        assert url("membership_end", org_a, pk=membership.pk) in people
        page = client.get(url("membership_end", org_a, pk=membership.pk))
        assert page.status_code == 200
        assert 'id="membership-end-form"' in page.content.decode()
        assert Membership.objects.filter(pk=membership.pk).exists()

    def test_last_board_member_gets_a_message(self, client, org_a, board_a):
        client.force_login(board_a)
        membership = Membership.objects.get(user=board_a)
        response = client.post(url("membership_end", org_a, pk=membership.pk), follow=True)
        assert "last board member" in response.content.decode()
        assert Membership.objects.filter(pk=membership.pk).exists()

    def test_people_list_query_count_is_bounded(
        self, client, org_a, board_a, django_assert_max_num_queries
    ):
        for i in range(25):
            make_user(f"p{i}@alfa.example", org_a, "volunteer", "member")
        client.force_login(board_a)
        with django_assert_max_num_queries(20):
            assert client.get(url("people", org_a)).status_code == 200


class TestAuditLog:
    def test_audit_committee_reads_it(self, client, org_a):
        member = make_user("kas@alfa.example", org_a, "audit_committee")
        client.force_login(member)
        response = client.get(url("audit_log", org_a))
        assert response.status_code == 200
        assert "kas@alfa.example became audit committee member." in response.content.decode()

    def test_volunteer_does_not(self, client, org_a, volunteer_a):
        client.force_login(volunteer_a)
        assert client.get(url("audit_log", org_a)).status_code == 403


class TestInvitationAccept:
    def make(self, org, email="nieuw@alfa.example"):
        return services.invitation_create(
            organisation=org, email=email, role="volunteer", actor=None, base_url="http://t"
        )[1]

    def test_new_person_creates_account_and_lands_in_the_organisation(self, client, org_a):
        token = self.make(org_a)
        page = reverse("invitation_accept", kwargs={"token": token})
        assert client.get(page).status_code == 200
        response = client.post(
            page, {"full_name": "Nieuw Lid", "password1": PASSWORD, "password2": PASSWORD}
        )
        assert response["Location"] == url("dashboard", org_a)
        assert client.get(url("dashboard", org_a)).status_code == 200

    def test_bad_passwords_are_explained(self, client, org_a):
        token = self.make(org_a)
        page = reverse("invitation_accept", kwargs={"token": token})
        response = client.post(
            page, {"full_name": "Nieuw", "password1": "kort", "password2": "anders"}
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert 'href="#id_password2"' in html
        response = client.post(
            page, {"full_name": "Nieuw", "password1": "kort", "password2": "kort"}
        )
        assert response.status_code == 400
        assert "12 characters" in response.content.decode()

    def test_existing_account_must_log_in_first(self, client, org_a, volunteer_a):
        token = services.invitation_create(
            organisation=org_a,
            email=volunteer_a.email,
            role="coordinator",
            actor=None,
            base_url="http://t",
        )[1]
        response = client.get(reverse("invitation_accept", kwargs={"token": token}))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))

    def test_logged_in_as_someone_else(self, client, org_a, org_b, board_b):
        token = self.make(org_a, email="iemand@alfa.example")
        client.force_login(board_b)
        response = client.post(reverse("invitation_accept", kwargs={"token": token}))
        assert response.status_code == 400
        assert "logged in as" in response.content.decode()

    def test_unknown_token(self, client):
        response = client.get(reverse("invitation_accept", kwargs={"token": "x" * 40}))
        assert response.status_code == 404
        assert "not valid" in response.content.decode()


def test_other_enterprises_stay_invisible_in_lists(client, org_a, board_a):
    other = make_organisation("Geheim Buurtbedrijf", "geheim")
    make_user("geheim@geheim.example", other, "volunteer")
    client.force_login(board_a)
    for name in ("dashboard", "people", "organisation_settings", "audit_log"):
        html = client.get(url(name, org_a)).content.decode()
        assert "Geheim" not in html and "geheim@geheim.example" not in html, name


def test_invitation_mail_failure_is_explained_and_nothing_is_saved(
    client, org_a, board_a, settings
):
    settings.EMAIL_BACKEND = "tests.organisations.failing_mail.Backend"
    client.force_login(board_a)
    response = client.post(
        url("invitation_create", org_a), {"email": "nieuw@alfa.example", "role": "member"}
    )
    assert response.status_code == 400
    assert "could not be sent" in response.content.decode()
    assert not Invitation.objects.exists()
