"""Steps the browser tests share: open a page (and check it with axe), log in."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests import factories
from tests.browser import axe

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page, Response

    from wijk.accounts.models import User


def visit(page: Page, path: str) -> Response:
    """Open `path`, expect a successful answer and check the page with axe."""
    response = page.goto(path)
    assert response is not None, path
    assert response.ok, f"{path} answered {response.status}"
    axe.check(page)
    return response


def current_totp_code() -> str:
    """The code an authenticator app would show for `factories.TOTP_SECRET`.

    allauth accepts only the current time step (no tolerance), so near the end of a
    step wait for the next one: the code must still be valid when the form arrives.
    """
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    period = app_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < 5:
        time.sleep(left + 0.1)
    counter = int(time.time()) // period
    return format_hotp_value(hotp_value(factories.TOTP_SECRET, counter))


def log_in_with_form(page: Page, user: User) -> None:
    """Log in as a person would: the login form, then the authenticator code if asked."""
    visit(page, "/account/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", factories.PASSWORD)
    with page.expect_navigation():
        page.click("#login-button")
    if page.url.endswith(reverse("mfa_authenticate")):
        axe.check(page, when="second login step")
        page.fill("input[name=code]", current_totp_code())
        with page.expect_navigation():
            page.press("input[name=code]", "Enter")


def log_in_with_cookie(context: BrowserContext, live_server_url: str, user: User) -> None:
    """Skip the login form: give the browser the session cookie of a logged-in client.

    For tests about something else than logging in; test_accounts covers the form.
    """
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server_url, "httpOnly": True}]
    )


def in_dutch(message: str) -> str:
    """What the Dutch page shows for `message`, from the catalogues the server uses.

    Only for strings that Django or allauth translate, so the answer is Dutch even
    while our own catalogue is incomplete.
    """
    with translation.override("nl"):
        dutch = translation.gettext(message)
    assert dutch != message, f"no Dutch translation for {message!r}"
    return dutch
