"""Board members and treasurers must protect their login with a second factor.

Until they have set up an authenticator app (TOTP), every page except the ones needed
to set it up, to log out and to switch language sends them to the set-up page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from wijk.organisations.models import Membership
from wijk.organisations.roles import TWO_FACTOR_ROLES

ALLOWED_URL_NAMES = (
    "mfa_activate_totp",
    "mfa_index",
    "mfa_view_recovery_codes",
    "mfa_download_recovery_codes",
    "mfa_generate_recovery_codes",
    "account_logout",
    "account_reauthenticate",
    "mfa_reauthenticate",
    "mfa_authenticate",
    "set_language",
    "health",
)


def user_needs_two_factor(user: Any) -> bool:
    from allauth.mfa.models import Authenticator

    if not getattr(user, "is_authenticated", False):
        return False
    if not Membership.objects.filter(user=user, role__in=TWO_FACTOR_ROLES).exists():
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.WIJK_REQUIRE_2FA
            and not self._exempt(request)
            and user_needs_two_factor(request.user)
        ):
            messages.warning(
                request,
                _(
                    "Board members and treasurers protect their account with a second step. "
                    "Set up an authenticator app to continue."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _exempt(request: HttpRequest) -> bool:
        path = request.path_info
        if path.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
            return True
        try:
            match = resolve(path)
        except Resolver404:
            return True
        return match.url_name in ALLOWED_URL_NAMES
