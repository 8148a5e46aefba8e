from __future__ import annotations

from django.http import HttpRequest

from . import selectors


def organisations(request: HttpRequest) -> dict[str, object]:
    """The current organisation (on `/o/<slug>/` pages) and the switcher's list."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "my_organisations": selectors.organisation_list_for_user(user=user),
        "current_access": getattr(request, "organisation_access", None),
    }
