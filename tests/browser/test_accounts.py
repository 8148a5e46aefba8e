"""Logging in and out, and the two-step login that board members must set up."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from tests.browser import axe
from tests.browser.helpers import in_dutch, log_in_with_cookie, log_in_with_form, visit
from tests.factories import make_user
from wijk.organisations.roles import Role

pytestmark = pytest.mark.browser


def test_log_in_lands_on_the_dashboard_with_the_real_role_counts(page, org_a, board_a):
    make_user("penningmeester@alfa.example", org_a, "board", "treasurer")
    make_user("vrijwilliger1@alfa.example", org_a, "volunteer")
    make_user("vrijwilliger2@alfa.example", org_a, "volunteer")

    log_in_with_form(page, board_a)  # password, then the authenticator code

    assert page.url.endswith("/o/alfa/")
    axe.check(page)
    assert page.locator("main h1").inner_text() == "Bewonersbedrijf Alfa"
    assert page.locator("#people-summary .figure__value").inner_text() == "4"
    language = page.locator("html").get_attribute("lang")
    counts = {Role.BOARD: 2, Role.TREASURER: 1, Role.VOLUNTEER: 2}
    with translation.override(language):
        expected = [[str(role.label), str(counts.get(role, 0))] for role in Role]
    rows = page.locator("#people-summary tbody tr").evaluate_all(
        "(rows) => rows.map((row) => [...row.cells].map((cell) => cell.innerText.trim()))"
    )
    assert rows == expected


def test_log_out_through_the_user_menu(page, context, live_server, org_a, board_a):
    log_in_with_cookie(context, live_server.url, board_a)
    visit(page, "/o/alfa/")

    page.click("#user-menu summary")
    logout = page.locator("#logout-button")
    assert logout.is_visible()
    assert logout.text_content() == in_dutch("Log out")
    axe.check(page, when="user menu open")
    with page.expect_navigation():
        logout.click()

    axe.check(page)
    assert page.locator("#user-menu").count() == 0
    assert page.locator("header a[href$='/account/login/']").is_visible()
    visit(page, "/o/alfa/")  # no longer logged in: the dashboard asks to log in
    assert "/account/login/" in page.url


def test_board_member_without_two_factor_must_set_it_up(page, org_a):
    board = make_user("bestuur-zonder-app@alfa.example", org_a, "board")

    log_in_with_form(page, board)

    setup_path = reverse("mfa_activate_totp")
    assert page.url.endswith(setup_path)
    axe.check(page)
    assert page.locator(".alert--warning").count() == 1
    assert page.locator("input[name=code]").is_visible()
    # Every other page sends them back here until the authenticator app is set up.
    visit(page, "/o/alfa/mensen/")
    assert page.url.endswith(setup_path)
