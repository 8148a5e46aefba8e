"""allauth adapter: nobody signs up on their own; people join by invitation."""

from __future__ import annotations

import time
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """Do not ask for the password again right after a password login.

        Board members and treasurers are sent to set up two-step login straight after
        logging in; allauth would make them type their password a second time. A
        password login within the re-authentication window is proof enough.
        """
        required = bool(super().is_reauthentication_required(app=app, **kwargs))
        if required and app == "allauth.mfa" and self._recent_password_login():
            return False
        return required

    def _recent_password_login(self) -> bool:
        request = self.request
        if request is None or not request.user.is_authenticated:
            return False
        records = get_authentication_records(request, request.user)
        timeout = account_settings.REAUTHENTICATION_TIMEOUT
        return any(
            record.get("method") == "password" and time.time() - record.get("at", 0) < timeout
            for record in records
        )
