"""Services for organisations, memberships, neighbourhoods and invitations."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import PASSWORD, make_organisation, make_user
from wijk.accounts.models import User
from wijk.core.models import AuditEvent
from wijk.organisations import services
from wijk.organisations.models import Invitation, Membership, NeighbourhoodLink, Organisation

pytestmark = pytest.mark.django_db


def error_fields(exc: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(exc.value.message_dict)


class TestOrganisationCreate:
    def test_valid_details_are_normalised_and_audited(self):
        org = make_organisation(
            "Bewonersbedrijf De Wilg",
            "de-wilg",
            kvk_number="4123 4567",
            rsin="815.372.905",
            postcode="1064hc",
        )
        assert (org.kvk_number, org.rsin, org.postcode) == ("41234567", "815372905", "1064 HC")
        assert (
            AuditEvent.objects.filter(organisation=org, action="organisation.create").count() == 1
        )

    def test_every_bad_field_is_named_and_nothing_is_written(self):
        with pytest.raises(ValidationError) as exc:
            make_organisation(
                "Bewonersbedrijf", "b", kvk_number="1234", rsin="123456789", postcode="ABCD 12"
            )
        assert error_fields(exc) == {"kvk_number", "rsin", "postcode"}
        assert "8 digits" in exc.value.message_dict["kvk_number"][0]
        assert "eleven test" in exc.value.message_dict["rsin"][0]
        assert Organisation.objects.count() == 0
        assert AuditEvent.objects.count() == 0

    def test_empty_name_is_refused(self):
        with pytest.raises(ValidationError) as exc:
            make_organisation("  ", "leeg")
        assert error_fields(exc) == {"name"}

    def test_slug_must_be_free(self):
        make_organisation("Een", "een")
        with pytest.raises(ValidationError) as exc:
            make_organisation("Een ander", "een")
        assert error_fields(exc) == {"slug"}
        assert Organisation.objects.count() == 1

    def test_slug_is_made_from_the_name_when_missing(self):
        org = services.organisation_create(name="Dorpsbedrijf Ter Heide", actor=None)
        assert org.slug == "dorpsbedrijf-ter-heide"

    def test_fiscal_month_outside_the_year_is_refused(self):
        with pytest.raises(ValidationError) as exc:
            make_organisation("Een", "een", fiscal_year_start_month=13)
        assert error_fields(exc) == {"fiscal_year_start_month"}

    def test_first_board_member(self):
        user = make_user("a@example.org")
        org = services.organisation_create(name="Een", slug="een", actor=None, board_member=user)
        assert list(Membership.objects.filter(organisation=org).values_list("role", flat=True)) == [
            "board"
        ]


class TestOrganisationUpdate:
    def test_changed_fields_are_logged(self, org_a, board_a):
        services.organisation_update(
            organisation=org_a, actor=board_a, city="Amsterdam", name=org_a.name
        )
        event = AuditEvent.objects.filter(action="organisation.update").get()
        assert event.data == {"fields": ["city"]}
        assert event.actor == board_a

    def test_bad_update_changes_nothing(self, org_a, board_a):
        with pytest.raises(ValidationError):
            services.organisation_update(
                organisation=org_a, actor=board_a, city="X", rsin="111111111"
            )
        org_a.refresh_from_db()
        assert (org_a.city, org_a.rsin) == ("", "")


class TestNeighbourhoods:
    def test_codes_are_normalised(self, org_a):
        link = services.neighbourhood_link_add(organisation=org_a, code=" bu0363 7700 ", actor=None)
        assert link.code == "BU03637700"
        assert link.level == "neighbourhood"

    @pytest.mark.parametrize("code", ["BU123", "XX036300", "GM03630", "WK03630A", ""])
    def test_bad_codes_are_refused(self, org_a, code):
        with pytest.raises(ValidationError) as exc:
            services.neighbourhood_link_add(organisation=org_a, code=code, actor=None)
        assert error_fields(exc) == {"code"}
        assert NeighbourhoodLink.objects.count() == 0

    def test_duplicate_is_refused(self, org_a):
        services.neighbourhood_link_add(organisation=org_a, code="GM0363", actor=None)
        with pytest.raises(ValidationError):
            services.neighbourhood_link_add(organisation=org_a, code="gm0363", actor=None)

    def test_database_refuses_a_malformed_code(self, org_a):
        from django.db import IntegrityError, transaction

        with pytest.raises(IntegrityError), transaction.atomic():
            NeighbourhoodLink.objects.create(organisation=org_a, code="BU1")


class TestMemberships:
    def test_last_board_member_cannot_be_removed(self, org_a, board_a):
        membership = Membership.objects.get(user=board_a, organisation=org_a)
        with pytest.raises(ValidationError, match="last board member"):
            services.membership_end(membership=membership, actor=board_a)
        assert Membership.objects.filter(pk=membership.pk).exists()

    def test_a_second_board_member_can_be_removed(self, org_a, board_a):
        other = make_user("tweede@alfa.example", org_a, "board")
        membership = Membership.objects.get(user=other, organisation=org_a)
        services.membership_end(membership=membership, actor=board_a)
        assert not Membership.objects.filter(pk=membership.pk).exists()
        assert AuditEvent.objects.filter(action="membership.end").count() == 1

    def test_adding_the_same_role_twice_adds_one(self, org_a, volunteer_a):
        services.membership_add(organisation=org_a, user=volunteer_a, role="volunteer", actor=None)
        assert Membership.objects.filter(user=volunteer_a).count() == 1

    def test_unknown_role_is_refused(self, org_a, volunteer_a):
        with pytest.raises(ValidationError):
            services.membership_add(organisation=org_a, user=volunteer_a, role="king", actor=None)


def invite(org, email="nieuw@alfa.example", role="volunteer", actor=None):
    return services.invitation_create(
        organisation=org, email=email, role=role, actor=actor, base_url="https://wijk.example/"
    )


class TestInvitations:
    def test_invitation_mails_a_link_and_stores_only_a_hash(self, org_a, board_a):
        invitation, token = invite(org_a, email="Nieuw@Alfa.Example", actor=board_a)
        assert invitation.email == "nieuw@alfa.example"
        assert token not in invitation.token_hash
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == ["nieuw@alfa.example"]
        assert f"https://wijk.example/uitnodiging/{token}/" in mail.outbox[0].body

    def test_new_person_accepts_with_name_and_password(self, org_a):
        _invitation, token = invite(org_a)
        membership = services.invitation_accept(
            token=token, full_name="Nieuw Lid", password=PASSWORD
        )
        assert membership.role == "volunteer"
        user = User.objects.get(email="nieuw@alfa.example")
        assert user.check_password(PASSWORD)
        assert user.password.startswith("argon2")
        with pytest.raises(ValidationError, match="not valid"):
            services.invitation_accept(token=token, full_name="Nog eens", password=PASSWORD)

    def test_short_password_is_refused_and_nothing_is_created(self, org_a):
        _invitation, token = invite(org_a)
        with pytest.raises(ValidationError) as exc:
            services.invitation_accept(token=token, full_name="Nieuw", password="kort12345")
        assert error_fields(exc) == {"password1"}
        assert not User.objects.filter(email="nieuw@alfa.example").exists()
        assert Invitation.objects.get().accepted_at is None

    def test_existing_user_must_be_the_invited_one(self, org_a, volunteer_a):
        _invitation, token = invite(org_a, email="iemand@anders.example")
        with pytest.raises(ValidationError, match="logged in as"):
            services.invitation_accept(token=token, user=volunteer_a)

    def test_existing_user_accepts_another_role(self, org_a, volunteer_a):
        _invitation, token = invite(org_a, email=volunteer_a.email, role="coordinator")
        services.invitation_accept(token=token, user=volunteer_a)
        roles = set(Membership.objects.filter(user=volunteer_a).values_list("role", flat=True))
        assert roles == {"volunteer", "coordinator"}

    def test_expired_and_revoked_invitations_do_not_work(self, org_a, board_a):
        invitation, token = invite(org_a)
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
        with pytest.raises(ValidationError):
            services.invitation_accept(token=token, full_name="Te laat", password=PASSWORD)
        invitation2, token2 = invite(org_a, email="ander@alfa.example")
        services.invitation_revoke(invitation=invitation2, actor=board_a)
        with pytest.raises(ValidationError):
            services.invitation_accept(token=token2, full_name="Ingetrokken", password=PASSWORD)
        with pytest.raises(ValidationError):
            services.invitation_revoke(invitation=invitation2, actor=board_a)

    def test_inviting_someone_to_a_role_they_hold_is_refused(self, org_a, volunteer_a):
        with pytest.raises(ValidationError) as exc:
            invite(org_a, email=volunteer_a.email, role="volunteer")
        assert error_fields(exc) == {"email"}
        assert len(mail.outbox) == 0

    def test_failed_mail_leaves_no_invitation(self, org_a, settings):
        settings.EMAIL_BACKEND = "tests.organisations.failing_mail.Backend"
        with pytest.raises(ConnectionError):
            invite(org_a)
        assert Invitation.objects.count() == 0
        assert AuditEvent.objects.filter(action="invitation.create").count() == 0


def test_audit_descriptions_are_sentences(org_a, board_a):
    invite(org_a, actor=board_a)
    event = AuditEvent.objects.get(action="invitation.create")
    assert event.description == "nieuw@alfa.example invited as volunteer."


def test_neighbourhoods_are_listed_from_municipality_down(org_a):
    from wijk.organisations.selectors import neighbourhood_list

    for code in ("BU03637700", "WK036376", "GM0363"):
        services.neighbourhood_link_add(organisation=org_a, code=code, actor=None)
    assert [link.code for link in neighbourhood_list(organisation=org_a)] == [
        "GM0363",
        "WK036376",
        "BU03637700",
    ]


class TestNetworkOverview:
    def test_small_groups_are_hidden_with_a_complement(self):
        from wijk.organisations.selectors import _suppress_partition

        assert _suppress_partition([5, 1, 4, 0]) == [5, None, None, 0]
        assert _suppress_partition([5, 1, 2, 0]) == [5, None, None, 0]
        assert _suppress_partition([5, 3, 4]) == [5, 3, 4]
        assert _suppress_partition([2]) == [None]

    def test_overview_counts_enterprises_without_naming_any(self):
        from wijk.organisations.selectors import network_overview

        for i in range(4):
            make_organisation(f"Stichting {i}", f"s{i}", legal_form="foundation")
        make_organisation("Enige coöperatie", "coop", legal_form="cooperative")
        overview = network_overview()
        assert overview.organisation_count == 5
        rows = {row.label: row.count for row in overview.by_legal_form}
        assert rows["Foundation (stichting)"] is None  # hidden as complement
        assert rows["Cooperative (coöperatie)"] is None
        assert rows["Association (vereniging)"] == 0
