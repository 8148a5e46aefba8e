"""Logging in: e-mail login, throttling, two-step login for board and treasurer, sessions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, add_totp, make_user

pytestmark = pytest.mark.django_db

LOGIN = "/account/login/"


def login(client, email, password=PASSWORD, **extra):
    return client.post(LOGIN, {"login": email, "password": password}, **extra)


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_login_by_email_any_case(client, org_a, volunteer_a):
    response = login(client, "VRIJWILLIGER@alfa.example")
    assert response.status_code == 302
    assert is_logged_in(client)


def test_wrong_password_is_refused(client, volunteer_a):
    response = login(client, volunteer_a.email, "verkeerd wachtwoord")
    assert response.status_code == 200
    assert not is_logged_in(client)


def test_five_failures_block_the_account_even_with_the_right_password(client, volunteer_a):
    for _ in range(5):
        login(client, volunteer_a.email, "verkeerd wachtwoord")
    response = login(client, volunteer_a.email)
    assert not is_logged_in(client)
    assert response.status_code in {200, 429}
    assert "Too many failed login attempts" in response.content.decode()


def test_five_failures_from_one_address_block_other_accounts_too(client, org_a, volunteer_a):
    other = make_user("ander@alfa.example", org_a, "member")
    for i in range(5):
        login(client, f"onbekend{i}@alfa.example", "verkeerd wachtwoord", REMOTE_ADDR="10.1.2.3")
    login(client, other.email, REMOTE_ADDR="10.1.2.3")
    assert not is_logged_in(client)
    # Another address is not affected.
    login(client, other.email, REMOTE_ADDR="10.9.9.9")
    assert is_logged_in(client)


def test_four_failures_do_not_block(client, volunteer_a):
    for _ in range(4):
        login(client, volunteer_a.email, "verkeerd wachtwoord")
    login(client, volunteer_a.email)
    assert is_logged_in(client)


def test_nobody_signs_up_on_their_own(client):
    response = client.post(
        "/account/signup/",
        {"email": "nieuw@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert "closed" in response.content.decode().lower()
    from wijk.accounts.models import User

    assert not User.objects.filter(email="nieuw@example.org").exists()


def test_password_reset_sends_a_mail(client, volunteer_a):
    response = client.post("/account/password/reset/", {"email": volunteer_a.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/account/password/reset/key/" in mail.outbox[0].body


class TestTwoFactor:
    def test_board_member_without_authenticator_must_set_it_up(self, client, org_a):
        board = make_user("nieuwbestuur@alfa.example", org_a, "board")
        login(client, board.email)  # a real login, so set-up needs no re-authentication
        response = client.get(reverse("dashboard", kwargs={"organisation": org_a.slug}))
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
        page = client.get(reverse("mfa_activate_totp"))
        assert page.status_code == 200
        assert "Board members and treasurers" in page.content.decode()

    def test_the_e_mail_page_does_not_block_setting_up_the_second_step(self, client, org_a):
        """Opening "E-mail addresses" records the address as unverified; we send no
        verification mails (the invitation link proved the address), so the set-up of the
        authenticator app must not wait for one."""
        from allauth.account.models import EmailAddress

        board = make_user("nieuwbestuur@alfa.example", org_a, "board")
        # as the page leaves it, for instance when visited before the board role was given
        EmailAddress.objects.create(user=board, email=board.email, verified=False, primary=True)
        login(client, board.email)
        page = client.get(reverse("mfa_activate_totp"))
        assert page.status_code == 200
        assert 'name="code"' in page.content.decode()

    def test_without_a_fresh_password_login_allauth_asks_for_it_again(self, client, org_a):
        board = make_user("nieuwbestuur@alfa.example", org_a, "board")
        client.force_login(board)  # no password login recorded in this session
        response = client.get(reverse("mfa_activate_totp"))
        assert response["Location"].startswith(reverse("account_reauthenticate"))

    def test_treasurer_too_but_not_a_volunteer(self, client, org_a, volunteer_a):
        treasurer = make_user("penning@alfa.example", org_a, "treasurer")
        client.force_login(treasurer)
        assert client.get("/").status_code == 302
        assert client.get("/")["Location"] == reverse("mfa_activate_totp")
        client.force_login(volunteer_a)
        assert (
            client.get(reverse("dashboard", kwargs={"organisation": org_a.slug})).status_code == 200
        )

    def test_with_an_authenticator_the_pages_open(self, client, org_a):
        board = make_user("nieuwbestuur@alfa.example", org_a, "board")
        add_totp(board)
        client.force_login(board)
        assert (
            client.get(reverse("dashboard", kwargs={"organisation": org_a.slug})).status_code == 200
        )

    def test_logout_and_language_stay_reachable(self, client, org_a):
        board = make_user("nieuwbestuur@alfa.example", org_a, "board")
        client.force_login(board)
        assert (
            client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
        )
        client.post(reverse("account_logout"))
        assert not is_logged_in(client)

    def test_login_asks_for_the_code(self, client, org_a, board_a):
        response = login(client, board_a.email)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_authenticate")
        assert not is_logged_in(client)

    def test_demo_may_switch_the_rule_off(self, client, org_a, settings):
        settings.WIJK_REQUIRE_2FA = False
        board = make_user("nieuwbestuur@alfa.example", org_a, "board")
        client.force_login(board)
        assert (
            client.get(reverse("dashboard", kwargs={"organisation": org_a.slug})).status_code == 200
        )


class TestSessions:
    def test_idle_timeout_is_thirty_minutes_and_refreshed_by_each_request(
        self, client, org_a, volunteer_a, settings
    ):
        assert settings.SESSION_COOKIE_AGE == 30 * 60
        client.force_login(volunteer_a)
        session = Session.objects.get()
        Session.objects.filter(pk=session.pk).update(
            expire_date=timezone.now() + timedelta(minutes=1)
        )
        client.get(reverse("dashboard", kwargs={"organisation": org_a.slug}))
        refreshed = Session.objects.get(pk=session.pk).expire_date
        assert refreshed > timezone.now() + timedelta(minutes=29)

    def test_an_idle_session_ends(self, client, org_a, volunteer_a):
        client.force_login(volunteer_a)
        Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
        response = client.get(reverse("dashboard", kwargs={"organisation": org_a.slug}))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("language", "next_url", "expected"),
    [
        ("en", "/o/alfa/mensen/", "/en/o/alfa/mensen/"),
        ("nl", "/en/o/alfa/mensen/", "/o/alfa/mensen/"),
    ],
)
def test_language_switch_keeps_the_page_both_ways(
    client, dutch_default, language, next_url, expected
):
    response = client.post(reverse("set_language"), {"language": language, "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == expected
